// The cost of one real move of a game as self-play makes it (legal moves, observation, step),
// whatever the game is built as: built in, a plugin (game.plugin) or Python (game.python); and
// the cost of trying every legal move on a copy, which the all-moves consistency loss and the
// lookahead rewards pay at every position.
//   build/bench/game_step_cost CONFIG [MOVES [key=value ...]]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "games/registry.h"
#include "muzero/config.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CONFIG [MOVES [key=value ...]]\n", argv[0]);
    return 2;
  }
  const long moves = argc > 2 ? std::stol(argv[2]) : 100000;
  std::vector<std::string> overrides(argv + std::min(argc, 3), argv + argc);
  const muzero::Config config = muzero::load_config(argv[1], overrides);
  auto game = muzero::make_game(config.game_name);
  std::mt19937_64 rng(1);
  std::uint64_t seed = 0;
  game->reset(seed++);
  double checksum = 0;
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < moves; ++i) {
    const std::vector<muzero::Action> legal = game->legal_actions();
    checksum += game->observation()[0];
    const muzero::StepResult step =
        game->step(legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)]);
    checksum += step.reward;
    if (step.done) game->reset(seed++);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %.2f us a move (legal moves, observation, step; %ld moves; checksum %.0f)\n",
              config.game_name.c_str(), 1e6 * seconds / moves, moves, checksum);
  // What recording the observation after every move costs per position: one copy and step per
  // legal move, from positions along random games, with the copy the all-moves consistency loss
  // takes (lookahead_copy) and with an exact clone (lookahead rewards need A + A x A of those).
  // A game whose clone replays its episode (LunarLander) pays for every move already made.
  const auto try_every_move = [&](const char* what, auto copy_of) {
    game->reset(seed++);
    long positions = 0, copies = 0;
    const long copy_moves = std::max(1L, moves / 10);
    const auto copy_start = std::chrono::steady_clock::now();
    for (long i = 0; i < copy_moves; ++i) {
      const std::vector<muzero::Action> legal = game->legal_actions();
      for (const muzero::Action action : legal) {
        const std::unique_ptr<muzero::Game> copy = copy_of(*game);
        checksum += copy->step(action).reward;
        ++copies;
      }
      ++positions;
      const muzero::StepResult step =
          game->step(legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)]);
      if (step.done) game->reset(seed++);
    }
    const double copy_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - copy_start).count();
    std::printf(
        "%s: %.2f us a position to try every legal move on a %s (%.2f us a copy and step; %ld "
        "positions; checksum %.0f)\n",
        config.game_name.c_str(), 1e6 * copy_seconds / positions, what, 1e6 * copy_seconds / copies,
        positions, checksum);
  };
  try_every_move("lookahead copy", [](const muzero::Game& g) { return g.lookahead_copy(); });
  try_every_move("clone", [](const muzero::Game& g) { return g.clone(); });
  return 0;
}
