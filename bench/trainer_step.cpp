// Trainer speed without the rest of training: gradient steps on one synthetic batch shaped like
// the config's (CartPole by default), split into loss (forward), backward and optimizer time.
//   build/bench/trainer_step [CONFIG] [STEPS]
// (with training.consistency_loss_weight, lookahead_reward_loss_weight or
// all_moves_consistency_loss_weight > 0 in CONFIG, or given as KEY=VALUE, that loss is timed too)
//   build/bench/trainer_step configs/connect4.yaml 300 training.lookahead_reward_loss_weight=1
// training.device=cuda times it on the GPU (each phase ends with a synchronize).
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "games/registry.h"
#include "models/device.h"
#include "models/math_threads.h"
#include "muzero/config.h"
#include "trainer/loss.h"

int main(int argc, char** argv) {
  using namespace muzero;
  using Clock = std::chrono::steady_clock;
  const std::string path = argc > 1 ? argv[1] : MUZERO_SOURCE_DIR "/configs/cartpole.yaml";
  const int steps = argc > 2 ? std::atoi(argv[2]) : 300;
  use_single_math_thread();
  torch::manual_seed(0);
  std::vector<std::string> overrides;
  for (int i = 3; i < argc; ++i) overrides.push_back(argv[i]);
  const Config config = load_config(path, overrides);
  const auto game = make_game(config.game_name);
  const ObservationShape shape = game->observation_shape();
  auto network = make_network(config.network, shape, game->action_space_size());
  const torch::Device device = select_device(config.device);
  network->to(device);
  const auto synchronize = [&] {
    if (device.is_cuda()) torch::cuda::synchronize();
  };
  const int B = config.batch_size, K = config.replay.targets.num_unroll_steps;
  const int A = game->action_space_size();
  Batch batch;
  batch.batch_size = B;
  batch.num_unroll_steps = K;
  batch.observation_size = shape.size();
  batch.action_space_size = A;
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  for (int i = 0; i < B * shape.size(); ++i) batch.observations.push_back(unit(rng));
  for (int i = 0; i < B * (K + 1); ++i) {
    batch.actions.push_back(static_cast<std::int64_t>(rng() % A));
    batch.target_values.push_back(unit(rng));
    batch.target_rewards.push_back(1.0f);
    for (int a = 0; a < A; ++a) batch.target_policies.push_back(1.0f / A);
  }
  batch.gradient_scales.assign(B, static_cast<float>(K));
  batch.weights.assign(B, 1.0f);
  if (config.train.consistency_loss_weight > 0.0) {  // the observations reached, K per sample
    for (int i = 0; i < B * K * shape.size(); ++i) batch.next_observations.push_back(unit(rng));
    batch.next_observation_mask.assign(static_cast<std::size_t>(B) * K, 1.0f);
  }
  if (config.train.lookahead_reward_loss_weight > 0.0) {  // a move and a reply per sample
    for (int i = 0; i < 2 * B; ++i) {
      batch.lookahead_actions.push_back(static_cast<std::int64_t>(rng() % A));
      batch.lookahead_rewards.push_back(unit(rng) < 0.1f ? 1.0f : 0.0f);
    }
    batch.lookahead_mask.assign(2 * static_cast<std::size_t>(B), 1.0f);
  }
  if (config.train.all_moves_consistency_loss_weight > 0.0) {  // where every move leads
    for (int i = 0; i < B * A * shape.size(); ++i) batch.move_observations.push_back(unit(rng));
    batch.move_observation_mask.assign(static_cast<std::size_t>(B) * A, 1.0f);
  }
  torch::optim::Adam optimizer(network->parameters(),
                               torch::optim::AdamOptions(1e-3).weight_decay(1e-4));
  network->train();
  double loss_s = 0, backward_s = 0, step_s = 0;
  for (int s = -10; s < steps; ++s) {  // 10 warm-up steps
    const auto t0 = Clock::now();
    LossTerms terms = muzero_loss(
        *network, batch,
        {config.train.value_loss_weight, config.train.consistency_loss_weight,
         config.train.lookahead_reward_loss_weight, config.train.all_moves_consistency_loss_weight},
        device);
    synchronize();
    const auto t1 = Clock::now();
    optimizer.zero_grad();
    terms.total.backward();
    synchronize();
    const auto t2 = Clock::now();
    optimizer.step();
    synchronize();
    const auto t3 = Clock::now();
    if (s < 0) continue;
    loss_s += std::chrono::duration<double>(t1 - t0).count();
    backward_s += std::chrono::duration<double>(t2 - t1).count();
    step_s += std::chrono::duration<double>(t3 - t2).count();
  }
  const double total = loss_s + backward_s + step_s;
  std::printf(
      "%s on %s: batch %d, unroll %d: %.2f ms per step (%.0f steps/s, %.0f samples/s): loss %.2f "
      "ms, "
      "backward %.2f ms, optimizer %.2f ms\n",
      config.game_name.c_str(), device.str().c_str(), B, K, 1e3 * total / steps, steps / total,
      B * steps / total, 1e3 * loss_s / steps, 1e3 * backward_s / steps, 1e3 * step_s / steps);
  return 0;
}
