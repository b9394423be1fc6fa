#include "games/python_game.h"

#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>

#include "games/registry.h"

namespace py = pybind11;

namespace muzero {
namespace {

// The interpreter starts on first use and lives until the process exits; the GIL is released
// between calls, and every call takes it, so any thread may use a Python game.
void ensure_interpreter() {
  static std::once_flag once;
  std::call_once(once, [] {
    py::initialize_interpreter();
    PyEval_SaveThread();  // release the GIL taken by initialisation
  });
}

std::runtime_error python_error(const std::string& what, const std::exception& error) {
  return std::runtime_error("python game: " + what + ": " + error.what());
}

// An attribute that may be a plain value or a method taking no argument.
py::object value_of(const py::object& game, const char* name) {
  py::object attribute = game.attr(name);
  return PyCallable_Check(attribute.ptr()) ? attribute() : attribute;
}

class PythonGame final : public Game {
 public:
  explicit PythonGame(py::object game) : game_(std::move(game)) {
    py::gil_scoped_acquire gil;
    try {
      const auto shape = value_of(game_, "observation_shape").cast<std::vector<int>>();
      if (shape.size() != 3 || shape[0] < 1 || shape[1] < 1 || shape[2] < 1) {
        throw std::runtime_error("observation_shape must be three positive ints");
      }
      shape_ = {shape[0], shape[1], shape[2]};
      actions_ = value_of(game_, "action_space_size").cast<int>();
      players_ = py::hasattr(game_, "num_players") ? value_of(game_, "num_players").cast<int>() : 1;
    } catch (const std::exception& error) {
      throw python_error("reading the game's shape", error);
    }
    if (actions_ < 1) throw std::runtime_error("python game: action_space_size must be >= 1");
    if (players_ != 1 && players_ != 2)
      throw std::runtime_error("python game: num_players is 1 or 2");
  }
  ~PythonGame() override {
    py::gil_scoped_acquire gil;
    game_ = py::object();
  }

  std::vector<float> reset(std::uint64_t seed) override {
    py::gil_scoped_acquire gil;
    try {
      observation_ = checked_observation(game_.attr("reset")(seed));
      done_ = false;
      refresh_player();
    } catch (const std::exception& error) {
      throw python_error("reset", error);
    }
    return observation_;
  }

  StepResult step(Action action) override {
    if (done_) throw std::logic_error("python game: step after the end");
    const std::vector<Action> legal = legal_actions();
    if (std::find(legal.begin(), legal.end(), action) == legal.end()) {
      throw std::invalid_argument("python game: action " + std::to_string(action) +
                                  " is not legal");
    }
    py::gil_scoped_acquire gil;
    StepResult result;
    try {
      const py::tuple out = game_.attr("step")(action);
      if (out.size() != 3 && out.size() != 4) {
        throw std::runtime_error("step must return (observation, reward, done[, truncated])");
      }
      result.observation = checked_observation(out[0]);
      result.reward = out[1].cast<float>();
      result.done = out[2].cast<bool>();
      result.truncated = out.size() == 4 && out[3].cast<bool>();
      if (!std::isfinite(result.reward)) throw std::runtime_error("a reward that is not finite");
      observation_ = result.observation;
      done_ = result.done;
      if (!done_) refresh_player();
    } catch (const std::exception& error) {
      throw python_error("step", error);
    }
    return result;
  }

  std::vector<float> observation() const override { return observation_; }

  std::vector<Action> legal_actions() const override {
    if (done_) return {};
    py::gil_scoped_acquire gil;
    std::vector<Action> legal;
    try {
      legal = game_.attr("legal_actions")().cast<std::vector<Action>>();
    } catch (const std::exception& error) {
      throw python_error("legal_actions", error);
    }
    for (Action a : legal) {
      if (a < 0 || a >= actions_) {
        throw std::runtime_error("python game: legal action " + std::to_string(a) +
                                 " outside [0, " + std::to_string(actions_) + ")");
      }
    }
    if (legal.empty()) throw std::runtime_error("python game: no legal action before the end");
    return legal;
  }

  bool is_terminal() const override { return done_; }
  int to_play() const override { return player_; }
  int num_players() const override { return players_; }
  int action_space_size() const override { return actions_; }
  ObservationShape observation_shape() const override { return shape_; }

  std::string render() const override {
    py::gil_scoped_acquire gil;
    if (!py::hasattr(game_, "render")) return "(no render)\n";
    try {
      std::string text = game_.attr("render")().cast<std::string>();
      if (text.empty() || text.back() != '\n') text += '\n';
      return text;
    } catch (const std::exception& error) {
      throw python_error("render", error);
    }
  }
  std::string action_to_string(Action action) const override {
    py::gil_scoped_acquire gil;
    if (!py::hasattr(game_, "action_to_string")) return std::to_string(action);
    return game_.attr("action_to_string")(action).cast<std::string>();
  }
  std::optional<Action> action_from_string(std::string_view text) const override {
    py::gil_scoped_acquire gil;
    if (!py::hasattr(game_, "action_from_string")) {
      try {
        const int a = std::stoi(std::string(text));
        if (a >= 0 && a < actions_) return a;
      } catch (const std::exception&) {
      }
      return std::nullopt;
    }
    const py::object a = game_.attr("action_from_string")(std::string(text));
    if (a.is_none()) return std::nullopt;
    return a.cast<Action>();
  }
  std::optional<Action> expert_action() const override {
    py::gil_scoped_acquire gil;
    if (done_ || !py::hasattr(game_, "expert_action")) return std::nullopt;
    const py::object a = game_.attr("expert_action")();
    if (a.is_none()) return std::nullopt;
    return a.cast<Action>();
  }
  std::unique_ptr<Game> clone() const override {
    py::gil_scoped_acquire gil;
    py::object copy = py::hasattr(game_, "clone")
                          ? game_.attr("clone")()
                          : py::module_::import("copy").attr("deepcopy")(game_);
    auto twin = std::unique_ptr<PythonGame>(new PythonGame(std::move(copy), *this));
    return twin;
  }

 private:
  PythonGame(py::object game, const PythonGame& from)
      : game_(std::move(game)),
        shape_(from.shape_),
        actions_(from.actions_),
        players_(from.players_),
        player_(from.player_),
        done_(from.done_),
        observation_(from.observation_) {}

  std::vector<float> checked_observation(const py::handle& value) const {
    std::vector<float> observation = py::cast<std::vector<float>>(value);
    if (static_cast<int>(observation.size()) != shape_.size()) {
      throw std::runtime_error("an observation of " + std::to_string(observation.size()) +
                               " numbers; observation_shape says " + std::to_string(shape_.size()));
    }
    for (float v : observation) {
      if (!std::isfinite(v)) throw std::runtime_error("an observation that is not finite");
    }
    return observation;
  }
  void refresh_player() {
    player_ = py::hasattr(game_, "to_play") ? game_.attr("to_play")().cast<int>() : 0;
    if (player_ < 0 || player_ >= players_) throw std::runtime_error("to_play out of range");
  }

  py::object game_;
  ObservationShape shape_;
  int actions_ = 0, players_ = 1, player_ = 0;
  bool done_ = true;
  std::vector<float> observation_;
};

// The class named by "FILE.py:Class", loaded from its file (its folder on sys.path, so that it
// may import its neighbours).
py::object load_class(const std::string& spec) {
  const auto colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) {
    throw std::runtime_error("python game '" + spec + "': expected FILE.py:ClassName");
  }
  const std::string file = spec.substr(0, colon), class_name = spec.substr(colon + 1);
  py::gil_scoped_acquire gil;
  try {
    py::module_ sys = py::module_::import("sys");
    py::module_ os = py::module_::import("os");
    const py::object folder = os.attr("path").attr("dirname")(file);
    if (!sys.attr("path").attr("__contains__")(folder).cast<bool>()) {
      sys.attr("path").attr("insert")(0, folder);
    }
    py::module_ util = py::module_::import("importlib.util");
    const std::string module_name =
        "muzero_game_" + std::to_string(std::hash<std::string>{}(file) % 1000000007);
    py::object module_spec = util.attr("spec_from_file_location")(module_name, file);
    if (module_spec.is_none()) throw std::runtime_error("cannot read " + file);
    py::object module = util.attr("module_from_spec")(module_spec);
    module_spec.attr("loader").attr("exec_module")(module);
    if (!py::hasattr(module, class_name.c_str())) {
      throw std::runtime_error(file + " has no " + class_name);
    }
    return module.attr(class_name.c_str());
  } catch (const std::exception& error) {
    throw std::runtime_error("python game '" + spec + "': " + error.what());
  }
}

}  // namespace

void register_python_game(const std::string& name, const std::string& spec) {
  ensure_interpreter();
  static std::mutex mutex;
  static std::map<std::string, std::string> registered;  // name -> spec
  std::lock_guard lock(mutex);
  if (auto it = registered.find(name); it != registered.end() && it->second == spec) return;
  if (registered.count(name) == 0 && make_game(name) != nullptr) {
    throw std::runtime_error("game.name '" + name +
                             "' is a built-in game; give the Python game a name of its own");
  }
  // Never freed: the registry keeps the factory until exit, when Python is no longer to be
  // called.
  const py::object* cls = new py::object(load_class(spec));
  const auto make = [cls]() -> std::unique_ptr<Game> {
    py::object instance;
    {
      py::gil_scoped_acquire gil;
      instance = (*cls)();
    }
    return std::make_unique<PythonGame>(std::move(instance));
  };
  try {
    make()->reset(0);  // loads, and answers with the right shapes
  } catch (const std::exception& error) {
    throw std::runtime_error("python game '" + spec + "': " + error.what());
  }
  register_game(name, make);
  registered[name] = spec;
}

}  // namespace muzero
