// Every registered game obeys the Game contract, checked over random playouts: observation
// shape, legal actions inside the action space, alternating players, terminal states without
// legal actions, independent clones, and determinism under a seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "games/registry.h"
#include "games/symmetry.h"

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

// winning_moves(player to move) is exactly the moves that end a two-player game with a reward
// (none in one-player games), at every step of random games (the minimal expert relies on it).
TEST(GameContract, WinningMovesAreTheMovesThatWin) {
  for (const std::string& name : registered_game_names()) {
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
      std::mt19937_64 rng(seed);
      auto game = make_game(name);
      game->reset(seed);
      for (int move = 0; move < 200 && !game->is_terminal(); ++move) {
        std::vector<Action> expected;
        for (Action a : game->legal_actions()) {
          auto next = game->clone();
          const StepResult step = next->step(a);
          if (game->num_players() == 2 && step.done && step.reward > 0) expected.push_back(a);
        }
        EXPECT_EQ(game->winning_moves(game->to_play()), expected) << name << " move " << move;
        const auto legal = game->legal_actions();
        game->step(legal[std::uniform_int_distribution<std::size_t>(0, legal.size() - 1)(rng)]);
      }
    }
  }
}

std::vector<int> indices(int n) {  // 0, 1, ..., n - 1
  std::vector<int> range(n);
  std::iota(range.begin(), range.end(), 0);
  return range;
}

bool is_permutation_of_indices(const std::vector<int>& values, int n) {
  const std::vector<int> range = indices(n);
  return std::is_permutation(values.begin(), values.end(), range.begin(), range.end());
}

// Playing a game and its relabelled twin side by side (the twin gets each move's image) gives
// the relabelled observations, the same rewards, players and ends, and the relabelled legal
// moves, at every step of random games.
TEST(GameContract, SymmetriesRelabelWholeGames) {
  for (const std::string& name : registered_game_names()) {
    const auto probe = make_game(name);
    const std::vector<Symmetry> symmetries = probe->symmetries();
    std::vector<std::vector<int>> seen;
    for (std::size_t s = 0; s < symmetries.size(); ++s) {
      const Symmetry& symmetry = symmetries[s];
      const int size = probe->observation_shape().size();
      ASSERT_TRUE(is_permutation_of_indices(symmetry.observation_source, size)) << name << " " << s;
      ASSERT_TRUE(is_permutation_of_indices(symmetry.action_image, probe->action_space_size()))
          << name << " " << s;
      EXPECT_NE(symmetry.observation_source, indices(size)) << name << ": the identity is implied";
      EXPECT_EQ(std::count(seen.begin(), seen.end(), symmetry.observation_source), 0)
          << name << ": symmetry " << s << " is listed twice";
      seen.push_back(symmetry.observation_source);
      for (std::uint64_t seed = 0; seed < 30; ++seed) {
        std::mt19937_64 rng(seed);
        auto game = make_game(name);
        auto twin = make_game(name);
        EXPECT_EQ(twin->reset(seed), relabel_observation(symmetry, game->reset(seed))) << name;
        while (!game->is_terminal()) {
          std::vector<Action> expected;
          for (Action a : game->legal_actions()) expected.push_back(symmetry.action_image[a]);
          std::sort(expected.begin(), expected.end());
          std::vector<Action> legal = twin->legal_actions();
          std::sort(legal.begin(), legal.end());
          ASSERT_EQ(legal, expected) << name << " symmetry " << s << " seed " << seed;
          ASSERT_EQ(twin->to_play(), game->to_play()) << name;
          const std::vector<Action> moves = game->legal_actions();
          const Action action =
              moves[std::uniform_int_distribution<std::size_t>(0, moves.size() - 1)(rng)];
          const StepResult step = game->step(action);
          const StepResult twin_step = twin->step(symmetry.action_image[action]);
          ASSERT_EQ(twin_step.observation, relabel_observation(symmetry, step.observation))
              << name << " symmetry " << s << " seed " << seed;
          ASSERT_EQ(twin_step.reward, step.reward) << name;
          ASSERT_EQ(twin_step.done, step.done) << name;
        }
      }
    }
  }
  EXPECT_EQ(make_game("tictactoe")->symmetries().size(), 7u);
  EXPECT_EQ(make_game("connect4")->symmetries().size(), 1u);
  EXPECT_TRUE(make_game("cartpole")->symmetries().empty());
}

TEST(GameContract, UnknownNamesGiveNoGame) {
  EXPECT_EQ(make_game("chess"), nullptr);
}

}  // namespace
}  // namespace muzero
