// muzero evaluate --checkpoint PATH [--opponent random|expert|minimal|every-line|self|
//                 alphabeta:D] [--games N] [--max-lines N]
//                 [--muzero-player 0|1] [--simulations N] [--search puct|gumbel]
//                 [--unvisited-value min|parent] [--known-value-bounds LO HI]
//                 [--average-symmetries]
//                 [--random-opening N] [--inference auto|native|torch] [--json] [--seed S]
#include <torch/torch.h>
#include <CLI/CLI.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>

#include "games/registry.h"
#include "muzero/agent.h"
#include "muzero/command/commands.h"
#include "muzero/command/inference_option.h"
#include "muzero/command/opponent_option.h"
#include "muzero/config.h"
#include "self_play/evaluation.h"
#include "self_play/every_line.h"
#include "self_play/symmetry_averaging.h"

namespace muzero {
namespace {

struct EvaluateOptions {
  std::string checkpoint;
  std::string opponent = "self";
  int games = 100;
  int muzero_player = 0;
  bool json = false;
  std::uint64_t seed = 0;
  int simulations = 0;                     // 0: the checkpoint's self_play.num_simulations
  std::string search;                      // empty: the checkpoint's self_play.search
  std::string unvisited_value;             // empty: the checkpoint's self_play.unvisited_value
  std::vector<double> known_value_bounds;  // empty: the checkpoint's self_play.known_value_bounds
  int random_opening = 0;
  bool average_symmetries = false;
  std::string inference;             // empty: the checkpoint's self_play.inference
  std::int64_t max_lines = 1000000;  // --opponent every-line
  std::string baseline;              // one-player games: "expert" plays the same episodes too
};

// --baseline expert: the game's expert plays the episodes MuZero played (the same seeds), and
// the report says how often MuZero did at least as well; where the expert is optimal
// (gridworld's shortest way), that is how often MuZero's return was the best possible.
std::string baseline_report(const std::function<std::unique_ptr<Game>()>& make,
                            std::span<const std::uint64_t> seeds,
                            std::span<const EpisodeResult> muzero, int max_moves, bool json) {
  double total = 0;
  int matched = 0;
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    const std::unique_ptr<Game> game = make();
    game->reset(seeds[i]);
    double reward = 0;
    for (int move = 0; move < max_moves && !game->is_terminal(); ++move) {
      reward += game->step(*game->expert_action()).reward;
    }
    total += reward;
    if (muzero[i].total_reward >= reward - 1e-6) ++matched;
  }
  const double mean = total / static_cast<double>(seeds.size());
  char text[160];
  if (json) {
    std::snprintf(text, sizeof text, "\"expert_mean_reward\":%.6g,\"at_least_expert\":%d", mean,
                  matched);
  } else {
    std::snprintf(
        text, sizeof text,
        "expert  %.4f mean reward on the same episodes; MuZero did as well in %d of %zu\n", mean,
        matched, seeds.size());
  }
  return text;
}

// --opponent every-line: the counts over every line of replies, and a lost game's moves.
int report_every_line(const EveryLineResult& result, const EvaluateOptions& options,
                      const Game& game) {
  if (!result.complete) {
    std::cerr << "muzero: --opponent every-line: more than " << options.max_lines
              << " lines (raise --max-lines, or use alphabeta:D for a game this large)\n";
    return kExitFailure;
  }
  std::string lost;
  for (Action a : result.first_loss) lost += (lost.empty() ? "" : " ") + game.action_to_string(a);
  if (options.json) {
    std::cout << "{\"lines\":" << result.lines << ",\"wins\":" << result.wins
              << ",\"draws\":" << result.draws << ",\"losses\":" << result.losses
              << ",\"first_loss\":\"" << lost << "\"}\n";
    return kExitOk;
  }
  std::cout << "MuZero (seat " << options.muzero_player << ") against every line of replies\n"
            << "lines   " << result.lines << "\n"
            << "wins    " << result.wins << "\n"
            << "draws   " << result.draws << "\n"
            << "losses  " << result.losses << "\n";
  if (result.losses > 0) std::cout << "a lost line: " << lost << "\n";
  return kExitOk;
}

int run(const EvaluateOptions& options) {
  std::optional<Agent> loaded = load_agent_or_explain(options.checkpoint);
  if (!loaded) return kExitBadConfig;
  Agent& agent = *loaded;
  const Config& config = agent.config;
  Game* probe = agent.game.get();
  const bool every_line = options.opponent == "every-line";
  // Checked by the CLI; every-line is no episode opponent (it plays a tree of games).
  const OpponentChoice opponent = parse_opponent(every_line ? "random" : options.opponent);
  if (opponent.kind != Opponent::kSelf && probe->num_players() != 2) {
    std::cerr << "muzero: --opponent " << options.opponent << " needs a two-player game; "
              << config.game_name << " has one player\n";
    return kExitBadConfig;
  }
  if (opponent.kind == Opponent::kExpert && !probe->expert_action()) {
    probe->reset(0);
    if (!probe->expert_action()) {
      std::cerr << "muzero: " << config.game_name << " has no expert opponent\n";
      return kExitBadConfig;
    }
  }
  if (!options.baseline.empty()) {
    probe->reset(0);
    if (probe->num_players() != 1 || !probe->expert_action()) {
      std::cerr << "muzero: --baseline expert needs a one-player game with an expert; "
                << config.game_name << " is not one\n";
      return kExitBadConfig;
    }
  }
  if (options.average_symmetries && probe->symmetries().empty()) {
    std::cerr << "muzero: --average-symmetries: " << config.game_name << " has no symmetries\n";
    return kExitBadConfig;
  }
  torch::manual_seed(options.seed);
  const std::unique_ptr<NetworkEvaluator> network_evaluator =
      agent_evaluator_or_explain(agent, options.inference);
  if (!network_evaluator) return kExitBadConfig;
  // With no symmetries this passes every call through.
  SymmetryAveragingEvaluator evaluator(*network_evaluator, options.average_symmetries
                                                               ? probe->symmetries()
                                                               : std::vector<Symmetry>{});
  SearchParams search = config.self_play.search;
  if (options.simulations > 0) search.num_simulations = options.simulations;
  if (!options.search.empty()) search.algorithm = options.search;
  if (!options.unvisited_value.empty()) search.unvisited_value = options.unvisited_value;
  if (!options.known_value_bounds.empty()) {
    const double low = options.known_value_bounds[0], high = options.known_value_bounds[1];
    if (!std::isfinite(low) || !std::isfinite(high) || !(low < high)) {
      std::cerr << "muzero: --known-value-bounds: expected two finite numbers, the lower first\n";
      return kExitBadConfig;
    }
    search.known_value_bounds = std::array<double, 2>{low, high};
  }
  if (every_line) {
    return report_every_line(
        play_every_line([&] { return make_game(config.game_name); }, evaluator, search,
                        options.muzero_player, options.max_lines, config.self_play.max_moves),
        options, *probe);
  }
  const EpisodeSettings settings{search, config.self_play.max_moves, opponent,
                                 options.muzero_player, options.random_opening};
  std::mt19937_64 rng(options.seed);
  std::vector<std::uint64_t> seeds(options.games);
  for (std::uint64_t& s : seeds) s = rng();
  const std::vector<EpisodeResult> episodes =
      play_episodes([&] { return make_game(config.game_name); }, seeds, evaluator, settings, rng);
  const EvaluationSummary summary = summarize(episodes, options.muzero_player);
  const std::string baseline =
      options.baseline.empty()
          ? ""
          : baseline_report([&] { return make_game(config.game_name); }, seeds, episodes,
                            config.self_play.max_moves, options.json);
  if (options.json) {
    std::string line = to_json(summary);
    if (!baseline.empty()) line.insert(line.size() - 1, "," + baseline);
    std::cout << line << "\n";
  } else {
    std::cout << config.game_name << ": MuZero (seat " << options.muzero_player << ") vs "
              << options.opponent << "\n"
              << to_text(summary) << baseline;
  }
  return kExitOk;
}

}  // namespace

CommandRunner add_evaluate_command(CLI::App& app) {
  auto options = std::make_shared<EvaluateOptions>();
  CLI::App* evaluate = app.add_subcommand(
      "evaluate", "Play games with a checkpoint (no exploration noise) and report the results");
  evaluate->add_option("--checkpoint", options->checkpoint, "checkpoint.pt of a training run")
      ->required();
  evaluate
      ->add_option("--opponent", options->opponent,
                   "Who plays the other seat of a two-player game: self, random, expert, minimal "
                   "(wins, blocks, else random), every-line (every possible line of replies, "
                   "one game each: small games) or alphabeta:D (a depth-D alpha-beta search "
                   "over the rules, D 1..20)")
      ->check(opponent_validator({"self", "random", "expert", "minimal", "every-line"}))
      ->capture_default_str();
  evaluate
      ->add_option("--max-lines", options->max_lines,
                   "--opponent every-line: give up beyond this many lines (default 1000000)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}));
  evaluate
      ->add_option("--baseline", options->baseline,
                   "One-player games with an expert: it plays the same episodes, and the report "
                   "says in how many MuZero did as well")
      ->check(CLI::IsMember({"expert"}));
  evaluate->add_option("--games", options->games, "Number of games")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  evaluate
      ->add_option("--muzero-player", options->muzero_player,
                   "MuZero's seat in a two-player game (0 moves first)")
      ->check(CLI::Range(0, 1))
      ->capture_default_str();
  evaluate
      ->add_option("--simulations", options->simulations,
                   "Search simulations per move (default: the checkpoint's num_simulations)")
      ->check(CLI::Range(1, 100000));
  evaluate
      ->add_option("--search", options->search,
                   "Tree search (default: the checkpoint's self_play.search)")
      ->check(CLI::IsMember({"puct", "gumbel"}));
  evaluate
      ->add_option("--unvisited-value", options->unvisited_value,
                   "pUCT's value for unvisited children (default: the checkpoint's "
                   "self_play.unvisited_value)")
      ->check(CLI::IsMember({"min", "parent"}));
  evaluate
      ->add_option("--known-value-bounds", options->known_value_bounds,
                   "The lowest and highest value a position can have, for the search's value "
                   "scaling (default: the checkpoint's self_play.known_value_bounds)")
      ->expected(2);
  evaluate
      ->add_option("--random-opening", options->random_opening,
                   "Play the first N moves of every game at random (both seats), for varied games "
                   "against a deterministic opponent")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  evaluate->add_flag("--average-symmetries", options->average_symmetries,
                     "Average the network's policy and value at each root over the game's "
                     "symmetries (the board and its mirror images)");
  add_inference_option(*evaluate, options->inference);
  evaluate->add_flag("--json", options->json, "Print one JSON object instead of text");
  evaluate->add_option("--seed", options->seed, "Seeds the games and the random opponent")
      ->capture_default_str();
  return [evaluate, options]() -> int { return evaluate->parsed() ? run(*options) : -1; };
}

}  // namespace muzero
