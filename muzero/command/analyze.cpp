// muzero analyze --checkpoint PATH [--simulations N] [--inference auto|native|torch]
// An analysis engine for scripts and notebooks: reads positions from standard input, one a line
// (moves from the start in the game's notation or as #ACTION; an empty line is the start), and
// answers each with one JSON line: the search's move, root value, visits and prior over the
// whole action space (self_play/analysis.h). A line naming no reachable position gets a JSON
// line with an "error", and the engine goes on.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "games/registry.h"
#include "muzero/agent.h"
#include "muzero/command/commands.h"
#include "muzero/command/inference_option.h"
#include "muzero/config.h"
#include "self_play/analysis.h"

namespace muzero {
namespace {

struct AnalyzeOptions {
  std::string checkpoint;
  int simulations = 0;    // 0: the checkpoint's self_play.num_simulations
  std::string inference;  // empty: the checkpoint's self_play.inference
};

int run(const AnalyzeOptions& options) {
  std::optional<Agent> loaded = load_agent_or_explain(options.checkpoint);
  if (!loaded) return kExitBadConfig;
  Agent& agent = *loaded;
  const std::unique_ptr<NetworkEvaluator> evaluator =
      agent_evaluator_or_explain(agent, options.inference);
  if (!evaluator) return kExitBadConfig;
  SearchParams search = agent.config.self_play.search;
  if (options.simulations > 0) search.num_simulations = options.simulations;
  const std::string game_name = agent.config.game_name;
  Analyzer analyzer([&] { return make_game(game_name); }, search, *evaluator);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::cout << analyzer.analyze(line) << std::endl;  // flushed: a caller waits for each
  }
  return kExitOk;
}

}  // namespace

CommandRunner add_analyze_command(CLI::App& app) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* analyze = app.add_subcommand(
      "analyze",
      "Analyse positions read from standard input (one a line: moves from the start, in the "
      "game's notation or as #ACTION) with a checkpoint's search; one JSON line each");
  analyze->add_option("--checkpoint", options->checkpoint, "checkpoint.pt of a training run")
      ->required();
  analyze
      ->add_option("--simulations", options->simulations,
                   "Search simulations per position (default: the checkpoint's num_simulations)")
      ->check(CLI::Range(1, 1000000));
  add_inference_option(*analyze, options->inference);
  return [analyze, options]() -> int { return analyze->parsed() ? run(*options) : -1; };
}

}  // namespace muzero
