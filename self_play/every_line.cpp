#include "self_play/every_line.h"

#include <random>
#include <stdexcept>

#include "self_play/action_selection.h"

namespace muzero {
namespace {

struct Line {
  std::unique_ptr<Game> game;
  std::vector<Action> moves;
  double muzero_reward = 0, opponent_reward = 0;
};

}  // namespace

EveryLineResult play_every_line(const std::function<std::unique_ptr<Game>()>& make_game,
                                Evaluator& evaluator, SearchParams search, int muzero_player,
                                std::int64_t max_lines, int max_moves) {
  search.add_exploration_noise = false;
  std::vector<Line> frontier(1);
  frontier[0].game = make_game();
  frontier[0].game->reset(0);
  if (frontier[0].game->num_players() != 2) {
    throw std::invalid_argument("every line of replies needs a two-player game");
  }
  BatchedSearch searcher(search, 2, frontier[0].game->action_space_size());
  EveryLineResult result;
  std::mt19937_64 unused_rng(0);  // the most visited move is chosen without chance
  const auto finish = [&](Line& line) {
    ++result.lines;
    if (line.muzero_reward > line.opponent_reward) {
      ++result.wins;
    } else if (line.muzero_reward < line.opponent_reward) {
      if (result.losses++ == 0) result.first_loss = line.moves;
    } else {
      ++result.draws;
    }
  };
  const auto play = [](Line& line, Action action, bool by_muzero) {
    const StepResult step = line.game->step(action);
    (by_muzero ? line.muzero_reward : line.opponent_reward) += step.reward;
    line.moves.push_back(action);
  };
  while (!frontier.empty()) {
    // The opponent's turns: one line per legal reply.
    std::vector<Line> muzero_to_move;
    while (!frontier.empty()) {
      Line line = std::move(frontier.back());
      frontier.pop_back();
      if (line.game->is_terminal() || static_cast<int>(line.moves.size()) >= max_moves) {
        finish(line);
      } else if (line.game->to_play() == muzero_player) {
        muzero_to_move.push_back(std::move(line));
      } else {
        for (Action reply : line.game->legal_actions()) {
          Line branch{line.game->clone(), line.moves, line.muzero_reward, line.opponent_reward};
          play(branch, reply, false);
          frontier.push_back(std::move(branch));
        }
      }
      if (static_cast<std::int64_t>(frontier.size() + muzero_to_move.size()) + result.lines >
          max_lines) {
        EveryLineResult incomplete;
        incomplete.complete = false;
        return incomplete;
      }
    }
    if (muzero_to_move.empty()) break;
    // MuZero's turns, all searched in one batch.
    std::vector<std::vector<float>> observations;
    std::vector<SearchRoot> roots;
    for (const Line& line : muzero_to_move) observations.push_back(line.game->observation());
    for (std::size_t i = 0; i < muzero_to_move.size(); ++i) {
      roots.push_back({observations[i], muzero_to_move[i].game->legal_actions(), muzero_player});
    }
    std::vector<std::mt19937_64> rngs(roots.size());
    const std::vector<SearchResult> searched = searcher.run(evaluator, roots, rngs);
    for (std::size_t i = 0; i < muzero_to_move.size(); ++i) {
      play(muzero_to_move[i], move_after_search(searched[i], 0.0, unused_rng), true);
      frontier.push_back(std::move(muzero_to_move[i]));
    }
  }
  return result;
}

}  // namespace muzero
