#include "games/connect4.h"

#include <cstdlib>
#include <stdexcept>

#include "games/symmetry.h"

namespace muzero {
namespace {

constexpr int kDirections[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
constexpr int kColumnPreference[Connect4::kColumns] = {3, 2, 4, 1, 5, 0, 6};

}  // namespace

std::vector<float> Connect4::reset(std::uint64_t /*seed*/) {
  for (auto& row : board_) row.fill(0);
  to_play_ = 0;
  moves_ = 0;
  winner_ = -1;
  return observation();
}

int Connect4::drop_row(int column) const {
  int row = 0;
  while (row < kRows && board_[row][column] != 0) ++row;
  return row;
}

bool Connect4::wins(int column, std::uint8_t stone) const {
  return completes_four(drop_row(column), column, stone);
}

bool Connect4::completes_four(int row, int column, std::uint8_t stone) const {
  for (const auto& d : kDirections) {
    int count = 1;
    for (int sign : {1, -1}) {
      int r = row + sign * d[0], c = column + sign * d[1];
      while (r >= 0 && r < kRows && c >= 0 && c < kColumns && board_[r][c] == stone) {
        ++count;
        r += sign * d[0];
        c += sign * d[1];
      }
    }
    if (count >= 4) return true;
  }
  return false;
}

StepResult Connect4::step(Action action) {
  if (is_terminal()) throw std::logic_error("Connect4::step called on a finished game");
  if (action < 0 || action >= kColumns || drop_row(action) == kRows) {
    throw std::invalid_argument("illegal Connect4 move " + std::to_string(action));
  }
  const auto stone = static_cast<std::uint8_t>(to_play_ + 1);
  const bool won = wins(action, stone);
  board_[drop_row(action)][action] = stone;
  ++moves_;
  if (won) winner_ = to_play_;
  to_play_ = 1 - to_play_;
  return {observation(), won ? 1.0f : 0.0f, is_terminal()};
}

std::vector<float> Connect4::observation(bool threat_planes) const {
  constexpr int kArea = kRows * kColumns;
  std::vector<float> planes((threat_planes ? 5 : 3) * kArea, 0.0f);
  const auto own = static_cast<std::uint8_t>(to_play_ + 1);
  const auto other = static_cast<std::uint8_t>(2 - to_play_);
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kColumns; ++c) {
      const int i = r * kColumns + c;
      if (board_[r][c] == own) planes[i] = 1.0f;
      if (board_[r][c] == other) planes[kArea + i] = 1.0f;
      planes[2 * kArea + i] = to_play_ == 0 ? 1.0f : -1.0f;
      if (threat_planes && board_[r][c] == 0) {
        if (completes_four(r, c, own)) planes[3 * kArea + i] = 1.0f;
        if (completes_four(r, c, other)) planes[4 * kArea + i] = 1.0f;
      }
    }
  }
  return planes;
}

std::vector<Action> Connect4::legal_actions() const {
  std::vector<Action> actions;
  if (is_terminal()) return actions;
  for (int c = 0; c < kColumns; ++c) {
    if (drop_row(c) < kRows) actions.push_back(c);
  }
  return actions;
}

std::string Connect4::render() const {
  std::string out;
  for (int r = kRows - 1; r >= 0; --r) {
    out += '|';
    for (int c = 0; c < kColumns; ++c) {
      out += board_[r][c] == 0 ? '.' : (board_[r][c] == 1 ? 'X' : 'O');
      out += c + 1 < kColumns ? " " : "|\n";
    }
  }
  out += " 1 2 3 4 5 6 7\n";
  return out;
}

std::string Connect4::action_to_string(Action action) const {
  return std::string(1, static_cast<char>('1' + action));
}

std::optional<Action> Connect4::action_from_string(std::string_view text) const {
  if (text.size() != 1 || text[0] < '1' || text[0] >= '1' + kColumns) return std::nullopt;
  return text[0] - '1';
}

std::vector<Symmetry> Connect4::symmetries() const {
  std::vector<int> cells(kRows * kColumns);
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kColumns; ++c) cells[r * kColumns + c] = r * kColumns + (kColumns - 1 - c);
  }
  std::vector<Action> columns(kColumns);
  for (int c = 0; c < kColumns; ++c) columns[c] = kColumns - 1 - c;
  return {planar_symmetry(observation_shape(), cells, columns)};
}

double Connect4::heuristic_value() const {
  const std::uint8_t mine = static_cast<std::uint8_t>(to_play_ + 1);
  int balance = 0;
  for (int row = 0; row < kRows; ++row) {
    for (int column = 0; column < kColumns; ++column) {
      for (const auto& [dr, dc] : kDirections) {  // the window of 4 starting here, if it fits
        const int last_row = row + 3 * dr, last_column = column + 3 * dc;
        if (last_row >= kRows || last_column < 0 || last_column >= kColumns) continue;
        int own = 0, other = 0;
        for (int i = 0; i < 4; ++i) {
          const std::uint8_t stone = board_[row + i * dr][column + i * dc];
          if (stone == mine) {
            ++own;
          } else if (stone != 0) {
            ++other;
          }
        }
        if (own > 0 && other == 0) balance += 1 << (2 * (own - 1));
        if (other > 0 && own == 0) balance -= 1 << (2 * (other - 1));
      }
    }
  }
  return balance / (std::abs(balance) + 16.0);
}

std::optional<Action> Connect4::expert_action() const {
  if (is_terminal()) return std::nullopt;
  const auto own = static_cast<std::uint8_t>(to_play_ + 1);
  const auto other = static_cast<std::uint8_t>(2 - to_play_);
  const std::vector<Action> legal = legal_actions();
  for (Action a : legal) {
    if (wins(a, own)) return a;
  }
  for (Action a : legal) {
    if (wins(a, other)) return a;
  }
  // A move is safe unless it lets the opponent win by playing on top of it.
  auto safe = [&](Action a) {
    const int row = drop_row(a);
    if (row + 1 >= kRows) return true;
    Connect4 after = *this;
    after.board_[row][a] = own;
    return !after.wins(a, other);
  };
  for (Action a : kColumnPreference) {
    if (drop_row(a) < kRows && safe(a)) return a;
  }
  for (Action a : kColumnPreference) {
    if (drop_row(a) < kRows) return a;
  }
  return std::nullopt;
}

std::vector<Action> Connect4::winning_moves(int player) const {
  std::vector<Action> wins;
  if (is_terminal()) return wins;
  for (Action column : legal_actions()) {
    if (this->wins(column, static_cast<std::uint8_t>(player + 1))) wins.push_back(column);
  }
  return wins;
}

}  // namespace muzero
