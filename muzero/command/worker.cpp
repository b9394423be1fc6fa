// muzero worker --connect HOST:PORT [--token-file FILE] [--worker-id N]
// A self-play worker on another machine joining a training started with --listen HOST:PORT.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <memory>
#include <random>

#include "muzero/command/commands.h"
#include "muzero/ipc/connection.h"
#include "muzero/runtime/restart_policy.h"
#include "muzero/runtime/roles.h"

namespace muzero {
namespace {

struct WorkerOptions {
  std::string connect;
  std::string token_file;
  int worker_id = -1;
};

// The run's resolved config, from shared storage, so that both sides always agree. Throws if
// the run does not answer within 30 s.
Config fetch_config(const std::string& storage, const RoleContext& context) {
  ConnectionOptions options = context.connection(PeerRole::kSelfPlay);
  options.connect_timeout = std::chrono::seconds(30);
  Connection connection(storage, options);
  const Frame reply = connection.request(MessageType::kConfig, {});
  if (reply.type != MessageType::kConfig)
    throw std::runtime_error("unexpected reply to config request");
  PayloadReader reader(reply.payload);
  return parse_config(reader.get_string(), storage + " (the run's config)");
}

int run(const WorkerOptions& options) {
  const std::atomic<bool>& stop = install_stop_signals();
  const auto [storage, replay] = tcp_addresses(options.connect);
  RoleContext context;
  context.storage_address = storage;
  context.replay_address = replay;
  // Distinct seeds for workers started by hand without an id.
  context.worker_id = options.worker_id >= 0
                          ? options.worker_id
                          : 1000 + static_cast<int>(std::random_device{}() % 1000000);
  context.stop = &stop;
  try {
    context.token = token_from_file_or_environment(options.token_file);
  } catch (const TokenError& error) {
    spdlog::error("{}", error.what());
    return kExitBadConfig;
  }
  // A connection lost mid-run (the run restarts a crashed replay buffer or storage) is not the
  // end: the worker joins again, with new seeds, as long as the run answers and the worker does
  // not keep failing at once.
  QuickFailures failures;
  for (;; ++context.seed_salt) {
    context.config = fetch_config(storage, context);
    spdlog::info("self-play worker {} joined {} ({})", context.worker_id, options.connect,
                 context.config.game_name);
    const auto joined = std::chrono::steady_clock::now();
    try {
      return run_self_play_role(context);
    } catch (const std::exception& error) {
      if (stop.load()) return 0;
      failures.record(joined);
      if (failures.give_up()) throw;
      spdlog::warn("self-play worker {} lost the run ({}); joining again", context.worker_id,
                   error.what());
    }
  }
}

}  // namespace

CommandRunner add_worker_command(CLI::App& app) {
  auto options = std::make_shared<WorkerOptions>();
  CLI::App* worker = app.add_subcommand(
      "worker", "Join a running training (started with --listen) as a self-play worker");
  worker
      ->add_option("--connect", options->connect,
                   "HOST:PORT given to `muzero train --listen` (numeric IP address)")
      ->required();
  worker->add_option("--token-file", options->token_file,
                     "The run's token (RUN_DIR/token on the training machine, copied with mode "
                     "600); default: the MUZERO_TOKEN environment variable");
  worker->add_option("--worker-id", options->worker_id,
                     "Seeds this worker's games; distinct per worker (default: random)");
  return [worker, options]() -> int { return worker->parsed() ? run(*options) : -1; };
}

}  // namespace muzero
