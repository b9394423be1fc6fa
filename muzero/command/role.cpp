// muzero __role NAME --run-dir DIR --worker-id N --seed-salt S
// Internal: how the supervisor starts its children. Not shown in --help. The torch-free
// muzero-role binary (role_main.cpp) runs every role but the trainer the same way.
#include <CLI/CLI.hpp>

#include <memory>

#include "muzero/command/commands.h"
#include "muzero/command/torch_players.h"
#include "muzero/runtime/role_process.h"
#include "muzero/runtime/roles.h"

namespace muzero {

CommandRunner add_role_command(CLI::App& app) {
  auto options = std::make_shared<RoleOptions>();
  CLI::App* role = add_role_subcommand(app, *options);
  return [role, options]() -> int {
    if (!role->parsed()) return -1;
    return run_role_process(*options, [](const std::string& name, RoleContext& context) {
      if (name == "trainer") return run_trainer_role(context);
      context.make_evaluator = make_player_evaluator;
      return run_role(name, context);
    });
  };
}

}  // namespace muzero
