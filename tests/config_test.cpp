#include "muzero/config.h"
#include "muzero/file_digest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <yaml-cpp/yaml.h>

namespace muzero {
namespace {

const std::string kSource = MUZERO_SOURCE_DIR;

// Writes `text` to a fresh file and returns its path.
std::string write_config(const std::string& name, const std::string& text) {
  const auto path =
      std::filesystem::temp_directory_path() / ("muzero_config_test_" + name + ".yaml");
  std::ofstream(path) << text;
  return path.string();
}

std::string error_of(const std::string& path, const std::vector<std::string>& overrides = {}) {
  try {
    load_config(path, overrides);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(Config, CartPoleHasMuzeroGeneralHyperparameters) {
  const Config c = load_config(kSource + "/configs/cartpole.yaml");
  EXPECT_EQ(c.game_name, "cartpole");
  EXPECT_EQ(c.self_play.search.num_simulations, 50);
  EXPECT_DOUBLE_EQ(c.self_play.search.discount, 0.997);
  EXPECT_DOUBLE_EQ(c.replay.targets.discount, 0.997);
  EXPECT_DOUBLE_EQ(c.self_play.search.root_dirichlet_alpha, 0.25);
  EXPECT_DOUBLE_EQ(c.self_play.search.root_exploration_fraction, 0.25);
  EXPECT_DOUBLE_EQ(c.self_play.search.pb_c_base, 19652);
  EXPECT_DOUBLE_EQ(c.self_play.search.pb_c_init, 1.25);
  EXPECT_EQ(c.network.support_size, 20);  // changed: muzero-general's 10 saturates (~118)
  EXPECT_EQ(c.network.encoding_size, 8);
  EXPECT_EQ(c.network.fc_dynamics_layers, std::vector<int>{16});
  EXPECT_TRUE(c.network.fc_representation_layers.empty());
  EXPECT_EQ(c.batch_size, 128);
  EXPECT_DOUBLE_EQ(c.train.lr_init, 0.02);
  EXPECT_DOUBLE_EQ(c.train.lr_decay_rate, 0.8);
  EXPECT_EQ(c.train.lr_decay_steps, 1000);
  EXPECT_DOUBLE_EQ(c.train.weight_decay, 1e-4);
  EXPECT_EQ(c.replay.window_size, 500);
  EXPECT_EQ(c.replay.targets.num_unroll_steps, 10);
  EXPECT_EQ(c.replay.targets.td_steps, 50);
  EXPECT_DOUBLE_EQ(c.replay.priority_alpha, 0.5);
  ASSERT_TRUE(c.ratio.has_value());
  EXPECT_DOUBLE_EQ(*c.ratio, 0.125);  // changed: muzero-general uses 1.5
  EXPECT_TRUE(c.replay.targets.use_last_model_value);
  EXPECT_DOUBLE_EQ(c.train.consistency_loss_weight, 2.0);  // not in muzero-general
  EXPECT_TRUE(c.replay.next_observations);  // the replay buffer sends what the loss needs
  EXPECT_EQ(c.training_steps, 10000);
  EXPECT_FALSE(c.self_play.temperature_threshold.has_value());
  ASSERT_EQ(c.visit_softmax_temperature.size(), 3u);
  EXPECT_DOUBLE_EQ(c.visit_softmax_temperature[1].until_fraction, 0.75);
  EXPECT_DOUBLE_EQ(c.visit_softmax_temperature[2].temperature, 0.25);
}

TEST(Config, TicTacToeLoads) {
  const Config c = load_config(kSource + "/configs/tictactoe.yaml");
  EXPECT_EQ(c.network.type, "fully_connected");
  ASSERT_TRUE(c.ratio.has_value());
  EXPECT_DOUBLE_EQ(*c.ratio, 0.25);
  EXPECT_EQ(c.self_play.search.num_simulations, 50);
  EXPECT_EQ(c.opponent, "expert");
  EXPECT_DOUBLE_EQ(c.train.consistency_loss_weight, 0.0);
  EXPECT_FALSE(c.replay.next_observations);
  EXPECT_DOUBLE_EQ(c.network.support_scale, 10.0);  // not in muzero-general (default 1)
}

TEST(Config, Connect4Loads) {
  const Config c = load_config(kSource + "/configs/connect4.yaml");
  EXPECT_EQ(c.game_name, "connect4");
  EXPECT_EQ(load_config(kSource + "/configs/connect4_threats.yaml").game_name, "connect4_threats");
  EXPECT_EQ(c.network.type, "fully_connected");
  EXPECT_EQ(c.network.fc_representation_layers, (std::vector<int>{256, 128}));
  EXPECT_DOUBLE_EQ(c.network.support_scale, 10.0);
  EXPECT_EQ(c.train.optimizer, "adam");
  EXPECT_DOUBLE_EQ(c.train.lr_init, 0.001);
  EXPECT_EQ(c.network.fc_action_input, "per_action");
  EXPECT_EQ(c.self_play.search.unvisited_value, "parent");
  EXPECT_EQ(c.test_random_opening, 4);
  EXPECT_TRUE(c.replay.augment_symmetries);
}

TEST(Config, MissingKeysTakeDefaults) {
  const Config c = load_config(write_config("minimal", "game:\n  name: tictactoe\n"));
  EXPECT_EQ(c.game_name, "tictactoe");
  EXPECT_EQ(c.self_play.search.num_simulations, SearchParams{}.num_simulations);
  EXPECT_DOUBLE_EQ(c.network.support_scale, 1.0);
  EXPECT_EQ(c.network.fc_conv_channels, 0);
  EXPECT_EQ(c.network.fc_conv_kernel, 4);
  EXPECT_EQ(c.network.fc_action_input, "one_hot");
  EXPECT_EQ(c.self_play.search.algorithm, "puct");
  EXPECT_EQ(c.self_play.search.gumbel_max_considered_actions, 16);
  EXPECT_DOUBLE_EQ(c.self_play.search.gumbel_c_visit, 50.0);
  EXPECT_DOUBLE_EQ(c.self_play.search.gumbel_c_scale, 0.1);
  EXPECT_EQ(c.self_play.search.unvisited_value, "min");
  EXPECT_EQ(c.test_random_opening, 0);
  EXPECT_FALSE(c.replay.augment_symmetries);
  EXPECT_DOUBLE_EQ(c.train.lookahead_reward_loss_weight, 0.0);
  EXPECT_FALSE(c.replay.lookahead_rewards);
  EXPECT_FALSE(c.self_play.record_lookahead_rewards);
  EXPECT_DOUBLE_EQ(c.replay.targets.root_value_mix, 0.0);
}

// self_play.inference: auto by default (native for a fully connected network and a residual one
// of up to 32 channels), refused as native for a network without a native backend, and only
// auto, native or torch.
TEST(Config, InferenceBackendChoice) {
  const std::string path = write_config("inference", "game:\n  name: tictactoe\n");
  const Config c = load_config(path);
  EXPECT_EQ(c.inference, "auto");
  EXPECT_TRUE(acts_natively(c));
  EXPECT_FALSE(acts_natively(load_config(path, {"self_play.inference=torch"})));
  EXPECT_TRUE(acts_natively(load_config(path, {"network.type=residual", "network.channels=32"})));
  EXPECT_FALSE(acts_natively(load_config(path, {"network.type=residual", "network.channels=64"})));
  EXPECT_TRUE(acts_natively(load_config(
      path, {"network.type=residual", "network.channels=64", "self_play.inference=native"})));
  EXPECT_THROW(load_config(path, {"self_play.inference=gpu"}), ConfigError);
  // On a GPU, players run LibTorch (the native backend is CPU-only).
  EXPECT_EQ(c.self_play_device, "cpu");
  const Config on_gpu = load_config(path, {"self_play.device=cuda"});
  EXPECT_EQ(on_gpu.self_play_device, "cuda");
  EXPECT_FALSE(acts_natively(on_gpu));
  EXPECT_THROW(load_config(path, {"self_play.device=cuda", "self_play.inference=native"}),
               ConfigError);
  EXPECT_THROW(load_config(path, {"self_play.device=auto"}), ConfigError);
}

TEST(Config, TestOpponentTakesAnAlphaBetaDepth) {
  const std::string path = write_config("alphabeta", "game:\n  name: connect4\n");
  EXPECT_EQ(load_config(path, {"test.opponent=alphabeta:3"}).opponent, "alphabeta:3");
  EXPECT_THROW(load_config(path, {"test.opponent=alphabeta:30"}), ConfigError);
  EXPECT_THROW(load_config(path, {"test.opponent=minimax"}), ConfigError);
}

// The lookahead loss needs self-play to record and the replay buffer to send its targets.
TEST(Config, LookaheadLossTurnsOnWhatItNeeds) {
  const Config c = load_config(write_config("lookahead", "game:\n  name: connect4\n"),
                               {"training.lookahead_reward_loss_weight=0.5"});
  EXPECT_DOUBLE_EQ(c.train.lookahead_reward_loss_weight, 0.5);
  EXPECT_TRUE(c.replay.lookahead_rewards);
  EXPECT_TRUE(c.self_play.record_lookahead_rewards);
}

// The all-moves consistency loss needs self-play to record the observations after every move
// and the replay buffer to send them; it is off by default, and its weight is not negative.
TEST(Config, AllMovesConsistencyTurnsOnWhatItNeeds) {
  const std::string path = write_config("all_moves", "game:\n  name: cartpole\n");
  const Config plain = load_config(path);
  EXPECT_DOUBLE_EQ(plain.train.all_moves_consistency_loss_weight, 0.0);
  EXPECT_FALSE(plain.replay.move_observations);
  EXPECT_FALSE(plain.self_play.record_move_observations);
  const Config c = load_config(path, {"training.all_moves_consistency_loss_weight=2"});
  EXPECT_DOUBLE_EQ(c.train.all_moves_consistency_loss_weight, 2.0);
  EXPECT_TRUE(c.replay.move_observations);
  EXPECT_TRUE(c.self_play.record_move_observations);
  EXPECT_THROW(load_config(path, {"training.all_moves_consistency_loss_weight=-1"}), ConfigError);
}

// self_play.known_value_bounds: null by default, or two finite values, the lowest first.
TEST(Config, KnownValueBoundsAreARangeOrNull) {
  const std::string path = write_config("bounds", "game:\n  name: gridworld\n");
  EXPECT_FALSE(load_config(path).self_play.search.known_value_bounds.has_value());
  const Config c = load_config(path, {"self_play.known_value_bounds=[0, 1]"});
  ASSERT_TRUE(c.self_play.search.known_value_bounds.has_value());
  EXPECT_EQ(*c.self_play.search.known_value_bounds, (std::array<double, 2>{0.0, 1.0}));
  EXPECT_EQ(load_config(write_config("bounds_again", config_to_yaml(c)))
                .self_play.search.known_value_bounds,
            c.self_play.search.known_value_bounds);
  EXPECT_EQ(error_of(path, {"self_play.known_value_bounds=[1, 0]"}),
            "--set self_play.known_value_bounds=[1, 0]: self_play.known_value_bounds: the lowest "
            "value must be below the highest");
  EXPECT_NE(error_of(path, {"self_play.known_value_bounds=[0]"}).find("expected null or [LOWEST"),
            std::string::npos);
  EXPECT_NE(error_of(path, {"self_play.known_value_bounds=[0, .inf]"}).find("finite"),
            std::string::npos);
}

// self_play.random_opening_moves: 0 by default, kept through the run's config.yaml, not negative.
TEST(Config, RandomOpeningMovesAreACountFromZero) {
  const std::string path = write_config("openings", "game:\n  name: tictactoe\n");
  EXPECT_EQ(load_config(path).self_play.random_opening_moves, 0);
  const Config c = load_config(path, {"self_play.random_opening_moves=3"});
  EXPECT_EQ(c.self_play.random_opening_moves, 3);
  EXPECT_EQ(
      load_config(write_config("openings_again", config_to_yaml(c))).self_play.random_opening_moves,
      3);
  EXPECT_NE(error_of(path, {"self_play.random_opening_moves=-1"}).find("random_opening_moves"),
            std::string::npos);
}

TEST(Config, OverridesReplaceFileValues) {
  const Config c = load_config(
      kSource + "/configs/cartpole.yaml",
      {"self_play.num_simulations=25", "training.ratio=null", "network.fc_value_layers=[4, 5]",
       "network.fc_conv_channels=32", "network.fc_conv_kernel=3",
       "network.fc_action_input=per_action", "self_play.search=gumbel",
       "self_play.gumbel_max_considered_actions=4", "self_play.gumbel_c_scale=0.1",
       "self_play.unvisited_value=parent", "replay_buffer.augment_symmetries=true"});
  EXPECT_EQ(c.self_play.search.num_simulations, 25);
  EXPECT_FALSE(c.ratio.has_value());
  EXPECT_EQ(c.network.fc_value_layers, (std::vector<int>{4, 5}));
  EXPECT_EQ(c.network.fc_conv_channels, 32);
  EXPECT_EQ(c.network.fc_conv_kernel, 3);
  EXPECT_EQ(c.network.fc_action_input, "per_action");
  EXPECT_EQ(c.self_play.search.algorithm, "gumbel");
  EXPECT_EQ(c.self_play.search.gumbel_max_considered_actions, 4);
  EXPECT_DOUBLE_EQ(c.self_play.search.gumbel_c_scale, 0.1);
  EXPECT_EQ(c.self_play.search.unvisited_value, "parent");
  EXPECT_TRUE(c.replay.augment_symmetries);
}

TEST(Config, RefusesUnknownKeysWithFileLineAndSuggestion) {
  const std::string path =
      write_config("unknown", "game:\n  name: cartpole\nself_play:\n  pb_c_bse: 3\n");
  EXPECT_EQ(error_of(path),
            path + ":4: unknown key 'self_play.pb_c_bse' (did you mean 'self_play.pb_c_base'?)");
  const std::string section = write_config("section", "gaem:\n  name: cartpole\n");
  EXPECT_EQ(error_of(section), section + ":2: unknown key 'gaem.name' (did you mean 'game.name'?)");
  const std::string far = write_config("far", "training:\n  zzzzzzzz: 1\n");
  EXPECT_EQ(error_of(far), far + ":2: unknown key 'training.zzzzzzzz'");
}

TEST(Config, RefusesWrongTypes) {
  const std::string path = write_config("type", "replay_buffer:\n  prioritized: maybe\n");
  EXPECT_EQ(error_of(path),
            path + ":2: replay_buffer.prioritized: expected true or false, got 'maybe'");
  const std::string list = write_config("list", "network:\n  fc_value_layers: 16\n");
  EXPECT_EQ(error_of(list),
            list + ":2: network.fc_value_layers: expected a list of layer sizes, got '16'");
  const std::string map = write_config("map", "self_play:\n  num_simulations: {a: 1}\n");
  EXPECT_EQ(error_of(map),
            map + ":2: self_play.num_simulations: expected an integer, got a mapping");
  const std::string flat = write_config("flat", "game: cartpole\n");
  EXPECT_EQ(error_of(flat), flat + ":1: section 'game' must be a mapping of keys to values");
}

TEST(Config, RefusesOutOfRangeValues) {
  const std::string sims = write_config("sims", "\n\nself_play:\n  num_simulations: 0\n");
  EXPECT_EQ(error_of(sims),
            sims + ":4: self_play.num_simulations: must be between 1 and 100000, got 0");
  const std::string device = write_config("device", "training:\n  device: tpu\n");
  EXPECT_EQ(error_of(device),
            device + ":2: training.device: must be one of auto, cpu, cuda, got 'tpu'");
  const std::string search = write_config("search", "self_play:\n  search: alphazero\n");
  EXPECT_EQ(error_of(search),
            search + ":2: self_play.search: must be one of puct, gumbel, got 'alphazero'");
  const std::string unvisited = write_config("unvisited", "self_play:\n  unvisited_value: max\n");
  EXPECT_EQ(error_of(unvisited),
            unvisited + ":2: self_play.unvisited_value: must be one of min, parent, got 'max'");
  const std::string mix = write_config("mix", "replay_buffer:\n  root_value_mix: 1.5\n");
  EXPECT_EQ(error_of(mix),
            mix + ":2: replay_buffer.root_value_mix: must be at least 0 and at most 1, got 1.5");
  const std::string game = write_config("game", "game:\n  name: chess\n");
  EXPECT_NE(error_of(game).find(game + ":2: game.name: must be one of"), std::string::npos);
  const std::string schedule =
      write_config("schedule",
                   "self_play:\n  visit_softmax_temperature:\n    - {until: 0.5, temperature: 1}\n"
                   "    - {until: 0.4, temperature: 0.5}\n");
  EXPECT_EQ(error_of(schedule),
            schedule + ":2: self_play.visit_softmax_temperature: 'until' fractions must increase");
  const std::string opponent =
      write_config("opponent", "game:\n  name: cartpole\ntest:\n  opponent: expert\n");
  EXPECT_EQ(error_of(opponent), opponent +
                                    ": test.opponent: 'expert' needs a two-player game; cartpole "
                                    "has one player");
}

// A NaN compares false with every bound, so it passed the range checks of real-valued keys.
// Every scalar key of the resolved config (the free-text results_dir aside) refuses it.
TEST(Config, RefusesNanAndInfinityForEveryKey) {
  const std::string path = kSource + "/configs/cartpole.yaml";
  const YAML::Node resolved = YAML::Load(config_to_yaml(load_config(path)));
  int checked = 0;
  for (const auto& section : resolved) {
    for (const auto& entry : section.second) {
      const std::string key = section.first.Scalar() + "." + entry.first.Scalar();
      if (!entry.second.IsScalar() && !entry.second.IsNull()) continue;
      if (key == "output.results_dir") continue;
      for (const char* value : {".nan", ".inf", "-.inf"}) {
        const std::string error = error_of(path, {key + "=" + value});
        EXPECT_NE(error, "no error") << key << "=" << value;
        EXPECT_NE(error.find(key), std::string::npos) << error;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 40);
  EXPECT_EQ(error_of(path, {"training.lr_init=.nan"}),
            "--set training.lr_init=.nan: training.lr_init: expected a finite number, got '.nan'");
  const std::string schedule = write_config(
      "nan_schedule", "self_play:\n  visit_softmax_temperature:\n    - {temperature: .nan}\n");
  EXPECT_EQ(error_of(schedule), schedule +
                                    ":2: self_play.visit_softmax_temperature: expected a finite "
                                    "number, got '.nan'");
}

TEST(Config, RefusesBadOverridesNamingThem) {
  const std::string path = kSource + "/configs/cartpole.yaml";
  EXPECT_EQ(error_of(path, {"training.lr_init=-1"}),
            "--set training.lr_init=-1: training.lr_init: must be greater than 0 and at most 10, "
            "got -1");
  EXPECT_EQ(error_of(path, {"network.support_scale=0"}),
            "--set network.support_scale=0: network.support_scale: must be greater than 0 and at "
            "most 1000, got 0");
  EXPECT_EQ(error_of(path, {"nonsense"}), "--set nonsense: expected --set section.key=value");
  EXPECT_EQ(error_of(path, {"training.bach_size=3"}),
            "--set training.bach_size=3: unknown key 'training.bach_size' (did you mean "
            "'training.batch_size'?)");
}

TEST(Config, SyntaxErrorsAndMissingFiles) {
  const std::string path = write_config("syntax", "game:\n  name: [cartpole\n");
  EXPECT_NE(error_of(path).find(path + ":3: YAML syntax error"), std::string::npos);
  EXPECT_EQ(error_of("/nonexistent/x.yaml"),
            "/nonexistent/x.yaml: cannot open the configuration file");
}

TEST(Config, ResolvedYamlLoadsBackToTheSameConfig) {
  const Config c = load_config(kSource + "/configs/cartpole.yaml", {"self_play.num_simulations=7"});
  const std::string yaml = config_to_yaml(c);
  const Config again = load_config(write_config("resolved", yaml));
  EXPECT_EQ(config_to_yaml(again), yaml);
  EXPECT_EQ(again.self_play.search.num_simulations, 7);
  EXPECT_EQ(again.visit_softmax_temperature.size(), 3u);
}

// Every config the project ships loads, and plays a registered game.
TEST(Config, EveryShippedConfigLoads) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kSource + "/configs")) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    EXPECT_NO_THROW(load_config(entry.path().string()));
    ++count;
  }
  EXPECT_GE(count, 9);
}

// The digest recorded for game files (game.plugin_sha256): SHA-256 of "abc", FIPS 180-2's
// first example.
TEST(Config, FileDigestIsSha256) {
  const auto path = std::filesystem::temp_directory_path() / "muzero_digest_test.txt";
  std::ofstream(path, std::ios::binary) << "abc";
  EXPECT_EQ(file_sha256(path.string()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::filesystem::remove(path);
  EXPECT_THROW(file_sha256(path.string()), std::runtime_error);
}

}  // namespace
}  // namespace muzero
