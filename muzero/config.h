#pragma once
// Every hyperparameter of a run, read from one YAML file per game (configs/) and documented in
// docs/configuration.md. Each library takes its own parameter struct from here.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/network_params.h"
#include "replay_buffer/replay_buffer.h"
#include "self_play/action_selection.h"
#include "self_play/lockstep_self_play.h"
#include "trainer/train_params.h"

namespace muzero {

struct Config {
  std::string source;  // the file it was read from

  // game:
  std::string game_name = "cartpole";
  std::string game_plugin;  // absolute path of a game plugin (games/plugin_api.h), or empty
  std::string game_python;  // "FILE.py:Class" (FILE absolute) of a game in Python, or empty
  // SHA-256 (hex) of the plugin's and the Python file's bytes: recorded on first use, checked
  // afterwards (resume, checkpoints, remote workers).
  std::string game_plugin_sha256;
  std::string game_python_sha256;
  std::uint64_t seed = 0;
  int stacked_observations = 0;

  NetworkParams network;

  // self_play: (self_play.search.discount is the game's discount, also used for targets)
  int num_workers = 1;
  int num_parallel_games = 8;
  // Which backend runs self-play, test and evaluation inference: native (plain C++ on the CPU,
  // fully connected networks), torch (LibTorch), or auto (native where the network has it).
  std::string inference = "auto";
  // Where LibTorch inference of self-play and test games runs: cpu, or cuda (then inference is
  // LibTorch's; the native backend is CPU-only).
  std::string self_play_device = "cpu";
  SelfPlayParams self_play;
  std::vector<TemperatureStep> visit_softmax_temperature{{0.5, 1.0}, {0.75, 0.5}, {1.0, 0.25}};

  // replay_buffer:
  ReplayParams replay;

  // reanalyse: (docs/configuration.md, docs/design.md "Reanalyse")
  int reanalyse_workers = 0;      // processes that search stored positions again
  double reanalyse_fraction = 0;  // share of each batch whose first targets are fresh
  int reanalyse_windows = 4;      // windows (K+1 positions each) per batched search

  // training:
  std::string device = "auto";
  int training_steps = 10000;
  int batch_size = 128;
  int checkpoint_interval = 10;
  std::optional<double> ratio = 1.5;  // training steps per self-play step; nullopt: free running
  int start_after_games = 1;
  TrainParams train;

  // test:
  int test_interval_steps = 500;  // training steps between test rounds
  int test_episodes = 4;
  std::string opponent = "self";  // two-player games: self, random or expert
  int muzero_player = 0;
  int test_random_opening = 0;  // test games start with this many random moves (both seats)

  std::string results_dir = "results";
  int keep_checkpoint_every = 0;  // also keep checkpoints/step-N.pt every N steps; 0: never
};

// A refused configuration. what() names the file (or the --set option), the line and the key.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads `path`, then applies overrides of the form "section.key=value" (value in YAML syntax).
// Throws ConfigError on unknown keys, wrong types and out-of-range values.
Config load_config(const std::string& path, const std::vector<std::string>& overrides = {});
// The same from YAML text; `source` names it in error messages.
Config parse_config(const std::string& text, const std::string& source,
                    const std::vector<std::string>& overrides = {});

// Whether players act with the native CPU backend (self_play.inference auto or native,
// self_play.device cpu, and a network it runs) rather than LibTorch.
bool acts_natively(const Config& config);

// The resolved configuration in the same YAML layout, for the run directory.
std::string config_to_yaml(const Config& config);

}  // namespace muzero
