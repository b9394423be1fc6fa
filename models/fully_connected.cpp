// The fully connected variant (muzero-general's MuZeroFullyConnectedNetwork): the action is
// one-hot encoded and concatenated to the hidden state.
#include <torch/torch.h>

#include "models/layers.h"
#include "models/network.h"

namespace muzero {
namespace {

class FullyConnectedNetwork final : public MuZeroNetwork {
 public:
  FullyConnectedNetwork(const NetworkParams& p, ObservationShape shape, int action_space_size)
      : MuZeroNetwork(p, action_space_size) {
    const int support = 2 * p.support_size + 1;
    representation_ = register_module(
        "representation", make_mlp(shape.size(), p.fc_representation_layers, p.encoding_size));
    dynamics_state_ = register_module(
        "dynamics_state",
        make_mlp(p.encoding_size + action_space_size, p.fc_dynamics_layers, p.encoding_size));
    dynamics_reward_ =
        register_module("dynamics_reward", make_mlp(p.encoding_size, p.fc_reward_layers, support));
    prediction_policy_ = register_module(
        "prediction_policy", make_mlp(p.encoding_size, p.fc_policy_layers, action_space_size));
    prediction_value_ =
        register_module("prediction_value", make_mlp(p.encoding_size, p.fc_value_layers, support));
  }

  torch::Tensor represent(const torch::Tensor& observations) override {
    return scale(representation_->forward(observations.flatten(1)));
  }

  NetworkOutput initial_inference(const torch::Tensor& observations) override {
    const torch::Tensor hidden = represent(observations);
    return {prediction_value_->forward(hidden), {}, prediction_policy_->forward(hidden), hidden};
  }

  NetworkOutput recurrent_inference(const torch::Tensor& hidden_state,
                                    const torch::Tensor& actions) override {
    const torch::Tensor one_hot =
        torch::one_hot(actions.to(torch::kLong), action_space_size()).to(hidden_state.dtype());
    const torch::Tensor input = torch::cat({hidden_state, one_hot}, 1);
    const torch::Tensor next = scale(dynamics_state_->forward(input));
    return {prediction_value_->forward(next), dynamics_reward_->forward(next),
            prediction_policy_->forward(next), next};
  }

 private:
  static torch::Tensor scale(const torch::Tensor& x) {
    return scale_hidden_state(x.unsqueeze(1)).squeeze(1);
  }

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
