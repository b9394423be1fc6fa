// The CUDA path against the CPU: where LibTorch sees a GPU, the same weights and batches give
// the same training steps and inferences there as on the CPU. Elsewhere each test is skipped
// with a message; scripts/gpu_check.sh runs them on a GPU machine.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <random>
#include <vector>

#include "models/network.h"
#include "models/torch_evaluator.h"
#include "trainer/trainer.h"

namespace muzero {
namespace {

constexpr int kObservation = 4, kActions = 2;

bool cuda_present() {
  return torch::cuda::is_available();
}

// A CartPole-shaped batch with the consistency loss's next observations.
Batch random_batch(int B, int K, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  Batch batch;
  batch.batch_size = B;
  batch.num_unroll_steps = K;
  batch.observation_size = kObservation;
  batch.action_space_size = kActions;
  for (int i = 0; i < B * kObservation; ++i) batch.observations.push_back(unit(rng));
  for (int i = 0; i < B * (K + 1); ++i) {
    batch.actions.push_back(static_cast<std::int64_t>(rng() % kActions));
    batch.target_values.push_back(10 * unit(rng));
    batch.target_rewards.push_back(1.0f);
    const float p = unit(rng);
    batch.target_policies.insert(batch.target_policies.end(), {p, 1 - p});
  }
  batch.gradient_scales.assign(B, static_cast<float>(K));
  batch.weights.assign(B, 1.0f);
  for (int i = 0; i < B * K * kObservation; ++i) batch.next_observations.push_back(unit(rng));
  batch.next_observation_mask.assign(static_cast<std::size_t>(B) * K, 1.0f);
  return batch;
}

TEST(Cuda, TrainingStepsMatchTheCpu) {
  if (!cuda_present()) GTEST_SKIP() << "LibTorch sees no CUDA GPU here";
  torch::manual_seed(1);
  NetworkParams network;
  network.fc_dynamics_layers = {16};
  TrainParams params;
  params.consistency_loss_weight = 2.0;
  auto cpu_network = make_network(network, {1, 1, kObservation}, kActions);
  auto gpu_network = make_network(network, {1, 1, kObservation}, kActions);
  load_parameters(*gpu_network, to_parameters(*cpu_network));
  Trainer cpu(cpu_network, params, torch::kCPU);
  Trainer gpu(gpu_network, params, torch::kCUDA);
  for (int step = 0; step < 5; ++step) {
    const Batch batch = random_batch(32, 5, static_cast<unsigned>(step));
    const TrainStepResult a = cpu.train_step(batch);
    const TrainStepResult b = gpu.train_step(batch);
    EXPECT_NEAR(a.total_loss, b.total_loss, 1e-4 * std::abs(a.total_loss)) << "step " << step;
    EXPECT_NEAR(a.consistency_loss, b.consistency_loss, 1e-4) << "step " << step;
    ASSERT_EQ(a.value_errors.size(), b.value_errors.size());
    for (std::size_t i = 0; i < a.value_errors.size(); ++i) {
      EXPECT_NEAR(a.value_errors[i], b.value_errors[i], 1e-3) << "step " << step;
    }
  }
  const Parameters after_cpu = to_parameters(*cpu_network);
  const Parameters after_gpu = to_parameters(*gpu_network);
  for (const NamedTensor& tensor : after_cpu.tensors) {
    const NamedTensor& other = after_gpu.at(tensor.name);
    for (std::size_t i = 0; i < tensor.values.size(); ++i) {
      EXPECT_NEAR(tensor.values[i], other.values[i], 1e-4) << tensor.name << "[" << i << "]";
    }
  }
}

TEST(Cuda, TorchEvaluatorMatchesTheCpu) {
  if (!cuda_present()) GTEST_SKIP() << "LibTorch sees no CUDA GPU here";
  torch::manual_seed(2);
  auto network = make_network(NetworkParams{}, {1, 1, kObservation}, kActions);
  TorchEvaluator cpu(network, {1, 1, kObservation}, torch::kCPU);
  TorchEvaluator gpu(make_network(NetworkParams{}, {1, 1, kObservation}, kActions),
                     {1, 1, kObservation}, torch::kCUDA);
  gpu.load(to_parameters(*network));
  const std::vector<float> observations{0.1f, 0.2f, 0.3f, 0.4f, -0.1f, 0.0f, 0.5f, 1.0f};
  const std::vector<int> roots{0, 1}, parents{1, 0}, children{2, 3};
  const std::vector<Action> actions{1, 0};
  InferenceOutputs a, b;
  for (TorchEvaluator* evaluator : {&cpu, &gpu}) evaluator->reserve_states(4);
  cpu.initial_inference(observations, roots, a);
  gpu.initial_inference(observations, roots, b);
  for (int i = 0; i < 2; ++i) EXPECT_NEAR(a.values[i], b.values[i], 1e-4);
  cpu.recurrent_inference(parents, actions, children, a);
  gpu.recurrent_inference(parents, actions, children, b);
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(a.values[i], b.values[i], 1e-4);
    EXPECT_NEAR(a.rewards[i], b.rewards[i], 1e-4);
  }
  ASSERT_EQ(a.policy_logits.size(), b.policy_logits.size());
  for (std::size_t i = 0; i < a.policy_logits.size(); ++i) {
    EXPECT_NEAR(a.policy_logits[i], b.policy_logits[i], 1e-5);
  }
}

}  // namespace
}  // namespace muzero
