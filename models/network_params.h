#pragma once
// The architecture of a network as the config states it: torch-free, so that processes and
// backends that never build a LibTorch module (storage, the native evaluator) share it.
#include <string>
#include <vector>

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

}  // namespace muzero
