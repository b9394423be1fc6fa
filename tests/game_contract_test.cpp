// Every registered game obeys the Game contract, checked over random playouts: observation
// shape, legal actions inside the action space, alternating players, terminal states without
// legal actions, independent clones, and determinism under a seed.
#include <gtest/gtest.h>

#include <random>

#include "games/registry.h"

namespace muzero {
namespace {

struct Trace {
  std::vector<std::vector<float>> observations;
  std::vector<float> rewards;
};

Trace random_playout(const std::string& name, std::uint64_t seed, std::mt19937_64& rng) {
  auto game = make_game(name);
  Trace trace;
  trace.observations.push_back(game->reset(seed));
  const int players = game->num_players();
  int moves = 0;
  while (!game->is_terminal() && moves < 1000) {
    const std::vector<Action> legal = game->legal_actions();
    EXPECT_FALSE(legal.empty()) << name << ": a running game has no legal action";
    for (Action a : legal) {
      EXPECT_GE(a, 0) << name;
      EXPECT_LT(a, game->action_space_size()) << name;
      EXPECT_EQ(game->action_from_string(game->action_to_string(a)), a) << name;
    }
    const int before = game->to_play();
    EXPECT_GE(before, 0);
    EXPECT_LT(before, players);
    const Action action =
        legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)];
    // A clone moves on its own: the original is unchanged.
    auto copy = game->clone();
    copy->step(action);
    EXPECT_EQ(game->to_play(), before);
    EXPECT_EQ(game->observation(), trace.observations.back()) << name << ": clone shares state";
    const StepResult step = game->step(action);
    EXPECT_EQ(static_cast<int>(step.observation.size()), game->observation_shape().size()) << name;
    EXPECT_EQ(step.observation, game->observation()) << name;
    EXPECT_EQ(step.done, game->is_terminal()) << name;
    EXPECT_EQ(copy->observation(), step.observation) << name << ": clone differs after same move";
    if (players == 2 && !step.done) {
      EXPECT_EQ(game->to_play(), 1 - before) << name;
    }
    if (players == 1) {
      EXPECT_EQ(game->to_play(), 0) << name;
    }
    trace.observations.push_back(step.observation);
    trace.rewards.push_back(step.reward);
    ++moves;
  }
  EXPECT_TRUE(game->is_terminal()) << name << ": no end within 1000 random moves";
  EXPECT_TRUE(game->legal_actions().empty()) << name << ": a finished game has legal actions";
  EXPECT_THROW(game->step(0), std::logic_error) << name;
  EXPECT_FALSE(game->render().empty());
  EXPECT_EQ(game->render().back(), '\n') << "render() gives whole lines";
  return trace;
}

TEST(GameContract, EveryRegisteredGame) {
  const std::vector<std::string> names = registered_game_names();
  EXPECT_GE(names.size(), 3u);
  for (const std::string& name : names) {
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      std::mt19937_64 rng_a(seed), rng_b(seed);
      const Trace a = random_playout(name, seed, rng_a);
      const Trace b = random_playout(name, seed, rng_b);
      EXPECT_EQ(a.observations, b.observations) << name << ": not deterministic under a seed";
      EXPECT_EQ(a.rewards, b.rewards) << name;
    }
  }
}

TEST(GameContract, UnknownNamesGiveNoGame) {
  EXPECT_EQ(make_game("chess"), nullptr);
}

}  // namespace
}  // namespace muzero
