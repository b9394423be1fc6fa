// The fully connected variant (muzero-general's MuZeroFullyConnectedNetwork): the action is
// one-hot encoded and concatenated to the hidden state; with fc_action_input: per_action the
// hidden state also fills the action's own block of first-layer dynamics inputs. An optional
// convolution (fc_conv_channels) feeds the representation MLP with local patterns as well as
// the raw observation.
#include <torch/torch.h>

#include <stdexcept>
#include <string>

#include "models/layers.h"
#include "models/network.h"

namespace muzero {
namespace {

class FullyConnectedNetwork final : public MuZeroNetwork {
 public:
  FullyConnectedNetwork(const NetworkParams& p, ObservationShape shape, int action_space_size)
      : MuZeroNetwork(p, action_space_size), shape_(shape) {
    const int support = 2 * p.support_size + 1;
    int representation_input = shape.size();
    if (p.fc_conv_channels > 0) {
      const int k = p.fc_conv_kernel;
      if (k > shape.height || k > shape.width) {
        throw std::invalid_argument("network.fc_conv_kernel " + std::to_string(k) +
                                    " does not fit the " + std::to_string(shape.height) + " x " +
                                    std::to_string(shape.width) + " observation of this game");
      }
      const auto options = torch::nn::Conv2dOptions(shape.channels, p.fc_conv_channels, k);
      conv_ = register_module("representation_conv", torch::nn::Conv2d(options));
      representation_input += p.fc_conv_channels * (shape.height - k + 1) * (shape.width - k + 1);
    }
    representation_ = register_module(
        "representation",
        make_mlp(representation_input, p.fc_representation_layers, p.encoding_size));
    if (p.fc_action_input != "one_hot" && p.fc_action_input != "per_action") {
      throw std::invalid_argument("network.fc_action_input must be one_hot or per_action, not " +
                                  p.fc_action_input);
    }
    per_action_ = p.fc_action_input == "per_action";
    const int dynamics_input = per_action_ ? (p.encoding_size + 1) * action_space_size
                                           : p.encoding_size + action_space_size;
    dynamics_state_ = register_module(
        "dynamics_state", make_mlp(dynamics_input, p.fc_dynamics_layers, p.encoding_size));
    dynamics_reward_ =
        register_module("dynamics_reward", make_mlp(p.encoding_size, p.fc_reward_layers, support));
    prediction_policy_ = register_module(
        "prediction_policy", make_mlp(p.encoding_size, p.fc_policy_layers, action_space_size));
    prediction_value_ =
        register_module("prediction_value", make_mlp(p.encoding_size, p.fc_value_layers, support));
  }

  torch::Tensor represent(const torch::Tensor& observations) override {
    torch::Tensor input = observations.flatten(1);
    if (conv_) {
      const torch::Tensor planes =
          input.reshape({input.size(0), shape_.channels, shape_.height, shape_.width});
      input = torch::cat({input, torch::elu(conv_->forward(planes)).flatten(1)}, 1);
    }
    return scale(representation_->forward(input));
  }

  NetworkOutput initial_inference(const torch::Tensor& observations) override {
    const torch::Tensor hidden = represent(observations);
    return {prediction_value_->forward(hidden), {}, prediction_policy_->forward(hidden), hidden};
  }

  NetworkOutput recurrent_inference(const torch::Tensor& hidden_state,
                                    const torch::Tensor& actions) override {
    const torch::Tensor one_hot =
        torch::one_hot(actions.to(torch::kLong), action_space_size()).to(hidden_state.dtype());
    // per_action: B x (A * encoding) with the hidden state in the action's block, then the
    // one-hot (a bias per action); else the hidden state, then the one-hot.
    const torch::Tensor input =
        per_action_
            ? torch::cat({(one_hot.unsqueeze(2) * hidden_state.unsqueeze(1)).flatten(1), one_hot},
                         1)
            : torch::cat({hidden_state, one_hot}, 1);
    const torch::Tensor next = scale(dynamics_state_->forward(input));
    return {prediction_value_->forward(next), dynamics_reward_->forward(next),
            prediction_policy_->forward(next), next};
  }

 private:
  static torch::Tensor scale(const torch::Tensor& x) {
    return scale_hidden_state(x.unsqueeze(1)).squeeze(1);
  }

  ObservationShape shape_;
  bool per_action_ = false;
  torch::nn::Conv2d conv_{nullptr};
  torch::nn::Sequential representation_{nullptr}, dynamics_state_{nullptr},
      dynamics_reward_{nullptr}, prediction_policy_{nullptr}, prediction_value_{nullptr};
};

}  // namespace

std::shared_ptr<MuZeroNetwork> make_fully_connected_network(const NetworkParams& params,
                                                            ObservationShape shape,
                                                            int action_space_size) {
  return std::make_shared<FullyConnectedNetwork>(params, shape, action_space_size);
}

}  // namespace muzero
