// The parameters encoding (what crosses the network as weights), the layout check, the scalar
// support decoding and the native backend's building blocks, with values worked out by hand.
#include "models/parameters.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

#include "models/fast_exp.h"
#include "models/native/dense.h"
#include "models/network_layout.h"
#include "models/value_transform.h"

namespace muzero {
namespace {

Parameters two_tensors() {
  Parameters p;
  p.tensors.push_back({"layer.0.weight", {2, 3}, {1, 2, 3, 4, 5, 6}});
  p.tensors.push_back({"layer.0.bias", {2}, {-1.5f, 0.25f}});
  return p;
}

TEST(Parameters, RoundTripAndExactSize) {
  const Parameters p = two_tensors();
  const std::string bytes = encode_parameters(p);
  // magic 4 + count 4 + per tensor (name length 2 + name + rank 1 + 4 per dim + 4 per value)
  EXPECT_EQ(bytes.size(), 8u + (2 + 14 + 1 + 8 + 24) + (2 + 12 + 1 + 4 + 8));
  const ParameterLayout layout{{"layer.0.weight", {2, 3}}, {"layer.0.bias", {2}}};
  EXPECT_EQ(encoded_parameters_size(layout), bytes.size());
  const Parameters back = decode_parameters(bytes);
  ASSERT_EQ(back.tensors.size(), 2u);
  EXPECT_EQ(back.at("layer.0.weight").shape, (std::vector<int>{2, 3}));
  EXPECT_EQ(back.at("layer.0.weight").values, p.tensors[0].values);
  EXPECT_EQ(back.at("layer.0.bias").values, p.tensors[1].values);
  EXPECT_NO_THROW(check_layout(back, layout));
  EXPECT_THROW(back.at("missing"), ParametersError);
}

TEST(Parameters, EveryTruncationAndTrailingByteIsRefused) {
  const std::string bytes = encode_parameters(two_tensors());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_THROW(decode_parameters(bytes.substr(0, n)), ParametersError) << n << " bytes";
  }
  EXPECT_THROW(decode_parameters(bytes + '\0'), ParametersError);
}

// Overwrites the 4 bytes at `at` with `value`.
std::string patched(std::string bytes, std::size_t at, std::uint32_t value) {
  std::memcpy(bytes.data() + at, &value, sizeof(value));
  return bytes;
}

TEST(Parameters, HostileFieldsAreRefusedWithAReason) {
  const std::string bytes = encode_parameters(two_tensors());
  auto refused = [](const std::string& b, const std::string& words) {
    try {
      decode_parameters(b);
      ADD_FAILURE() << "accepted; expected: " << words;
    } catch (const ParametersError& error) {
      EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
    }
  };
  refused("XXXX" + bytes.substr(4), "bad magic");
  refused(patched(bytes, 4, 1u << 30), "too many tensors");
  // The first dimension (after magic, count, name length, name and rank) made huge: the
  // decoder must not allocate for it.
  const std::size_t first_dim = 4 + 4 + 2 + 14 + 1;
  refused(patched(bytes, first_dim, 0x7fffffffu), "larger than the bytes left");
  refused(patched(bytes, first_dim, 0xffffffffu), "out of range");
  Parameters nan = two_tensors();
  nan.tensors[1].values[0] = std::numeric_limits<float>::quiet_NaN();
  refused(encode_parameters(nan), "not finite");
  Parameters infinite = two_tensors();
  infinite.tensors[0].values[5] = std::numeric_limits<float>::infinity();
  refused(encode_parameters(infinite), "not finite");
  Parameters twice = two_tensors();
  twice.tensors[1].name = twice.tensors[0].name;
  twice.tensors[1].shape = {2, 3};
  twice.tensors[1].values.assign(6, 0.0f);
  refused(encode_parameters(twice), "appears twice");
  Parameters unprintable = two_tensors();
  unprintable.tensors[0].name = "bad name";
  refused(encode_parameters(unprintable), "unprintable");
  Parameters deep = two_tensors();
  deep.tensors[1].shape.assign(9, 1);
  deep.tensors[1].values.assign(1, 0.0f);
  refused(encode_parameters(deep), "rank 9");
  Parameters mismatched = two_tensors();
  mismatched.tensors[0].values.pop_back();
  EXPECT_THROW(encode_parameters(mismatched), ParametersError);
}

TEST(Parameters, LayoutCheckNamesTheDifference) {
  const Parameters p = two_tensors();
  auto refused = [&](const ParameterLayout& layout, const std::string& words) {
    try {
      check_layout(p, layout);
      ADD_FAILURE() << "accepted; expected: " << words;
    } catch (const ParametersError& error) {
      EXPECT_NE(std::string(error.what()).find(words), std::string::npos) << error.what();
    }
  };
  refused({{"layer.0.weight", {3, 2}}, {"layer.0.bias", {2}}}, "layer.0.weight has shape [2, 3]");
  refused({{"layer.0.weight", {2, 3}}}, "hold tensor layer.0.bias");
  refused({{"layer.0.weight", {2, 3}}, {"layer.0.bias", {2}}, {"layer.2.bias", {1}}},
          "lack tensor layer.2.bias");
}

TEST(NetworkLayout, FullyConnectedNamesAndShapes) {
  NetworkParams p;
  p.encoding_size = 4;
  p.support_size = 2;
  p.fc_representation_layers = {6};
  p.fc_dynamics_layers = {5};
  p.fc_reward_layers = {};
  p.fc_value_layers = {3};
  p.fc_policy_layers = {};
  const ParameterLayout layout = network_layout(p, {1, 2, 3}, 7);
  const ParameterLayout expected{
      {"representation.0.weight", {6, 6}},    {"representation.0.bias", {6}},
      {"representation.2.weight", {4, 6}},    {"representation.2.bias", {4}},
      {"dynamics_state.0.weight", {5, 11}},   {"dynamics_state.0.bias", {5}},
      {"dynamics_state.2.weight", {4, 5}},    {"dynamics_state.2.bias", {4}},
      {"dynamics_reward.0.weight", {5, 4}},   {"dynamics_reward.0.bias", {5}},
      {"prediction_policy.0.weight", {7, 4}}, {"prediction_policy.0.bias", {7}},
      {"prediction_value.0.weight", {3, 4}},  {"prediction_value.0.bias", {3}},
      {"prediction_value.2.weight", {5, 3}},  {"prediction_value.2.bias", {5}}};
  ASSERT_EQ(layout.size(), expected.size());
  for (std::size_t i = 0; i < layout.size(); ++i) {
    EXPECT_EQ(layout[i].name, expected[i].name);
    EXPECT_EQ(layout[i].shape, expected[i].shape) << layout[i].name;
  }
  p.fc_action_input = "per_action";
  EXPECT_EQ(network_layout(p, {1, 2, 3}, 7)[4].shape, (std::vector<int>{5, (4 + 1) * 7}));
  p.type = "transformer";
  EXPECT_THROW(network_layout(p, {1, 2, 3}, 7), std::invalid_argument);
}

TEST(ValueTransform, DecodingByHand) {
  // Equal logits over -1..1: the expectation is 0, and h^-1(0) = 0.
  const float flat[3] = {0.5f, 0.5f, 0.5f};
  EXPECT_FLOAT_EQ(decode_support(flat, 1, 1.0), 0.0f);
  // All the mass on bin +2 (logit 100 against 0): h^-1(2) is a little under 8, since
  // h(8) = sqrt(9) - 1 + 0.008 = 2.008 and h'(8) = 1/6 + 0.001: 8 - 0.008 / 0.1677 = 7.952.
  const float peaked[5] = {0, 0, 0, 0, 100};
  const double expected = inverse_value_transform(2.0);
  EXPECT_NEAR(expected, 7.9523, 1e-3);
  EXPECT_NEAR(value_transform(expected), 2.0, 1e-9);
  EXPECT_NEAR(decode_support(peaked, 2, 1.0), expected, 1e-4);
  EXPECT_NEAR(decode_support(peaked, 2, 10.0), expected / 10, 1e-5);
  // Two bins with logits log(1) and log(3) at -1 and +1: expectation (-1 + 3) / 4 = 0.5, and
  // h^-1(0.5) = 1.2463 (h(1.2463) = sqrt(2.2463) - 1 + 0.0012 = 0.5).
  const float pair[3] = {0.0f, -1000.0f, std::log(3.0f)};
  EXPECT_NEAR(decode_support(pair, 1, 1.0), 1.24626, 1e-4);
  // Large logits do not overflow (the maximum is subtracted first).
  const float large[3] = {1000.0f, 1000.0f, 1000.0f};
  EXPECT_FLOAT_EQ(decode_support(large, 1, 1.0), 0.0f);
}

TEST(ValueTransform, EncodingByHand) {
  // h(3) = sqrt(4) - 1 + 0.003 = 1.003: 0.997 on +1, 0.003 on +2 (indices 6 and 7 of 11).
  float out[11];
  encode_support(3.0f, 5, 1.0, out);
  EXPECT_NEAR(out[6], 0.997f, 1e-6);
  EXPECT_NEAR(out[7], 0.003f, 1e-6);
  EXPECT_NEAR(std::accumulate(out, out + 11, 0.0f), 1.0f, 1e-6);
  // h(-3) = -1.003: 0.997 on -1 (index 4), 0.003 on -2 (index 3).
  encode_support(-3.0f, 5, 1.0, out);
  EXPECT_NEAR(out[4], 0.997f, 1e-6);
  EXPECT_NEAR(out[3], 0.003f, 1e-6);
  // The scale multiplies first: 0.3 at scale 10 is 3.
  float scaled[11];
  encode_support(0.3f, 5, 10.0, scaled);
  EXPECT_NEAR(scaled[6], 0.997f, 1e-5);
  // Beyond the support, all on the end; an integer h all on its bin.
  encode_support(1e6f, 2, 1.0, out);
  EXPECT_FLOAT_EQ(out[4], 1.0f);
  EXPECT_FLOAT_EQ(std::accumulate(out, out + 5, 0.0f), 1.0f);
  encode_support(-1e6f, 2, 1.0, out);
  EXPECT_FLOAT_EQ(out[0], 1.0f);
  encode_support(0.0f, 2, 1.0, out);
  EXPECT_FLOAT_EQ(out[2], 1.0f);
  EXPECT_FLOAT_EQ(std::accumulate(out, out + 5, 0.0f), 1.0f);
}

TEST(FastExp, WithinTwoTenMillionthsOfStdExp) {
  double worst = 0;
  for (int i = 0; i <= 200000; ++i) {
    const float x = -87.0f * static_cast<float>(i) / 200000.0f;
    const double exact = std::exp(static_cast<double>(x));
    worst = std::max(worst, std::abs(exp_nonpositive(x) - exact) / exact);
  }
  EXPECT_LT(worst, 2e-7);
  EXPECT_EQ(exp_nonpositive(0.0f), 1.0f);
  EXPECT_GT(exp_nonpositive(-1000.0f), 0.0f);  // clamped, never 0 or denormal
  EXPECT_LT(exp_nonpositive(-1000.0f), 2e-38f);
}

TEST(NativeDense, LayerAndMlpByHand) {
  // W = [[1, 2], [3, 4], [5, 6]] (3 out, 2 in), b = [0.5, -1, 0].
  Parameters p;
  p.tensors.push_back({"m.0.weight", {3, 2}, {1, 2, 3, 4, 5, 6}});
  p.tensors.push_back({"m.0.bias", {3}, {0.5f, -1, 0}});
  p.tensors.push_back({"m.2.weight", {1, 3}, {1, 1, -1}});
  p.tensors.push_back({"m.2.bias", {1}, {0.25f}});
  const native::Mlp mlp = native::Mlp::from(p, "m", 2);
  const float x[2] = {1, -1};
  float hidden[3];
  mlp.layers[0].forward(x, hidden);
  EXPECT_FLOAT_EQ(hidden[0], 1 - 2 + 0.5f);  // -0.5
  EXPECT_FLOAT_EQ(hidden[1], 3 - 4 - 1);     // -2
  EXPECT_FLOAT_EQ(hidden[2], 5 - 6 + 0);     // -1
  // ELU(-0.5) + ELU(-2) - ELU(-1) + 0.25
  std::vector<float> scratch(2 * mlp.widest());
  float y = 0;
  mlp.forward(x, &y, scratch.data());
  EXPECT_NEAR(y, std::expm1(-0.5) + std::expm1(-2.0) - std::expm1(-1.0) + 0.25, 1e-6);
  // Rows 1.. of the input with an extra one-hot row: x = [0, 1, 1] padded, here rows {1} + row 0.
  const float one[1] = {2};
  mlp.layers[0].forward_rows(one, 1, 1, 0, hidden);  // 2 * W^T[1] + W^T[0] + b
  EXPECT_FLOAT_EQ(hidden[0], 2 * 2 + 1 + 0.5f);
  EXPECT_FLOAT_EQ(hidden[1], 2 * 4 + 3 - 1);
  EXPECT_FLOAT_EQ(hidden[2], 2 * 6 + 5);
  EXPECT_THROW(native::Mlp::from(p, "m", 3), ParametersError);  // no m.4
}

TEST(NativeDense, MinMaxScaleGuardsAFlatState) {
  float x[3] = {2, 4, 3};
  native::min_max_scale(x, 3);
  EXPECT_FLOAT_EQ(x[0], 0);
  EXPECT_FLOAT_EQ(x[1], 1);
  EXPECT_FLOAT_EQ(x[2], 0.5f);
  float flat[2] = {7, 7};
  native::min_max_scale(flat, 2);
  EXPECT_FLOAT_EQ(flat[0], 0);
  EXPECT_FLOAT_EQ(flat[1], 0);
}

}  // namespace
}  // namespace muzero
