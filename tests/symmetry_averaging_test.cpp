#include "self_play/symmetry_averaging.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace muzero {
namespace {

// A network that is not symmetric: a latent state is its observation; the policy logits are
// observation[a] + bias[a] and the value is observation[0]. Recurrent inference returns the
// parent's observation[0] as its value, so a test can see which view a slot holds.
class ObservationEvaluator : public Evaluator {
 public:
  explicit ObservationEvaluator(std::vector<float> bias) : bias_(std::move(bias)) {}
  int action_space_size() const override { return static_cast<int>(bias_.size()); }
  void reserve_states(int capacity) override { states_.assign(capacity, {}); }
  void initial_inference(std::span<const float> observations, std::span<const int> slots,
                         InferenceOutputs& out) override {
    batch_sizes.push_back(static_cast<int>(slots.size()));
    const std::size_t size = observations.size() / slots.size();
    out = {};
    for (std::size_t i = 0; i < slots.size(); ++i) {
      std::vector<float> observation(observations.begin() + i * size,
                                     observations.begin() + (i + 1) * size);
      for (std::size_t a = 0; a < bias_.size(); ++a) {
        out.policy_logits.push_back(observation[a] + bias_[a]);
      }
      out.values.push_back(observation[0]);
      out.rewards.push_back(0.0f);
      states_.at(slots[i]) = std::move(observation);
    }
  }
  void recurrent_inference(std::span<const int> parent_slots, std::span<const Action>,
                           std::span<const int> slots, InferenceOutputs& out) override {
    out = {};
    for (std::size_t i = 0; i < slots.size(); ++i) {
      out.values.push_back(states_.at(parent_slots[i])[0]);
      out.rewards.push_back(0.0f);
      out.policy_logits.insert(out.policy_logits.end(), bias_.size(), 0.0f);
    }
  }
  std::vector<int> batch_sizes;

 private:
  std::vector<float> bias_;
  std::vector<std::vector<float>> states_;
};

std::vector<double> softmax(std::span<const float> logits) {
  std::vector<double> p;
  double total = 0.0;
  for (float l : logits) total += p.emplace_back(std::exp(static_cast<double>(l)));
  for (double& x : p) x /= total;
  return p;
}

// Swaps observation elements 0 and 2 and actions 0 and 2.
Symmetry swap_ends() {
  return Symmetry{{2, 1, 0}, {2, 1, 0}};
}

// Root A: observation (0, 0, ln 3), bias (ln 2, 0, 0).
//   original: logits (ln 2, 0, ln 3), probabilities (2, 1, 3) / 6, value 0;
//   mirrored: observation (ln 3, 0, 0), logits (ln 6, 0, 0), probabilities (6, 1, 1) / 8 over
//   its actions, which are the original's actions (2, 1, 0): (1, 1, 6) / 8; value ln 3.
//   Mean: (11, 7, 30) / 48, value ln 3 / 2.
// Root B: observation (ln 4, 0, 0): original logits (ln 8, 0, 0), (8, 1, 1) / 10, value ln 4;
//   mirrored (0, 0, ln 4): logits (ln 2, 0, ln 4), (2, 1, 4) / 7 -> original actions
//   (4, 1, 2) / 7. Mean (96 / 140, 17 / 140, 27 / 140), value ln 4 / 2.
TEST(SymmetryAveraging, AveragesPoliciesAndValuesOverViewsByHand) {
  ObservationEvaluator network({std::log(2.0f), 0.0f, 0.0f});
  SymmetryAveragingEvaluator averaged(network, {swap_ends()});
  averaged.reserve_states(4);
  const std::vector<float> observations{0.0f, 0.0f, std::log(3.0f), std::log(4.0f), 0.0f, 0.0f};
  const std::vector<int> slots{0, 3};
  InferenceOutputs out;
  averaged.initial_inference(observations, slots, out);

  ASSERT_EQ(network.batch_sizes, std::vector<int>{4});  // both views of both roots, one call
  ASSERT_EQ(out.values.size(), 2u);
  ASSERT_EQ(out.policy_logits.size(), 6u);
  EXPECT_NEAR(out.values[0], std::log(3.0) / 2, 1e-6);
  EXPECT_NEAR(out.values[1], std::log(4.0) / 2, 1e-6);
  const std::vector<double> a = softmax({out.policy_logits.data(), 3});
  const std::vector<double> b = softmax({out.policy_logits.data() + 3, 3});
  EXPECT_NEAR(a[0], 11.0 / 48, 1e-6);
  EXPECT_NEAR(a[1], 7.0 / 48, 1e-6);
  EXPECT_NEAR(a[2], 30.0 / 48, 1e-6);
  EXPECT_NEAR(b[0], 96.0 / 140, 1e-6);
  EXPECT_NEAR(b[1], 17.0 / 140, 1e-6);
  EXPECT_NEAR(b[2], 27.0 / 140, 1e-6);
  EXPECT_EQ(out.rewards, (std::vector<float>{0.0f, 0.0f}));
}

// The search continues from the original view: the mirrored views go to slots of their own.
TEST(SymmetryAveraging, SearchSlotsKeepTheOriginalView) {
  ObservationEvaluator network({0.0f, 0.0f, 0.0f});
  SymmetryAveragingEvaluator averaged(network, {swap_ends()});
  averaged.reserve_states(4);
  InferenceOutputs out;
  const std::vector<float> observations{1.0f, 0.0f, 5.0f, 2.0f, 0.0f, 7.0f};
  averaged.initial_inference(observations, std::vector<int>{3, 0}, out);
  const std::vector<Action> actions{1, 1};
  averaged.recurrent_inference(std::vector<int>{3, 0}, actions, std::vector<int>{1, 2}, out);
  EXPECT_EQ(out.values, (std::vector<float>{1.0f, 2.0f}));  // not the mirrored 5 and 7
}

// A rotation is not its own inverse, unlike the swap above: an equivariant network (logits are
// the observation, one element per action) must keep its policy exactly, which fails if views
// are mapped back the wrong way. Rotation: element i of the view is the original's source[i],
// so the original's element a (action a) sits at image[a].
TEST(SymmetryAveraging, KeepsAnEquivariantPolicyUnderARotation) {
  ObservationEvaluator network({0.0f, 0.0f, 0.0f});
  SymmetryAveragingEvaluator averaged(network, {Symmetry{{2, 0, 1}, {1, 2, 0}}});
  averaged.reserve_states(1);
  InferenceOutputs out;
  const std::vector<float> observations{0.0f, std::log(2.0f), std::log(5.0f)};
  averaged.initial_inference(observations, std::vector<int>{0}, out);
  const std::vector<double> p = softmax(out.policy_logits);
  EXPECT_NEAR(p[0], 1.0 / 8, 1e-6);
  EXPECT_NEAR(p[1], 2.0 / 8, 1e-6);
  EXPECT_NEAR(p[2], 5.0 / 8, 1e-6);
  EXPECT_NEAR(out.values[0], std::log(5.0) / 2, 1e-6);  // view 1's element 0 is the original's 2
}

TEST(SymmetryAveraging, WithoutSymmetriesPassesThrough) {
  ObservationEvaluator network({0.5f, 0.0f, -1.0f});
  SymmetryAveragingEvaluator averaged(network, {});
  averaged.reserve_states(2);
  InferenceOutputs direct, through;
  const std::vector<float> observations{1.0f, 2.0f, 3.0f};
  network.initial_inference(observations, std::vector<int>{0}, direct);
  averaged.initial_inference(observations, std::vector<int>{1}, through);
  EXPECT_EQ(through.values, direct.values);
  EXPECT_EQ(through.policy_logits, direct.policy_logits);
}

TEST(SymmetryAveraging, RefusesASymmetryOfAnotherActionSpace) {
  ObservationEvaluator network({0.0f, 0.0f});
  EXPECT_THROW(SymmetryAveragingEvaluator(network, {swap_ends()}), std::invalid_argument);
}

}  // namespace
}  // namespace muzero
