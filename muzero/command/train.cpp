// muzero train --config FILE [--set section.key=value ...] | --resume RUN_DIR
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "games/registry.h"
#include "models/network.h"
#include "muzero/command/commands.h"
#include "muzero/persist/atomic_file.h"
#include "muzero/persist/replay_file.h"
#include "muzero/run_directory.h"
#include "muzero/runtime/role_context.h"
#include "muzero/runtime/run_log.h"
#include "muzero/runtime/run_secrets.h"
#include "muzero/runtime/supervisor.h"
#include "trainer/checkpoint.h"

namespace muzero {
namespace {

struct TrainOptions {
  std::string config_path;
  std::string resume_dir;
  std::vector<std::string> overrides;
  std::string listen;
  std::string advertise;
  std::string run_dir;  // a new run in exactly this directory
  std::string secrets;  // made ahead with `muzero secrets`
};

// A run resumes only from intact state: a damaged checkpoint or replay-buffer file is refused
// with the reason, and left as it is for the user to look at or move away.
std::optional<std::string> damaged_state(const std::filesystem::path& run_dir,
                                         const Config& config) {
  const std::filesystem::path checkpoint = run_dir / run_files::kCheckpoint;
  if (std::filesystem::exists(checkpoint)) {
    try {
      read_checkpoint_info(checkpoint.string());  // verifies the contents' SHA-256
    } catch (const CheckpointError& error) {
      return error.what();
    }
  }
  const std::filesystem::path buffer = run_dir / run_files::kReplayBuffer;
  if (std::filesystem::exists(buffer)) {
    std::ifstream in(buffer, std::ios::binary);
    const ReplayFileReport report = read_replay_file(
        in, {game_spec(config.game_name), config.self_play.max_moves}, [](GameHistory) {});
    if (!report.damage.empty()) {
      return buffer.string() + ": " + report.damage +
             "; move it away to resume without its games (the run then plays new ones)";
    }
  }
  return std::nullopt;
}

int run(const TrainOptions& options) {
  Config config;
  std::filesystem::path run_dir;
  try {
    if (!options.resume_dir.empty()) {
      run_dir = options.resume_dir;
      config = load_config((run_dir / run_files::kConfig).string(), options.overrides);
    } else {
      config = load_config(options.config_path, options.overrides);
    }
  } catch (const ConfigError& error) {
    std::cerr << "muzero: " << error.what() << "\n";
    return kExitBadConfig;
  }
  // Build the network once here, so that a network that does not fit the game (a convolution
  // wider than the board) stops the run before it starts processes and a run directory.
  try {
    const auto probe = make_game(config.game_name);
    make_network(config.network, probe->observation_shape(), probe->action_space_size());
    if (config.replay.augment_symmetries && probe->symmetries().empty()) {
      throw std::invalid_argument("replay_buffer.augment_symmetries: " + config.game_name +
                                  " has no symmetries to relabel samples with");
    }
  } catch (const std::invalid_argument& error) {
    std::cerr << "muzero: " << error.what() << "\n";
    return kExitBadConfig;
  }
  if (!run_dir.empty()) {
    if (const auto damage = damaged_state(run_dir, config)) {
      std::cerr << "muzero: cannot resume: " << *damage << "\n";
      return kExitBadConfig;
    }
  }
  if (!options.listen.empty()) {
    try {
      tcp_addresses(options.listen);
    } catch (const std::invalid_argument& error) {
      std::cerr << "muzero: --listen: " << error.what() << "\n";
      return kExitBadConfig;
    }
  }
  if (!options.run_dir.empty()) {
    run_dir = options.run_dir;
    if (std::filesystem::exists(run_dir / run_files::kConfig)) {
      std::cerr << "muzero: " << run_dir.string()
                << " already holds a run; continue it with --resume " << run_dir.string() << "\n";
      return kExitBadConfig;
    }
    std::error_code error;
    std::filesystem::create_directories(run_dir, error);
    if (error) {
      std::cerr << "muzero: cannot create " << run_dir.string() << ": " << error.message() << "\n";
      return kExitBadConfig;
    }
  }
  if (run_dir.empty()) run_dir = make_run_directory(config);
  try {
    if (!options.secrets.empty()) import_run_secrets(options.secrets, run_dir);
    prepare_run_secrets(run_dir);
    ensure_private_directory(socket_directory(run_dir));
    write_file_atomically(run_dir / run_files::kConfig, config_to_yaml(config));
  } catch (const std::exception& error) {  // TokenError, FileWriteError, a foreign directory
    std::cerr << "muzero: " << error.what() << "\n";
    return kExitBadConfig;
  }
  log_to_run_directory(run_dir, "supervisor");
  spdlog::info("{} {} in {}", options.resume_dir.empty() ? "training" : "resuming",
               config.game_name, run_dir.string());
  const SupervisorSummary summary =
      run_supervisor(config, run_dir, {options.listen, options.advertise});
  spdlog::info(
      "{} after {} training steps, {} games, {} moves in {:.1f} s; last test reward {:.2f}",
      summary.exit_status != 0 ? "failed"
      : summary.interrupted    ? "stopped"
                               : "finished",
      summary.training_steps, summary.played_games, summary.played_steps, summary.seconds,
      summary.last_test_reward);
  std::string memory;
  for (const auto& [name, mib] : summary.peak_memory_mib) {
    memory +=
        (memory.empty() ? "" : ", ") + name + " " + std::to_string(static_cast<long>(mib)) + " MiB";
  }
  spdlog::info("peak memory: {}", memory);
  spdlog::info("checkpoint: {} (continue with: muzero train --resume {})",
               (run_dir / run_files::kCheckpoint).string(), run_dir.string());
  return summary.exit_status;
}

}  // namespace

CommandRunner add_train_command(CLI::App& app) {
  auto options = std::make_shared<TrainOptions>();
  CLI::App* train = app.add_subcommand(
      "train",
      "Train MuZero: starts shared storage, replay buffer, trainer, self-play and test "
      "workers as separate processes");
  auto* config = train->add_option("--config", options->config_path,
                                   "YAML config file (see configs/ and docs/configuration.md)");
  auto* resume = train->add_option("--resume", options->resume_dir,
                                   "Continue the run in this directory (results/GAME/DATE--TIME) "
                                   "from its checkpoint, replay buffer and counters");
  config->excludes(resume);
  train->add_option("--set", options->overrides,
                    "Override a config value, e.g. --set self_play.num_simulations=25 "
                    "(repeatable; also applies on --resume)");
  train->add_option("--listen", options->listen,
                    "Also accept self-play workers from other machines (`muzero worker --run-dir "
                    "RUN_DIR` or `--connect HOST:PORT`): shared storage listens on HOST:PORT, "
                    "the replay buffer on PORT+1; PORT 0 lets the system pick both, found "
                    "through RUN_DIR/endpoint. Off by default: nothing listens on the network "
                    "unless asked");
  auto* run_dir =
      train->add_option("--run-dir", options->run_dir,
                        "Start the new run in this directory (created if missing) instead of "
                        "results_dir/GAME/DATE--TIME; a batch script then knows where it is");
  run_dir->excludes(resume);
  train->add_option("--advertise", options->advertise,
                    "With --listen: the host name or address that remote workers connect to, "
                    "written to RUN_DIR/endpoint (default: the --listen host, or this machine's "
                    "host name when that is 0.0.0.0)");
  train->add_option("--secrets", options->secrets,
                    "Use the token and certificate made ahead with `muzero secrets --out DIR` "
                    "(a Kubernetes Secret) instead of new ones");
  train->callback([config, resume] {
    if (config->count() == 0 && resume->count() == 0) {
      throw CLI::RequiredError("--config or --resume");
    }
  });
  return [train, options]() -> int { return train->parsed() ? run(*options) : -1; };
}

}  // namespace muzero
