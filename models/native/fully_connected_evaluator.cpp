#include "models/native/fully_connected_evaluator.h"

#include <algorithm>
#include <stdexcept>

#include "models/network_layout.h"
#include "models/value_transform.h"

namespace muzero::native {

FullyConnectedEvaluator::FullyConnectedEvaluator(const NetworkParams& params,
                                                 ObservationShape shape, int action_space_size)
    : params_(params),
      shape_(shape),
      actions_(action_space_size),
      encoding_(params.encoding_size),
      conv_channels_(params.fc_conv_channels),
      conv_kernel_(params.fc_conv_kernel),
      per_action_(params.fc_action_input == "per_action"),
      layout_(network_layout(params, shape, action_space_size)) {
  if (params.type != "fully_connected") {
    throw std::invalid_argument("the native fully connected evaluator cannot run a " + params.type +
                                " network");
  }
}

void FullyConnectedEvaluator::load(const Parameters& parameters) {
  check_layout(parameters, layout_);
  Weights weights;
  if (conv_channels_ > 0) {
    weights.has_conv = true;
    weights.conv_weight = parameters.at("representation_conv.weight").values;
    weights.conv_bias = parameters.at("representation_conv.bias").values;
  }
  weights.representation =
      Mlp::from(parameters, "representation", int(params_.fc_representation_layers.size()) + 1);
  weights.dynamics =
      Mlp::from(parameters, "dynamics_state", int(params_.fc_dynamics_layers.size()) + 1);
  weights.reward =
      Mlp::from(parameters, "dynamics_reward", int(params_.fc_reward_layers.size()) + 1);
  weights.policy =
      Mlp::from(parameters, "prediction_policy", int(params_.fc_policy_layers.size()) + 1);
  weights.value =
      Mlp::from(parameters, "prediction_value", int(params_.fc_value_layers.size()) + 1);
  weights_ = std::move(weights);
  int widest = 0;
  for (const Mlp* mlp : {&weights_.representation, &weights_.dynamics, &weights_.reward,
                         &weights_.policy, &weights_.value}) {
    widest = std::max(widest, mlp->widest());
  }
  scratch_.assign(2 * static_cast<std::size_t>(widest), 0.0f);
  input_.assign(weights_.representation.input_size(), 0.0f);
  hidden_.assign(encoding_, 0.0f);
  logits_.assign(std::max(2 * params_.support_size + 1, actions_), 0.0f);
  loaded_ = true;
}

void FullyConnectedEvaluator::reserve_states(int capacity) {
  if (capacity > capacity_) {
    capacity_ = capacity;
    pool_.resize(static_cast<std::size_t>(capacity) * encoding_);
  }
}

void FullyConnectedEvaluator::convolve(const float* observation, float* features) const {
  const int k = conv_kernel_;
  const int out_h = shape_.height - k + 1, out_w = shape_.width - k + 1;
  const int plane = shape_.height * shape_.width;
  for (int c = 0; c < conv_channels_; ++c) {
    const float* w =
        weights_.conv_weight.data() + static_cast<std::size_t>(c) * shape_.channels * k * k;
    for (int y = 0; y < out_h; ++y) {
      for (int x = 0; x < out_w; ++x) {
        float sum = weights_.conv_bias[c];
        for (int ci = 0; ci < shape_.channels; ++ci) {
          for (int ky = 0; ky < k; ++ky) {
            const float* in = observation + ci * plane + (y + ky) * shape_.width + x;
            const float* wk = w + (ci * k + ky) * k;
            for (int kx = 0; kx < k; ++kx) sum += wk[kx] * in[kx];
          }
        }
        features[(c * out_h + y) * out_w + x] = sum;
      }
    }
  }
  elu(features, conv_channels_ * out_h * out_w);
}

void FullyConnectedEvaluator::prepare_outputs(std::size_t batch, InferenceOutputs& out) const {
  out.values.resize(batch);
  out.rewards.assign(batch, 0.0f);
  out.policy_logits.resize(batch * actions_);
}

void FullyConnectedEvaluator::predict(const float* hidden, std::size_t b, InferenceOutputs& out) {
  weights_.value.forward(hidden, logits_.data(), scratch_.data());
  out.values[b] = decode_support(logits_.data(), params_.support_size, params_.support_scale);
  weights_.policy.forward(hidden, out.policy_logits.data() + b * actions_, scratch_.data());
}

void FullyConnectedEvaluator::initial_inference(std::span<const float> observations,
                                                std::span<const int> slots, InferenceOutputs& out) {
  if (!loaded_) throw std::logic_error("native evaluator used before parameters were loaded");
  const std::size_t batch = slots.size();
  const std::size_t size = shape_.size();
  if (observations.size() != batch * size) {
    throw std::invalid_argument("initial_inference: observations must be B x observation size");
  }
  check_slots(slots, capacity_);
  prepare_outputs(batch, out);
  for (std::size_t b = 0; b < batch; ++b) {
    const float* observation = observations.data() + b * size;
    const float* input = observation;
    if (weights_.has_conv) {
      std::copy(observation, observation + size, input_.begin());
      convolve(observation, input_.data() + size);
      input = input_.data();
    }
    float* hidden = state(slots[b]);
    weights_.representation.forward(input, hidden, scratch_.data());
    min_max_scale(hidden, encoding_);
    predict(hidden, b, out);
  }
  count_call(static_cast<long>(batch));
}

void FullyConnectedEvaluator::recurrent_inference(std::span<const int> parent_slots,
                                                  std::span<const Action> actions,
                                                  std::span<const int> slots,
                                                  InferenceOutputs& out) {
  if (!loaded_) throw std::logic_error("native evaluator used before parameters were loaded");
  const std::size_t batch = slots.size();
  if (parent_slots.size() != batch || actions.size() != batch) {
    throw std::invalid_argument("recurrent_inference: parents, actions and slots differ in size");
  }
  check_slots(parent_slots, capacity_);
  check_slots(slots, capacity_);
  prepare_outputs(batch, out);
  // Every parent's state is read before any child's is written: a child slot may be another
  // sample's parent (or its own), as with LibTorch's gather then scatter.
  hidden_.resize(batch * encoding_);
  for (std::size_t b = 0; b < batch; ++b) {
    std::copy(state(parent_slots[b]), state(parent_slots[b]) + encoding_,
              hidden_.begin() + b * encoding_);
  }
  for (std::size_t b = 0; b < batch; ++b) {
    const Action action = actions[b];
    if (action < 0 || action >= actions_) throw std::out_of_range("action out of range");
    // The input is the hidden state next to a one-hot action (or, per_action, the hidden state
    // in the action's block then the one-hot): only the rows it touches are read.
    const Mlp::SparseInput input =
        per_action_ ? Mlp::SparseInput{encoding_, action * encoding_, actions_ * encoding_ + action}
                    : Mlp::SparseInput{encoding_, 0, encoding_ + action};
    float* next = state(slots[b]);
    weights_.dynamics.forward(hidden_.data() + b * encoding_, next, scratch_.data(), &input);
    min_max_scale(next, encoding_);
    weights_.reward.forward(next, logits_.data(), scratch_.data());
    out.rewards[b] = decode_support(logits_.data(), params_.support_size, params_.support_scale);
    predict(next, b, out);
  }
  count_call(static_cast<long>(batch));
}

}  // namespace muzero::native
