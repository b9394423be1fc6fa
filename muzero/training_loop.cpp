#include "muzero/training_loop.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "games/registry.h"
#include "models/device.h"
#include "models/math_threads.h"
#include "models/torch_evaluator.h"
#include "muzero/metrics/metrics_log.h"
#include "self_play/episode.h"

namespace muzero {
namespace {

using Clock = std::chrono::steady_clock;

// Losses are logged every this many training steps; test results after every test round.
constexpr long kLossLogInterval = 10;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct TestRound {
  double reward = 0, muzero_reward = 0, opponent_reward = 0, length = 0, mean_value = 0;
};

TestRound run_test_round(const Config& config, Evaluator& evaluator, std::mt19937_64& rng) {
  std::vector<std::uint64_t> seeds(config.test_episodes);
  for (std::uint64_t& seed : seeds) seed = rng();
  const EpisodeSettings settings{config.self_play.search, config.self_play.max_moves,
                                 parse_opponent(config.opponent), config.muzero_player};
  const std::vector<EpisodeResult> episodes =
      play_episodes([&] { return make_game(config.game_name); }, seeds, evaluator, settings, rng);
  TestRound round;
  for (const EpisodeResult& r : episodes) {
    round.reward += r.total_reward;
    round.muzero_reward += r.muzero_reward;
    round.opponent_reward += r.opponent_reward;
    round.length += r.length;
    round.mean_value += r.mean_root_value;
  }
  const double n = std::max<std::size_t>(1, episodes.size());
  round.reward /= n;
  round.muzero_reward /= n;
  round.opponent_reward /= n;
  round.length /= n;
  round.mean_value /= n;
  return round;
}

}  // namespace

std::filesystem::path make_run_directory(const Config& config) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  std::ostringstream stamp;
  stamp << std::put_time(&local, "%Y-%m-%d--%H-%M-%S");
  const std::filesystem::path base =
      std::filesystem::path(config.results_dir) / config.game_name / stamp.str();
  std::filesystem::path dir = base;
  for (int suffix = 1; std::filesystem::exists(dir); ++suffix) {
    dir = base.string() + "-" + std::to_string(suffix);
  }
  std::filesystem::create_directories(dir);
  return dir;
}

TrainingSummary run_training(const Config& config, const std::filesystem::path& run_dir,
                             const std::atomic<bool>& stop) {
  const auto start = Clock::now();
  torch::manual_seed(config.seed);
  const torch::Device device = select_device(config.device);
  std::ofstream(run_dir / "config.yaml") << config_to_yaml(config);
  MetricsLog metrics(run_dir);

  const std::string blas = loaded_blas_library();
  if (blas.find("openblas") == std::string::npos) {
    spdlog::warn(
        "LibTorch is using the BLAS at '{}', not OpenBLAS: inference will be 2-4x slower "
        "(install libopenblas0-pthread)",
        blas);
  }
  auto probe = make_game(config.game_name);
  const ObservationShape shape = probe->observation_shape();
  const int actions = probe->action_space_size();
  auto training_network = make_network(config.network, shape, actions);
  auto acting_network = make_network(config.network, shape, actions);
  copy_weights(*training_network, *acting_network);
  Trainer trainer(training_network, config.train, device);
  TorchEvaluator evaluator(acting_network, shape, device);
  ReplayBuffer buffer(config.replay);
  LockstepSelfPlay self_play([&] { return make_game(config.game_name); }, config.num_parallel_games,
                             config.self_play, config.seed);
  std::mt19937_64 rng(config.seed ^ 0x5eed);

  TrainingSummary summary;
  const bool interactive = isatty(STDERR_FILENO) != 0;
  auto last_report = Clock::now();
  TrainStepResult last_loss;
  long played_steps = 0;  // moves made, including games still in progress
  long self_play_rounds = 0;
  long next_test = config.test_interval_steps;

  auto report = [&](bool force) {
    if (!force && seconds_since(last_report) < (interactive ? 0.5 : 10.0)) return;
    last_report = Clock::now();
    const double elapsed = seconds_since(start);
    const double rate = trainer.steps() / std::max(elapsed, 1e-9);
    const double eta = rate > 0 ? (config.training_steps - trainer.steps()) / rate : 0;
    char line[256];
    std::snprintf(line, sizeof line,
                  "step %ld/%d | games %ld | test reward %.1f | loss %.3f | %.0f moves/s | "
                  "%.1f steps/s | ETA %.0fs",
                  trainer.steps(), config.training_steps, summary.played_games,
                  summary.last_test_reward, last_loss.total_loss, played_steps / elapsed, rate,
                  eta);
    if (interactive) {
      std::fprintf(stderr, "\r\033[K%s", line);
      std::fflush(stderr);
    } else {
      spdlog::info("{}", line);
    }
  };

  while (trainer.steps() < config.training_steps && !stop.load()) {
    const bool warming_up = buffer.num_games() < config.start_after_games;
    // Without a ratio the two sides simply alternate: one batch of moves, one training step.
    const bool training_ahead =
        config.ratio ? trainer.steps() >= *config.ratio * static_cast<double>(played_steps)
                     : trainer.steps() >= self_play_rounds;
    if (warming_up || training_ahead) {
      const double temperature = scheduled_temperature(config.visit_softmax_temperature,
                                                       trainer.steps(), config.training_steps);
      for (GameHistory& game : self_play.step(evaluator, temperature)) {
        summary.played_steps += game.num_moves();
        ++summary.played_games;
        buffer.add(std::move(game));
      }
      played_steps += self_play.num_parallel_games();
      ++self_play_rounds;
    } else {
      const Batch batch = buffer.sample(config.batch_size, rng);
      last_loss = trainer.train_step(batch);
      buffer.update_priorities(batch.positions, last_loss.value_errors, batch.num_unroll_steps);
      if (trainer.steps() % config.checkpoint_interval == 0) {
        copy_weights(*training_network, *acting_network);
      }
      if (trainer.steps() % kLossLogInterval == 0) {
        metrics.log(trainer.steps(),
                    {{"2.Workers/1.Self_played_games", summary.played_games},
                     {"2.Workers/2.Training_steps", trainer.steps()},
                     {"2.Workers/3.Self_played_steps", played_steps},
                     {"2.Workers/5.Training_steps_per_self_played_step_ratio",
                      trainer.steps() / std::max(1.0, static_cast<double>(played_steps))},
                     {"2.Workers/6.Learning_rate", last_loss.learning_rate},
                     {"3.Loss/1.Total_weighted_loss", last_loss.total_loss},
                     {"3.Loss/Value_loss", last_loss.value_loss},
                     {"3.Loss/Reward_loss", last_loss.reward_loss},
                     {"3.Loss/Policy_loss", last_loss.policy_loss}});
      }
      if (trainer.steps() >= next_test && config.test_episodes > 0) {
        next_test += config.test_interval_steps;
        const TestRound round = run_test_round(config, evaluator, rng);
        summary.last_test_reward = round.reward;
        metrics.log(trainer.steps(), {{"1.Total_reward/1.Total_reward", round.reward},
                                      {"1.Total_reward/2.Mean_value", round.mean_value},
                                      {"1.Total_reward/3.Episode_length", round.length},
                                      {"1.Total_reward/4.MuZero_reward", round.muzero_reward},
                                      {"1.Total_reward/5.Opponent_reward", round.opponent_reward}});
      }
    }
    report(false);
  }
  report(true);
  if (interactive) std::fprintf(stderr, "\n");
  trainer.save_checkpoint((run_dir / "checkpoint.pt").string());
  summary.training_steps = trainer.steps();
  summary.interrupted = stop.load();
  summary.seconds = seconds_since(start);
  return summary;
}

}  // namespace muzero
