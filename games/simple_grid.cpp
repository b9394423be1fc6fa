#include "games/simple_grid.h"

#include <stdexcept>

namespace muzero {

std::vector<float> SimpleGrid::reset(std::uint64_t) {
  row_ = column_ = 0;
  return observation();
}

StepResult SimpleGrid::step(Action action) {
  if (is_terminal()) throw std::logic_error("SimpleGrid::step called on a finished episode");
  if (action != kDown && action != kRight) {
    throw std::invalid_argument("simple_grid action must be 0 (down) or 1 (right)");
  }
  int& coordinate = action == kDown ? row_ : column_;
  if (coordinate < kSize - 1) ++coordinate;  // against the edge: nothing happens
  const bool done = is_terminal();
  return {observation(), done ? 1.0f : 0.0f, done, false};
}

std::vector<float> SimpleGrid::observation() const {
  std::vector<float> cells(kSize * kSize, 0.0f);
  cells[row_ * kSize + column_] = 1.0f;
  return cells;
}

std::string SimpleGrid::render() const {
  std::string out;
  for (int r = 0; r < kSize; ++r) {
    for (int c = 0; c < kSize; ++c) {
      out += r == row_ && c == column_ ? 'x' : r == kSize - 1 && c == kSize - 1 ? 'G' : '.';
    }
    out += '\n';
  }
  return out;
}

std::string SimpleGrid::action_to_string(Action action) const {
  return action == kDown ? "down" : "right";
}

std::optional<Action> SimpleGrid::action_from_string(std::string_view text) const {
  if (text == "d" || text == "down" || text == "0") return kDown;
  if (text == "r" || text == "right" || text == "1") return kRight;
  return std::nullopt;
}

std::optional<Action> SimpleGrid::expert_action() const {
  if (is_terminal()) return std::nullopt;
  return row_ < kSize - 1 ? kDown : kRight;  // every way that never wastes a move takes 4
}

}  // namespace muzero
