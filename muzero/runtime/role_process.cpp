#include "muzero/runtime/role_process.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>

#include "muzero/command/commands.h"
#include "muzero/runtime/run_log.h"

namespace muzero {

CLI::App* add_role_subcommand(CLI::App& app, RoleOptions& options) {
  CLI::App* role = app.add_subcommand("__role", "internal: a process of a training run");
  role->group("");  // hidden
  role->add_option("name", options.role)->required();
  role->add_option("--run-dir", options.run_dir)->required();
  role->add_option("--worker-id", options.worker_id);
  role->add_option("--seed-salt", options.seed_salt);
  role->add_option("--listen", options.listen);
  role->add_option("--parent-pid", options.parent_pid)->required();
  return role;
}

int run_role_process(const RoleOptions& options,
                     const std::function<int(const std::string&, RoleContext&)>& run) {
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
    return run(options.role, context);
  } catch (const std::exception& error) {
    if (stop.load()) return 0;  // a peer went away during shutdown
    spdlog::error("{}", error.what());
    return kExitFailure;
  }
}

std::string role_binary() {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "";
  const std::filesystem::path sibling = self.parent_path() / "muzero-role";
  if (sibling == self || access(sibling.c_str(), X_OK) != 0) return "";
  return sibling.string();
}

bool runs_without_torch(const std::string& role, const Config& config) {
  if (role == "storage" || role == "replay") return true;
  if (role == "self_play" || role == "test" || role == "reanalyse") return acts_natively(config);
  return false;
}

}  // namespace muzero
