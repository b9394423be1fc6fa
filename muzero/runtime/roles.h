#pragma once
// The processes of a training run; each returns its exit status. `muzero train` runs the
// supervisor, which starts the others as `muzero __role NAME --run-dir DIR --worker-id N`.
#include <string>

#include "muzero/runtime/role_context.h"

namespace muzero {

int run_storage_role(const RoleContext& context);
int run_replay_role(const RoleContext& context);
int run_trainer_role(const RoleContext& context);
int run_self_play_role(const RoleContext& context);
int run_test_role(const RoleContext& context);
int run_reanalyse_role(const RoleContext& context);

// Dispatches by name: storage, replay, trainer, self_play, test, reanalyse.
int run_role(const std::string& name, const RoleContext& context);

}  // namespace muzero
