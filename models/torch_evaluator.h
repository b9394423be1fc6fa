#pragma once
// Runs a MuZeroNetwork for the search (self_play/evaluator.h). Latent states stay on the
// network's device in one pool tensor; the search only ever sees slot numbers.
#include <memory>

#include <torch/types.h>

#include "models/network.h"
#include "models/network_evaluator.h"

namespace muzero {

class TorchEvaluator final : public NetworkEvaluator {
 public:
  TorchEvaluator(std::shared_ptr<MuZeroNetwork> network, ObservationShape shape,
                 torch::Device device);

  int action_space_size() const override { return network_->action_space_size(); }
  void reserve_states(int capacity) override;
  void initial_inference(std::span<const float> observations, std::span<const int> slots,
                         InferenceOutputs& out) override;
  void recurrent_inference(std::span<const int> parent_slots, std::span<const Action> actions,
                           std::span<const int> slots, InferenceOutputs& out) override;

  void load(const Parameters& parameters) override;
  std::string backend() const override { return "torch"; }
  MuZeroNetwork& network() { return *network_; }

 private:
  void store(const torch::Tensor& hidden, std::span<const int> slots);
  void read_outputs(const NetworkOutput& output, InferenceOutputs& out) const;
  torch::Tensor to_index(std::span<const int> values) const;

  std::shared_ptr<MuZeroNetwork> network_;
  ObservationShape shape_;
  torch::Device device_;
  torch::Tensor pool_;
  int capacity_ = 0;
};

}  // namespace muzero
