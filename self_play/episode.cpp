#include "self_play/episode.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "self_play/action_selection.h"
#include "self_play/alpha_beta.h"
#include "self_play/minimal_expert.h"

namespace muzero {

OpponentChoice parse_opponent(const std::string& name) {
  if (name == "self") return Opponent::kSelf;
  if (name == "random") return Opponent::kRandom;
  if (name == "expert") return Opponent::kExpert;
  if (name == "minimal") return Opponent::kMinimal;
  constexpr std::string_view kAlphaBeta = "alphabeta:";
  if (name.starts_with(kAlphaBeta)) {
    const std::string digits = name.substr(kAlphaBeta.size());
    const bool number =
        !digits.empty() && digits.size() <= 2 &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(c); });
    const int depth = number ? std::stoi(digits) : 0;
    if (depth >= 1 && depth <= AlphaBeta::kMaxDepth) return {Opponent::kAlphaBeta, depth};
    throw std::invalid_argument("opponent '" + name + "': the depth of alphabeta:D must be 1 to " +
                                std::to_string(AlphaBeta::kMaxDepth));
  }
  throw std::invalid_argument("unknown opponent '" + name +
                              "' (self, random, expert, minimal or alphabeta:DEPTH)");
}

std::vector<EpisodeResult> play_episodes(const std::function<std::unique_ptr<Game>()>& make_game,
                                         std::span<const std::uint64_t> seeds, Evaluator& evaluator,
                                         const EpisodeSettings& settings, std::mt19937_64& rng) {
  const std::size_t n = seeds.size();
  std::vector<std::unique_ptr<Game>> games(n);
  std::vector<EpisodeResult> results(n);
  std::vector<int> searches(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    games[i] = make_game();
    games[i]->reset(seeds[i]);
  }
  if (n == 0) return results;
  SearchParams search = settings.search;
  search.add_exploration_noise = false;
  BatchedSearch searcher(search, games[0]->num_players(), games[0]->action_space_size());
  std::optional<AlphaBeta> alpha_beta;
  if (settings.opponent.kind == Opponent::kAlphaBeta) alpha_beta.emplace(settings.opponent.depth);

  auto running = [&](std::size_t i) {
    return !games[i]->is_terminal() && results[i].length < settings.max_moves;
  };
  auto muzero_to_move = [&](std::size_t i) {
    return settings.opponent.kind == Opponent::kSelf ||
           games[i]->to_play() == settings.muzero_player;
  };
  auto play = [&](std::size_t i, Action action, bool by_muzero) {
    results[i].rewards_by_player.resize(games[i]->num_players(), 0.0);
    const int mover = games[i]->to_play();
    const StepResult step = games[i]->step(action);
    results[i].rewards_by_player[mover] += step.reward;
    results[i].total_reward += step.reward;
    (by_muzero ? results[i].muzero_reward : results[i].opponent_reward) += step.reward;
    ++results[i].length;
    results[i].moves.push_back(action);
  };
  auto in_opening = [&](std::size_t i) {
    return results[i].length < settings.random_opening_moves;
  };
  auto random_move = [&](std::size_t i) {
    const std::vector<Action> legal = games[i]->legal_actions();
    return legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)];
  };

  while (true) {
    // Opening and opponent moves need no network; play them until MuZero is to move everywhere.
    for (std::size_t i = 0; i < n; ++i) {
      while (running(i) && (in_opening(i) || !muzero_to_move(i))) {
        if (in_opening(i)) {
          play(i, random_move(i), muzero_to_move(i));
          continue;
        }
        std::optional<Action> action;
        if (settings.opponent.kind == Opponent::kAlphaBeta) {
          action = alpha_beta->choose(*games[i], rng);
        } else if (settings.opponent.kind == Opponent::kExpert) {
          action = games[i]->expert_action();
          if (!action) throw std::runtime_error("this game has no expert opponent");
        } else if (settings.opponent.kind == Opponent::kMinimal) {
          action = minimal_expert_action(*games[i], rng);
        } else {
          action = random_move(i);
        }
        play(i, *action, false);
      }
    }
    std::vector<std::size_t> active;
    std::vector<std::vector<float>> observations;
    std::vector<SearchRoot> roots;
    for (std::size_t i = 0; i < n; ++i) {
      if (!running(i)) continue;
      active.push_back(i);
      observations.push_back(games[i]->observation());
    }
    if (active.empty()) break;
    for (std::size_t k = 0; k < active.size(); ++k) {
      roots.push_back(
          {observations[k], games[active[k]]->legal_actions(), games[active[k]]->to_play()});
    }
    std::vector<std::mt19937_64> unused(active.size());  // no noise: never drawn from
    const std::vector<SearchResult> searched = searcher.run(evaluator, roots, unused);
    for (std::size_t k = 0; k < active.size(); ++k) {
      const std::size_t i = active[k];
      results[i].mean_root_value += searched[k].root_value;
      ++searches[i];
      play(i, move_after_search(searched[k], 0.0, rng), true);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (searches[i] > 0) results[i].mean_root_value /= searches[i];
  }
  return results;
}

}  // namespace muzero
