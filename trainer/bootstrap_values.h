#pragma once
// replay_buffer.use_last_model_value: the bootstrap of each n-step value target comes from the
// network being trained, not from the search made when the game was played. Old searches were
// made by early, poor networks, and a game stays in the window (and keeps its values) for the
// whole of a short run. muzero-general refreshes them in a separate reanalyse worker; here the
// trainer does it for the positions it is about to learn from, in one forward pass.
#include <torch/types.h>

#include "models/network.h"
#include "replay_buffer/batch.h"

namespace muzero {

// target_values[bootstrap_rows[i]] += bootstrap_scales[i] * v(bootstrap_observations[i]),
// with v the network's scalar value (evaluation mode, no gradient). No-op without bootstraps.
void add_bootstrap_values(MuZeroNetwork& network, Batch& batch, torch::Device device);

}  // namespace muzero
