#pragma once
// An evaluator that averages each initial inference over a game's symmetries: the observation
// and its relabelled views go through the network in one batch, and the root's policy
// (probabilities, each view's mapped back to the original actions) and value are their mean.
// The hidden state kept for the search is the original view's, so recurrent inference is the
// wrapped evaluator's, unchanged. Test-time averaging, as AlphaGo Zero did over its 8 views.
#include <vector>

#include "self_play/evaluator.h"

namespace muzero {

class SymmetryAveragingEvaluator : public Evaluator {
 public:
  // `inner` must outlive this. `symmetries` are the game's non-identity ones
  // (Game::symmetries()); with none, this passes every call through.
  SymmetryAveragingEvaluator(Evaluator& inner, std::vector<Symmetry> symmetries);

  int action_space_size() const override { return inner_.action_space_size(); }
  void reserve_states(int capacity) override;
  void initial_inference(std::span<const float> observations, std::span<const int> slots,
                         InferenceOutputs& out) override;
  void recurrent_inference(std::span<const int> parent_slots, std::span<const Action> actions,
                           std::span<const int> slots, InferenceOutputs& out) override;

 private:
  Evaluator& inner_;
  std::vector<Symmetry> symmetries_;
  int capacity_ = 0;
  // Reused between calls: every view's observations and slots, and the inner outputs.
  std::vector<float> view_observations_;
  std::vector<int> view_slots_;
  InferenceOutputs view_outputs_;
};

}  // namespace muzero
