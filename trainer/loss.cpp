#include "trainer/loss.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "models/value_transform.h"

namespace muzero {
namespace {

// Over the last dimension: ... x classes -> ...
torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& target) {
  return (-target * torch::log_softmax(logits, -1)).sum(-1);
}

template <typename T>
torch::Tensor to_tensor(const std::vector<T>& data, std::vector<int64_t> shape, torch::Dtype dtype,
                        torch::Device device) {
  return torch::from_blob(const_cast<T*>(data.data()), shape, dtype).to(device);
}

// B x n scalars -> B x n x (2 * support + 1) target distributions, encoded on the host in
// one pass and moved to the device once: no kernels for what every step recomputes.
torch::Tensor support_targets(const std::vector<float>& scalars, int64_t B, int64_t n,
                              const MuZeroNetwork& network, torch::Device device) {
  const int support = network.support_size();
  const int64_t bins = 2 * support + 1;
  torch::Tensor out = torch::empty({B, n, bins});
  float* data = out.data_ptr<float>();
  for (std::size_t i = 0; i < scalars.size(); ++i) {
    encode_support(scalars[i], support, network.support_scale(), data + i * bins);
  }
  return out.to(device);
}

// B x n x bins value logits -> |decoded value - target| on the host, B x n.
torch::Tensor value_errors(const torch::Tensor& logits, const std::vector<float>& targets,
                           const MuZeroNetwork& network) {
  const torch::Tensor host = logits.detach().to(torch::kCPU).contiguous();
  const int64_t bins = host.size(2);
  torch::Tensor errors = torch::empty({host.size(0), host.size(1)});
  const float* in = host.data_ptr<float>();
  float* out = errors.data_ptr<float>();
  for (int64_t i = 0; i < errors.numel(); ++i) {
    out[i] =
        std::abs(decode_support(in + i * bins, network.support_size(), network.support_scale()) -
                 targets[static_cast<std::size_t>(i)]);
  }
  return errors;
}

// B x (K+1) masks of the steps whose targets are known (Batch::first_unknown_steps).
struct KnownSteps {
  torch::Tensor value_and_policy;  // k < first unknown step
  torch::Tensor reward;            // k <= first unknown step
};

KnownSteps known_steps(const Batch& batch, torch::Device device) {
  const int64_t B = batch.batch_size, K = batch.num_unroll_steps;
  torch::Tensor value_and_policy = torch::empty({B, K + 1}), reward = torch::empty({B, K + 1});
  float* vp = value_and_policy.data_ptr<float>();
  float* r = reward.data_ptr<float>();
  for (int64_t b = 0; b < B; ++b) {
    const int64_t first_unknown = batch.first_unknown_steps[static_cast<std::size_t>(b)];
    for (int64_t k = 0; k <= K; ++k) {
      vp[b * (K + 1) + k] = k < first_unknown ? 1.0f : 0.0f;
      r[b * (K + 1) + k] = k <= first_unknown ? 1.0f : 0.0f;
    }
  }
  return {value_and_policy.to(device), reward.to(device)};
}

}  // namespace

torch::Tensor state_distance(const torch::Tensor& predicted, const torch::Tensor& target) {
  return (predicted - target).square().flatten(1).mean(1);
}

LossTerms muzero_loss(MuZeroNetwork& network, const Batch& batch, const LossWeights& loss_weights,
                      torch::Device device) {
  const int64_t B = batch.batch_size;
  const int64_t K = batch.num_unroll_steps;
  const int64_t A = batch.action_space_size;
  const torch::Tensor observations =
      to_tensor(batch.observations, {B, batch.observation_size}, torch::kFloat, device);
  const torch::Tensor actions = to_tensor(batch.actions, {B, K + 1}, torch::kLong, device);
  const torch::Tensor target_policies =
      to_tensor(batch.target_policies, {B, K + 1, A}, torch::kFloat, device);
  const torch::Tensor gradient_scales =
      to_tensor(batch.gradient_scales, {B}, torch::kFloat, device);
  const torch::Tensor weights = to_tensor(batch.weights, {B}, torch::kFloat, device);
  const bool consistency = loss_weights.consistency > 0.0 && K > 0;
  if (consistency && batch.next_observation_mask.size() != static_cast<std::size_t>(B * K)) {
    throw std::invalid_argument(
        "muzero_loss: the consistency loss needs batches with next observations");
  }

  if (batch.target_values.size() != static_cast<std::size_t>(B * (K + 1)) ||
      batch.target_rewards.size() != batch.target_values.size()) {
    throw std::invalid_argument("muzero_loss: the batch's targets are not B x (K + 1)");
  }
  const torch::Tensor value_support =
      support_targets(batch.target_values, B, K + 1, network, device);
  const torch::Tensor reward_support =
      support_targets(batch.target_rewards, B, K + 1, network, device);

  const bool with_lookahead = loss_weights.lookahead > 0.0;
  if (with_lookahead && batch.lookahead_mask.size() != static_cast<std::size_t>(B * 2)) {
    throw std::invalid_argument("muzero_loss: the lookahead loss needs batches with lookahead");
  }

  // All K + 1 steps' outputs at once, B x (K+1) x classes: fewer, larger tensor operations
  // (small networks are op-bound). Steps k >= 1 have their gradient scaled by
  // 1 / (number of steps in the sample), as in the paper: one B x (K+1) scale, 1 at step 0.
  const UnrollOutput unrolled = network.unroll(observations, actions.narrow(1, 1, K), 0.5);
  const torch::Tensor step_scale = 1.0 / gradient_scales;  // B
  const torch::Tensor scales = torch::cat(
      {torch::ones({B, 1}, step_scale.options()), step_scale.unsqueeze(1).expand({B, K})},
      1);  // B x (K+1)
  torch::Tensor value_steps = cross_entropy(unrolled.value_logits, value_support);
  torch::Tensor policy_steps = cross_entropy(unrolled.policy_logits, target_policies);
  torch::Tensor reward_steps =
      cross_entropy(unrolled.reward_logits, reward_support.narrow(1, 1, K));  // B x K
  if (!batch.first_unknown_steps.empty() &&
      batch.first_unknown_steps.size() != static_cast<std::size_t>(B)) {
    throw std::invalid_argument("muzero_loss: first_unknown_steps must be empty or B long");
  }
  // Only batches that reach past a cut-off pay for the masks (games without time limits never do).
  const auto all_known = [&] {
    return std::all_of(batch.first_unknown_steps.begin(), batch.first_unknown_steps.end(),
                       [&](std::int32_t k) { return k > K; });
  };
  if (!all_known()) {
    const KnownSteps known = known_steps(batch, device);
    value_steps = value_steps * known.value_and_policy;
    policy_steps = policy_steps * known.value_and_policy;
    reward_steps = reward_steps * known.reward.narrow(1, 1, K);
  }
  const torch::Tensor value_loss = value_steps.detach().sum(1);
  const torch::Tensor policy_loss = policy_steps.detach().sum(1);
  const torch::Tensor reward_loss = reward_steps.detach().sum(1);
  torch::Tensor per_sample =
      scale_gradient(value_steps * loss_weights.value + policy_steps, scales).sum(1) +
      scale_gradient(reward_steps, scales.narrow(1, 1, K)).sum(1);

  torch::Tensor lookahead_loss = torch::zeros({B}, value_loss.options());
  if (with_lookahead) {
    const torch::Tensor lookahead_actions =
        to_tensor(batch.lookahead_actions, {B, 2}, torch::kLong, device);
    const torch::Tensor lookahead_targets =
        support_targets(batch.lookahead_rewards, B, 2, network, device);
    const torch::Tensor lookahead_mask =
        to_tensor(batch.lookahead_mask, {B, 2}, torch::kFloat, device);
    const NetworkOutput move = network.recurrent_inference(unrolled.hidden_states.select(1, 0),
                                                           lookahead_actions.select(1, 0));
    const NetworkOutput reply = network.recurrent_inference(scale_gradient(move.hidden_state, 0.5),
                                                            lookahead_actions.select(1, 1));
    const torch::Tensor lookahead =
        cross_entropy(move.reward_logits, lookahead_targets.select(1, 0)) *
            lookahead_mask.select(1, 0) +
        cross_entropy(reply.reward_logits, lookahead_targets.select(1, 1)) *
            lookahead_mask.select(1, 1);
    per_sample = per_sample + lookahead * loss_weights.lookahead;
    lookahead_loss = lookahead.detach();
  }
  torch::Tensor consistency_loss = torch::zeros({B}, value_loss.options());
  if (consistency) {
    const torch::Tensor next =
        to_tensor(batch.next_observations, {B * K, batch.observation_size}, torch::kFloat, device);
    const torch::Tensor mask =
        to_tensor(batch.next_observation_mask, {B, K}, torch::kFloat, device);
    torch::Tensor targets;
    {
      torch::NoGradGuard no_grad;
      targets = network.represent(next);
    }
    const torch::Tensor predicted =
        unrolled.hidden_states.narrow(1, 1, K).flatten(0, 1);  // BK x ...
    const torch::Tensor per_step = state_distance(predicted, targets).view({B, K}) * mask;
    const torch::Tensor consistency_term = scale_gradient(per_step.sum(1), step_scale);
    per_sample = per_sample + consistency_term * loss_weights.consistency;
    consistency_loss = consistency_term.detach();
  }

  torch::Tensor all_moves_loss = torch::zeros({B}, value_loss.options());
  if (loss_weights.all_moves_consistency > 0.0) {
    if (batch.move_observation_mask.size() != static_cast<std::size_t>(B * A) ||
        batch.move_observations.size() !=
            static_cast<std::size_t>(B * A * batch.observation_size)) {
      throw std::invalid_argument(
          "muzero_loss: the all-moves consistency loss needs batches with move observations");
    }
    torch::Tensor targets;
    {
      torch::NoGradGuard no_grad;
      targets = network.represent(to_tensor(
          batch.move_observations, {B * A, batch.observation_size}, torch::kFloat, device));
    }
    // Sample b's state once per move: rows b * A + a, with action a.
    const torch::Tensor every_move =
        torch::arange(A, torch::TensorOptions(torch::kLong).device(device)).repeat({B});
    const NetworkOutput moved = network.recurrent_inference(
        unrolled.hidden_states.select(1, 0).repeat_interleave(A, 0), every_move);
    const torch::Tensor mask =
        to_tensor(batch.move_observation_mask, {B, A}, torch::kFloat, device);
    const torch::Tensor per_move = state_distance(moved.hidden_state, targets).view({B, A}) * mask;
    const torch::Tensor term = per_move.sum(1);
    per_sample = per_sample + term * loss_weights.all_moves_consistency;
    all_moves_loss = term.detach();
  }

  LossTerms terms;
  terms.total = (per_sample * weights).mean();
  terms.value = value_loss.mean();
  terms.reward = reward_loss.mean();
  terms.policy = policy_loss.mean();
  terms.consistency = consistency_loss.mean();
  terms.lookahead = lookahead_loss.mean();
  terms.all_moves_consistency = all_moves_loss.mean();
  terms.value_errors = value_errors(unrolled.value_logits, batch.target_values, network);
  return terms;
}

}  // namespace muzero
