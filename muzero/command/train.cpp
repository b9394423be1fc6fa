// muzero train --config FILE [--set section.key=value ...] | --resume RUN_DIR
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "games/registry.h"
#include "models/device.h"
#include "models/network.h"
#include "muzero/command/commands.h"
#include "muzero/persist/atomic_file.h"
#include "muzero/persist/replay_file.h"
#include "muzero/run_directory.h"
#include "muzero/runtime/role_context.h"
#include "muzero/runtime/role_process.h"
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
  // A device this machine lacks stops the run here, not in a trainer restarted again and again.
  for (const auto& [key, device] : {std::pair{"training.device", config.device},
                                    std::pair{"self_play.device", config.self_play_device}}) {
    try {
      select_device(device);
    } catch (const std::exception& error) {
      std::cerr << "muzero: " << key << ": " << error.what() << "\n";
      return kExitBadConfig;
    }
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
  const ListenOptions listen{options.listen, options.advertise};
  const bool resuming = !options.resume_dir.empty();
  // The supervisor never runs a network: where the torch-free muzero-role is installed, this
  // process becomes it (same pid, signals and terminal), and LibTorch's memory goes with the
  // old image. The trainer is then started from this binary.
  const std::string lite = role_binary();
  if (!lite.empty()) {
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::vector<std::string> args{
        lite, "__supervise", "--run-dir", run_dir.string(), "--torch-binary", self};
    if (!listen.listen.empty()) args.insert(args.end(), {"--listen", listen.listen});
    if (!listen.advertise.empty()) args.insert(args.end(), {"--advertise", listen.advertise});
    if (resuming) args.push_back("--resuming");
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::cout.flush();
    std::cerr.flush();
    execv(lite.c_str(), argv.data());
    spdlog::warn("cannot start {} ({}); supervising in this process", lite, std::strerror(errno));
  }
  return supervise_and_report(config, run_dir, listen, {}, resuming);
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
