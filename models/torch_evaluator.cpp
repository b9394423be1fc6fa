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

void TorchEvaluator::load(const Parameters& parameters) {
  load_parameters(*network_, parameters);
}

namespace {

// logits: B x bins -> B scalars, decoded on the CPU one sample at a time (a handful of flops
// each); LibTorch's softmax, sum and transform cost several operation dispatches per call.
void decode(const torch::Tensor& logits, const MuZeroNetwork& network, std::vector<float>& out) {
  const torch::Tensor cpu = logits.to(torch::kCPU, torch::kFloat).contiguous();
  const auto batch = cpu.size(0), bins = cpu.size(1);
  out.resize(batch);
  const float* data = cpu.data_ptr<float>();
  for (int64_t b = 0; b < batch; ++b) {
    out[b] = decode_support(data + b * bins, network.support_size(), network.support_scale());
  }
}

}  // namespace

void TorchEvaluator::read_outputs(const NetworkOutput& output, InferenceOutputs& out) const {
  const torch::Tensor policy = output.policy_logits.to(torch::kCPU, torch::kFloat).contiguous();
  out.policy_logits.assign(policy.data_ptr<float>(), policy.data_ptr<float>() + policy.numel());
  decode(output.value_logits, *network_, out.values);
  if (output.reward_logits.defined()) {
    decode(output.reward_logits, *network_, out.rewards);
  } else {
    out.rewards.assign(out.values.size(), 0.0f);
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
  count_call(B);
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
  count_call(static_cast<long>(slots.size()));
}

}  // namespace muzero
