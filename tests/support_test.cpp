#include "models/support.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "models/network.h"

namespace muzero {
namespace {

TEST(Support, TransformValuesByHand) {
  EXPECT_DOUBLE_EQ(value_transform(0.0), 0.0);
  EXPECT_NEAR(value_transform(3.0), 1.0 + 0.003, 1e-12);      // sqrt(4) - 1 + 0.001 * 3
  EXPECT_NEAR(value_transform(-8.0), -(2.0 + 0.008), 1e-12);  // -(sqrt(9) - 1) - 0.008
  EXPECT_NEAR(value_transform(99.0), 9.0 + 0.099, 1e-12);
}

TEST(Support, InverseTransformIsExact) {
  for (double x = -600.0; x <= 600.0; x += 0.37) {
    EXPECT_NEAR(inverse_value_transform(value_transform(x)), x, 1e-9 * std::max(1.0, std::abs(x)));
  }
  for (double y = -30.0; y <= 30.0; y += 0.11) {
    EXPECT_NEAR(value_transform(inverse_value_transform(y)), y, 1e-9 * std::max(1.0, std::abs(y)));
  }
}

TEST(Support, ScalarToSupportSplitsBetweenNeighbours) {
  // h(x) = 2.5 for x = inverse(2.5): weight 0.5 on +2 and +3 (indices 12, 13 of 21).
  const double x = inverse_value_transform(2.5);
  const torch::Tensor s = scalar_to_support(torch::tensor({static_cast<float>(x)}), 10);
  ASSERT_EQ(s.sizes(), (std::vector<int64_t>{1, 21}));
  EXPECT_NEAR(s[0][12].item<float>(), 0.5, 1e-4);
  EXPECT_NEAR(s[0][13].item<float>(), 0.5, 1e-4);
  EXPECT_NEAR(s.sum().item<float>(), 1.0, 1e-6);

  const torch::Tensor zero = scalar_to_support(torch::zeros({2, 3}), 10);
  ASSERT_EQ(zero.sizes(), (std::vector<int64_t>{2, 3, 21}));
  EXPECT_FLOAT_EQ(zero[1][2][10].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(zero.sum().item<float>(), 6.0f);

  // Beyond the support: all weight on the end.
  const torch::Tensor big = scalar_to_support(torch::tensor({1e6f, -1e6f}), 10);
  EXPECT_FLOAT_EQ(big[0][20].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(big[1][0].item<float>(), 1.0f);
}

// The trainer's targets are encoded on the host, per value; they equal the batched form.
TEST(Support, EncodeSupportEqualsScalarToSupport) {
  torch::manual_seed(5);
  const torch::Tensor values =
      torch::cat({torch::randn({200}) * 50, torch::tensor({0.0f, 1e5f, -1e5f})});
  for (const double scale : {1.0, 0.1}) {
    const torch::Tensor expected = scalar_to_support(values * scale, 20);
    for (int64_t i = 0; i < values.size(0); ++i) {
      float out[41];
      encode_support(values[i].item<float>(), 20, scale, out);
      EXPECT_TRUE(torch::allclose(torch::from_blob(out, {41}), expected[i], 1e-5, 1e-5))
          << values[i].item<float>();
    }
  }
}

TEST(Support, RoundTripThroughLogits) {
  // Within the support: h(110) = 9.65 < 10.
  const torch::Tensor x = torch::tensor({-100.0f, -7.5f, -1.0f, 0.0f, 0.3f, 1.0f, 42.0f, 110.0f});
  const torch::Tensor logits = torch::log(scalar_to_support(x, 10) + 1e-12);
  const torch::Tensor back = support_to_scalar(logits, 10);
  for (int i = 0; i < x.size(0); ++i) {
    EXPECT_NEAR(back[i].item<float>(), x[i].item<float>(),
                1e-3 * std::max(1.0f, std::abs(x[i].item<float>())));
  }
}

// support_scale multiplies scalars before the transform: a win's reward of 1 with scale 10 is
// h(10) = sqrt(11) - 1 + 0.01 = 2.32662, on bins +2 and +3, apart from a reward of 0 on bin 0.
TEST(Support, NetworkScalesBeforeTheTransformAndBack) {
  NetworkParams params;
  params.support_scale = 10.0;
  const auto net = make_network(params, {1, 1, 4}, 2);
  const torch::Tensor s = net->to_support(torch::tensor({1.0f, 0.0f}));
  ASSERT_EQ(s.sizes(), (std::vector<int64_t>{2, 21}));
  EXPECT_NEAR(s[0][12].item<float>(), 1 - 0.32662, 1e-4);
  EXPECT_NEAR(s[0][13].item<float>(), 0.32662, 1e-4);
  EXPECT_FLOAT_EQ(s[1][10].item<float>(), 1.0f);
  const torch::Tensor x = torch::tensor({-1.0f, -0.25f, 0.0f, 0.6f, 1.0f, 5.0f});
  const torch::Tensor back = net->to_scalar(torch::log(net->to_support(x) + 1e-12));
  for (int i = 0; i < x.size(0); ++i) EXPECT_NEAR(back[i].item<float>(), x[i].item<float>(), 1e-4);
  // The default scale of 1 is the plain transform.
  const auto plain = make_network(NetworkParams{}, {1, 1, 4}, 2);
  EXPECT_TRUE(torch::equal(plain->to_support(x), scalar_to_support(x, 10)));
}

}  // namespace
}  // namespace muzero
