#include "games/tictactoe.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "games/symmetry.h"

namespace muzero {
namespace {

constexpr int kLines[8][3] = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {0, 3, 6},
                              {1, 4, 7}, {2, 5, 8}, {0, 4, 8}, {2, 4, 6}};

bool has_line(const TicTacToe::Board& board, std::uint8_t stone) {
  return std::any_of(std::begin(kLines), std::end(kLines), [&](const int(&line)[3]) {
    return board[line[0]] == stone && board[line[1]] == stone && board[line[2]] == stone;
  });
}

int encode(const TicTacToe::Board& board) {
  int code = 0;
  for (std::uint8_t cell : board) code = code * 3 + cell;
  return code;
}

// Negamax score for the player to move, who places `stone`: a win scores 10 - plies so far,
// which prefers quick wins and slow losses. Memoised over all 3^9 boards.
int negamax(TicTacToe::Board& board, std::uint8_t stone, int plies, std::vector<int>& memo) {
  const int code = encode(board);
  if (memo[code] != INT32_MIN) return memo[code];
  int best = INT32_MIN;
  bool any_move = false;
  for (int cell = 0; cell < 9; ++cell) {
    if (board[cell] != 0) continue;
    any_move = true;
    board[cell] = stone;
    int score;
    if (has_line(board, stone)) {
      score = 10 - plies;
    } else {
      score = -negamax(board, static_cast<std::uint8_t>(3 - stone), plies + 1, memo);
    }
    board[cell] = 0;
    best = std::max(best, score);
  }
  if (!any_move) best = 0;
  memo[code] = best;
  return best;
}

std::vector<int>& solved_table() {
  static std::vector<int> table = [] {
    std::vector<int> memo(19683, INT32_MIN);
    TicTacToe::Board board{};
    negamax(board, 1, 0, memo);
    return memo;
  }();
  return table;
}

}  // namespace

std::vector<float> TicTacToe::reset(std::uint64_t /*seed*/) {
  board_.fill(0);
  to_play_ = 0;
  moves_ = 0;
  winner_ = -1;
  return observation();
}

StepResult TicTacToe::step(Action action) {
  if (is_terminal()) throw std::logic_error("TicTacToe::step called on a finished game");
  if (action < 0 || action >= 9 || board_[action] != 0) {
    throw std::invalid_argument("illegal TicTacToe move " + std::to_string(action));
  }
  const auto stone = static_cast<std::uint8_t>(to_play_ + 1);
  board_[action] = stone;
  ++moves_;
  float reward = 0.0f;
  if (has_line(board_, stone)) {
    winner_ = to_play_;
    reward = 1.0f;
  }
  to_play_ = 1 - to_play_;
  return {observation(), reward, is_terminal()};
}

std::vector<float> TicTacToe::observation() const {
  std::vector<float> planes(27, 0.0f);
  const auto own = static_cast<std::uint8_t>(to_play_ + 1);
  for (int cell = 0; cell < 9; ++cell) {
    if (board_[cell] == own) planes[cell] = 1.0f;
    if (board_[cell] != 0 && board_[cell] != own) planes[9 + cell] = 1.0f;
    planes[18 + cell] = to_play_ == 0 ? 1.0f : -1.0f;
  }
  return planes;
}

std::vector<Action> TicTacToe::legal_actions() const {
  std::vector<Action> actions;
  if (is_terminal()) return actions;
  for (int cell = 0; cell < 9; ++cell) {
    if (board_[cell] == 0) actions.push_back(cell);
  }
  return actions;
}

std::string TicTacToe::render() const {
  std::string out = "   a b c\n";
  for (int row = 0; row < 3; ++row) {
    out += static_cast<char>('1' + row);
    out += ' ';
    for (int col = 0; col < 3; ++col) {
      const std::uint8_t cell = board_[row * 3 + col];
      out += ' ';
      out += cell == 0 ? '.' : (cell == 1 ? 'X' : 'O');
    }
    out += '\n';
  }
  return out;
}

std::string TicTacToe::action_to_string(Action action) const {
  // Built char by char: GCC 12 warns falsely (-Wrestrict) on string + string here.
  std::string name(2, ' ');
  name[0] = static_cast<char>('a' + action % 3);
  name[1] = static_cast<char>('1' + action / 3);
  return name;
}

std::optional<Action> TicTacToe::action_from_string(std::string_view text) const {
  if (text.size() != 2) return std::nullopt;
  const int col = std::tolower(static_cast<unsigned char>(text[0])) - 'a';
  const int row = text[1] - '1';
  if (col < 0 || col > 2 || row < 0 || row > 2) return std::nullopt;
  return row * 3 + col;
}

std::vector<Symmetry> TicTacToe::symmetries() const {
  // The square's eight symmetries: 0-3 quarter turns, with or without a left-right mirror first.
  std::vector<Symmetry> symmetries;
  for (int mirror = 0; mirror < 2; ++mirror) {
    for (int turns = 0; turns < 4; ++turns) {
      if (mirror == 0 && turns == 0) continue;  // the identity
      std::vector<int> cells(9);
      for (int cell = 0; cell < 9; ++cell) {
        int r = cell / 3, c = cell % 3;
        if (mirror == 1) c = 2 - c;
        for (int t = 0; t < turns; ++t) std::tie(r, c) = std::pair{c, 2 - r};
        cells[cell] = r * 3 + c;
      }
      symmetries.push_back(planar_symmetry(observation_shape(), cells, cells));
    }
  }
  return symmetries;
}

std::optional<Action> TicTacToe::expert_action() const {
  if (is_terminal()) return std::nullopt;
  Board board = board_;
  const auto stone = static_cast<std::uint8_t>(to_play_ + 1);
  std::vector<int>& memo = solved_table();
  int best_score = INT32_MIN;
  Action best = -1;
  for (int cell = 0; cell < 9; ++cell) {
    if (board[cell] != 0) continue;
    board[cell] = stone;
    const int score = has_line(board, stone)
                          ? 10 - moves_
                          : -negamax(board, static_cast<std::uint8_t>(3 - stone), moves_ + 1, memo);
    board[cell] = 0;
    if (score > best_score) {
      best_score = score;
      best = cell;
    }
  }
  return best;
}

double TicTacToe::heuristic_value() const {
  const std::uint8_t mine = static_cast<std::uint8_t>(to_play_ + 1);
  int balance = 0;
  for (const auto& line : kLines) {
    int own = 0, other = 0;
    for (const int cell : line) {
      if (board_[cell] == mine) {
        ++own;
      } else if (board_[cell] != 0) {
        ++other;
      }
    }
    if (own > 0 && other == 0) balance += 1 << (2 * (own - 1));
    if (other > 0 && own == 0) balance -= 1 << (2 * (other - 1));
  }
  return balance / (std::abs(balance) + 16.0);
}

int TicTacToe::solved_value() const {
  if (is_terminal()) return 0;
  Board board = board_;
  const int score = negamax(board, static_cast<std::uint8_t>(to_play_ + 1), moves_, solved_table());
  return score > 0 ? 1 : (score < 0 ? -1 : 0);
}

std::vector<Action> TicTacToe::optimal_moves() const {
  std::vector<Action> optimal;
  if (is_terminal()) return optimal;
  const int solved = solved_value();
  for (Action a : legal_actions()) {
    TicTacToe child = *this;
    const StepResult step = child.step(a);
    if ((step.reward > 0 ? 1 : -child.solved_value()) == solved) optimal.push_back(a);
  }
  return optimal;
}

std::vector<TicTacToe> TicTacToe::reachable_positions() {
  std::vector<TicTacToe> out;
  std::set<std::pair<Board, int>> seen;
  std::vector<TicTacToe> frontier(1);
  frontier[0].reset(0);
  while (!frontier.empty()) {  // one layer per move: at most 10
    std::vector<TicTacToe> next;
    for (const TicTacToe& game : frontier) {
      if (game.is_terminal()) continue;
      out.push_back(game);
      for (Action a : game.legal_actions()) {
        TicTacToe child = game;
        child.step(a);
        if (seen.emplace(child.board_, child.to_play_).second) next.push_back(child);
      }
    }
    frontier = std::move(next);
  }
  return out;
}

std::vector<Action> TicTacToe::winning_moves(int player) const {
  std::vector<Action> wins;
  if (is_terminal()) return wins;
  const auto stone = static_cast<std::uint8_t>(player + 1);
  for (int cell = 0; cell < 9; ++cell) {
    if (board_[cell] != 0) continue;
    Board after = board_;
    after[cell] = stone;
    if (has_line(after, stone)) wins.push_back(cell);
  }
  return wins;
}

}  // namespace muzero
