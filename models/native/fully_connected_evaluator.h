#pragma once
// The fully connected network (models/fully_connected.cpp) run as plain C++ on the CPU, for the
// search: the same arithmetic as the LibTorch module, without its per-operation machinery. One
// small network call costs LibTorch 100-200 us whatever the batch; here a sample costs about as
// much as its multiply-adds.
#include <vector>

#include "models/native/dense.h"
#include "models/network_evaluator.h"
#include "models/network_params.h"

namespace muzero::native {

class FullyConnectedEvaluator final : public NetworkEvaluator {
 public:
  // Throws std::invalid_argument for a network that is not fully connected.
  FullyConnectedEvaluator(const NetworkParams& params, ObservationShape shape,
                          int action_space_size);

  int action_space_size() const override { return actions_; }
  void reserve_states(int capacity) override;
  void initial_inference(std::span<const float> observations, std::span<const int> slots,
                         InferenceOutputs& out) override;
  void recurrent_inference(std::span<const int> parent_slots, std::span<const Action> actions,
                           std::span<const int> slots, InferenceOutputs& out) override;
  void load(const Parameters& parameters) override;
  std::string backend() const override { return "native"; }

 private:
  struct Weights {
    bool has_conv = false;
    std::vector<float> conv_weight;  // out_channels x C x k x k
    std::vector<float> conv_bias;
    Mlp representation, dynamics, reward, policy, value;
  };
  float* state(int slot) { return pool_.data() + static_cast<std::size_t>(slot) * encoding_; }
  // Appends the features of the optional convolution after the observation in `input`.
  void convolve(const float* observation, float* features) const;
  // Value and policy of `hidden` into sample b of out.
  void predict(const float* hidden, std::size_t b, InferenceOutputs& out);
  void prepare_outputs(std::size_t batch, InferenceOutputs& out) const;

  NetworkParams params_;
  ObservationShape shape_;
  int actions_;
  int encoding_;
  int conv_channels_;
  int conv_kernel_;
  bool per_action_;
  ParameterLayout layout_;
  bool loaded_ = false;
  Weights weights_;
  std::vector<float> pool_;  // capacity x encoding
  int capacity_ = 0;
  std::vector<float> input_, hidden_, logits_, scratch_;
};

}  // namespace muzero::native
