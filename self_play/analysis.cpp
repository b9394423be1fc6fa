#include "self_play/analysis.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <sstream>
#include <utility>
#include <vector>

#include "self_play/action_selection.h"

namespace muzero {
namespace {

// A token as an action: "#N" is action number N, anything else the game's notation.
std::optional<Action> read_action(const Game& game, std::string_view token) {
  if (token.size() > 1 && token[0] == '#') {
    const std::string digits(token.substr(1));
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    const int action = std::stoi(digits);
    if (action >= game.action_space_size()) return std::nullopt;
    return action;
  }
  return game.action_from_string(token);
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

template <typename T>
std::string json_array(const std::vector<T>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += number(static_cast<double>(values[i]));
  }
  return out + "]";
}

}  // namespace

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::optional<std::string> play_moves(Game& game, std::string_view line, int* played) {
  std::istringstream tokens{std::string(line)};
  std::string token;
  int index = 0;
  while (tokens >> token) {
    ++index;
    const std::string where = "move " + std::to_string(index) + " '" + token + "'";
    if (game.is_terminal()) return where + ": the game is already over";
    const std::optional<Action> action = read_action(game, token);
    if (!action) return where + ": not a move of this game (its notation, or #ACTION)";
    const std::vector<Action> legal = game.legal_actions();
    if (std::find(legal.begin(), legal.end(), *action) == legal.end()) {
      return where + ": illegal here";
    }
    game.step(*action);
    if (played != nullptr) *played = index;
  }
  return std::nullopt;
}

Analyzer::Analyzer(std::function<std::unique_ptr<Game>()> make_game, SearchParams search,
                   Evaluator& evaluator)
    : make_game_(std::move(make_game)), search_(search), evaluator_(evaluator) {
  search_.add_exploration_noise = false;
}

std::string Analyzer::analyze(std::string_view line) {
  const std::unique_ptr<Game> game = make_game_();
  game->reset(0);
  int played = 0;
  if (const auto error = play_moves(*game, line, &played)) {
    return "{\"moves\":" + json_string(line) + ",\"error\":" + json_string(*error) + "}";
  }
  if (game->is_terminal()) {
    return "{\"moves\":" + json_string(line) + ",\"error\":\"the game is over here\"}";
  }
  const std::vector<float> observation = game->observation();
  const std::vector<Action> legal = game->legal_actions();
  const SearchRoot root{observation, legal, game->to_play()};
  BatchedSearch search(search_, game->num_players(), game->action_space_size());
  std::vector<std::mt19937_64> unused(1);  // no noise: never drawn from
  const SearchResult result = search.run(evaluator_, {&root, 1}, unused)[0];
  std::mt19937_64 rng(0);
  const Action action = move_after_search(result, 0.0, rng);
  // The prior the search started from: the root children's, over the whole action space.
  std::vector<float> prior(game->action_space_size(), 0.0f);
  const SearchTree& tree = search.trees()[0];
  const Node& top = tree.nodes[0];
  for (int c = 0; c < top.num_children; ++c) {
    const Node& child = tree.nodes[top.first_child + c];
    prior[child.action] = child.prior;
  }
  return "{\"moves\":" + std::to_string(played) +
         ",\"to_play\":" + std::to_string(game->to_play()) +
         ",\"action\":" + std::to_string(action) +
         ",\"move\":" + json_string(game->action_to_string(action)) +
         ",\"value\":" + number(result.root_value) +
         ",\"network_value\":" + number(result.predicted_value) +
         ",\"visits\":" + json_array(result.visit_counts) + ",\"prior\":" + json_array(prior) +
         ",\"legal\":" + json_array(legal) + "}";
}

}  // namespace muzero
