#pragma once
// The three MuZero functions in one module: representation h(o) -> s, dynamics g(s, a) -> (r, s')
// and prediction f(s) -> (p, v). Values and rewards come out as logits over the support (see
// support.h), times support_scale: convert with to_support / to_scalar; hidden states are min-max
// scaled to [0, 1] per sample (per channel for the residual network), as in muzero-general.
#include <memory>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/types.h>

#include "games/game.h"
#include "models/network_params.h"
#include "models/parameters.h"
#include "models/support.h"

namespace muzero {

struct NetworkOutput {
  torch::Tensor value_logits;   // B x (2 * support + 1)
  torch::Tensor reward_logits;  // B x (2 * support + 1); undefined for initial inference (reward 0)
  torch::Tensor policy_logits;  // B x A
  torch::Tensor hidden_state;   // B x encoding_size, or B x channels x H x W
};

// A training step's view of the network along K actions: every step's outputs, stacked.
struct UnrollOutput {
  torch::Tensor value_logits;   // B x (K+1) x (2 * support + 1)
  torch::Tensor reward_logits;  // B x K x (2 * support + 1): the reward of reaching step k = 1..K
  torch::Tensor policy_logits;  // B x (K+1) x A
  torch::Tensor hidden_states;  // B x (K+1) x ...: s_0 (the representation's), then s_1 .. s_K
};

// Passes x forward unchanged and multiplies its gradient by `scale`. The double form returns a
// view of x: do not change x in place afterwards.
torch::Tensor scale_gradient(const torch::Tensor& x, double scale);
torch::Tensor scale_gradient(const torch::Tensor& x, const torch::Tensor& scale);

class MuZeroNetwork : public torch::nn::Module {
 public:
  // observations: B x C x H x W (any layout with B first and C*H*W elements per sample).
  virtual NetworkOutput initial_inference(const torch::Tensor& observations) = 0;
  // The hidden state alone (initial_inference's hidden_state, without the prediction heads).
  virtual torch::Tensor represent(const torch::Tensor& observations) = 0;
  // actions: B integer actions.
  virtual NetworkOutput recurrent_inference(const torch::Tensor& hidden_state,
                                            const torch::Tensor& actions) = 0;
  // The representation of `observations`, then K dynamics steps along `actions` (B x K), as
  // the paper's training unroll: each dynamics input but the first (s_1 .. s_{K-1}) has its
  // gradient multiplied by `state_gradient_scale` (the paper's 1/2); the heads see the states
  // unscaled. Networks whose heads act on each sample alone override it to run the heads once
  // on all K + 1 states (fewer, larger operations); the results are the same.
  virtual UnrollOutput unroll(const torch::Tensor& observations, const torch::Tensor& actions,
                              double state_gradient_scale) {
    return unroll_step_by_step(observations, actions, state_gradient_scale);
  }
  // The same with one initial and K recurrent inferences: the reference for the overrides.
  UnrollOutput unroll_step_by_step(const torch::Tensor& observations, const torch::Tensor& actions,
                                   double state_gradient_scale);
  int action_space_size() const { return action_space_size_; }
  int support_size() const { return support_size_; }
  double support_scale() const { return support_scale_; }
  // Scalars (any shape S) -> S x (2 * support_size + 1) target probabilities, and value or
  // reward logits -> scalars, through the support transform with this network's scale.
  torch::Tensor to_support(const torch::Tensor& scalars) const {
    return scalar_to_support(scalars * support_scale_, support_size_);
  }
  torch::Tensor to_scalar(const torch::Tensor& logits) const {
    return support_to_scalar(logits, support_size_) / support_scale_;
  }

 protected:
  MuZeroNetwork(const NetworkParams& params, int action_space_size)
      : support_size_(params.support_size),
        support_scale_(params.support_scale),
        action_space_size_(action_space_size) {}

 private:
  int support_size_;
  double support_scale_;
  int action_space_size_;
};

std::shared_ptr<MuZeroNetwork> make_network(const NetworkParams& params, ObservationShape shape,
                                            int action_space_size);

// Weights as one self-contained byte string, and back. Refuses (std::runtime_error, the network
// unchanged) weights of another architecture and weights that are not all finite.
std::string serialize_weights(MuZeroNetwork& network);
void deserialize_weights(MuZeroNetwork& network, const std::string& bytes);
// Every parameter and floating-point buffer as float32 on the CPU, named as the module names
// them (models/network_layout.h lists them), and back. load_parameters refuses
// (ParametersError, the network unchanged) parameters of another architecture or not finite.
Parameters to_parameters(MuZeroNetwork& network);
void load_parameters(MuZeroNetwork& network, const Parameters& parameters);
// Whether every parameter and floating-point buffer is finite.
bool all_finite(MuZeroNetwork& network);

}  // namespace muzero
