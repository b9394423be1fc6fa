// The residual (convolutional) variant (muzero-general's MuZeroResidualNetwork, without
// downsampling): 3x3 convolutions with batch norm, the action given to the dynamics as one
// extra plane filled with action / action_space_size.
#include <torch/torch.h>

#include "models/layers.h"
#include "models/network.h"

namespace muzero {
namespace {

torch::nn::Conv2d conv(int in, int out, int kernel) {
  return torch::nn::Conv2d(
      torch::nn::Conv2dOptions(in, out, kernel).padding(kernel / 2).bias(false));
}

class ResidualBlockImpl : public torch::nn::Module {
 public:
  explicit ResidualBlockImpl(int channels)
      : conv1_(register_module("conv1", conv(channels, channels, 3))),
        bn1_(register_module("bn1", torch::nn::BatchNorm2d(channels))),
        conv2_(register_module("conv2", conv(channels, channels, 3))),
        bn2_(register_module("bn2", torch::nn::BatchNorm2d(channels))) {}

  torch::Tensor forward(const torch::Tensor& x) {
    torch::Tensor out = torch::relu(bn1_(conv1_(x)));
    out = bn2_(conv2_(out));
    return torch::relu(out + x);
  }

 private:
  torch::nn::Conv2d conv1_;
  torch::nn::BatchNorm2d bn1_;
  torch::nn::Conv2d conv2_;
  torch::nn::BatchNorm2d bn2_;
};
TORCH_MODULE(ResidualBlock);

torch::nn::Sequential make_tower(int blocks, int channels) {
  torch::nn::Sequential tower;
  for (int i = 0; i < blocks; ++i) tower->push_back(ResidualBlock(channels));
  return tower;
}

class ResidualNetwork final : public MuZeroNetwork {
 public:
  ResidualNetwork(const NetworkParams& p, ObservationShape shape, int action_space_size)
      : MuZeroNetwork(p, action_space_size), shape_(shape) {
    const int C = p.channels;
    const int area = shape.height * shape.width;
    const int support = 2 * p.support_size + 1;
    representation_conv_ = register_module("representation_conv", conv(shape.channels, C, 3));
    representation_bn_ = register_module("representation_bn", torch::nn::BatchNorm2d(C));
    representation_tower_ = register_module("representation_tower", make_tower(p.blocks, C));
    dynamics_conv_ = register_module("dynamics_conv", conv(C + 1, C, 3));
    dynamics_bn_ = register_module("dynamics_bn", torch::nn::BatchNorm2d(C));
    dynamics_tower_ = register_module("dynamics_tower", make_tower(p.blocks, C));
    reward_conv_ = register_module("reward_conv", conv(C, p.reduced_channels_reward, 1));
    reward_fc_ = register_module("reward_fc", make_mlp(p.reduced_channels_reward * area,
                                                       p.resnet_fc_reward_layers, support));
    prediction_tower_ = register_module("prediction_tower", make_tower(p.blocks, C));
    value_conv_ = register_module("value_conv", conv(C, p.reduced_channels_value, 1));
    value_fc_ = register_module(
        "value_fc", make_mlp(p.reduced_channels_value * area, p.resnet_fc_value_layers, support));
    policy_conv_ = register_module("policy_conv", conv(C, p.reduced_channels_policy, 1));
    policy_fc_ = register_module(
        "policy_fc",
        make_mlp(p.reduced_channels_policy * area, p.resnet_fc_policy_layers, action_space_size));
  }

  torch::Tensor represent(const torch::Tensor& observations) override {
    const torch::Tensor x =
        observations.reshape({observations.size(0), shape_.channels, shape_.height, shape_.width});
    const torch::Tensor hidden = torch::relu(representation_bn_(representation_conv_(x)));
    return scale_hidden_state(representation_tower_->forward(hidden));
  }

  NetworkOutput initial_inference(const torch::Tensor& observations) override {
    const torch::Tensor hidden = represent(observations);
    auto [value, policy] = predict(hidden);
    return {value, {}, policy, hidden};
  }

  NetworkOutput recurrent_inference(const torch::Tensor& hidden_state,
                                    const torch::Tensor& actions) override {
    const auto B = hidden_state.size(0);
    const torch::Tensor plane = (actions.to(hidden_state.dtype()) / action_space_size())
                                    .view({B, 1, 1, 1})
                                    .expand({B, 1, shape_.height, shape_.width});
    torch::Tensor next =
        torch::relu(dynamics_bn_(dynamics_conv_(torch::cat({hidden_state, plane}, 1))));
    next = dynamics_tower_->forward(next);
    const torch::Tensor reward = reward_fc_->forward(reward_conv_(next).flatten(1));
    next = scale_hidden_state(next);
    auto [value, policy] = predict(next);
    return {value, reward, policy, next};
  }

 private:
  std::pair<torch::Tensor, torch::Tensor> predict(const torch::Tensor& hidden) {
    const torch::Tensor x = prediction_tower_->forward(hidden);
    return {value_fc_->forward(value_conv_(x).flatten(1)),
            policy_fc_->forward(policy_conv_(x).flatten(1))};
  }

  ObservationShape shape_;
  torch::nn::Conv2d representation_conv_{nullptr}, dynamics_conv_{nullptr}, reward_conv_{nullptr},
      value_conv_{nullptr}, policy_conv_{nullptr};
  torch::nn::BatchNorm2d representation_bn_{nullptr}, dynamics_bn_{nullptr};
  torch::nn::Sequential representation_tower_{nullptr}, dynamics_tower_{nullptr},
      prediction_tower_{nullptr}, reward_fc_{nullptr}, value_fc_{nullptr}, policy_fc_{nullptr};
};

}  // namespace

std::shared_ptr<MuZeroNetwork> make_residual_network(const NetworkParams& params,
                                                     ObservationShape shape,
                                                     int action_space_size) {
  return std::make_shared<ResidualNetwork>(params, shape, action_space_size);
}

}  // namespace muzero
