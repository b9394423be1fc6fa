#include "games/registry.h"

#include <map>
#include <mutex>
#include <stdexcept>

#include "games/cartpole.h"
#include "games/connect4.h"
#include "games/gomoku.h"
#include "games/gridworld.h"
#include "games/lunar_lander.h"
#include "games/simple_grid.h"
#include "games/tictactoe.h"
#include "games/twentyone.h"

namespace muzero {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, GameFactory> factories{
      {"cartpole", [] { return std::make_unique<CartPole>(); }},
      {"connect4", [] { return std::make_unique<Connect4>(); }},
      {"connect4_threats", [] { return std::make_unique<Connect4>(/*threat_planes=*/true); }},
      {"gomoku", [] { return std::make_unique<Gomoku>(); }},
      {"gridworld", [] { return std::make_unique<Gridworld>(); }},
      {"lunar_lander", [] { return std::make_unique<LunarLander>(); }},
      {"simple_grid", [] { return std::make_unique<SimpleGrid>(); }},
      {"tictactoe", [] { return std::make_unique<TicTacToe>(); }},
      {"twentyone", [] { return std::make_unique<TwentyOne>(); }},
  };
  std::map<std::string, GameSpec> specs;  // asked of a game on first use
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

std::unique_ptr<Game> make_game(const std::string& name) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.factories.find(name);
  return it == r.factories.end() ? nullptr : it->second();
}

std::vector<std::string> registered_game_names() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, factory] : r.factories) names.push_back(name);
  return names;
}

GameSpec game_spec(const std::string& name) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  if (auto known = r.specs.find(name); known != r.specs.end()) return known->second;
  auto it = r.factories.find(name);
  if (it == r.factories.end()) throw std::invalid_argument("unknown game '" + name + "'");
  return r.specs.emplace(name, spec_of(name, *it->second())).first->second;
}

void register_game(const std::string& name, GameFactory factory) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.factories[name] = std::move(factory);
  r.specs.erase(name);
}

}  // namespace muzero
