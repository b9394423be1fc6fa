#include "models/torch_evaluator.h"

#include <torch/torch.h>

#include <stdexcept>

namespace muzero {

TorchEvaluator::TorchEvaluator(std::shared_ptr<MuZeroNetwork> network, ObservationShape shape,
                               torch::Device device)
    : network_(std::move(network)), shape_(shape), device_(device) {
  network_->to(device_);
  network_->eval();
}

void TorchEvaluator::reserve_states(int capacity) {
  if (capacity > capacity_) {
    capacity_ = capacity;
    pool_ = torch::Tensor();  // reallocated with the hidden shape at the next inference
  }
}

torch::Tensor TorchEvaluator::to_index(std::span<const int> values) const {
  std::vector<int64_t> wide(values.begin(), values.end());
  return torch::tensor(wide, torch::kLong).to(device_);
}

void TorchEvaluator::store(const torch::Tensor& hidden, std::span<const int> slots) {
  if (!pool_.defined()) {
    std::vector<int64_t> shape = hidden.sizes().vec();
    shape[0] = capacity_;
    pool_ = torch::empty(shape, hidden.options());
  }
  for (int slot : slots) {
    if (slot < 0 || slot >= capacity_) throw std::out_of_range("evaluator slot out of range");
  }
  pool_.index_copy_(0, to_index(slots), hidden);
}

void TorchEvaluator::read_outputs(const NetworkOutput& output, InferenceOutputs& out) const {
  const torch::Tensor values =
      network_->to_scalar(output.value_logits).to(torch::kCPU).contiguous();
  const torch::Tensor policy = output.policy_logits.to(torch::kFloat).to(torch::kCPU).contiguous();
  const auto B = values.size(0);
  out.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + B);
  out.policy_logits.assign(policy.data_ptr<float>(), policy.data_ptr<float>() + policy.numel());
  if (output.reward_logits.defined()) {
    const torch::Tensor rewards =
        network_->to_scalar(output.reward_logits).to(torch::kCPU).contiguous();
    out.rewards.assign(rewards.data_ptr<float>(), rewards.data_ptr<float>() + B);
  } else {
    out.rewards.assign(B, 0.0f);
  }
}

void TorchEvaluator::initial_inference(std::span<const float> observations,
                                       std::span<const int> slots, InferenceOutputs& out) {
  torch::InferenceMode guard;
  const auto B = static_cast<int64_t>(slots.size());
  if (static_cast<int64_t>(observations.size()) != B * shape_.size()) {
    throw std::invalid_argument("initial_inference: observations must be B x observation size");
  }
  const torch::Tensor input =
      torch::from_blob(const_cast<float*>(observations.data()),
                       {B, shape_.channels, shape_.height, shape_.width}, torch::kFloat)
          .to(device_);
  const NetworkOutput output = network_->initial_inference(input);
  store(output.hidden_state, slots);
  read_outputs(output, out);
  ++calls_;
  inferences_ += B;
}

void TorchEvaluator::recurrent_inference(std::span<const int> parent_slots,
                                         std::span<const Action> actions,
                                         std::span<const int> slots, InferenceOutputs& out) {
  torch::InferenceMode guard;
  if (!pool_.defined()) throw std::logic_error("recurrent_inference before initial_inference");
  for (int slot : parent_slots) {
    if (slot < 0 || slot >= capacity_) throw std::out_of_range("evaluator slot out of range");
  }
  const torch::Tensor hidden = pool_.index_select(0, to_index(parent_slots));
  const NetworkOutput output = network_->recurrent_inference(hidden, to_index(actions));
  store(output.hidden_state, slots);
  read_outputs(output, out);
  ++calls_;
  inferences_ += static_cast<long>(slots.size());
}

}  // namespace muzero
