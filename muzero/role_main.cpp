// muzero-role: the processes of a training run that never need LibTorch (the supervisor,
// storage, the replay buffer, and self-play and test workers that act with the native backend),
// in a binary that does not link it: such a process starts in milliseconds and holds a few MiB
// instead of LibTorch's ~60. `muzero train` becomes `muzero-role __supervise ...` once the run
// directory is ready, and the supervisor starts `muzero-role __role NAME ...`, when it lies
// next to the muzero binary; otherwise everything runs in muzero.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <exception>
#include <filesystem>

#include "muzero/command/commands.h"
#include "muzero/runtime/role_process.h"
#include "muzero/runtime/roles.h"
#include "muzero/runtime/supervisor.h"

int main(int argc, char** argv) {
  CLI::App app("muzero-role: internal, a process of a muzero training run");
  app.require_subcommand(1);
  muzero::RoleOptions options;
  CLI::App* role = muzero::add_role_subcommand(app, options);
  // worker: `muzero worker` handed over (command/worker.cpp), with native players only.
  const muzero::CommandRunner worker = muzero::add_worker_command(app, {});
  // __supervise --run-dir DIR --torch-binary PATH [--listen HOST:PORT] [--advertise HOST]
  // [--resuming]: the rest of `muzero train`, on a run directory it has prepared.
  std::string run_dir, torch_binary;
  muzero::ListenOptions listen;
  bool resuming = false;
  CLI::App* supervise = app.add_subcommand("__supervise", "internal: muzero train's supervisor");
  supervise->group("");
  supervise->add_option("--run-dir", run_dir)->required();
  supervise->add_option("--torch-binary", torch_binary)->required();
  supervise->add_option("--listen", listen.listen);
  supervise->add_option("--advertise", listen.advertise);
  supervise->add_flag("--resuming", resuming);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? 0 : muzero::kExitBadConfig;
  }
  try {
    if (supervise->parsed()) {
      const std::filesystem::path config_path =
          std::filesystem::path(run_dir) / muzero::run_files::kConfig;
      const muzero::Config config = muzero::load_config(config_path.string());
      return muzero::supervise_and_report(config, run_dir, listen, {torch_binary}, resuming);
    }
    if (const int status = worker(); status >= 0) return status;
    if (!role->parsed()) return muzero::kExitFailure;
    return muzero::run_role_process(options,
                                    [](const std::string& name, muzero::RoleContext& context) {
                                      return muzero::run_role(name, context);
                                    });
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return muzero::kExitFailure;
  }
}
