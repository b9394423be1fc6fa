#pragma once
// One file per subcommand (command/<name>.cpp); each registers its options on the CLI app and
// returns the process exit status when run.
#include <functional>

#include "muzero/runtime/role_context.h"

namespace CLI {
class App;
}

namespace muzero {

// Exit statuses shared by all subcommands.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadConfig = 2;

using CommandRunner = std::function<int()>;

CommandRunner add_train_command(CLI::App& app);
CommandRunner add_role_command(CLI::App& app);
// make_evaluator: the LibTorch-capable players' factory (muzero), or empty (muzero-role, native
// players only).
CommandRunner add_worker_command(CLI::App& app, EvaluatorFactory make_evaluator);
CommandRunner add_evaluate_command(CLI::App& app);
CommandRunner add_analyze_command(CLI::App& app);
CommandRunner add_diagnose_command(CLI::App& app);
CommandRunner add_play_command(CLI::App& app);
CommandRunner add_export_command(CLI::App& app);
CommandRunner add_secrets_command(CLI::App& app);

}  // namespace muzero
