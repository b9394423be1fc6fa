#pragma once
// What the replay buffer and a reanalyse worker exchange (MuZero Reanalyse, EfficientZero): the
// buffer hands out windows of stored positions, each the K+1 positions a training sample
// unrolls over; the worker searches them again with the latest weights and hands back new
// policy and value targets, stamped with the training step of those weights.
#include <cstdint>
#include <vector>

#include "replay_buffer/batch.h"

namespace muzero {

// Positions first .. first + count - 1 of one stored game.
struct ReanalyseWindow {
  GameId game_id = 0;
  int first = 0;
  int count = 0;
};

// P positions in all, window after window.
struct ReanalyseWork {
  int observation_size = 0;
  int action_space_size = 0;  // A
  std::vector<ReanalyseWindow> windows;
  std::vector<float> observations;        // P x observation_size
  std::vector<std::int32_t> to_play;      // P
  std::vector<std::uint8_t> legal_masks;  // P x A, 1 where legal; at least one per position
  int num_positions() const { return static_cast<int>(to_play.size()); }
};

struct ReanalysedTargets {
  std::int64_t weights_step = 0;         // the training step of the weights that searched
  std::vector<ReanalyseWindow> windows;  // as in the work
  std::vector<float> policies;           // P x A, the search's policy targets
  std::vector<float> root_values;        // P, the search's root values
};

}  // namespace muzero
