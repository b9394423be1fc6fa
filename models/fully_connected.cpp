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
    // per_action_input, or the hidden state then the one-hot.
    const torch::Tensor input = per_action_ ? per_action_input(hidden_state, one_hot)
                                            : torch::cat({hidden_state, one_hot}, 1);
    const torch::Tensor next = scale(dynamics_state_->forward(input));
    return {prediction_value_->forward(next), dynamics_reward_->forward(next),
            prediction_policy_->forward(next), next};
  }

  // The heads act on each sample alone, so they run once on all K + 1 states; the recurrence
  // runs the dynamics alone. With one_hot actions the first dynamics layer's action columns
  // are looked up for all K steps at once (a one-hot times a matrix is a column), so each step
  // costs one matrix product on the state.
  UnrollOutput unroll(const torch::Tensor& observations, const torch::Tensor& actions,
                      double state_gradient_scale) override {
    const int64_t B = observations.size(0), K = actions.size(1), A = action_space_size();
    std::vector<torch::Tensor> states{represent(observations)};
    states.reserve(K + 1);
    if (K > 0) {
      // One-hot actions of all K steps, B * K x A, and per step views into them (unbind: its
      // backward is one stack, where select's is a zero-filled copy per step).
      const torch::Tensor one_hot =
          torch::one_hot(actions.to(torch::kLong).flatten(), A).to(states[0].dtype());
      auto& first = *dynamics_state_[0]->as<torch::nn::Linear>();
      std::vector<torch::Tensor> step_inputs;  // per_action: B x A one-hots; else B x H terms
      torch::Tensor state_weights;             // one_hot: E x H
      if (per_action_) {
        step_inputs = one_hot.view({B, K, A}).unbind(1);
      } else {
        const int64_t E = states[0].size(1);
        state_weights = first.weight.narrow(1, 0, E).t();
        step_inputs = torch::addmm(first.bias, one_hot, first.weight.narrow(1, E, A).t())
                          .view({B, K, -1})
                          .unbind(1);
      }
      for (int64_t k = 0; k < K; ++k) {
        const torch::Tensor state =
            k == 0 ? states[0] : scale_gradient(states.back(), state_gradient_scale);
        torch::Tensor x;
        if (per_action_) {
          x = first.forward(per_action_input(state, step_inputs[k]));
        } else {
          x = torch::addmm(step_inputs[k], state, state_weights);
        }
        for (auto layer = dynamics_state_->begin() + 1; layer != dynamics_state_->end(); ++layer) {
          x = layer->forward(x);
        }
        states.push_back(scale(x));
      }
    }
    UnrollOutput unrolled;
    unrolled.hidden_states = torch::stack(states, 1);  // B x (K+1) x E
    const torch::Tensor all = unrolled.hidden_states.flatten(0, 1);
    const int64_t support = 2 * support_size() + 1;
    unrolled.value_logits = prediction_value_->forward(all).view({B, K + 1, support});
    unrolled.policy_logits = prediction_policy_->forward(all).view({B, K + 1, A});
    unrolled.reward_logits =
        dynamics_reward_->forward(unrolled.hidden_states.narrow(1, 1, K).flatten(0, 1))
            .view({B, K, support});
    return unrolled;
  }

 private:
  static torch::Tensor scale(const torch::Tensor& x) { return scale_rows(x); }

  // per_action: B x (A * encoding) with the hidden state in the action's block, then the one-hot
  // (a bias per action).
  static torch::Tensor per_action_input(const torch::Tensor& state, const torch::Tensor& one_hot) {
    return torch::cat({(one_hot.unsqueeze(2) * state.unsqueeze(1)).flatten(1), one_hot}, 1);
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
