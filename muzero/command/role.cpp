// muzero __role NAME --run-dir DIR --worker-id N --seed-salt S
// Internal: how the supervisor starts its children. Not shown in --help.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "muzero/command/commands.h"
#include "muzero/runtime/roles.h"
#include "muzero/runtime/run_log.h"

namespace muzero {
namespace {

struct RoleOptions {
  std::string role;
  std::string run_dir;
  int worker_id = 0;
  std::uint64_t seed_salt = 0;
  std::string listen;
  int parent_pid = 0;
};

int run(const RoleOptions& options) {
  const std::atomic<bool>& stop = install_stop_signals(options.parent_pid);
  const std::filesystem::path run_dir = options.run_dir;
  const Config config = load_config((run_dir / run_files::kConfig).string());
  RoleContext context = make_role_context(config, run_dir, options.worker_id, &stop);
  context.seed_salt = options.seed_salt;
  context.listen = options.listen;
  log_to_run_directory(run_dir, options.role == "self_play"
                                    ? "self_play " + std::to_string(options.worker_id)
                                    : options.role);
  try {
    return run_role(options.role, context);
  } catch (const std::exception& error) {
    if (stop.load()) return 0;  // a peer went away during shutdown
    spdlog::error("{}", error.what());
    return kExitFailure;
  }
}

}  // namespace

CommandRunner add_role_command(CLI::App& app) {
  auto options = std::make_shared<RoleOptions>();
  CLI::App* role = app.add_subcommand("__role", "internal: a process of a training run");
  role->group("");  // hidden
  role->add_option("name", options->role)->required();
  role->add_option("--run-dir", options->run_dir)->required();
  role->add_option("--worker-id", options->worker_id);
  role->add_option("--seed-salt", options->seed_salt);
  role->add_option("--listen", options->listen);
  role->add_option("--parent-pid", options->parent_pid)->required();
  return [role, options]() -> int { return role->parsed() ? run(*options) : -1; };
}

}  // namespace muzero
