#include "games/gomoku.h"

#include <algorithm>
#include <cctype>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include "games/symmetry.h"

namespace muzero {
namespace {

constexpr int kDirections[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};

}  // namespace

std::vector<float> Gomoku::reset(std::uint64_t seed) {
  board_.fill(0);
  to_play_ = 0;
  moves_ = 0;
  winner_ = -1;
  seed_ = seed;
  return observation();
}

int Gomoku::line_through(int cell, std::uint8_t stone) const {
  const int row = cell / kSize, column = cell % kSize;
  int longest = 0;
  for (const auto& [dr, dc] : kDirections) {
    int length = 1;
    for (int sign : {1, -1}) {
      int r = row + sign * dr, c = column + sign * dc;
      while (r >= 0 && r < kSize && c >= 0 && c < kSize && board_[r * kSize + c] == stone) {
        ++length;
        r += sign * dr;
        c += sign * dc;
      }
    }
    longest = std::max(longest, length);
  }
  return longest;
}

StepResult Gomoku::step(Action action) {
  if (is_terminal()) throw std::logic_error("Gomoku::step called on a finished game");
  if (action < 0 || action >= kCells || board_[action] != 0) {
    throw std::invalid_argument("illegal Gomoku move " + std::to_string(action));
  }
  const auto stone = static_cast<std::uint8_t>(to_play_ + 1);
  const bool wins = line_through(action, stone) >= kWin;
  board_[action] = stone;
  ++moves_;
  if (wins) winner_ = to_play_;
  to_play_ = 1 - to_play_;
  return {observation(), wins ? 1.0f : 0.0f, is_terminal()};
}

std::vector<float> Gomoku::observation() const {
  std::vector<float> planes(3 * kCells, 0.0f);
  const auto own = static_cast<std::uint8_t>(to_play_ + 1);
  for (int cell = 0; cell < kCells; ++cell) {
    if (board_[cell] == own) planes[cell] = 1.0f;
    if (board_[cell] != 0 && board_[cell] != own) planes[kCells + cell] = 1.0f;
    planes[2 * kCells + cell] = to_play_ == 0 ? 1.0f : -1.0f;
  }
  return planes;
}

std::vector<Action> Gomoku::legal_actions() const {
  std::vector<Action> actions;
  if (is_terminal()) return actions;
  for (int cell = 0; cell < kCells; ++cell) {
    if (board_[cell] == 0) actions.push_back(cell);
  }
  return actions;
}

std::vector<Action> Gomoku::winning_moves(int player) const {
  std::vector<Action> wins;
  if (is_terminal()) return wins;
  const auto stone = static_cast<std::uint8_t>(player + 1);
  for (int cell = 0; cell < kCells; ++cell) {
    if (board_[cell] == 0 && line_through(cell, stone) >= kWin) wins.push_back(cell);
  }
  return wins;
}

std::optional<Action> Gomoku::expert_action() const {
  if (is_terminal()) return std::nullopt;
  std::mt19937_64 rng(seed_ * 1000003ull + static_cast<std::uint64_t>(moves_));
  const auto pick = [&](const std::vector<Action>& actions) {
    return actions[std::uniform_int_distribution<std::size_t>(0, actions.size() - 1)(rng)];
  };
  if (const auto wins = winning_moves(to_play_); !wins.empty()) return pick(wins);
  if (const auto blocks = winning_moves(1 - to_play_); !blocks.empty()) return pick(blocks);
  // Extend: the longest own line a stone would make, then the longest opponent line it would
  // cut; the centre on an empty board.
  const auto own = static_cast<std::uint8_t>(to_play_ + 1);
  const auto other = static_cast<std::uint8_t>(2 - to_play_);
  if (moves_ == 0) return (kSize / 2) * kSize + kSize / 2;
  int best = -1;
  std::vector<Action> best_moves;
  for (Action cell : legal_actions()) {
    const int score = 16 * line_through(cell, own) + line_through(cell, other);
    if (score > best) {
      best = score;
      best_moves.clear();
    }
    if (score == best) best_moves.push_back(cell);
  }
  return pick(best_moves);
}

std::string Gomoku::render() const {
  std::string out;
  for (int row = kSize - 1; row >= 0; --row) {
    std::string line = std::to_string(row + 1);
    if (line.size() < 2) line.insert(line.begin(), ' ');
    line += ' ';
    for (int column = 0; column < kSize; ++column) {
      const std::uint8_t stone = board_[row * kSize + column];
      line += stone == 0 ? '.' : (stone == 1 ? 'X' : 'O');
    }
    out += line;
    out += '\n';
  }
  out += "   ";
  for (int column = 0; column < kSize; ++column) out += static_cast<char>('a' + column);
  out += '\n';
  return out;
}

std::string Gomoku::action_to_string(Action action) const {
  std::string name(1, static_cast<char>('a' + action % kSize));
  name.append(std::to_string(action / kSize + 1));
  return name;
}

std::optional<Action> Gomoku::action_from_string(std::string_view text) const {
  if (text.size() < 2 || text.size() > 3) return std::nullopt;
  const int column = std::tolower(static_cast<unsigned char>(text[0])) - 'a';
  int row = 0;
  for (char digit : text.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(digit))) return std::nullopt;
    row = row * 10 + (digit - '0');
  }
  if (column < 0 || column >= kSize || row < 1 || row > kSize) return std::nullopt;
  return (row - 1) * kSize + column;
}

std::vector<Symmetry> Gomoku::symmetries() const {
  std::vector<Symmetry> symmetries;
  for (int mirror = 0; mirror < 2; ++mirror) {
    for (int turns = 0; turns < 4; ++turns) {
      if (mirror == 0 && turns == 0) continue;  // the identity
      std::vector<int> cells(kCells);
      for (int cell = 0; cell < kCells; ++cell) {
        int r = cell / kSize, c = cell % kSize;
        if (mirror == 1) c = kSize - 1 - c;
        for (int t = 0; t < turns; ++t) std::tie(r, c) = std::pair{c, kSize - 1 - r};
        cells[cell] = r * kSize + c;
      }
      symmetries.push_back(planar_symmetry(observation_shape(), cells, cells));
    }
  }
  return symmetries;
}

}  // namespace muzero
