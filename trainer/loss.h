#pragma once
// The MuZero loss over K unrolled steps (paper appendix G, muzero-general's Trainer):
//   sum_k  value_loss_weight * CE(v_k) + CE(r_k) [k >= 1] + CE(p_k)
// where CE is the cross-entropy against the target distribution; each step k >= 1 has its
// gradient scaled by 1 / gradient_scale, the hidden state's gradient is halved at every step
// of the unroll, and each sample's loss is weighted by its importance weight.
#include <torch/types.h>

#include "models/network.h"
#include "replay_buffer/batch.h"

namespace muzero {

// Passes x forward unchanged and multiplies its gradient by `scale`.
torch::Tensor scale_gradient(const torch::Tensor& x, double scale);
torch::Tensor scale_gradient(const torch::Tensor& x, const torch::Tensor& scale);

struct LossTerms {
  torch::Tensor total;  // scalar, weighted mean over the batch: the one to differentiate
  torch::Tensor value;  // scalar, mean over the batch of the summed step losses
  torch::Tensor reward;
  torch::Tensor policy;
  torch::Tensor value_errors;  // B x (K+1), |predicted - target value| for new priorities
};

LossTerms muzero_loss(MuZeroNetwork& network, const Batch& batch, double value_loss_weight,
                      torch::Device device);

}  // namespace muzero
