#pragma once
// A process of a training run as the supervisor starts it: `BINARY __role NAME --run-dir DIR
// --worker-id N --seed-salt S --parent-pid P [--listen HOST:PORT]`. Shared by the muzero binary
// (every role) and the torch-free muzero-role binary (every role but the trainer).
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>

#include "muzero/runtime/role_context.h"

namespace muzero {

struct RoleOptions {
  std::string role;
  std::string run_dir;
  int worker_id = 0;
  std::uint64_t seed_salt = 0;
  std::string listen;
  int parent_pid = 0;
};

// The hidden `__role` subcommand of `app`.
CLI::App* add_role_subcommand(CLI::App& app, RoleOptions& options);

// Reads the run's config and token, logs to the run directory, and runs the role through
// `run`; returns its exit status (kExitFailure, logged, when it throws outside shutdown).
int run_role_process(const RoleOptions& options,
                     const std::function<int(const std::string& role, RoleContext& context)>& run);

// The torch-free binary for the roles that never need LibTorch, next to this one: storage,
// replay, and players that act natively. Empty when it is not there (every role then runs in
// this binary).
std::string role_binary();
// Whether `role` runs in role_binary() for this config.
bool runs_without_torch(const std::string& role, const Config& config);

}  // namespace muzero
