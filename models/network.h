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
#include "models/support.h"

namespace muzero {

struct NetworkParams {
  std::string type = "fully_connected";  // or "residual"
  int support_size = 10;
  // Values and rewards are multiplied by this before the support transform, and divided after:
  // with 10, a reward of 1 lands on support bins 2-3 instead of sharing bin 0 with 0.
  double support_scale = 1.0;
  // Fully connected network.
  int encoding_size = 8;
  std::vector<int> fc_representation_layers;
  // Optional convolution in front of the representation MLP (0 channels: none): one layer of
  // fc_conv_kernel x fc_conv_kernel filters over the C x H x W observation, no padding, whose
  // outputs join the flattened observation. With kernel 4 every Connect4 line of four lies
  // inside one window, so line patterns are learned once and shared across the board.
  int fc_conv_channels = 0;
  int fc_conv_kernel = 4;
  // How the dynamics sees the action: "one_hot" appends a one-hot action to the hidden state
  // (muzero-general); "per_action" also places the hidden state in the action's block of an
  // encoding_size x actions input, so the first dynamics layer has its own weights for each
  // action. A reward that depends on state and action together (which Connect4 column wins)
  // is learned much faster that way (docs/learning.md, "Connect4 tactics").
  std::string fc_action_input = "one_hot";
  std::vector<int> fc_dynamics_layers{16};
  std::vector<int> fc_reward_layers{16};
  std::vector<int> fc_value_layers{16};
  std::vector<int> fc_policy_layers{16};
  // Residual network.
  int blocks = 1;
  int channels = 16;
  int reduced_channels_reward = 16;
  int reduced_channels_value = 16;
  int reduced_channels_policy = 16;
  std::vector<int> resnet_fc_reward_layers{8};
  std::vector<int> resnet_fc_value_layers{8};
  std::vector<int> resnet_fc_policy_layers{8};
};

struct NetworkOutput {
  torch::Tensor value_logits;   // B x (2 * support + 1)
  torch::Tensor reward_logits;  // B x (2 * support + 1); undefined for initial inference (reward 0)
  torch::Tensor policy_logits;  // B x A
  torch::Tensor hidden_state;   // B x encoding_size, or B x channels x H x W
};

class MuZeroNetwork : public torch::nn::Module {
 public:
  // observations: B x C x H x W (any layout with B first and C*H*W elements per sample).
  virtual NetworkOutput initial_inference(const torch::Tensor& observations) = 0;
  // The hidden state alone (initial_inference's hidden_state, without the prediction heads).
  virtual torch::Tensor represent(const torch::Tensor& observations) = 0;
  // actions: B integer actions.
  virtual NetworkOutput recurrent_inference(const torch::Tensor& hidden_state,
                                            const torch::Tensor& actions) = 0;
  int action_space_size() const { return action_space_size_; }
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
// Whether every parameter and floating-point buffer is finite.
bool all_finite(MuZeroNetwork& network);

}  // namespace muzero
