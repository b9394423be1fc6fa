// muzero worker (--run-dir RUN_DIR | --connect HOST:PORT) [--token-file FILE] [--worker-id N]
// A self-play worker on another machine joining a training started with --listen. It is
// elastic: when it loses the run (a learner restarted or moved, a network cut) it tries again
// with growing delays and carries on with the newest weights, until the run finishes, it is
// stopped, or it has not reached the run for --give-up-after seconds.
// Built into both binaries: `muzero worker` becomes `muzero-role worker` when that lies next to
// it (no LibTorch: a few MiB, started in milliseconds), and that hands the worker back to
// `muzero worker --stay` if the run's config needs LibTorch (a residual network wider than 32
// channels, LibTorch inference or a GPU).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

#include "muzero/command/commands.h"
#include "muzero/ipc/connection.h"
#include "muzero/persist/run_endpoint.h"
#include "muzero/runtime/reconnect_delay.h"
#include "muzero/runtime/role_process.h"
#include "muzero/runtime/roles.h"

namespace muzero {
namespace {

using Clock = std::chrono::steady_clock;

struct WorkerOptions {
  std::string connect;
  std::string run_dir;
  std::string token_file;
  int worker_id = -1;
  double give_up_after = 600;  // seconds; 0: never
  bool stay = false;           // hidden: never hand over to the other binary
  std::string torch_binary;    // hidden, muzero-role only: where to hand a LibTorch run back
};

// Replaces this process with `binary worker OPTIONS [extra]` (same pid, signals, terminal);
// returns only if that fails.
void hand_over(const std::string& binary, const WorkerOptions& options,
               const std::vector<std::string>& extra) {
  std::vector<std::string> args{binary, "worker"};
  if (!options.connect.empty()) args.insert(args.end(), {"--connect", options.connect});
  if (!options.run_dir.empty()) args.insert(args.end(), {"--run-dir", options.run_dir});
  if (!options.token_file.empty()) args.insert(args.end(), {"--token-file", options.token_file});
  if (options.worker_id >= 0) {
    args.insert(args.end(), {"--worker-id", std::to_string(options.worker_id)});
  }
  args.insert(args.end(), {"--give-up-after", std::to_string(options.give_up_after)});
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  spdlog::warn("cannot start {} ({})", binary, std::strerror(errno));
}

// Where the run is now. Thrown errors are worth another try (the learner has not written its
// endpoint yet, or is moving), except TokenError.
struct Target {
  std::string storage, replay;
  RunToken token;
  bool finished = false;
};

Target locate(const WorkerOptions& options) {
  Target target;
  const bool token_given = !options.token_file.empty() || std::getenv(kTokenEnvironmentVariable);
  if (token_given) target.token = token_from_file_or_environment(options.token_file);
  if (!options.connect.empty()) {
    std::tie(target.storage, target.replay) = tcp_addresses(options.connect);
    return target;
  }
  const auto endpoint = read_run_endpoint(options.run_dir);
  if (!endpoint) {
    throw std::runtime_error(options.run_dir +
                             "/endpoint does not exist yet (the learner writes it once it "
                             "listens; is it started with --listen?)");
  }
  target.storage = endpoint->storage;
  target.replay = endpoint->replay;
  target.finished = endpoint->status == RunStatus::kFinished;
  if (!token_given) target.token = read_token_file(endpoint->token);
  return target;
}

// The run's resolved config, from shared storage, so that both sides always agree.
Config fetch_config(const std::string& storage, const RoleContext& context) {
  ConnectionOptions options = context.connection(PeerRole::kSelfPlay);
  options.connect_timeout = std::chrono::seconds(10);
  Connection connection(storage, options);
  const Frame reply = connection.request(MessageType::kConfig, {});
  if (reply.type != MessageType::kConfig)
    throw std::runtime_error("unexpected reply to config request");
  PayloadReader reader(reply.payload);
  return parse_config(reader.get_string(), storage + " (the run's config)");
}

void sleep_unless_stopped(std::chrono::milliseconds duration, const std::atomic<bool>& stop) {
  const auto until = Clock::now() + duration;
  while (!stop.load() && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

int run(const WorkerOptions& options, const EvaluatorFactory& make_evaluator) {
  // The LibTorch binary hands a worker to muzero-role first; it comes back if the run needs it.
  if (make_evaluator && !options.stay) {
    const std::string lite = role_binary();
    if (!lite.empty()) {
      const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
      hand_over(lite, options, {"--torch-binary", self});
    }
  }
  const std::atomic<bool>& stop = install_stop_signals();
  if (!options.connect.empty()) {
    try {
      if (tcp_addresses(options.connect).first.ends_with(":0")) {
        throw std::invalid_argument("port 0 is for --listen; use --run-dir to find the run");
      }
    } catch (const std::invalid_argument& error) {
      spdlog::error("--connect: {}", error.what());
      return kExitBadConfig;
    }
  }
  RoleContext context;
  std::mt19937_64 rng(std::random_device{}());
  // Distinct seeds for workers started by hand without an id.
  context.worker_id =
      options.worker_id >= 0 ? options.worker_id : 1000 + static_cast<int>(rng() % 1000000);
  context.stop = &stop;
  context.make_evaluator = make_evaluator;
  const std::string where = options.connect.empty() ? options.run_dir : options.connect;
  const auto give_up_after = std::chrono::duration<double>(options.give_up_after);
  auto last_contact = Clock::now();
  int attempt = 0;
  for (;; ++context.seed_salt) {
    if (stop.load()) return kExitOk;
    try {
      const Target target = locate(options);
      if (target.finished) {
        spdlog::info("self-play worker {}: the run in {} has finished", context.worker_id, where);
        return kExitOk;
      }
      context.storage_address = target.storage;
      context.replay_address = target.replay;
      context.token = target.token;
      context.config = fetch_config(context.storage_address, context);
      if (!context.make_evaluator && !acts_natively(context.config)) {
        if (options.torch_binary.empty()) {
          spdlog::error(
              "self-play worker {}: this run's players need LibTorch (a {} network, "
              "inference {}, device {}): run `muzero worker`",
              context.worker_id, context.config.network.type, context.config.inference,
              context.config.self_play_device);
          return kExitBadConfig;
        }
        hand_over(options.torch_binary, options, {"--stay"});
        spdlog::error("self-play worker {}: this run's players need LibTorch, and {} did not start",
                      context.worker_id, options.torch_binary);
        return kExitFailure;
      }
      spdlog::info("self-play worker {} joined {} ({}, storage {})", context.worker_id, where,
                   context.config.game_name, context.storage_address);
      attempt = 0;
      const int status = run_self_play_role(context);
      if (!stop.load()) spdlog::info("self-play worker {}: training is done", context.worker_id);
      return status;
    } catch (const TokenError& error) {
      spdlog::error("{}", error.what());
      return kExitBadConfig;
    } catch (const std::exception& error) {
      if (stop.load()) return kExitOk;
      if (attempt == 0) last_contact = Clock::now();  // in touch until this failure
      if (options.give_up_after > 0 && Clock::now() - last_contact > give_up_after) {
        spdlog::error(
            "self-play worker {}: no contact with the run in {} for {:.0f} s ({}); "
            "giving up",
            context.worker_id, where, options.give_up_after, error.what());
        return kExitFailure;
      }
      const auto delay = reconnect_delay(attempt++, rng);
      spdlog::warn("self-play worker {}: {}; trying again in {:.1f} s", context.worker_id,
                   error.what(), static_cast<double>(delay.count()) / 1000.0);
      sleep_unless_stopped(delay, stop);
    }
  }
}

}  // namespace

CommandRunner add_worker_command(CLI::App& app, EvaluatorFactory make_evaluator) {
  auto options = std::make_shared<WorkerOptions>();
  CLI::App* worker = app.add_subcommand(
      "worker", "Join a running training (started with --listen) as a self-play worker");
  auto* run_dir = worker->add_option(
      "--run-dir", options->run_dir,
      "The run's directory on a file system shared with the learner: its endpoint file says "
      "where the run listens, and names the token");
  auto* connect = worker->add_option(
      "--connect", options->connect,
      "HOST:PORT given to `muzero train --listen` (host name or address), when there is no "
      "shared file system");
  run_dir->excludes(connect);
  worker->add_option("--token-file", options->token_file,
                     "The run's token (RUN_DIR/token on the training machine, copied with mode "
                     "600); default: the MUZERO_TOKEN environment variable, else the token the "
                     "endpoint file names");
  worker->add_option("--worker-id", options->worker_id,
                     "Seeds this worker's games; distinct per worker (default: random)");
  worker
      ->add_option("--give-up-after", options->give_up_after,
                   "Seconds without reaching the run before giving up (0: never)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  worker->add_flag("--stay", options->stay)->group("");
  worker->add_option("--torch-binary", options->torch_binary)->group("");
  worker->callback([run_dir, connect] {
    if (run_dir->count() == 0 && connect->count() == 0) {
      throw CLI::RequiredError("--run-dir or --connect");
    }
  });
  return [worker, options, make_evaluator]() -> int {
    return worker->parsed() ? run(*options, make_evaluator) : -1;
  };
}

}  // namespace muzero
