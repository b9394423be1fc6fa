#pragma once
// The environment interface the rest of the system sees, in the spirit of OpenSpiel's Game/State:
// one object is one game in progress. Rewards are given to the player who made the move.
// Header-only, so that a game plugin (games/plugin_api.h) needs nothing from the core's
// binaries: keep it so.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muzero {

using Action = int;

// Observations are float planes laid out [channels][height][width], row-major.
struct ObservationShape {
  int channels = 1;
  int height = 1;
  int width = 1;
  int size() const { return channels * height * width; }
  bool operator==(const ObservationShape&) const = default;
};

struct StepResult {
  std::vector<float> observation;  // observation after the move
  float reward = 0.0f;             // reward for the player who moved
  bool done = false;
  // Ended by a time limit rather than by the game itself (done is true too): the position
  // still has a value, so value targets bootstrap there instead of counting it as 0.
  bool truncated = false;
};

// A relabelling of observation elements and actions that maps every position of a game to one
// that plays the same: the same rewards, values and players, the legal moves relabelled. A
// network trained on relabelled copies of its samples as well (replay_buffer.augment_symmetries)
// meets each pattern in every place it can occur.
struct Symmetry {
  // The relabelled observation's element i is the original's element observation_source[i].
  std::vector<int> observation_source;
  std::vector<Action> action_image;  // action a becomes action_image[a]
};

class Game {
 public:
  virtual ~Game() = default;

  // Starts a new episode; the same seed gives the same episode for the same actions.
  virtual std::vector<float> reset(std::uint64_t seed) = 0;
  // Plays a legal action. Calling it on a finished game or with an illegal action throws.
  virtual StepResult step(Action action) = 0;

  virtual std::vector<float> observation() const = 0;
  virtual std::vector<Action> legal_actions() const = 0;
  virtual bool is_terminal() const = 0;
  virtual int to_play() const = 0;  // 0 .. num_players()-1
  virtual int num_players() const = 0;
  virtual int action_space_size() const = 0;
  virtual ObservationShape observation_shape() const = 0;

  virtual std::string render() const = 0;  // for people; whole lines, each ending in a newline
  virtual std::string action_to_string(Action action) const = 0;
  // Parses what a human typed; nullopt if it names no action (legality is checked separately).
  virtual std::optional<Action> action_from_string(std::string_view text) const = 0;
  // A strong or perfect move for the player to move, where the game has an expert.
  virtual std::optional<Action> expert_action() const { return std::nullopt; }
  // A guess at this position's value for the player to move, strictly inside (-1, 1), where a
  // depth-limited search (the alpha-beta opponent) stops before the game ends; 0 by default.
  virtual double heuristic_value() const { return 0.0; }
  // Two-player games: the legal moves with which `player` would win at once if it were to move
  // now (for the player not to move: where it threatens to win, the cells a minimal expert
  // blocks). By default only for the player to move, found by trying each move; empty for the
  // other, and in one-player games.
  virtual std::vector<Action> winning_moves(int player) const {
    std::vector<Action> wins;
    if (is_terminal() || num_players() != 2 || player != to_play()) return wins;
    for (Action action : legal_actions()) {
      const std::unique_ptr<Game> next = clone();
      const StepResult step = next->step(action);
      if (step.done && step.reward > 0) wins.push_back(action);
    }
    return wins;
  }
  // Every symmetry of the game other than the identity; none by default.
  virtual std::vector<Symmetry> symmetries() const { return {}; }

  virtual std::unique_ptr<Game> clone() const = 0;
  // A copy to try one move on and read the observation it leads to (games/move_observations.h):
  // the clone by default. A game whose clone is costly may return a cheaper copy that agrees
  // with the clone on that next step up to small numerical differences, not to the bit, and
  // that need not agree further on (LunarLander: its clone replays the episode).
  virtual std::unique_ptr<Game> lookahead_copy() const { return clone(); }
};

}  // namespace muzero
