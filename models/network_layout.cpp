#include "models/network_layout.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace muzero {
namespace {

// 2-D batch norm: affine parameters, then the running statistics (buffers; the integer batch
// counter is not a float tensor and is left out).
void add_batch_norm(ParameterLayout& layout, const std::string& prefix, int channels) {
  for (const char* name : {"weight", "bias", "running_mean", "running_var"}) {
    layout.push_back({prefix + "." + name, {channels}});
  }
}

void add_tower(ParameterLayout& layout, const std::string& prefix, int blocks, int channels) {
  for (int b = 0; b < blocks; ++b) {
    const std::string block = prefix + "." + std::to_string(b);
    layout.push_back({block + ".conv1.weight", {channels, channels, 3, 3}});
    add_batch_norm(layout, block + ".bn1", channels);
    layout.push_back({block + ".conv2.weight", {channels, channels, 3, 3}});
    add_batch_norm(layout, block + ".bn2", channels);
  }
}

ParameterLayout fully_connected_layout(const NetworkParams& p, ObservationShape shape,
                                       int actions) {
  ParameterLayout layout;
  const int support = 2 * p.support_size + 1;
  int representation_input = shape.size();
  if (p.fc_conv_channels > 0) {
    const int k = p.fc_conv_kernel;
    if (k > shape.height || k > shape.width) {
      throw std::invalid_argument("network.fc_conv_kernel does not fit the observation");
    }
    layout.push_back({"representation_conv.weight", {p.fc_conv_channels, shape.channels, k, k}});
    layout.push_back({"representation_conv.bias", {p.fc_conv_channels}});
    representation_input += p.fc_conv_channels * (shape.height - k + 1) * (shape.width - k + 1);
  }
  add_mlp_layout(layout, "representation", representation_input, p.fc_representation_layers,
                 p.encoding_size);
  const bool per_action = p.fc_action_input == "per_action";
  const int dynamics_input =
      per_action ? (p.encoding_size + 1) * actions : p.encoding_size + actions;
  add_mlp_layout(layout, "dynamics_state", dynamics_input, p.fc_dynamics_layers, p.encoding_size);
  add_mlp_layout(layout, "dynamics_reward", p.encoding_size, p.fc_reward_layers, support);
  add_mlp_layout(layout, "prediction_policy", p.encoding_size, p.fc_policy_layers, actions);
  add_mlp_layout(layout, "prediction_value", p.encoding_size, p.fc_value_layers, support);
  return layout;
}

ParameterLayout residual_layout(const NetworkParams& p, ObservationShape shape, int actions) {
  ParameterLayout layout;
  const int C = p.channels;
  const int area = shape.height * shape.width;
  const int support = 2 * p.support_size + 1;
  layout.push_back({"representation_conv.weight", {C, shape.channels, 3, 3}});
  add_batch_norm(layout, "representation_bn", C);
  add_tower(layout, "representation_tower", p.blocks, C);
  layout.push_back({"dynamics_conv.weight", {C, C + 1, 3, 3}});
  add_batch_norm(layout, "dynamics_bn", C);
  add_tower(layout, "dynamics_tower", p.blocks, C);
  layout.push_back({"reward_conv.weight", {p.reduced_channels_reward, C, 1, 1}});
  add_mlp_layout(layout, "reward_fc", p.reduced_channels_reward * area, p.resnet_fc_reward_layers,
                 support);
  add_tower(layout, "prediction_tower", p.blocks, C);
  layout.push_back({"value_conv.weight", {p.reduced_channels_value, C, 1, 1}});
  add_mlp_layout(layout, "value_fc", p.reduced_channels_value * area, p.resnet_fc_value_layers,
                 support);
  layout.push_back({"policy_conv.weight", {p.reduced_channels_policy, C, 1, 1}});
  add_mlp_layout(layout, "policy_fc", p.reduced_channels_policy * area, p.resnet_fc_policy_layers,
                 actions);
  return layout;
}

}  // namespace

void add_mlp_layout(ParameterLayout& layout, const std::string& prefix, int input_size,
                    const std::vector<int>& hidden_sizes, int output_size) {
  int in = input_size;
  int index = 0;
  auto add = [&](int out) {
    const std::string name = prefix + "." + std::to_string(index);
    layout.push_back({name + ".weight", {out, in}});
    layout.push_back({name + ".bias", {out}});
    in = out;
    index += 2;
  };
  for (int size : hidden_sizes) add(size);
  add(output_size);
}

ParameterLayout network_layout(const NetworkParams& params, ObservationShape shape,
                               int action_space_size) {
  if (params.type == "fully_connected") {
    return fully_connected_layout(params, shape, action_space_size);
  }
  if (params.type != "residual") {
    throw std::invalid_argument("unknown network type '" + params.type + "'");
  }
  // Buffers after parameters, in the order LibTorch lists them (named_parameters, then
  // named_buffers), so that encoded parameters follow the layout.
  ParameterLayout layout = residual_layout(params, shape, action_space_size);
  std::stable_partition(layout.begin(), layout.end(), [](const TensorSpec& spec) {
    return !spec.name.ends_with(".running_mean") && !spec.name.ends_with(".running_var");
  });
  return layout;
}

}  // namespace muzero
