#pragma once
// The network of the roles that search with the latest published weights: self-play, test and
// reanalyse workers.
#include <atomic>
#include <cstdint>
#include <memory>

#include "models/network_evaluator.h"
#include "muzero/runtime/role_context.h"
#include "muzero/runtime/storage_client.h"

namespace muzero {

// The backend self_play.inference names: native here, LibTorch through the context's factory.
std::unique_ptr<NetworkEvaluator> make_player(const RoleContext& context);
// Loads weights newer than `version` from storage; returns whether it did. `training_step`,
// when given, receives the training step the loaded weights came from.
bool refresh_weights(StorageClient& storage, NetworkEvaluator& evaluator, std::int64_t& version,
                     std::int64_t* training_step = nullptr);
// Waits until the trainer has published a first version.
void wait_for_weights(StorageClient& storage, NetworkEvaluator& evaluator, std::int64_t& version,
                      const std::atomic<bool>& stop, std::int64_t* training_step = nullptr);

}  // namespace muzero
