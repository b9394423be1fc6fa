#include "trainer/loss.h"

#include <torch/torch.h>

#include <stdexcept>

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

}  // namespace

torch::Tensor scale_gradient(const torch::Tensor& x, double scale) {
  return x * scale + x.detach() * (1.0 - scale);
}

torch::Tensor scale_gradient(const torch::Tensor& x, const torch::Tensor& scale) {
  return x * scale + x.detach() * (1.0 - scale);
}

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
  const torch::Tensor target_values =
      to_tensor(batch.target_values, {B, K + 1}, torch::kFloat, device);
  const torch::Tensor target_rewards =
      to_tensor(batch.target_rewards, {B, K + 1}, torch::kFloat, device);
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

  const torch::Tensor value_support = network.to_support(target_values);
  const torch::Tensor reward_support = network.to_support(target_rewards);

  const bool with_lookahead = loss_weights.lookahead > 0.0;
  if (with_lookahead && batch.lookahead_mask.size() != static_cast<std::size_t>(B * 2)) {
    throw std::invalid_argument("muzero_loss: the lookahead loss needs batches with lookahead");
  }

  NetworkOutput output = network.initial_inference(observations);
  torch::Tensor value_loss = cross_entropy(output.value_logits, value_support.select(1, 0));
  torch::Tensor reward_loss = torch::zeros({B}, value_loss.options());
  torch::Tensor policy_loss = cross_entropy(output.policy_logits, target_policies.select(1, 0));
  std::vector<torch::Tensor> predicted_values{output.value_logits.detach()};

  torch::Tensor lookahead_loss = torch::zeros({B}, value_loss.options());
  if (with_lookahead) {
    const torch::Tensor lookahead_actions =
        to_tensor(batch.lookahead_actions, {B, 2}, torch::kLong, device);
    const torch::Tensor lookahead_targets =
        network.to_support(to_tensor(batch.lookahead_rewards, {B, 2}, torch::kFloat, device));
    const torch::Tensor lookahead_mask =
        to_tensor(batch.lookahead_mask, {B, 2}, torch::kFloat, device);
    const NetworkOutput move =
        network.recurrent_inference(output.hidden_state, lookahead_actions.select(1, 0));
    const NetworkOutput reply = network.recurrent_inference(scale_gradient(move.hidden_state, 0.5),
                                                            lookahead_actions.select(1, 1));
    lookahead_loss = cross_entropy(move.reward_logits, lookahead_targets.select(1, 0)) *
                         lookahead_mask.select(1, 0) +
                     cross_entropy(reply.reward_logits, lookahead_targets.select(1, 1)) *
                         lookahead_mask.select(1, 1);
  }

  // The K unrolled steps' losses are computed on stacked logits, B x K x classes, in one go:
  // fewer, larger tensor operations than K separate ones (small networks are op-bound). Their
  // gradient is scaled by 1 / (number of steps in the sample), as in the paper.
  torch::Tensor hidden = output.hidden_state;
  std::vector<torch::Tensor> value_logits, reward_logits, policy_logits, hidden_states;
  for (int64_t k = 1; k <= K; ++k) {
    output = network.recurrent_inference(hidden, actions.select(1, k));
    if (consistency) hidden_states.push_back(output.hidden_state);
    hidden = scale_gradient(output.hidden_state, 0.5);
    value_logits.push_back(output.value_logits);
    reward_logits.push_back(output.reward_logits);
    policy_logits.push_back(output.policy_logits);
    predicted_values.push_back(output.value_logits.detach());
  }
  const torch::Tensor step_scale = 1.0 / gradient_scales;
  if (K > 0) {
    const auto unrolled = [&](const std::vector<torch::Tensor>& logits,
                              const torch::Tensor& targets) {
      const torch::Tensor stacked = torch::stack(logits, 1);  // B x K x classes
      const torch::Tensor per_step = cross_entropy(stacked, targets.narrow(1, 1, K));  // B x K
      return scale_gradient(per_step.sum(1), step_scale);
    };
    value_loss = value_loss + unrolled(value_logits, value_support);
    reward_loss = reward_loss + unrolled(reward_logits, reward_support);
    policy_loss = policy_loss + unrolled(policy_logits, target_policies);
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
    const torch::Tensor predicted = torch::stack(hidden_states, 1).flatten(0, 1);  // BK x ...
    const torch::Tensor per_step = state_distance(predicted, targets).view({B, K}) * mask;
    consistency_loss = scale_gradient(per_step.sum(1), step_scale);
  }

  LossTerms terms;
  const torch::Tensor per_sample = value_loss * loss_weights.value + reward_loss + policy_loss +
                                   consistency_loss * loss_weights.consistency +
                                   lookahead_loss * loss_weights.lookahead;
  terms.total = (per_sample * weights).mean();
  terms.value = value_loss.detach().mean();
  terms.reward = reward_loss.detach().mean();
  terms.policy = policy_loss.detach().mean();
  terms.consistency = consistency_loss.detach().mean();
  terms.lookahead = lookahead_loss.detach().mean();
  const torch::Tensor predicted = network.to_scalar(torch::stack(predicted_values, 1));
  terms.value_errors = (predicted - target_values).abs();
  return terms;
}

}  // namespace muzero
