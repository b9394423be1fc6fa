// muzero diagnose --checkpoint PATH [--moves M,M,...] [--unroll K] [--out DIR] [--seed S]
//                 [--simulations N] [--max-moves N] [--inference auto|native|torch]
// What muzero-general's diagnose_model shows: one episode played with the evaluation search,
// and from chosen moves the model unrolled along the moves really played, its rewards and
// values beside the real ones, the search's policy beside the network's prior, and every legal
// move's one model step beside the real game after it (diagnose_moves.tsv). Prints
// tables, writes them as TSV files to DIR and draws DIR/diagnose.png with gnuplot when it is
// installed (Debian's gnuplot-nox).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "games/registry.h"
#include "muzero/agent.h"
#include "muzero/command/commands.h"
#include "muzero/command/inference_option.h"
#include "muzero/config.h"
#include "self_play/diagnosis.h"

namespace muzero {
namespace {

struct DiagnoseOptions {
  std::string checkpoint;
  std::vector<int> moves;  // empty: the first, and every quarter of the episode
  int unroll = -1;         // -1: the checkpoint's replay_buffer.num_unroll_steps
  std::string out;         // empty: CHECKPOINT_DIR/diagnose
  std::uint64_t seed = 0;
  int simulations = 0;
  int max_moves = 0;
  std::string inference;
};

std::vector<int> default_moves(int episode_moves) {
  std::vector<int> moves;
  for (int quarter = 0; quarter < 4; ++quarter) {
    const int m = quarter * episode_moves / 4;
    if (moves.empty() || moves.back() != m) moves.push_back(m);
  }
  return moves;
}

void print_tables(const EpisodeDiagnosis& d, const Game& game) {
  std::cout << fmt::format("episode: {} moves, reward {:.2f}{}\n", d.actions.size(),
                           d.total_reward(), d.truncated ? " (cut off)" : "");
  for (const DiagnosedMove& move : d.moves) {
    std::cout << fmt::format(
        "\nmove {}: the model unrolled along the moves played\n"
        "  step  position  action      reward: predicted      real    value: predicted      "
        "real    search\n",
        move.move);
    for (std::size_t k = 0; k < move.unroll.size(); ++k) {
      const DiagnosedStep& s = move.unroll[k];
      const std::string action = s.action < 0 ? "-" : game.action_to_string(s.action);
      const std::string reward =
          k == 0 ? fmt::format("{:>20}{:>10}", "-", "-")
                 : fmt::format("{:>20.4f}{:>10.4f}", s.predicted_reward, s.real_reward);
      const std::string search =
          s.searched ? fmt::format("{:>10.4f}", s.search_value) : "         -";
      std::cout << fmt::format("  {:>4}  {:>8}  {:>6}{}{:>19.4f}{:>10.4f}{}\n", k, s.position,
                               action, reward, s.predicted_value, s.real_value, search);
    }
    std::cout << "  each legal move, one step of the dynamics against the real game (values for "
                 "the player to move after it):\n"
                 "  action  visits  search value    reward: predicted      real    value: "
                 "predicted  network on the real position\n";
    for (const DiagnosedAction& a : move.actions) {
      const std::string real_next = a.ends_game ? std::string("     (game over) 0")
                                                : fmt::format("{:>18.4f}", a.next_network_value);
      std::cout << fmt::format("  {:>6}  {:>6}  {:>12.4f}{:>20.4f}{:>10.4f}{:>19.4f}  {}\n",
                               game.action_to_string(a.action), a.visits, a.search_value,
                               a.predicted_reward, a.real_reward, a.predicted_value, real_next);
    }
    std::cout << "  action  prior  search policy\n";
    for (std::size_t a = 0; a < move.prior.size(); ++a) {
      if (move.prior[a] == 0.0f && move.search_policy[a] == 0.0f) continue;
      std::cout << fmt::format("  {:>6}  {:.3f}  {:.3f}\n",
                               game.action_to_string(static_cast<Action>(a)), move.prior[a],
                               move.search_policy[a]);
    }
  }
}

void write_files(const EpisodeDiagnosis& d, const std::filesystem::path& out) {
  std::filesystem::create_directories(out);
  std::ofstream episode(out / "diagnose_episode.tsv");
  episode << "position\tnetwork_value\tsearch_value\treal_value\n";
  for (std::size_t t = 0; t < d.actions.size(); ++t) {
    episode << t << '\t' << d.network_values[t] << '\t' << d.search_values[t] << '\t'
            << d.real_values[t] << '\n';
  }
  std::ofstream unroll(out / "diagnose_unroll.tsv");
  unroll << "move\tstep\tposition\taction\tpredicted_reward\treal_reward\tpredicted_value\t"
            "real_value\tsearch_value\n";
  for (const DiagnosedMove& move : d.moves) {
    for (std::size_t k = 0; k < move.unroll.size(); ++k) {
      const DiagnosedStep& s = move.unroll[k];
      unroll << move.move << '\t' << k << '\t' << s.position << '\t' << s.action << '\t'
             << s.predicted_reward << '\t' << s.real_reward << '\t' << s.predicted_value << '\t'
             << s.real_value << '\t' << (s.searched ? std::to_string(s.search_value) : "NaN")
             << '\n';
    }
    unroll << "\n\n";  // one gnuplot data block per move
  }
  std::ofstream tried(out / "diagnose_moves.tsv");
  tried << "move\taction\tvisits\tsearch_value\tpredicted_reward\treal_reward\t"
           "predicted_value\tnext_network_value\tends_game\n";
  for (const DiagnosedMove& move : d.moves) {
    for (const DiagnosedAction& a : move.actions) {
      tried << move.move << '\t' << a.action << '\t' << a.visits << '\t' << a.search_value << '\t'
            << a.predicted_reward << '\t' << a.real_reward << '\t' << a.predicted_value << '\t'
            << a.next_network_value << '\t' << (a.ends_game ? 1 : 0) << '\n';
    }
  }
  std::ofstream policy(out / "diagnose_policy.tsv");
  policy << "move\taction\tprior\tsearch_policy\n";
  for (const DiagnosedMove& move : d.moves) {
    for (std::size_t a = 0; a < move.prior.size(); ++a) {
      policy << move.move << '\t' << a << '\t' << move.prior[a] << '\t' << move.search_policy[a]
             << '\n';
    }
    policy << "\n\n";
  }
  std::ofstream script(out / "diagnose.gnuplot");
  script << "set terminal pngcairo size 1200,900\n"
            "set output 'diagnose.png'\n"
            "set datafile separator '\\t'\n"
            "set key autotitle columnhead\n"
            "set multiplot layout 2,2\n"
            "set title 'values along the episode (real: the return to its end or cut-off)'\n"
            "set xlabel 'position'\n"
            "plot 'diagnose_episode.tsv' using 1:2 with lines title 'network', '' using 1:3 "
            "with lines title 'search', '' using 1:4 with lines title 'real return'\n"
            "set title 'unrolled value (solid) against real return (dashed)'\n"
            "plot for [i=0:"
         << d.moves.size() - (d.moves.empty() ? 0 : 1)
         << "] "
            "'diagnose_unroll.tsv' index i using 3:7 with linespoints lc i+1 notitle, "
            "for [i=0:"
         << d.moves.size() - (d.moves.empty() ? 0 : 1)
         << "] "
            "'diagnose_unroll.tsv' index i using 3:8 with lines dt 2 lc i+1 notitle\n"
            "set title 'unrolled reward (points) against real reward (crosses)'\n"
            "plot 'diagnose_unroll.tsv' using 3:($2 > 0 ? $5 : NaN) with points pt 7 "
            "title 'predicted', '' using 3:($2 > 0 ? $6 : NaN) with points pt 2 title 'real'\n"
            "set title 'prior against search policy, first chosen move'\nset xlabel 'action'\n"
            "set style data histograms\nset style fill solid 0.6\nset yrange [0:1]\n"
            "plot 'diagnose_policy.tsv' index 0 using 3:xtic(2) title 'prior', '' index 0 "
            "using 4 title 'search'\n"
            "unset multiplot\n";
}

int run(const DiagnoseOptions& options) {
  std::optional<Agent> loaded = load_agent_or_explain(options.checkpoint);
  if (!loaded) return kExitBadConfig;
  Agent& agent = *loaded;
  const std::unique_ptr<NetworkEvaluator> evaluator =
      agent_evaluator_or_explain(agent, options.inference);
  if (!evaluator) return kExitBadConfig;
  DiagnoseSettings settings;
  settings.search = agent.config.self_play.search;
  if (options.simulations > 0) settings.search.num_simulations = options.simulations;
  settings.max_moves = options.max_moves > 0 ? options.max_moves : agent.config.self_play.max_moves;
  settings.unroll_steps =
      options.unroll >= 0 ? options.unroll : agent.config.replay.targets.num_unroll_steps;
  settings.seed = options.seed;
  const std::unique_ptr<Game> game = make_game(agent.config.game_name);
  // Without --moves, the episode's length decides: unroll from every move (cheap beside the
  // searches), then keep the first and one every quarter.
  if (options.moves.empty()) {
    for (int m = 0; m < settings.max_moves; ++m) settings.at_moves.push_back(m);
  } else {
    settings.at_moves = options.moves;
  }
  EpisodeDiagnosis diagnosis = diagnose_episode(*game, *evaluator, settings);
  if (options.moves.empty()) {
    const std::vector<int> keep = default_moves(static_cast<int>(diagnosis.actions.size()));
    std::erase_if(diagnosis.moves, [&](const DiagnosedMove& move) {
      return std::find(keep.begin(), keep.end(), move.move) == keep.end();
    });
  }
  print_tables(diagnosis, *game);
  const std::filesystem::path out =
      options.out.empty() ? std::filesystem::path(options.checkpoint).parent_path() / "diagnose"
                          : std::filesystem::path(options.out);
  try {
    write_files(diagnosis, out);
  } catch (const std::exception& error) {
    std::cerr << "muzero: cannot write to " << out.string() << ": " << error.what() << "\n";
    return kExitFailure;
  }
  std::cout << "\ntables: " << (out / "diagnose_*.tsv").string() << "\n";
  const std::string draw = "cd '" + out.string() + "' && gnuplot diagnose.gnuplot 2>/dev/null";
  if (std::system("command -v gnuplot >/dev/null 2>&1") == 0 && std::system(draw.c_str()) == 0) {
    std::cout << "plot: " << (out / "diagnose.png").string() << "\n";
  } else {
    std::cout << "plot: install gnuplot (Debian: gnuplot-nox) and run gnuplot diagnose.gnuplot in "
              << out.string() << "\n";
  }
  return kExitOk;
}

}  // namespace

CommandRunner add_diagnose_command(CLI::App& app) {
  auto options = std::make_shared<DiagnoseOptions>();
  CLI::App* diagnose = app.add_subcommand(
      "diagnose",
      "Play an episode with a checkpoint and unroll its model along the moves played: predicted "
      "against real rewards and values, prior against search policy (tables, TSV and a PNG)");
  diagnose->add_option("--checkpoint", options->checkpoint, "checkpoint.pt of a training run")
      ->required();
  diagnose
      ->add_option("--moves", options->moves,
                   "Moves to unroll from, e.g. 0,50,100 (default: the first, and every quarter)")
      ->delimiter(',')
      ->check(CLI::Range(0, 1000000));
  diagnose
      ->add_option("--unroll", options->unroll,
                   "Steps unrolled from each move (default: the checkpoint's num_unroll_steps)")
      ->check(CLI::Range(0, 1000));
  diagnose->add_option("--out", options->out,
                       "Folder for the tables and the plot (default: CHECKPOINT_DIR/diagnose)");
  diagnose->add_option("--seed", options->seed, "The game's seed (default 0)");
  diagnose
      ->add_option("--simulations", options->simulations,
                   "Search simulations per move (default: the checkpoint's num_simulations)")
      ->check(CLI::Range(1, 1000000));
  diagnose
      ->add_option("--max-moves", options->max_moves,
                   "Cut the episode off after this many moves (default: the checkpoint's)")
      ->check(CLI::Range(1, 1000000));
  add_inference_option(*diagnose, options->inference);
  return [diagnose, options]() -> int { return diagnose->parsed() ? run(*options) : -1; };
}

}  // namespace muzero
