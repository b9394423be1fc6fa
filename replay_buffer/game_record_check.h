#pragma once
// What a game record must be to enter a run's replay buffer, whether it comes from a self-play
// worker or from the saved replay-buffer file: shaped for the run's game, consistent with
// itself, finite, and no longer than the run's games can be. The wire decoder only checks that
// a record is well formed; a well-formed record of another game would corrupt every batch.
#include <stdexcept>

#include "games/game_spec.h"
#include "replay_buffer/game_history.h"

namespace muzero {

class InvalidGameRecord : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct GameRecordRules {
  GameSpec game;
  int max_moves = 0;  // self_play.max_moves: no game of the run is longer
};

// Throws InvalidGameRecord naming the first thing that is wrong.
void check_game_record(const GameHistory& record, const GameRecordRules& rules);

}  // namespace muzero
