// How strong a player must be to beat Connect4's expert in most games: an alpha-beta search
// with the true rules, DEPTH plies deep, plays the expert (or the minimal one, as
// connect4_losses) after RANDOM_OPENING random moves, from the given seat. It sees every forced
// win and loss within DEPTH plies; among equal moves it prefers the center, as the expert does.
// With LEAF "flat" it knows nothing else (every other leaf is worth 0), so DEPTH 2 plays much
// like the expert itself; with "threats" a leaf is scored by the usual hand-made measure of
// open lines (three or two of a player's stones in a line of four with the rest empty, and
// stones in the center column). A yardstick for the learned agents' scores, which no network
// enters. The pruning was checked against plain minimax (same values and moves).
//   build/research/connect4/connect4_reference DEPTH SEAT [GAMES [RANDOM_OPENING [expert|minimal
//   [flat|threats]]]]
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "research/connect4/connect4_positions.h"
#include "games/connect4.h"

namespace muzero {
namespace {

constexpr Action kCenterFirst[] = {3, 2, 4, 1, 5, 0, 6};
// Above any leaf score (at most 69 lines x 5 + 6 x 3).
constexpr int kWin = 100000;

// The open-lines measure of a position for `stone`'s player.
int threats_score(const Connect4::Board& board, std::uint8_t stone) {
  constexpr int kDirections[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
  int score = 0;
  for (int row = 0; row < Connect4::kRows; ++row) {
    for (int column = 0; column < Connect4::kColumns; ++column) {
      for (const auto& d : kDirections) {
        const int last_row = row + 3 * d[0], last_column = column + 3 * d[1];
        if (last_row >= Connect4::kRows || last_column < 0 || last_column >= Connect4::kColumns) {
          continue;
        }
        int own = 0, other = 0;
        for (int i = 0; i < 4; ++i) {
          const std::uint8_t cell = board[row + i * d[0]][column + i * d[1]];
          own += cell == stone;
          other += cell != 0 && cell != stone;
        }
        if (other == 0) score += own == 3 ? 5 : own == 2 ? 2 : 0;
        if (own == 0) score -= other == 3 ? 5 : other == 2 ? 2 : 0;
      }
    }
    const std::uint8_t center = board[row][Connect4::kColumns / 2];
    score += center == stone ? 3 : center != 0 ? -3 : 0;
  }
  return score;
}

int negamax(const Connect4& game, int depth, int alpha, int beta, bool threats);

// The value of playing `action` in `game` for the player to move, `depth` plies deep in all:
// kWin + plies left for a win (sooner is better), minus that for a loss; otherwise 0 or the
// leaf's open-lines score. The window (alpha, beta) is the mover's.
int move_value(const Connect4& game, Action action, int depth, int alpha, int beta, bool threats) {
  Connect4 next = game;
  const auto stone = static_cast<std::uint8_t>(game.to_play() + 1);
  const StepResult result = next.step(action);
  if (result.reward > 0) return kWin + depth;
  if (result.done) return 0;
  if (depth > 1) return -negamax(next, depth - 1, -beta, -alpha, threats);
  return threats ? threats_score(next.board(), stone) : 0;
}

// Negamax value of `game` for the player to move, with alpha-beta pruning.
int negamax(const Connect4& game, int depth, int alpha, int beta, bool threats) {
  int best = -kWin - depth - 1;
  for (Action a : kCenterFirst) {
    if (game.board()[Connect4::kRows - 1][a] != 0) continue;
    const int value = move_value(game, a, depth, alpha, beta, threats);
    if (value > best) best = value;
    if (best > alpha) alpha = best;
    if (alpha >= beta) break;
  }
  return best;
}

// The best move, the most central among equals: only values above the best so far matter.
Action search_action(const Connect4& game, int depth, bool threats) {
  Action chosen = -1;
  int best = -kWin - depth - 1;
  for (Action a : kCenterFirst) {
    if (game.board()[Connect4::kRows - 1][a] != 0) continue;
    const int value = move_value(game, a, depth, best, kWin + depth + 1, threats);
    if (value > best) {
      best = value;
      chosen = a;
    }
  }
  return chosen;
}

int run(int depth, int seat, int games, int opening, bool minimal, bool threats) {
  int wins = 0, draws = 0, losses = 0;
  std::mt19937_64 rng(12345);
  for (int g = 0; g < games; ++g) {
    Connect4 game;
    game.reset(rng());
    play_random_moves(game, opening, rng);
    while (!game.is_terminal()) {
      const Action a = game.to_play() == seat
                           ? search_action(game, depth, threats)
                           : (minimal ? minimal_expert_action(game, rng) : *game.expert_action());
      game.step(a);
    }
    if (game.winner() == seat) {
      ++wins;
    } else if (game.winner() < 0) {
      ++draws;
    } else {
      ++losses;
    }
  }
  std::printf(
      "%d games, seat %d, %d random opening moves, search depth %d (%s leaves), against "
      "the %s\n",
      games, seat, opening, depth, threats ? "threats" : "flat",
      minimal ? "minimal expert" : "expert");
  std::printf("wins %d  draws %d  losses %d  (%.1f%% wins)\n", wins, draws, losses,
              100.0 * wins / games);
  return 0;
}

}  // namespace
}  // namespace muzero

int main(int argc, char** argv) {
  const int depth = argc > 1 ? std::atoi(argv[1]) : 0;
  const int seat = argc > 2 ? std::atoi(argv[2]) : -1;
  const int games = argc > 3 ? std::atoi(argv[3]) : 1000;
  const int opening = argc > 4 ? std::atoi(argv[4]) : 4;
  const std::string opponent = argc > 5 ? argv[5] : "expert";
  const std::string leaf = argc > 6 ? argv[6] : "flat";
  if (depth < 1 || (seat != 0 && seat != 1) || games < 1 || opening < 0 ||
      (opponent != "expert" && opponent != "minimal") || (leaf != "flat" && leaf != "threats")) {
    std::fprintf(stderr,
                 "usage: connect4_reference DEPTH SEAT [GAMES [RANDOM_OPENING [expert|minimal "
                 "[flat|threats]]]]\n");
    return 2;
  }
  return muzero::run(depth, seat, games, opening, opponent == "minimal", leaf == "threats");
}
