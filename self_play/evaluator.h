#pragma once
// What the search knows of the network: batched inference over latent states that the evaluator
// keeps in its own pool, addressed by slot number. No tensors cross this interface.
#include <span>
#include <vector>

#include "games/game.h"

namespace muzero {

// Outputs for a batch of B inferences, in scalar form (support already decoded).
struct InferenceOutputs {
  std::vector<float> values;         // B
  std::vector<float> rewards;        // B (0 for initial inference)
  std::vector<float> policy_logits;  // B x action_space_size
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual int action_space_size() const = 0;
  // Makes slots 0..capacity-1 available. Earlier latent states may be discarded.
  virtual void reserve_states(int capacity) = 0;
  // observations: B x observation size. Stores the i-th hidden state in slots[i].
  virtual void initial_inference(std::span<const float> observations, std::span<const int> slots,
                                 InferenceOutputs& out) = 0;
  // Applies actions[i] to the state in parent_slots[i] and stores the result in slots[i].
  virtual void recurrent_inference(std::span<const int> parent_slots,
                                   std::span<const Action> actions, std::span<const int> slots,
                                   InferenceOutputs& out) = 0;
};

}  // namespace muzero
