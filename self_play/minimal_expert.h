#pragma once
// `--opponent minimal`: the least an expert must be (muzero-general's Connect4 expert), for any
// two-player game whose Game says where a player would win at once (Game::winning_moves): a
// move that wins at once, else one that blocks a win the opponent threatens, else a uniformly
// random legal move; each choice uniform among its candidates. Weaker than the games' own
// experts, which also avoid handing over a win (Connect4's prefers the centre too).
#include <random>

#include "games/game.h"

namespace muzero {

Action minimal_expert_action(const Game& game, std::mt19937_64& rng);

}  // namespace muzero
