#include "self_play/episode.h"

#include <stdexcept>

#include "self_play/action_selection.h"

namespace muzero {

Opponent parse_opponent(const std::string& name) {
  if (name == "self") return Opponent::kSelf;
  if (name == "random") return Opponent::kRandom;
  if (name == "expert") return Opponent::kExpert;
  throw std::invalid_argument("unknown opponent '" + name + "' (self, random or expert)");
}

EpisodeResult play_episode(Game& game, std::uint64_t seed, Evaluator& evaluator,
                           SearchParams search, int max_moves, Opponent opponent, int muzero_player,
                           std::mt19937_64& rng) {
  search.add_exploration_noise = false;
  BatchedSearch searcher(search, game.num_players(), game.action_space_size());
  game.reset(seed);
  EpisodeResult result;
  int searches = 0;
  while (!game.is_terminal() && result.length < max_moves) {
    const int player = game.to_play();
    const bool muzero_moves = opponent == Opponent::kSelf || player == muzero_player;
    Action action;
    if (muzero_moves) {
      const std::vector<float> observation = game.observation();
      SearchRoot root{observation, game.legal_actions(), player};
      std::mt19937_64 unused(0);
      const SearchResult searched = searcher.run(evaluator, {&root, 1}, {&unused, 1})[0];
      action = select_action(searched.visit_counts, 0.0, rng);
      result.mean_root_value += searched.root_value;
      ++searches;
    } else if (opponent == Opponent::kExpert) {
      const auto expert = game.expert_action();
      if (!expert) throw std::runtime_error("this game has no expert opponent");
      action = *expert;
    } else {
      const std::vector<Action> legal = game.legal_actions();
      action = legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)];
    }
    const StepResult step = game.step(action);
    result.total_reward += step.reward;
    (muzero_moves ? result.muzero_reward : result.opponent_reward) += step.reward;
    ++result.length;
  }
  if (searches > 0) result.mean_root_value /= searches;
  return result;
}

}  // namespace muzero
