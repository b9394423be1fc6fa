#pragma once
// A scripted Evaluator for search tests: a latent state is (root observation[0], action path), and
// value, reward and policy logits are arbitrary functions of it given by the test.
#include <functional>
#include <map>
#include <stdexcept>
#include <vector>

#include "self_play/evaluator.h"

namespace muzero::testing {

struct LatentPath {
  float root = 0;  // the root observation's first value
  std::vector<Action> actions;
};

class StubEvaluator : public Evaluator {
 public:
  using ValueFn = std::function<float(const LatentPath&)>;
  using LogitsFn = std::function<std::vector<float>(const LatentPath&)>;

  StubEvaluator(int action_space, ValueFn value, ValueFn reward, LogitsFn logits)
      : action_space_(action_space), value_(value), reward_(reward), logits_(logits) {}

  int action_space_size() const override { return action_space_; }
  void reserve_states(int capacity) override { states_.resize(capacity); }

  void initial_inference(std::span<const float> observations, std::span<const int> slots,
                         InferenceOutputs& out) override {
    batch_sizes.push_back(static_cast<int>(slots.size()));
    const std::size_t obs_size = observations.size() / slots.size();
    std::vector<LatentPath> paths;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      paths.push_back({observations[i * obs_size], {}});
    }
    emit(paths, slots, out, /*initial=*/true);
  }

  void recurrent_inference(std::span<const int> parent_slots, std::span<const Action> actions,
                           std::span<const int> slots, InferenceOutputs& out) override {
    batch_sizes.push_back(static_cast<int>(slots.size()));
    std::vector<LatentPath> paths;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      LatentPath path = states_.at(parent_slots[i]);
      path.actions.push_back(actions[i]);
      paths.push_back(path);
    }
    emit(paths, slots, out, /*initial=*/false);
  }

  std::vector<int> batch_sizes;  // one entry per call

 private:
  void emit(const std::vector<LatentPath>& paths, std::span<const int> slots, InferenceOutputs& out,
            bool initial) {
    out.values.clear();
    out.rewards.clear();
    out.policy_logits.clear();
    for (std::size_t i = 0; i < paths.size(); ++i) {
      states_.at(slots[i]) = paths[i];
      out.values.push_back(value_(paths[i]));
      out.rewards.push_back(initial ? 0.0f : reward_(paths[i]));
      const std::vector<float> logits = logits_(paths[i]);
      if (static_cast<int>(logits.size()) != action_space_) throw std::logic_error("bad logits");
      out.policy_logits.insert(out.policy_logits.end(), logits.begin(), logits.end());
    }
  }

  int action_space_;
  ValueFn value_, reward_;
  LogitsFn logits_;
  std::vector<LatentPath> states_;
};

// Uniform policy, zero values and rewards everywhere.
inline StubEvaluator uniform_evaluator(int actions) {
  return StubEvaluator(
      actions, [](const LatentPath&) { return 0.0f; }, [](const LatentPath&) { return 0.0f; },
      [actions](const LatentPath&) { return std::vector<float>(actions, 0.0f); });
}

}  // namespace muzero::testing
