// muzero-role: the roles of a training run that never need LibTorch (storage, the replay
// buffer, and self-play and test workers that act with the native backend), in a binary that
// does not link it: such a process starts in milliseconds and holds a few MiB instead of
// LibTorch's ~60. The supervisor starts it as `muzero-role __role NAME ...` when it lies next
// to the muzero binary, and falls back to `muzero __role NAME ...` otherwise.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <exception>

#include "muzero/command/commands.h"
#include "muzero/runtime/role_process.h"
#include "muzero/runtime/roles.h"

int main(int argc, char** argv) {
  CLI::App app("muzero-role: internal, a process of a muzero training run");
  app.require_subcommand(1);
  muzero::RoleOptions options;
  muzero::add_role_subcommand(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? 0 : muzero::kExitBadConfig;
  }
  try {
    return muzero::run_role_process(options,
                                    [](const std::string& name, muzero::RoleContext& context) {
                                      return muzero::run_role(name, context);
                                    });
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return muzero::kExitFailure;
  }
}
