#pragma once
// The search half of reanalyse: every position of a work item searched again, all in one
// lock-step batch, with the same search (and exploration noise) as self-play, so that fresh
// targets are what self-play would record now.
#include <cstdint>
#include <random>

#include "replay_buffer/reanalyse_work.h"
#include "self_play/evaluator.h"
#include "self_play/mcts.h"

namespace muzero {

// Targets for every position of `work`, stamped with `weights_step` (the training step of the
// evaluator's weights). Root i's noise comes from its own generator, seeded from `rng` in order.
ReanalysedTargets reanalyse(BatchedSearch& search, Evaluator& evaluator, const ReanalyseWork& work,
                            std::int64_t weights_step, std::mt19937_64& rng);

}  // namespace muzero
