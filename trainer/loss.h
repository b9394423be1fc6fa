#pragma once
// The MuZero loss over K unrolled steps (paper appendix G, muzero-general's Trainer):
//   sum_k  value_loss_weight * CE(v_k) + CE(r_k) [k >= 1] + CE(p_k)
// where CE is the cross-entropy against the target distribution; each step k >= 1 has its
// gradient scaled by 1 / gradient_scale, the hidden state's gradient is halved at every step
// of the unroll, and each sample's loss is weighted by its importance weight.
// With a consistency weight c > 0 (and batches with next_observations) each step k >= 1 also adds
//   c * mean over features of (s_k - h(o_{t+k}))^2
// where s_k is the dynamics' hidden state and h(o_{t+k}) the representation of the observation
// actually reached, without gradient (EfficientZero's temporal consistency, with a squared error
// in place of its projection heads and cosine: both states are min-max scaled to [0, 1], where
// any two states have a high cosine). The dynamics learn to stay on the representation's states.
// With a lookahead weight w > 0 (and batches with lookahead targets) each sample also adds
//   w * (CE(r(g(s_0, a))) + CE(r(g(g(s_0, a), b))))
// for a move a and a reply b drawn from the rules' rewards at its first position
// (make_lookahead_target), not necessarily the ones played: the dynamics learn the rewards of
// moves the games did not make, such as the opponent's win after a blunder.
// With an all-moves consistency weight m > 0 (and batches with move_observations) each sample
// also adds
//   m * sum over moves a whose next observation o_a is known of mean over features of
//       (g(s_0, a) - h(o_a))^2
// at its first position, played or not, h(o_a) without gradient: the dynamics learn what every
// move does, not only the moves the games made (games/move_observations.h).
#include <torch/types.h>

#include "models/network.h"
#include "replay_buffer/batch.h"

namespace muzero {

struct LossTerms {
  torch::Tensor total;  // scalar, weighted mean over the batch: the one to differentiate
  torch::Tensor value;  // scalar, mean over the batch of the summed step losses
  torch::Tensor reward;
  torch::Tensor policy;
  torch::Tensor consistency;            // scalar; 0 when off
  torch::Tensor lookahead;              // scalar; 0 when off
  torch::Tensor all_moves_consistency;  // scalar; 0 when off
  torch::Tensor value_errors;           // B x (K+1), |predicted - target value| for new priorities
};

struct LossWeights {
  double value = 1.0;
  double consistency = 0.0;
  double lookahead = 0.0;
  double all_moves_consistency = 0.0;
};

LossTerms muzero_loss(MuZeroNetwork& network, const Batch& batch, const LossWeights& loss_weights,
                      torch::Device device);

// Mean squared difference of each sample's hidden states: B x ... -> B.
torch::Tensor state_distance(const torch::Tensor& predicted, const torch::Tensor& target);

}  // namespace muzero
