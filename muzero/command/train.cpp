// muzero train --config FILE [--set section.key=value ...]
#include <spdlog/spdlog.h>
#include <torch/torch.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

#include "muzero/command/commands.h"
#include "muzero/training_loop.h"

namespace muzero {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) {
  stop_requested.store(true);
}

struct TrainOptions {
  std::string config_path;
  std::vector<std::string> overrides;
};

int run(const TrainOptions& options) {
  Config config;
  try {
    config = load_config(options.config_path, options.overrides);
  } catch (const ConfigError& error) {
    std::cerr << "muzero: " << error.what() << "\n";
    return kExitBadConfig;
  }
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  const auto run_dir = make_run_directory(config);
  spdlog::info("training {} into {}", config.game_name, run_dir.string());
  const TrainingSummary summary = run_training(config, run_dir, stop_requested);
  spdlog::info(
      "{} after {} training steps, {} games, {} moves in {:.1f} s; last test reward {:.1f}",
      summary.interrupted ? "stopped" : "finished", summary.training_steps, summary.played_games,
      summary.played_steps, summary.seconds, summary.last_test_reward);
  spdlog::info("checkpoint: {}", (run_dir / "checkpoint.pt").string());
  return kExitOk;
}

}  // namespace

CommandRunner add_train_command(CLI::App& app) {
  auto options = std::make_shared<TrainOptions>();
  CLI::App* train =
      app.add_subcommand("train", "Train MuZero on a game described by a config file");
  train->add_option("--config", options->config_path, "YAML config file (see configs/)")
      ->required();
  train->add_option("--set", options->overrides,
                    "Override a config value, e.g. --set self_play.num_simulations=25 "
                    "(repeatable)");
  return [train, options]() -> int { return train->parsed() ? run(*options) : -1; };
}

}  // namespace muzero
