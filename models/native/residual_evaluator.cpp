#include "models/native/residual_evaluator.h"

#include <algorithm>
#include <stdexcept>

#include "models/network_layout.h"
#include "models/value_transform.h"

namespace muzero::native {

ResidualEvaluator::ResidualEvaluator(const NetworkParams& params, ObservationShape shape,
                                     int action_space_size)
    : params_(params),
      shape_(shape),
      actions_(action_space_size),
      channels_(params.channels),
      area_(shape.height * shape.width),
      layout_(network_layout(params, shape, action_space_size)) {
  if (params.type != "residual") {
    throw std::invalid_argument("the native residual evaluator cannot run a " + params.type +
                                " network");
  }
}

void ResidualEvaluator::load(const Parameters& parameters) {
  check_layout(parameters, layout_);
  const int blocks = params_.blocks;
  Weights w;
  w.representation = ConvLayer::from(parameters, "representation_conv", "representation_bn");
  w.representation_tower = tower_from(parameters, "representation_tower", blocks);
  w.dynamics = ConvLayer::from(parameters, "dynamics_conv", "dynamics_bn");
  w.dynamics_tower = tower_from(parameters, "dynamics_tower", blocks);
  w.reward_conv = ConvLayer::from(parameters, "reward_conv", "");
  w.reward_fc = Mlp::from(parameters, "reward_fc",
                          static_cast<int>(params_.resnet_fc_reward_layers.size()) + 1);
  w.prediction_tower = tower_from(parameters, "prediction_tower", blocks);
  w.value_conv = ConvLayer::from(parameters, "value_conv", "");
  w.value_fc = Mlp::from(parameters, "value_fc",
                         static_cast<int>(params_.resnet_fc_value_layers.size()) + 1);
  w.policy_conv = ConvLayer::from(parameters, "policy_conv", "");
  w.policy_fc = Mlp::from(parameters, "policy_fc",
                          static_cast<int>(params_.resnet_fc_policy_layers.size()) + 1);
  weights_ = std::move(w);
  const std::size_t planes = static_cast<std::size_t>(channels_ + 1) * area_;
  input_.assign(std::max<std::size_t>(planes, shape_.size()), 0.0f);
  work_.assign(planes, 0.0f);
  scratch_.assign(2 * planes, 0.0f);
  const int reduced = std::max({params_.reduced_channels_reward, params_.reduced_channels_value,
                                params_.reduced_channels_policy});
  reduced_.assign(static_cast<std::size_t>(reduced) * area_, 0.0f);
  flat_.assign(reduced_.size(), 0.0f);
  minimum_.assign(channels_, 0.0f);
  range_.assign(channels_, 0.0f);
  logits_.assign(std::max(2 * params_.support_size + 1, actions_), 0.0f);
  int widest = 0;
  for (const Mlp* mlp : {&weights_.reward_fc, &weights_.value_fc, &weights_.policy_fc}) {
    widest = std::max(widest, mlp->widest());
  }
  mlp_scratch_.assign(2 * static_cast<std::size_t>(widest), 0.0f);
  loaded_ = true;
}

void ResidualEvaluator::reserve_states(int capacity) {
  if (capacity > capacity_) {
    capacity_ = capacity;
    pool_.resize(static_cast<std::size_t>(capacity) * state_size());
  }
}

void ResidualEvaluator::tower(const std::vector<ResidualBlock>& blocks, float* x) {
  for (const ResidualBlock& block : blocks) {
    block.forward(x, shape_.height, shape_.width, scratch_.data());
  }
}

void ResidualEvaluator::scale_channels(float* x) {
  // Positions x channels: each channel's minimum and range over the positions, then one pass.
  float* low = minimum_.data();
  float* range = range_.data();
  std::copy(x, x + channels_, low);
  std::copy(x, x + channels_, range);  // the maximum, for now
  for (int p = 1; p < area_; ++p) {
    const float* row = x + static_cast<std::size_t>(p) * channels_;
    for (int c = 0; c < channels_; ++c) {
      low[c] = std::min(low[c], row[c]);
      range[c] = std::max(range[c], row[c]);
    }
  }
  for (int c = 0; c < channels_; ++c) {
    range[c] -= low[c];
    if (range[c] < 1e-5f) range[c] += 1e-5f;
  }
  for (int p = 0; p < area_; ++p) {
    float* row = x + static_cast<std::size_t>(p) * channels_;
    for (int c = 0; c < channels_; ++c) row[c] = (row[c] - low[c]) / range[c];
  }
}

void ResidualEvaluator::head(const ConvLayer& conv, const Mlp& mlp, const float* x, float* logits) {
  conv.forward(x, shape_.height, shape_.width, reduced_.data());
  // The MLP reads LibTorch's flattening, channel by channel.
  to_channels_first(reduced_.data(), conv.out, area_, flat_.data());
  mlp.forward(flat_.data(), logits, mlp_scratch_.data());
}

void ResidualEvaluator::predict(const float* hidden, std::size_t b, InferenceOutputs& out) {
  std::copy(hidden, hidden + state_size(), work_.begin());
  tower(weights_.prediction_tower, work_.data());
  head(weights_.value_conv, weights_.value_fc, work_.data(), logits_.data());
  out.values[b] = decode_support(logits_.data(), params_.support_size, params_.support_scale);
  head(weights_.policy_conv, weights_.policy_fc, work_.data(),
       out.policy_logits.data() + b * actions_);
}

void ResidualEvaluator::initial_inference(std::span<const float> observations,
                                          std::span<const int> slots, InferenceOutputs& out) {
  if (!loaded_) throw std::logic_error("native evaluator used before parameters were loaded");
  const std::size_t batch = slots.size();
  const std::size_t size = shape_.size();
  if (observations.size() != batch * size) {
    throw std::invalid_argument("initial_inference: observations must be B x observation size");
  }
  check_slots(slots, capacity_);
  out.values.resize(batch);
  out.rewards.assign(batch, 0.0f);
  out.policy_logits.resize(batch * actions_);
  for (std::size_t b = 0; b < batch; ++b) {
    float* hidden = state(slots[b]);
    to_channels_last(observations.data() + b * size, shape_.channels, area_, input_.data());
    weights_.representation.forward(input_.data(), shape_.height, shape_.width, hidden);
    relu(hidden, static_cast<int>(state_size()));
    tower(weights_.representation_tower, hidden);
    scale_channels(hidden);
    predict(hidden, b, out);
  }
  count_call(static_cast<long>(batch));
}

void ResidualEvaluator::recurrent_inference(std::span<const int> parent_slots,
                                            std::span<const Action> actions,
                                            std::span<const int> slots, InferenceOutputs& out) {
  if (!loaded_) throw std::logic_error("native evaluator used before parameters were loaded");
  const std::size_t batch = slots.size();
  if (parent_slots.size() != batch || actions.size() != batch) {
    throw std::invalid_argument("recurrent_inference: parents, actions and slots differ in size");
  }
  check_slots(parent_slots, capacity_);
  check_slots(slots, capacity_);
  for (const Action action : actions) {
    if (action < 0 || action >= actions_) throw std::out_of_range("action out of range");
  }
  out.values.resize(batch);
  out.rewards.resize(batch);
  out.policy_logits.resize(batch * actions_);
  // Every parent's state is read before any child's is written: a child slot may be another
  // sample's parent (or its own).
  const std::size_t n = state_size();
  parents_.resize(batch * n);
  for (std::size_t b = 0; b < batch; ++b) {
    std::copy(state(parent_slots[b]), state(parent_slots[b]) + n, parents_.begin() + b * n);
  }
  for (std::size_t b = 0; b < batch; ++b) {
    // The dynamics' input: the state's channels, then one filled with action / action space.
    const float plane = static_cast<float>(actions[b]) / static_cast<float>(actions_);
    for (int p = 0; p < area_; ++p) {
      const auto from = parents_.begin() + b * n + static_cast<std::size_t>(p) * channels_;
      float* to = input_.data() + static_cast<std::size_t>(p) * (channels_ + 1);
      std::copy(from, from + channels_, to);
      to[channels_] = plane;
    }
    float* next = state(slots[b]);
    weights_.dynamics.forward(input_.data(), shape_.height, shape_.width, next);
    relu(next, static_cast<int>(n));
    tower(weights_.dynamics_tower, next);
    head(weights_.reward_conv, weights_.reward_fc, next, logits_.data());
    out.rewards[b] = decode_support(logits_.data(), params_.support_size, params_.support_scale);
    scale_channels(next);
    predict(next, b, out);
  }
  count_call(static_cast<long>(batch));
}

}  // namespace muzero::native
