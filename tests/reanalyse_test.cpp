// Reanalyse: the buffer's work, the search on it, the targets taken back, fresh samples, and the
// messages that carry them.
#include "self_play/reanalyse.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "games/tictactoe.h"
#include "muzero/ipc/messages.h"
#include "muzero/ipc/reanalyse_messages.h"
#include "replay_buffer/fresh_targets.h"
#include "replay_buffer/replay_buffer.h"
#include "self_play/lockstep_self_play.h"
#include "tests/stub_evaluator.h"

namespace muzero {
namespace {

// An evaluator whose outputs are pseudo-random functions of the whole root observation, the
// actions taken from it and a "weights" seed: another seed is another network.
class HashEvaluator : public Evaluator {
 public:
  HashEvaluator(int action_space, std::uint64_t weights) : A_(action_space), weights_(weights) {}
  int action_space_size() const override { return A_; }
  void reserve_states(int capacity) override { states_.resize(capacity); }
  void initial_inference(std::span<const float> observations, std::span<const int> slots,
                         InferenceOutputs& out) override {
    const std::size_t O = observations.size() / slots.size();
    std::vector<std::uint64_t> keys;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      std::uint64_t key = weights_;
      for (std::size_t j = 0; j < O; ++j) {
        key = mix(key ^ static_cast<std::uint64_t>(observations[i * O + j] * 1000 + 7));
      }
      keys.push_back(key);
    }
    emit(keys, slots, out, true);
  }
  void recurrent_inference(std::span<const int> parents, std::span<const Action> actions,
                           std::span<const int> slots, InferenceOutputs& out) override {
    std::vector<std::uint64_t> keys;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      keys.push_back(mix(states_.at(parents[i]) ^ (static_cast<std::uint64_t>(actions[i]) + 1)));
    }
    emit(keys, slots, out, false);
  }

 private:
  static std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  }
  static float unit(std::uint64_t x) { return static_cast<float>(x >> 40) / float(1 << 24); }
  void emit(const std::vector<std::uint64_t>& keys, std::span<const int> slots,
            InferenceOutputs& out, bool initial) {
    out.values.clear();
    out.rewards.clear();
    out.policy_logits.clear();
    for (std::size_t i = 0; i < keys.size(); ++i) {
      states_.at(slots[i]) = keys[i];
      out.values.push_back(2 * unit(mix(keys[i] + 1)) - 1);
      out.rewards.push_back(initial ? 0.0f : 2 * unit(mix(keys[i] + 2)) - 1);
      for (int a = 0; a < A_; ++a) out.policy_logits.push_back(3 * unit(mix(keys[i] + 3 + a)));
    }
  }
  int A_;
  std::uint64_t weights_;
  std::vector<std::uint64_t> states_;
};

constexpr int kUnroll = 3;

SelfPlayParams search_params() {
  SelfPlayParams p;
  p.search.num_simulations = 12;
  return p;
}

// A buffer of TicTacToe games played with uniform priors by weights of training step 10.
ReplayBuffer tictactoe_buffer(int games, bool prioritized = true) {
  ReplayParams params;
  params.window_size = 100;
  params.prioritized = prioritized;
  params.targets.num_unroll_steps = kUnroll;
  ReplayBuffer buffer(params);
  LockstepSelfPlay self_play([] { return std::make_unique<TicTacToe>(); }, 2, search_params(), 4);
  auto evaluator = testing::uniform_evaluator(9);
  for (int added = 0; added < games;) {
    for (GameHistory& game : self_play.step(evaluator, 1.0, 10)) {
      if (added++ < games) buffer.add(std::move(game));
    }
  }
  return buffer;
}

// The game's true position `position`, replayed from the start.
std::unique_ptr<Game> replay_to(const GameHistory& game, int position) {
  auto board = std::make_unique<TicTacToe>();
  board->reset(0);
  for (int i = 1; i <= position; ++i) board->step(game.actions[i]);
  return board;
}

// A reanalysed target is the search's result on that position (the true position: its
// observation, legal moves and player, found by replaying the game) with those weights, and it
// is stored at that position, stamped with the weights' training step.
TEST(Reanalyse, TargetsEqualTheSearchOfEachPositionWithThoseWeights) {
  ReplayBuffer buffer = tictactoe_buffer(4);
  std::mt19937_64 rng(3);
  const ReanalyseWork work = buffer.reanalyse_work(5, rng);
  ASSERT_EQ(work.windows.size(), 5u);
  HashEvaluator network(9, 77);
  BatchedSearch search(search_params().search, 2, 9);
  std::mt19937_64 seeds(11);
  std::mt19937_64 seeds_copy = seeds;
  const ReanalysedTargets targets = reanalyse(search, network, work, 40, seeds);
  ASSERT_EQ(targets.root_values.size(), static_cast<std::size_t>(work.num_positions()));
  const std::vector<SampledPosition> fresh = buffer.apply_reanalysed(targets);
  EXPECT_EQ(fresh.size(), work.windows.size());

  std::set<std::pair<GameId, int>> checked;
  std::size_t p = 0;
  for (const ReanalyseWindow& window : work.windows) {
    const GameHistory& game = *buffer.find(window.game_id);
    EXPECT_EQ(window.count, std::min(kUnroll + 1, game.num_moves() - window.first));
    for (int i = 0; i < window.count; ++i, ++p) {
      const std::uint64_t seed = seeds_copy();
      const int position = window.first + i;
      // Overlapping windows: the first search of a position is the one kept.
      if (!checked.insert({window.game_id, position}).second) continue;
      const auto board = replay_to(game, position);
      const std::vector<float> observation = board->observation();
      ASSERT_TRUE(
          std::equal(observation.begin(), observation.end(), game.observation(position).begin()));
      HashEvaluator same_weights(9, 77);
      BatchedSearch alone(search_params().search, 2, 9);
      const SearchRoot root{observation, board->legal_actions(), board->to_play()};
      std::vector<std::mt19937_64> rngs{std::mt19937_64(seed)};
      const SearchResult expected = alone.run(same_weights, std::span(&root, 1), rngs).front();
      const auto stored = game.policy(position);
      EXPECT_TRUE(std::equal(stored.begin(), stored.end(), expected.policy_target.begin()))
          << "game " << window.game_id << " position " << position;
      EXPECT_FLOAT_EQ(game.root_values[position], expected.root_value);
      EXPECT_EQ(game.target_step(position), 40);
    }
  }
  // Other weights give other targets: the test would notice weights that were not used.
  HashEvaluator other(9, 78);
  std::mt19937_64 seeds_again(11);
  const ReanalysedTargets with_other = reanalyse(search, other, work, 41, seeds_again);
  EXPECT_NE(with_other.policies, targets.policies);
}

// Targets are never older than the data they replace: from older weights (a slow worker, or
// self-play's own searches of a later step) they are dropped, from newer ones they are taken.
TEST(Reanalyse, NeverReplacesATargetWithAnOlderOne) {
  ReplayBuffer buffer = tictactoe_buffer(2);
  std::mt19937_64 rng(5);
  const ReanalyseWork work = buffer.reanalyse_work(1, rng);
  const ReanalyseWindow window = work.windows.front();
  const GameHistory& game = *buffer.find(window.game_id);
  const std::vector<float> played(game.policy(window.first).begin(),
                                  game.policy(window.first).end());
  ASSERT_EQ(game.target_step(window.first), 10);  // self-play's weights

  ReanalysedTargets targets;
  targets.windows = {window};
  for (int i = 0; i < window.count; ++i) {
    std::vector<float> policy(9, 0.0f);
    policy[game.legal_actions(window.first + i).front()] = 1.0f;
    targets.policies.insert(targets.policies.end(), policy.begin(), policy.end());
    targets.root_values.push_back(0.5f);
  }
  ASSERT_FALSE(buffer.reanalysed_targets_problem(targets));
  targets.weights_step = 9;  // older than self-play's search
  EXPECT_TRUE(buffer.apply_reanalysed(targets).empty());
  EXPECT_TRUE(std::equal(played.begin(), played.end(), game.policy(window.first).begin()));
  targets.weights_step = 30;
  EXPECT_EQ(buffer.apply_reanalysed(targets).size(), 1u);
  EXPECT_FLOAT_EQ(game.root_values[window.first], 0.5f);
  EXPECT_EQ(game.target_step(window.first), 30);
  targets.weights_step = 20;  // a late reply from older weights than the last taken
  for (float& v : targets.root_values) v = -0.5f;
  EXPECT_TRUE(buffer.apply_reanalysed(targets).empty());
  EXPECT_FLOAT_EQ(game.root_values[window.first], 0.5f);
}

// With chosen (fresh) positions, the batch starts with them, says how many, carries their
// targets' training step, and weights them as a draw would be weighted.
TEST(Reanalyse, BatchStartsAtTheFreshPositions) {
  ReplayBuffer buffer = tictactoe_buffer(4);
  std::mt19937_64 rng(7);
  const ReanalyseWork work = buffer.reanalyse_work(3, rng);
  HashEvaluator network(9, 5);
  BatchedSearch search(search_params().search, 2, 9);
  const std::vector<SampledPosition> fresh =
      buffer.apply_reanalysed(reanalyse(search, network, work, 50, rng));
  ASSERT_EQ(fresh.size(), 3u);
  const Batch batch = buffer.sample(8, rng, fresh);
  EXPECT_EQ(batch.fresh_samples, 3);
  for (int b = 0; b < 8; ++b) {
    EXPECT_GT(batch.weights[b], 0.0f);
    EXPECT_LE(batch.weights[b], 1.0f);
    if (b >= 3) continue;
    EXPECT_EQ(batch.positions[b].game_id, fresh[b].game_id);
    EXPECT_EQ(batch.positions[b].position, fresh[b].position);
    EXPECT_EQ(batch.target_steps[b], 50);
    const auto stored = buffer.find(fresh[b].game_id)->policy(fresh[b].position);
    EXPECT_TRUE(std::equal(stored.begin(), stored.end(),
                           batch.target_policies.begin() + b * (kUnroll + 1) * 9));
  }
  const SampledPosition gone{999, 0};
  EXPECT_THROW(buffer.sample(2, rng, std::span(&gone, 1)), std::invalid_argument);
}

// Targets from a peer are refused when they do not fit: a policy that does not sum to 1, or
// gives weight to a move that was not legal there, or counts that do not match the windows.
TEST(Reanalyse, RefusesTargetsThatDoNotFitTheStoredPositions) {
  ReplayBuffer buffer = tictactoe_buffer(2);
  std::mt19937_64 rng(9);
  const ReanalyseWork work = buffer.reanalyse_work(1, rng);
  const ReanalyseWindow window = work.windows.front();
  const GameHistory& game = *buffer.find(window.game_id);
  ReanalysedTargets targets;
  targets.weights_step = 60;
  targets.windows = {window};
  targets.policies.assign(static_cast<std::size_t>(window.count) * 9, 0.0f);
  targets.root_values.assign(window.count, 0.0f);
  for (int i = 0; i < window.count; ++i) {
    targets.policies[i * 9 + game.legal_actions(window.first + i).front()] = 1.0f;
  }
  EXPECT_FALSE(buffer.reanalysed_targets_problem(targets));
  // The move played from the window's first position is taken, so it is not legal after it.
  const Action taken = game.actions[window.first + 1];
  if (window.count > 1) {
    ReanalysedTargets illegal = targets;
    std::fill_n(illegal.policies.begin() + 9, 9, 0.0f);
    illegal.policies[9 + taken] = 1.0f;
    const auto problem = buffer.reanalysed_targets_problem(illegal);
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->find("not legal"), std::string::npos) << *problem;
  }
  ReanalysedTargets unnormalised = targets;
  unnormalised.policies[game.legal_actions(window.first).front()] = 0.5f;
  EXPECT_TRUE(buffer.reanalysed_targets_problem(unnormalised));
  ReanalysedTargets short_of_values = targets;
  short_of_values.root_values.pop_back();
  EXPECT_TRUE(buffer.reanalysed_targets_problem(short_of_values));
}

// Records made before legal moves were kept: the moves the policy weighs, and the one played.
TEST(Reanalyse, LegalMovesOfOldRecordsComeFromThePolicy) {
  GameHistory game = *tictactoe_buffer(1).find(0);
  ASSERT_GT(game.num_moves(), 1);
  const std::vector<Action> recorded = game.legal_actions(0);
  EXPECT_EQ(recorded.size(), 9u);  // the empty board
  game.legal_masks.clear();
  std::fill_n(game.child_visits.begin(), 9, 0.0f);
  game.child_visits[4] = 1.0f;
  const std::vector<Action> guessed = game.legal_actions(0);
  std::set<Action> expected{4, game.actions[1]};
  EXPECT_EQ(std::set<Action>(guessed.begin(), guessed.end()), expected);
  EXPECT_EQ(game.target_step(0), 10);
  game.target_steps.clear();
  EXPECT_EQ(game.target_step(0), -1);
}

TEST(FreshTargets, NewestFirstBoundedAndOnlyStoredOnes) {
  FreshTargets fresh(3);
  const std::vector<SampledPosition> added{{1, 0}, {2, 0}, {3, 0}, {4, 0}};
  fresh.add(added);  // {1, 0} is dropped: over capacity
  EXPECT_TRUE(fresh.full());
  const auto taken = fresh.take(2, [](const SampledPosition& p) { return p.game_id != 4; });
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].game_id, 3u);  // 4 is no longer stored
  EXPECT_EQ(taken[1].game_id, 2u);
  EXPECT_EQ(fresh.size(), 0u);
  EXPECT_TRUE(fresh.take(1, [](const SampledPosition&) { return true; }).empty());
}

ReanalyseShape tictactoe_shape() {
  return {27, 9, kUnroll + 1, 4};
}

TEST(ReanalyseMessages, RoundTripAndRefusals) {
  ReplayBuffer buffer = tictactoe_buffer(3);
  std::mt19937_64 rng(13);
  const ReanalyseWork work = buffer.reanalyse_work(4, rng);
  const ReanalyseWork decoded =
      decode_reanalyse_work(encode_reanalyse_work(work), tictactoe_shape());
  EXPECT_EQ(decoded.observations, work.observations);
  EXPECT_EQ(decoded.to_play, work.to_play);
  EXPECT_EQ(decoded.legal_masks, work.legal_masks);
  ASSERT_EQ(decoded.windows.size(), work.windows.size());
  EXPECT_EQ(decoded.windows.back().first, work.windows.back().first);

  HashEvaluator network(9, 1);
  BatchedSearch search(search_params().search, 2, 9);
  const ReanalysedTargets targets = reanalyse(search, network, work, 12, rng);
  const ReanalysedTargets back =
      decode_reanalysed_targets(encode_reanalysed_targets(targets), tictactoe_shape());
  EXPECT_EQ(back.weights_step, 12);
  EXPECT_EQ(back.policies, targets.policies);
  EXPECT_EQ(back.root_values, targets.root_values);
  EXPECT_LE(encode_reanalysed_targets(targets).size(), max_reanalyse_payload(tictactoe_shape()));
  EXPECT_LE(encode_reanalyse_work(work).size(), max_reanalyse_payload(tictactoe_shape()));

  ReanalyseShape fewer = tictactoe_shape();
  fewer.max_windows = 3;
  EXPECT_THROW(decode_reanalysed_targets(encode_reanalysed_targets(targets), fewer), DecodeError);
  ReanalyseShape shorter = tictactoe_shape();
  shorter.max_window = 1;
  EXPECT_THROW(decode_reanalyse_work(encode_reanalyse_work(work), shorter), DecodeError);
  ReanalysedTargets bad = targets;
  bad.root_values[0] = std::nanf("");
  EXPECT_THROW(decode_reanalysed_targets(encode_reanalysed_targets(bad), tictactoe_shape()),
               DecodeError);
  bad = targets;
  bad.policies.pop_back();
  EXPECT_THROW(decode_reanalysed_targets(encode_reanalysed_targets(bad), tictactoe_shape()),
               DecodeError);
  bad = targets;
  bad.weights_step = -3;
  EXPECT_THROW(decode_reanalysed_targets(encode_reanalysed_targets(bad), tictactoe_shape()),
               DecodeError);
  ReanalyseWork no_moves = work;
  std::fill_n(no_moves.legal_masks.begin(), 9, std::uint8_t{0});
  EXPECT_THROW(decode_reanalyse_work(encode_reanalyse_work(no_moves), tictactoe_shape()),
               DecodeError);
}

// Game records carry their legal moves and target steps across the wire; a record whose played
// move was not legal is refused.
TEST(ReanalyseMessages, GameRecordsCarryLegalMovesAndTargetSteps) {
  GameHistory game = *tictactoe_buffer(1).find(0);
  const GameHistory back = decode_game(encode_game(game));
  EXPECT_EQ(back.legal_masks, game.legal_masks);
  EXPECT_EQ(back.target_steps, game.target_steps);
  GameHistory wrong = game;
  wrong.legal_masks[static_cast<std::size_t>(game.actions[1])] = 0;
  EXPECT_THROW(decode_game(encode_game(wrong)), DecodeError);
  wrong = game;
  wrong.target_steps.pop_back();
  EXPECT_THROW(decode_game(encode_game(wrong)), DecodeError);
}

}  // namespace
}  // namespace muzero
