#include "games/gridworld.h"

#include <array>
#include <deque>
#include <stdexcept>

namespace muzero {
namespace {

constexpr int kRowStep[4] = {0, 1, 0, -1};  // east, south, west, north
constexpr int kColumnStep[4] = {1, 0, -1, 0};

bool is_wall(int row, int column) {
  return row == 0 || column == 0 || row == Gridworld::kSize - 1 || column == Gridworld::kSize - 1;
}

struct Pose {
  int row, column, direction;
};

Pose after(Pose pose, Action action) {
  switch (action) {
    case Gridworld::kTurnLeft:
      pose.direction = (pose.direction + 3) % 4;
      break;
    case Gridworld::kTurnRight:
      pose.direction = (pose.direction + 1) % 4;
      break;
    default: {
      const int row = pose.row + kRowStep[pose.direction];
      const int column = pose.column + kColumnStep[pose.direction];
      if (!is_wall(row, column)) {
        pose.row = row;
        pose.column = column;
      }
    }
  }
  return pose;
}

bool at_goal(const Pose& pose) {
  return pose.row == Gridworld::kGoal && pose.column == Gridworld::kGoal;
}

// Breadth-first search from `start` over the 6 x 6 x 4 poses: the distance to the goal and
// the first move of a shortest way (the lowest-numbered among equals).
std::pair<int, Action> shortest_way(const Pose& start) {
  constexpr int kPoses = Gridworld::kSize * Gridworld::kSize * 4;
  const auto index = [](const Pose& p) {
    return (p.row * Gridworld::kSize + p.column) * 4 + p.direction;
  };
  std::array<int, kPoses> first{};
  first.fill(-1);
  std::array<int, kPoses> distance{};
  std::deque<Pose> queue{start};
  distance[index(start)] = 0;
  first[index(start)] = 3;  // visited; no move yet
  while (!queue.empty()) {
    const Pose pose = queue.front();
    queue.pop_front();
    if (at_goal(pose)) return {distance[index(pose)], first[index(pose)]};
    for (Action action = 0; action < 3; ++action) {
      const Pose next = after(pose, action);
      if (first[index(next)] >= 0) continue;
      distance[index(next)] = distance[index(pose)] + 1;
      first[index(next)] = index(pose) == index(start) ? action : first[index(pose)];
      queue.push_back(next);
    }
  }
  throw std::logic_error("gridworld: the goal cannot be reached");
}

}  // namespace

std::vector<float> Gridworld::reset(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> cell(1, kSize - 2), way(0, 3);
  do {
    row_ = cell(rng);
    column_ = cell(rng);
  } while (row_ == kGoal && column_ == kGoal);
  direction_ = way(rng);
  steps_ = 0;
  done_ = false;
  return observation();
}

void Gridworld::place(int row, int column, int direction) {
  if (is_wall(row, column) || (row == kGoal && column == kGoal) || direction < 0 || direction > 3) {
    throw std::invalid_argument("gridworld: not a start pose");
  }
  row_ = row;
  column_ = column;
  direction_ = direction;
  steps_ = 0;
  done_ = false;
}

StepResult Gridworld::step(Action action) {
  if (done_) throw std::logic_error("Gridworld::step called on a finished episode");
  if (action < 0 || action > 2) throw std::invalid_argument("gridworld action must be 0, 1 or 2");
  const Pose next = after({row_, column_, direction_}, action);
  row_ = next.row;
  column_ = next.column;
  direction_ = next.direction;
  ++steps_;
  const bool reached = at_goal(next);
  done_ = reached || steps_ >= kMaxSteps;
  const float reward =
      reached ? static_cast<float>(1.0 - 0.9 * steps_ / static_cast<double>(kMaxSteps)) : 0.0f;
  return {observation(), reward, done_, done_ && !reached};
}

std::vector<float> Gridworld::observation() const {
  constexpr int kArea = kSize * kSize;
  std::vector<float> planes(6 * kArea, 0.0f);
  for (int r = 0; r < kSize; ++r) {
    for (int c = 0; c < kSize; ++c) {
      if (is_wall(r, c)) planes[r * kSize + c] = 1.0f;
    }
  }
  planes[kArea + kGoal * kSize + kGoal] = 1.0f;
  planes[(2 + direction_) * kArea + row_ * kSize + column_] = 1.0f;
  return planes;
}

std::string Gridworld::render() const {
  static constexpr char kAgent[4] = {'>', 'v', '<', '^'};
  std::string out;
  for (int r = 0; r < kSize; ++r) {
    for (int c = 0; c < kSize; ++c) {
      out += r == row_ && c == column_  ? kAgent[direction_]
             : is_wall(r, c)            ? '#'
             : r == kGoal && c == kGoal ? 'G'
                                        : '.';
    }
    out += '\n';
  }
  return out + "step " + std::to_string(steps_) + "\n";
}

std::string Gridworld::action_to_string(Action action) const {
  return action == kTurnLeft ? "left" : action == kTurnRight ? "right" : "forward";
}

std::optional<Action> Gridworld::action_from_string(std::string_view text) const {
  if (text == "l" || text == "left" || text == "0") return kTurnLeft;
  if (text == "r" || text == "right" || text == "1") return kTurnRight;
  if (text == "f" || text == "forward" || text == "2") return kForward;
  return std::nullopt;
}

std::optional<Action> Gridworld::expert_action() const {
  if (done_) return std::nullopt;
  return shortest_way({row_, column_, direction_}).second;
}

int Gridworld::moves_to_goal() const {
  return shortest_way({row_, column_, direction_}).first;
}

double Gridworld::optimal_return() const {
  return 1.0 - 0.9 * (steps_ + moves_to_goal()) / static_cast<double>(kMaxSteps);
}

}  // namespace muzero
