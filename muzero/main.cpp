// The single `muzero` binary: subcommands are in command/.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "models/math_threads.h"
#include "muzero/command/commands.h"
#include "muzero/command/torch_players.h"

int main(int argc, char** argv) {
  muzero::use_single_math_thread();
  CLI::App app("muzero: MuZero training, evaluation and play");
  app.require_subcommand(1);
  std::vector<muzero::CommandRunner> commands{
      muzero::add_train_command(app),
      muzero::add_worker_command(app, muzero::make_player_evaluator),
      muzero::add_evaluate_command(app),
      muzero::add_play_command(app),
      muzero::add_export_command(app),
      muzero::add_secrets_command(app),
      muzero::add_role_command(app),
      muzero::add_analyze_command(app),
      muzero::add_diagnose_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? 0 : muzero::kExitBadConfig;
  }
  try {
    for (const auto& command : commands) {
      const int status = command();
      if (status >= 0) return status;
    }
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return muzero::kExitFailure;
  }
  return muzero::kExitFailure;
}
