#pragma once
// The residual network (models/residual.cpp) run as plain C++ on the CPU: convolutions with
// the batch norms folded in (evaluation mode, as the players run it), residual towers, and the
// heads' 1x1 convolutions and MLPs, on channels-last planes (models/native/conv.h). The same
// numbers as the LibTorch module within 1e-5.
#include <vector>

#include "models/native/conv.h"
#include "models/native/dense.h"
#include "models/network_evaluator.h"
#include "models/network_params.h"

namespace muzero::native {

class ResidualEvaluator final : public NetworkEvaluator {
 public:
  // Throws std::invalid_argument for a network that is not residual.
  ResidualEvaluator(const NetworkParams& params, ObservationShape shape, int action_space_size);

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
    ConvLayer representation, dynamics, reward_conv, value_conv, policy_conv;
    std::vector<ResidualBlock> representation_tower, dynamics_tower, prediction_tower;
    Mlp reward_fc, value_fc, policy_fc;
  };
  std::size_t state_size() const { return static_cast<std::size_t>(channels_) * area_; }
  float* state(int slot) { return pool_.data() + static_cast<std::size_t>(slot) * state_size(); }
  void tower(const std::vector<ResidualBlock>& blocks, float* x);
  // Scaled to [0, 1] per channel, as scale_hidden_state (x is positions x channels).
  void scale_channels(float* x);
  // A head: its 1x1 convolution of `x`, flattened, through its MLP into `logits`.
  void head(const ConvLayer& conv, const Mlp& mlp, const float* x, float* logits);
  void predict(const float* hidden, std::size_t b, InferenceOutputs& out);

  NetworkParams params_;
  ObservationShape shape_;
  int actions_;
  int channels_;
  int area_;
  ParameterLayout layout_;
  bool loaded_ = false;
  Weights weights_;
  std::vector<float> pool_;  // capacity x area x channels (channels last, as all planes here)
  int capacity_ = 0;
  std::vector<float> parents_, input_, work_, scratch_, reduced_, flat_, logits_, mlp_scratch_;
  std::vector<float> minimum_, range_;
};

}  // namespace muzero::native
