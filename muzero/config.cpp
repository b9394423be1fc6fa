#include "muzero/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include "games/plugin_loader.h"
#include "games/python_game.h"
#include "games/registry.h"
#include "models/native/backends.h"
#include "muzero/file_digest.h"
#include "self_play/episode.h"

namespace muzero {
namespace {

// Thrown by a field's parser; the caller adds where and which key.
struct BadValue {
  std::string message;
};

struct Field {
  std::string section;
  std::string key;
  std::function<void(Config&, const YAML::Node&)> parse;
  std::function<YAML::Node(const Config&)> emit;
};

std::string describe(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

template <typename T>
T as(const YAML::Node& node, const char* what) {
  if (!node.IsScalar()) throw BadValue{std::string("expected ") + what + ", got " + describe(node)};
  try {
    return node.as<T>();
  } catch (const YAML::Exception&) {
    throw BadValue{std::string("expected ") + what + ", got " + describe(node)};
  }
}

// A finite real number: YAML's .nan and .inf are refused for every real-valued key (a NaN
// compares false with every bound, so range checks alone would let it through).
double finite_number(const YAML::Node& node, const char* what) {
  const double v = as<double>(node, what);
  if (!std::isfinite(v))
    throw BadValue{std::string("expected a finite number, got ") + describe(node)};
  return v;
}

std::string number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

// "FILE.py:Class" with FILE made absolute (from the working directory), as runs store it.
std::string absolute_python_spec(const std::string& spec) {
  if (spec.empty()) return spec;
  const auto colon = spec.rfind(':');
  if (colon == std::string::npos) throw BadValue{"expected FILE.py:ClassName, got '" + spec + "'"};
  return std::filesystem::absolute(spec.substr(0, colon)).lexically_normal().string() +
         spec.substr(colon);
}

// A SHA-256 in hex, or empty.
std::string sha256_hex(const YAML::Node& n) {
  const std::string v = as<std::string>(n, "a string");
  const bool hex = std::all_of(v.begin(), v.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
  });
  if (!v.empty() && (v.size() != 64 || !hex)) {
    throw BadValue{"expected 64 lower-case hex digits (a SHA-256) or nothing, got '" + v + "'"};
  }
  return v;
}

// Records the SHA-256 of `file` (game.plugin's or game.python's) in `recorded` when that is
// empty; otherwise the file must still have it, so that a run, its checkpoints and its remote
// workers never mix builds of a game without being told.
void record_or_check_digest(const std::string& file, std::string& recorded, const std::string& key,
                            const std::string& where) {
  std::string actual;
  try {
    actual = file_sha256(file);
  } catch (const std::runtime_error& error) {
    throw ConfigError(where + ": game." + key + ": " + error.what());
  }
  if (recorded.empty()) {
    recorded = actual;
  } else if (recorded != actual) {
    throw ConfigError(where + ": game." + key + "_sha256: the run was made with " + file +
                      " of SHA-256 " + recorded + ", but that file now has SHA-256 " + actual +
                      " (rebuilt or replaced). Use the file the run was made with, or accept "
                      "this one by training or resuming with --set game." +
                      key + "_sha256=" + actual);
  }
}

// Each helper takes `ref`, a function from Config& to the member it sets.
template <typename Ref>
Field integer(std::string section, std::string key, Ref ref, long min, long max) {
  return {section, key,
          [=](Config& c, const YAML::Node& n) {
            const long v = as<long>(n, "an integer");
            if (v < min || v > max) {
              throw BadValue{"must be between " + std::to_string(min) + " and " +
                             std::to_string(max) + ", got " + std::to_string(v)};
            }
            ref(c) = static_cast<std::remove_reference_t<decltype(ref(c))>>(v);
          },
          [=](const Config& c) { return YAML::Node(ref(const_cast<Config&>(c))); }};
}

// A real number in [min, max], or (min, max] when min_exclusive.
template <typename Ref>
Field real(std::string section, std::string key, Ref ref, double min, double max,
           bool min_exclusive = false) {
  return {section, key,
          [=](Config& c, const YAML::Node& n) {
            const double v = finite_number(n, "a number");
            if (v < min || v > max || (min_exclusive && v == min)) {
              throw BadValue{std::string("must be ") +
                             (min_exclusive ? "greater than " : "at least ") + number(min) +
                             " and at most " + number(max) + ", got " + number(v)};
            }
            ref(c) = v;
          },
          [=](const Config& c) { return YAML::Node(ref(const_cast<Config&>(c))); }};
}

template <typename Ref>
Field boolean(std::string section, std::string key, Ref ref) {
  return {section, key,
          [=](Config& c, const YAML::Node& n) { ref(c) = as<bool>(n, "true or false"); },
          [=](const Config& c) { return YAML::Node(ref(const_cast<Config&>(c))); }};
}

template <typename Ref>
Field choice(std::string section, std::string key, Ref ref, std::vector<std::string> allowed) {
  return {section, key,
          [=](Config& c, const YAML::Node& n) {
            const std::string v = as<std::string>(n, "a string");
            if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
              std::string list;
              for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
              throw BadValue{"must be one of " + list + ", got '" + v + "'"};
            }
            ref(c) = v;
          },
          [=](const Config& c) { return YAML::Node(ref(const_cast<Config&>(c))); }};
}

// self, random, expert or alphabeta:D, as parse_opponent reads them.
template <typename Ref>
Field opponent_field(std::string section, std::string key, Ref ref) {
  return {section, key,
          [=](Config& c, const YAML::Node& n) {
            const std::string v = as<std::string>(n, "a string");
            try {
              parse_opponent(v);
            } catch (const std::invalid_argument& error) {
              throw BadValue{error.what()};
            }
            ref(c) = v;
          },
          [=](const Config& c) { return YAML::Node(ref(const_cast<Config&>(c))); }};
}

template <typename Ref>
Field text(std::string section, std::string key, Ref ref) {
  return {section, key,
          [=](Config& c, const YAML::Node& n) { ref(c) = as<std::string>(n, "a string"); },
          [=](const Config& c) { return YAML::Node(ref(const_cast<Config&>(c))); }};
}

template <typename Ref>
Field layer_sizes(std::string section, std::string key, Ref ref) {
  return {section, key,
          [=](Config& c, const YAML::Node& n) {
            if (!n.IsSequence())
              throw BadValue{"expected a list of layer sizes, got " + describe(n)};
            std::vector<int> sizes;
            for (const YAML::Node& item : n) {
              const long v = as<long>(item, "a list of integers");
              if (v < 1 || v > 65536) throw BadValue{"layer sizes must be between 1 and 65536"};
              sizes.push_back(static_cast<int>(v));
            }
            ref(c) = sizes;
          },
          [=](const Config& c) {
            YAML::Node n(YAML::NodeType::Sequence);
            for (int v : ref(const_cast<Config&>(c))) n.push_back(v);
            n.SetStyle(YAML::EmitterStyle::Flow);
            return n;
          }};
}

std::vector<TemperatureStep> parse_schedule(const YAML::Node& n) {
  const char* shape =
      "a list of {until: FRACTION, temperature: T} entries, the last one without 'until'";
  if (!n.IsSequence() || n.size() == 0) throw BadValue{std::string("expected ") + shape};
  std::vector<TemperatureStep> schedule;
  double previous = 0.0;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& item = n[i];
    if (!item.IsMap()) throw BadValue{std::string("expected ") + shape};
    TemperatureStep step;
    for (const auto& entry : item) {
      const std::string name = entry.first.Scalar();
      if (name != "until" && name != "temperature") {
        throw BadValue{"unknown entry '" + name + "' (expected until and temperature)"};
      }
    }
    if (!item["temperature"]) throw BadValue{"every entry needs a temperature"};
    step.temperature = finite_number(item["temperature"], "a temperature");
    if (step.temperature < 0) throw BadValue{"temperatures must be >= 0"};
    const bool last = i + 1 == n.size();
    if (item["until"]) {
      step.until_fraction = finite_number(item["until"], "a fraction of training_steps");
      if (step.until_fraction <= previous) throw BadValue{"'until' fractions must increase"};
      previous = step.until_fraction;
    } else if (!last) {
      throw BadValue{"only the last entry may leave out 'until'"};
    } else {
      step.until_fraction = std::numeric_limits<double>::infinity();
    }
    schedule.push_back(step);
  }
  return schedule;
}

const std::vector<Field>& fields() {
  constexpr long kMaxInt = std::numeric_limits<int>::max();
  static const std::vector<Field> all = {
      // Checked against the registry once every key is read (parse_config): game.plugin and
      // game.python may register it, and --set may replace it.
      {"game", "name",
       [](Config& c, const YAML::Node& n) { c.game_name = as<std::string>(n, "a string"); },
       [](const Config& c) { return YAML::Node(c.game_name); }},
      {"game", "plugin",
       [](Config& c, const YAML::Node& n) {
         const std::string v = as<std::string>(n, "a string");
         if (v.empty()) {
           c.game_plugin.clear();
           return;
         }
         // Absolute, so that the processes started in the run directory, the checkpoint and
         // --resume find it again.
         const std::string path = std::filesystem::absolute(v).lexically_normal().string();
         try {
           load_game_plugin(path);
         } catch (const PluginError& error) {
           throw BadValue{error.what()};
         }
         c.game_plugin = path;
       },
       [](const Config& c) { return YAML::Node(c.game_plugin); }},
      // Registered under game.name by parse_config before the other keys are read.
      {"game", "python",
       [](Config& c, const YAML::Node& n) {
         c.game_python = absolute_python_spec(as<std::string>(n, "a string"));
       },
       [](const Config& c) { return YAML::Node(c.game_python); }},
      // Filled in from the files when empty, checked against them otherwise (parse_config).
      {"game", "plugin_sha256",
       [](Config& c, const YAML::Node& n) { c.game_plugin_sha256 = sha256_hex(n); },
       [](const Config& c) { return YAML::Node(c.game_plugin_sha256); }},
      {"game", "python_sha256",
       [](Config& c, const YAML::Node& n) { c.game_python_sha256 = sha256_hex(n); },
       [](const Config& c) { return YAML::Node(c.game_python_sha256); }},
      integer(
          "game", "seed", [](Config& c) -> std::uint64_t& { return c.seed; }, 0,
          std::numeric_limits<long>::max()),
      integer(
          "game", "max_moves", [](Config& c) -> int& { return c.self_play.max_moves; }, 1, kMaxInt),
      integer(
          "game", "stacked_observations", [](Config& c) -> int& { return c.stacked_observations; },
          0, 0),

      choice("network", "type", [](Config& c) -> std::string& { return c.network.type; },
             {"fully_connected", "residual"}),
      integer(
          "network", "support_size", [](Config& c) -> int& { return c.network.support_size; }, 1,
          1000),
      real(
          "network", "support_scale", [](Config& c) -> double& { return c.network.support_scale; },
          0.0, 1000.0, true),
      integer(
          "network", "encoding_size", [](Config& c) -> int& { return c.network.encoding_size; }, 1,
          65536),
      layer_sizes(
          "network", "fc_representation_layers",
          [](Config& c) -> std::vector<int>& { return c.network.fc_representation_layers; }),
      integer(
          "network", "fc_conv_channels",
          [](Config& c) -> int& { return c.network.fc_conv_channels; }, 0, 4096),
      integer(
          "network", "fc_conv_kernel", [](Config& c) -> int& { return c.network.fc_conv_kernel; },
          1, 64),
      choice("network", "fc_action_input",
             [](Config& c) -> std::string& { return c.network.fc_action_input; },
             {"one_hot", "per_action"}),
      layer_sizes("network", "fc_dynamics_layers",
                  [](Config& c) -> std::vector<int>& { return c.network.fc_dynamics_layers; }),
      layer_sizes("network", "fc_reward_layers",
                  [](Config& c) -> std::vector<int>& { return c.network.fc_reward_layers; }),
      layer_sizes("network", "fc_value_layers",
                  [](Config& c) -> std::vector<int>& { return c.network.fc_value_layers; }),
      layer_sizes("network", "fc_policy_layers",
                  [](Config& c) -> std::vector<int>& { return c.network.fc_policy_layers; }),
      integer(
          "network", "blocks", [](Config& c) -> int& { return c.network.blocks; }, 0, 256),
      integer(
          "network", "channels", [](Config& c) -> int& { return c.network.channels; }, 1, 4096),
      integer(
          "network", "reduced_channels_reward",
          [](Config& c) -> int& { return c.network.reduced_channels_reward; }, 1, 4096),
      integer(
          "network", "reduced_channels_value",
          [](Config& c) -> int& { return c.network.reduced_channels_value; }, 1, 4096),
      integer(
          "network", "reduced_channels_policy",
          [](Config& c) -> int& { return c.network.reduced_channels_policy; }, 1, 4096),
      layer_sizes("network", "resnet_fc_reward_layers",
                  [](Config& c) -> std::vector<int>& { return c.network.resnet_fc_reward_layers; }),
      layer_sizes("network", "resnet_fc_value_layers",
                  [](Config& c) -> std::vector<int>& { return c.network.resnet_fc_value_layers; }),
      layer_sizes("network", "resnet_fc_policy_layers",
                  [](Config& c) -> std::vector<int>& { return c.network.resnet_fc_policy_layers; }),

      integer(
          "self_play", "num_workers", [](Config& c) -> int& { return c.num_workers; }, 0, 1024),
      integer(
          "self_play", "num_parallel_games", [](Config& c) -> int& { return c.num_parallel_games; },
          1, 65536),
      integer(
          "self_play", "num_simulations",
          [](Config& c) -> int& { return c.self_play.search.num_simulations; }, 1, 100000),
      real(
          "self_play", "discount", [](Config& c) -> double& { return c.self_play.search.discount; },
          0.0, 1.0, true),
      {"self_play", "temperature_threshold",
       [](Config& c, const YAML::Node& n) {
         if (n.IsNull()) {
           c.self_play.temperature_threshold.reset();
           return;
         }
         const long v = as<long>(n, "an integer or null");
         if (v < 0) throw BadValue{"must be null or at least 0"};
         c.self_play.temperature_threshold = static_cast<int>(v);
       },
       [](const Config& c) {
         return c.self_play.temperature_threshold ? YAML::Node(*c.self_play.temperature_threshold)
                                                  : YAML::Node(YAML::NodeType::Null);
       }},
      integer(
          "self_play", "random_opening_moves",
          [](Config& c) -> int& { return c.self_play.random_opening_moves; }, 0, 10000),
      real(
          "self_play", "root_dirichlet_alpha",
          [](Config& c) -> double& { return c.self_play.search.root_dirichlet_alpha; }, 0.0, 1e6,
          true),
      real(
          "self_play", "root_exploration_fraction",
          [](Config& c) -> double& { return c.self_play.search.root_exploration_fraction; }, 0.0,
          1.0),
      real(
          "self_play", "pb_c_base",
          [](Config& c) -> double& { return c.self_play.search.pb_c_base; }, 0.0, 1e12, true),
      real(
          "self_play", "pb_c_init",
          [](Config& c) -> double& { return c.self_play.search.pb_c_init; }, 0.0, 1e6),
      choice("self_play", "inference", [](Config& c) -> std::string& { return c.inference; },
             {"auto", "native", "torch"}),
      choice("self_play", "device", [](Config& c) -> std::string& { return c.self_play_device; },
             {"cpu", "cuda"}),
      choice("self_play", "search",
             [](Config& c) -> std::string& { return c.self_play.search.algorithm; },
             {"puct", "gumbel"}),
      choice("self_play", "unvisited_value",
             [](Config& c) -> std::string& { return c.self_play.search.unvisited_value; },
             {"min", "parent"}),
      integer(
          "self_play", "gumbel_max_considered_actions",
          [](Config& c) -> int& { return c.self_play.search.gumbel_max_considered_actions; }, 1,
          kMaxInt),
      real(
          "self_play", "gumbel_c_visit",
          [](Config& c) -> double& { return c.self_play.search.gumbel_c_visit; }, 0.0, 1e9),
      real(
          "self_play", "gumbel_c_scale",
          [](Config& c) -> double& { return c.self_play.search.gumbel_c_scale; }, 0.0, 1e9, true),
      {"self_play", "known_value_bounds",
       [](Config& c, const YAML::Node& n) {
         std::optional<std::array<double, 2>>& bounds = c.self_play.search.known_value_bounds;
         if (n.IsNull()) {
           bounds.reset();
           return;
         }
         const char* shape = "null or [LOWEST, HIGHEST], the values a position can have";
         if (!n.IsSequence() || n.size() != 2) throw BadValue{std::string("expected ") + shape};
         const double low = finite_number(n[0], shape), high = finite_number(n[1], shape);
         if (!(low < high)) throw BadValue{"the lowest value must be below the highest"};
         bounds = std::array<double, 2>{low, high};
       },
       [](const Config& c) {
         const auto& bounds = c.self_play.search.known_value_bounds;
         if (!bounds) return YAML::Node(YAML::NodeType::Null);
         YAML::Node n(YAML::NodeType::Sequence);
         n.push_back((*bounds)[0]);
         n.push_back((*bounds)[1]);
         n.SetStyle(YAML::EmitterStyle::Flow);
         return n;
       }},
      {"self_play", "visit_softmax_temperature",
       [](Config& c, const YAML::Node& n) { c.visit_softmax_temperature = parse_schedule(n); },
       [](const Config& c) {
         YAML::Node n(YAML::NodeType::Sequence);
         for (const TemperatureStep& s : c.visit_softmax_temperature) {
           YAML::Node item;
           if (std::isfinite(s.until_fraction)) item["until"] = s.until_fraction;
           item["temperature"] = s.temperature;
           item.SetStyle(YAML::EmitterStyle::Flow);
           n.push_back(item);
         }
         return n;
       }},

      integer(
          "replay_buffer", "window_size", [](Config& c) -> int& { return c.replay.window_size; }, 1,
          100000000),
      integer(
          "replay_buffer", "num_unroll_steps",
          [](Config& c) -> int& { return c.replay.targets.num_unroll_steps; }, 0, 1000),
      integer(
          "replay_buffer", "td_steps", [](Config& c) -> int& { return c.replay.targets.td_steps; },
          1, 100000),
      boolean("replay_buffer", "prioritized",
              [](Config& c) -> bool& { return c.replay.prioritized; }),
      boolean("replay_buffer", "use_last_model_value",
              [](Config& c) -> bool& { return c.replay.targets.use_last_model_value; }),
      real(
          "replay_buffer", "root_value_mix",
          [](Config& c) -> double& { return c.replay.targets.root_value_mix; }, 0.0, 1.0),
      boolean("replay_buffer", "augment_symmetries",
              [](Config& c) -> bool& { return c.replay.augment_symmetries; }),
      real(
          "replay_buffer", "priority_alpha",
          [](Config& c) -> double& { return c.replay.priority_alpha; }, 0.0, 10.0),

      choice("training", "device", [](Config& c) -> std::string& { return c.device; },
             {"auto", "cpu", "cuda"}),
      integer(
          "training", "training_steps", [](Config& c) -> int& { return c.training_steps; }, 1,
          kMaxInt),
      integer(
          "training", "batch_size", [](Config& c) -> int& { return c.batch_size; }, 1, 1 << 20),
      integer(
          "training", "checkpoint_interval",
          [](Config& c) -> int& { return c.checkpoint_interval; }, 1, kMaxInt),
      real(
          "training", "value_loss_weight",
          [](Config& c) -> double& { return c.train.value_loss_weight; }, 0.0, 1e6),
      integer(
          "training", "target_update_interval",
          [](Config& c) -> int& { return c.train.target_update_interval; }, 0, kMaxInt),
      real(
          "training", "consistency_loss_weight",
          [](Config& c) -> double& { return c.train.consistency_loss_weight; }, 0.0, 1e6),
      real(
          "training", "all_moves_consistency_loss_weight",
          [](Config& c) -> double& { return c.train.all_moves_consistency_loss_weight; }, 0.0, 1e6),
      real(
          "training", "lookahead_reward_loss_weight",
          [](Config& c) -> double& { return c.train.lookahead_reward_loss_weight; }, 0.0, 1e6),
      choice("training", "optimizer", [](Config& c) -> std::string& { return c.train.optimizer; },
             {"adam", "sgd"}),
      real(
          "training", "weight_decay", [](Config& c) -> double& { return c.train.weight_decay; },
          0.0, 1.0),
      real(
          "training", "momentum", [](Config& c) -> double& { return c.train.momentum; }, 0.0, 1.0),
      real(
          "training", "lr_init", [](Config& c) -> double& { return c.train.lr_init; }, 0.0, 10.0,
          true),
      real(
          "training", "lr_decay_rate", [](Config& c) -> double& { return c.train.lr_decay_rate; },
          0.0, 1.0, true),
      integer(
          "training", "lr_decay_steps", [](Config& c) -> int& { return c.train.lr_decay_steps; }, 1,
          kMaxInt),
      {"training", "ratio",
       [](Config& c, const YAML::Node& n) {
         if (n.IsNull()) {
           c.ratio.reset();
           return;
         }
         const double v = finite_number(n, "a number or null");
         if (!(v > 0)) throw BadValue{"must be null (free running) or greater than 0"};
         c.ratio = v;
       },
       [](const Config& c) {
         return c.ratio ? YAML::Node(*c.ratio) : YAML::Node(YAML::NodeType::Null);
       }},
      integer(
          "training", "start_after_games", [](Config& c) -> int& { return c.start_after_games; }, 1,
          kMaxInt),

      integer(
          "reanalyse", "num_workers", [](Config& c) -> int& { return c.reanalyse_workers; }, 0,
          1024),
      real(
          "reanalyse", "fraction", [](Config& c) -> double& { return c.reanalyse_fraction; }, 0.0,
          1.0),
      integer(
          "reanalyse", "windows_per_search", [](Config& c) -> int& { return c.reanalyse_windows; },
          1, 4096),

      integer(
          "test", "interval_steps", [](Config& c) -> int& { return c.test_interval_steps; }, 1,
          kMaxInt),
      integer(
          "test", "episodes", [](Config& c) -> int& { return c.test_episodes; }, 0, 100000),
      opponent_field("test", "opponent", [](Config& c) -> std::string& { return c.opponent; }),
      integer(
          "test", "muzero_player", [](Config& c) -> int& { return c.muzero_player; }, 0, 1),
      integer(
          "test", "random_opening", [](Config& c) -> int& { return c.test_random_opening; }, 0,
          1000),

      text("output", "results_dir", [](Config& c) -> std::string& { return c.results_dir; }),
      integer(
          "output", "keep_checkpoint_every",
          [](Config& c) -> int& { return c.keep_checkpoint_every; }, 0, kMaxInt),
  };
  return all;
}

const Field* find_field(const std::string& section, const std::string& key) {
  for (const Field& f : fields()) {
    if (f.section == section && f.key == key) return &f;
  }
  return nullptr;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1u : 0u)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string unknown_key_message(const std::string& section, const std::string& key) {
  std::string best;
  std::size_t best_distance = 4;  // suggest only close matches
  for (const Field& f : fields()) {
    const std::string candidate = f.section + "." + f.key;
    const std::size_t d = edit_distance(section + "." + key, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  std::string message = "unknown key '" + section + "." + key + "'";
  if (!best.empty()) message += " (did you mean '" + best + "'?)";
  return message;
}

std::string at(const std::string& path, const YAML::Mark& mark) {
  return path + ":" + std::to_string(mark.line + 1);
}

void apply(Config& config, const Field& field, const YAML::Node& value, const std::string& where) {
  try {
    field.parse(config, value);
  } catch (const BadValue& bad) {
    throw ConfigError(where + ": " + field.section + "." + field.key + ": " + bad.message);
  }
}

}  // namespace

Config load_config(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream file(path);
  if (!file) throw ConfigError(path + ": cannot open the configuration file");
  std::stringstream text;
  text << file.rdbuf();
  return parse_config(text.str(), path, overrides);
}

Config parse_config(const std::string& text, const std::string& path,
                    const std::vector<std::string>& overrides) {
  Config config;
  config.source = path;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& error) {
    throw ConfigError(at(path, error.mark) + ": YAML syntax error: " + error.msg);
  }
  if (!root.IsMap()) {
    throw ConfigError(path + ": expected sections (game:, network:, ...) at the top level");
  }
  // game.plugin first, from the file and then from --set, so that game.name may name one of
  // its games wherever the keys stand.
  const YAML::Node game_section = static_cast<const YAML::Node&>(root)["game"];
  std::string python_spec, python_name = config.game_name, python_where;
  std::string name_where = path;  // where game.name was set, for the message if it is unknown
  if (const Field* plugin = find_field("game", "plugin");
      game_section.IsDefined() && game_section.IsMap()) {
    for (const auto& entry : game_section) {
      if (entry.first.Scalar() == "plugin") {
        apply(config, *plugin, entry.second, at(path, entry.first.Mark()));
      }
      if (entry.first.Scalar() == "python" && entry.second.IsScalar()) {
        python_spec = entry.second.Scalar();
        python_where = at(path, entry.first.Mark());
      }
      if (entry.first.Scalar() == "name" && entry.second.IsScalar()) {
        python_name = entry.second.Scalar();
      }
    }
    for (const std::string& override_text : overrides) {
      if (override_text.rfind("game.plugin=", 0) == 0) {
        YAML::Node value;
        try {
          value = YAML::Load(override_text.substr(12));
        } catch (const YAML::Exception&) {
          continue;  // reported with the other overrides below
        }
        apply(config, *plugin, value, "--set " + override_text);
      }
      if (override_text.rfind("game.python=", 0) == 0) {
        python_spec = override_text.substr(12);
        python_where = "--set " + override_text;
      }
      if (override_text.rfind("game.name=", 0) == 0) python_name = override_text.substr(10);
    }
  }
  // game.python: the class is registered under game.name, which is then checked as any name.
  if (!python_spec.empty()) {
    try {
      register_python_game(python_name, absolute_python_spec(python_spec));
    } catch (const BadValue& bad) {
      throw ConfigError(python_where + ": game.python: " + bad.message);
    } catch (const std::runtime_error& error) {
      throw ConfigError(python_where + ": game.python: " + error.what());
    }
  }
  for (const auto& section : root) {
    const std::string section_name = section.first.Scalar();
    if (!section.second.IsMap()) {
      throw ConfigError(at(path, section.first.Mark()) + ": section '" + section_name +
                        "' must be a mapping of keys to values");
    }
    for (const auto& entry : section.second) {
      const std::string key = entry.first.Scalar();
      const std::string where = at(path, entry.first.Mark());
      const Field* field = find_field(section_name, key);
      if (field == nullptr)
        throw ConfigError(where + ": " + unknown_key_message(section_name, key));
      apply(config, *field, entry.second, where);
      if (section_name == "game" && key == "name") name_where = where;
    }
  }
  for (const std::string& override_text : overrides) {
    const std::string where = "--set " + override_text;
    const auto equals = override_text.find('=');
    const auto dot = override_text.find('.');
    if (equals == std::string::npos || dot == std::string::npos || dot > equals) {
      throw ConfigError(where + ": expected --set section.key=value");
    }
    const std::string section_name = override_text.substr(0, dot);
    const std::string key = override_text.substr(dot + 1, equals - dot - 1);
    YAML::Node value;
    try {
      value = YAML::Load(override_text.substr(equals + 1));
    } catch (const YAML::Exception& error) {
      throw ConfigError(where + ": the value is not valid YAML: " + error.msg);
    }
    const Field* field = find_field(section_name, key);
    if (field == nullptr) throw ConfigError(where + ": " + unknown_key_message(section_name, key));
    apply(config, *field, value, where);
    if (section_name == "game" && key == "name") name_where = where;
  }
  if (config.game_plugin.empty() && !config.game_plugin_sha256.empty()) {
    throw ConfigError(path + ": game.plugin_sha256 is set but game.plugin is not");
  }
  if (config.game_python.empty() && !config.game_python_sha256.empty()) {
    throw ConfigError(path + ": game.python_sha256 is set but game.python is not");
  }
  if (!config.game_plugin.empty()) {
    record_or_check_digest(config.game_plugin, config.game_plugin_sha256, "plugin", path);
  }
  if (!config.game_python.empty()) {
    const std::string file = config.game_python.substr(0, config.game_python.rfind(':'));
    record_or_check_digest(file, config.game_python_sha256, "python", path);
  }
  if (make_game(config.game_name) == nullptr) {
    std::string list;
    for (const auto& name : registered_game_names()) list += (list.empty() ? "" : ", ") + name;
    throw ConfigError(name_where + ": game.name: must be one of " + list +
                      " (or a game that game.plugin or game.python registers), got '" +
                      config.game_name + "'");
  }
  if (config.opponent != "self" && game_spec(config.game_name).num_players != 2) {
    throw ConfigError(path + ": test.opponent: '" + config.opponent +
                      "' needs a two-player game; " + config.game_name + " has one player");
  }
  if (config.inference == "native" && !has_native_backend(config.network)) {
    throw ConfigError(
        path +
        ": self_play.inference: 'native' runs fully connected and residual networks only; "
        "this network is " +
        config.network.type + " (use auto or torch)");
  }
  if (config.inference == "native" && config.self_play_device != "cpu") {
    throw ConfigError(path +
                      ": self_play.inference: 'native' runs on the CPU only; "
                      "self_play.device is " +
                      config.self_play_device + " (use auto or torch)");
  }
  if (config.train.target_update_interval > 0 && !config.replay.targets.use_last_model_value) {
    throw ConfigError(path +
                      ": training.target_update_interval: a target network gives the bootstrap "
                      "values of replay_buffer.use_last_model_value, which is off");
  }
  if (config.reanalyse_fraction > 0 && config.reanalyse_workers == 0) {
    throw ConfigError(path + ": reanalyse.fraction: " + number(config.reanalyse_fraction) +
                      " needs reanalyse.num_workers of at least 1; there is none to make the "
                      "fresh targets");
  }
  config.replay.targets.discount = config.self_play.search.discount;
  config.replay.next_observations = config.train.consistency_loss_weight > 0.0;
  config.replay.lookahead_rewards = config.train.lookahead_reward_loss_weight > 0.0;
  config.self_play.record_lookahead_rewards = config.replay.lookahead_rewards;
  config.replay.move_observations = config.train.all_moves_consistency_loss_weight > 0.0;
  config.self_play.record_move_observations = config.replay.move_observations;
  return config;
}

bool acts_natively(const Config& config) {
  return config.self_play_device == "cpu" && acts_natively(config.inference, config.network);
}

std::string config_to_yaml(const Config& config) {
  YAML::Node root;
  for (const Field& f : fields()) root[f.section][f.key] = f.emit(config);
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

}  // namespace muzero
