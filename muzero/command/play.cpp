// muzero play --checkpoint PATH [--opponent human|random|expert|minimal|self|alphabeta:D]
//             [--human-first] [--human-plays]
// Two-player games: play against MuZero in the terminal (or watch it play an opponent).
// One-player games: watch MuZero's own episode, move by move.
#include <torch/torch.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <sstream>

#include "games/registry.h"
#include "muzero/agent.h"
#include "muzero/command/commands.h"
#include "muzero/command/opponent_option.h"
#include "muzero/config.h"
#include "self_play/action_selection.h"
#include "self_play/alpha_beta.h"
#include "self_play/episode.h"
#include "self_play/mcts.h"
#include "self_play/minimal_expert.h"

namespace muzero {
namespace {

struct PlayOptions {
  std::string checkpoint;
  std::string opponent = "human";
  bool human_first = false;
  bool human_plays = false;  // one-player games: the human moves, MuZero's choice is a hint
  std::uint64_t seed = 0;
};

std::string legal_list(const Game& game) {
  std::string out;
  for (Action a : game.legal_actions()) out += (out.empty() ? "" : " ") + game.action_to_string(a);
  return out;
}

// MuZero's move: one search without noise, the move it chose, and what it saw.
Action muzero_move(Game& game, BatchedSearch& search, Evaluator& evaluator,
                   const char* says = "MuZero plays ") {
  const std::vector<float> observation = game.observation();
  SearchRoot root{observation, game.legal_actions(), game.to_play()};
  std::vector<std::mt19937_64> unused(1);
  const SearchResult result = search.run(evaluator, {&root, 1}, unused)[0];
  std::mt19937_64 rng(0);
  const Action action = move_after_search(result, 0.0, rng);
  std::ostringstream visits;
  for (Action a : game.legal_actions()) {
    visits << " " << game.action_to_string(a) << ":" << result.visit_counts[a];
  }
  std::cout << says << game.action_to_string(action) << "  (root value " << result.root_value
            << "; visits" << visits.str() << ")\n";
  return action;
}

// Asks until the human types a legal move; nullopt when they quit (q or end of input).
std::optional<Action> human_move(const Game& game) {
  while (true) {
    std::cout << "your move (" << legal_list(game) << "; q quits): " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    const auto first = line.find_first_not_of(" \t\r");
    const auto last = line.find_last_not_of(" \t\r");
    line = first == std::string::npos ? "" : line.substr(first, last - first + 1);
    if (line == "q" || line == "quit") return std::nullopt;
    const std::optional<Action> action = game.action_from_string(line);
    const std::vector<Action> legal = game.legal_actions();
    if (!action) {
      std::cout << "'" << line << "' is not a move. Legal moves: " << legal_list(game) << "\n";
    } else if (std::find(legal.begin(), legal.end(), *action) == legal.end()) {
      std::cout << "'" << line << "' is not legal now. Legal moves: " << legal_list(game) << "\n";
    } else {
      return action;
    }
  }
}

int run(const PlayOptions& options) {
  std::optional<Agent> loaded = load_agent_or_explain(options.checkpoint);
  if (!loaded) return kExitBadConfig;
  Agent& agent = *loaded;
  const Config& config = agent.config;
  std::unique_ptr<Game>& game = agent.game;
  const std::unique_ptr<NetworkEvaluator> network_evaluator = make_agent_evaluator(agent);
  Evaluator& evaluator = *network_evaluator;
  SearchParams params = config.self_play.search;
  params.add_exploration_noise = false;
  BatchedSearch search(params, game->num_players(), game->action_space_size());
  std::mt19937_64 rng(options.seed);
  game->reset(options.seed);
  const bool two_player = game->num_players() == 2;
  if (two_player && options.human_plays) {
    std::cerr << "muzero: --human-plays is for one-player games; against MuZero in "
              << config.game_name << " use --opponent human\n";
    return kExitBadConfig;
  }
  const int human_seat = options.human_first ? 0 : 1;
  double muzero_reward = 0, other_reward = 0;
  int moves = 0;
  std::cout << game->render();
  while (!game->is_terminal() && moves < config.self_play.max_moves) {
    const bool muzero_turn = !two_player
                                 ? !options.human_plays
                                 : options.opponent == "self" || game->to_play() != human_seat;
    Action action;
    if (!two_player && options.human_plays) {
      muzero_move(*game, search, evaluator, "MuZero would play ");
      const std::optional<Action> chosen = human_move(*game);
      if (!chosen) {
        std::cout << "bye\n";
        return kExitOk;
      }
      action = *chosen;
    } else if (muzero_turn) {
      action = muzero_move(*game, search, evaluator);
    } else if (options.opponent == "human") {
      const std::optional<Action> chosen = human_move(*game);
      if (!chosen) {
        std::cout << "bye\n";
        return kExitOk;
      }
      action = *chosen;
    } else if (options.opponent.starts_with("alphabeta:")) {
      action = AlphaBeta(parse_opponent(options.opponent).depth).choose(*game, rng);
      std::cout << options.opponent << " plays " << game->action_to_string(action) << "\n";
    } else if (options.opponent == "minimal") {
      action = minimal_expert_action(*game, rng);
      std::cout << "minimal expert plays " << game->action_to_string(action) << "\n";
    } else if (options.opponent == "expert" && game->expert_action()) {
      action = *game->expert_action();
      std::cout << "expert plays " << game->action_to_string(action) << "\n";
    } else {
      const std::vector<Action> legal = game->legal_actions();
      action = legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)];
      std::cout << "random plays " << game->action_to_string(action) << "\n";
    }
    const StepResult step = game->step(action);
    (muzero_turn ? muzero_reward : other_reward) += step.reward;
    ++moves;
    std::cout << game->render();
  }
  if (!two_player && options.human_plays) {
    std::cout << "episode over after " << moves << " moves, your total reward " << other_reward
              << "\n";
  } else if (!two_player || options.opponent == "self") {
    std::cout << "episode over after " << moves << " moves, total reward " << muzero_reward << "\n";
  } else if (muzero_reward > other_reward) {
    std::cout << "MuZero wins\n";
  } else if (muzero_reward < other_reward) {
    std::cout << (options.opponent == "human" ? "you win" : options.opponent + " wins") << "\n";
  } else {
    std::cout << "draw\n";
  }
  return kExitOk;
}

}  // namespace

CommandRunner add_play_command(CLI::App& app) {
  auto options = std::make_shared<PlayOptions>();
  CLI::App* play =
      app.add_subcommand("play", "Play against a checkpoint in the terminal, or watch it play");
  play->add_option("--checkpoint", options->checkpoint, "checkpoint.pt of a training run")
      ->required();
  play->add_option("--opponent", options->opponent, "Who plays against MuZero in a two-player game")
      ->check(opponent_validator({"human", "random", "expert", "minimal", "self"}))
      ->capture_default_str();
  play->add_flag("--human-first", options->human_first,
                 "The other side (human, random, expert, minimal or alpha-beta) moves first");
  play->add_flag("--human-plays", options->human_plays,
                 "One-player games: you play the episode (MuZero's choice is shown before each "
                 "move); without it, you watch MuZero play");
  play->add_option("--seed", options->seed, "Seeds the game and the random opponent")
      ->capture_default_str();
  return [play, options]() -> int { return play->parsed() ? run(*options) : -1; };
}

}  // namespace muzero
