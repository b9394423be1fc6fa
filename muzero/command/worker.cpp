// muzero worker --connect HOST:PORT [--worker-id N]
// A self-play worker on another machine joining a training started with --listen HOST:PORT.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <memory>
#include <random>

#include "muzero/command/commands.h"
#include "muzero/ipc/connection.h"
#include "muzero/runtime/roles.h"

namespace muzero {
namespace {

struct WorkerOptions {
  std::string connect;
  int worker_id = -1;
};

int run(const WorkerOptions& options) {
  const std::atomic<bool>& stop = install_stop_signals();
  const auto [storage, replay] = tcp_addresses(options.connect);
  // The run's resolved config comes from shared storage, so both sides always agree.
  Connection connection(storage, std::chrono::seconds(30), &stop);
  const Frame reply = connection.request(MessageType::kConfig, {});
  if (reply.type != MessageType::kConfig)
    throw std::runtime_error("unexpected reply to config request");
  PayloadReader reader(reply.payload);
  const Config config = parse_config(reader.get_string(), storage + " (the run's config)");
  RoleContext context;
  context.config = config;
  context.storage_address = storage;
  context.replay_address = replay;
  // Distinct seeds for workers started by hand without an id.
  context.worker_id = options.worker_id >= 0
                          ? options.worker_id
                          : 1000 + static_cast<int>(std::random_device{}() % 1000000);
  context.stop = &stop;
  spdlog::info("self-play worker {} joined {} ({})", context.worker_id, options.connect,
               config.game_name);
  return run_self_play_role(context);
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
  worker->add_option("--worker-id", options->worker_id,
                     "Seeds this worker's games; distinct per worker (default: random)");
  return [worker, options]() -> int { return worker->parsed() ? run(*options) : -1; };
}

}  // namespace muzero
