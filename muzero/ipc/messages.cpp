#include "muzero/ipc/messages.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "games/lookahead_rewards.h"

namespace muzero {
namespace {

// Sanity limits far above any real game, so a corrupt header cannot ask for absurd sizes.
constexpr std::uint32_t kMaxObservationSize = 1u << 24;
constexpr std::uint32_t kMaxActionSpace = 1u << 20;

void check(bool ok, const char* what) {
  if (!ok) throw DecodeError(std::string("malformed game: ") + what);
}

}  // namespace

std::vector<std::byte> encode_game(const GameHistory& game) {
  PayloadWriter w;
  w.put<std::uint32_t>(static_cast<std::uint32_t>(game.observation_size));
  w.put<std::uint32_t>(static_cast<std::uint32_t>(game.action_space_size));
  w.put_vector<float>(game.observations);
  w.put_vector<std::int32_t>(game.actions);
  w.put_vector<float>(game.rewards);
  w.put_vector<std::int32_t>(game.to_play);
  w.put_vector<float>(game.root_values);
  w.put_vector<float>(game.child_visits);
  w.put<std::uint8_t>(game.truncated ? 1 : 0);
  w.put_vector<float>(game.lookahead_rewards);
  w.put_vector<std::uint8_t>(game.legal_masks);
  w.put_vector<std::int64_t>(game.target_steps);
  w.put_vector<float>(game.move_observations);
  w.put_vector<std::uint8_t>(game.move_observation_known);
  return std::move(w.bytes());
}

GameHistory decode_game(std::span<const std::byte> payload) {
  PayloadReader r(payload);
  GameHistory game;
  const auto observation_size = r.get<std::uint32_t>();
  const auto action_space = r.get<std::uint32_t>();
  check(observation_size >= 1 && observation_size <= kMaxObservationSize, "observation size");
  check(action_space >= 1 && action_space <= kMaxActionSpace, "action space size");
  game.observation_size = static_cast<int>(observation_size);
  game.action_space_size = static_cast<int>(action_space);
  game.observations = r.get_vector<float>();
  game.actions = r.get_vector<std::int32_t>();
  game.rewards = r.get_vector<float>();
  game.to_play = r.get_vector<std::int32_t>();
  game.root_values = r.get_vector<float>();
  game.child_visits = r.get_vector<float>();
  // Games saved before the truncation flag existed end here (replay_buffer.bin of older runs).
  if (r.remaining() > 0) {
    const auto truncated = r.get<std::uint8_t>();
    check(truncated <= 1, "truncation flag");
    game.truncated = truncated == 1;
  }
  // And those saved before lookahead rewards existed, here.
  if (r.remaining() > 0) game.lookahead_rewards = r.get_vector<float>();
  // And those saved before legal moves and target steps were recorded, here.
  if (r.remaining() > 0) {
    game.legal_masks = r.get_vector<std::uint8_t>();
    game.target_steps = r.get_vector<std::int64_t>();
  }
  // And those saved before the observations after every move were recorded, here.
  if (r.remaining() > 0) {
    game.move_observations = r.get_vector<float>();
    game.move_observation_known = r.get_vector<std::uint8_t>();
  }
  r.expect_end();
  const std::size_t moves = game.root_values.size();
  check(moves >= 1, "no moves");
  check(game.actions.size() == moves + 1 && game.rewards.size() == moves + 1 &&
            game.to_play.size() == moves + 1,
        "actions, rewards and players must have one entry per position");
  check(game.observations.size() == (moves + 1) * observation_size, "observation count");
  check(game.child_visits.size() == moves * action_space, "policy count");
  for (std::size_t i = 1; i <= moves; ++i) {
    check(game.actions[i] >= 0 && static_cast<std::uint32_t>(game.actions[i]) < action_space,
          "action out of range");
  }
  for (float v : game.root_values) check(std::isfinite(v), "non-finite root value");
  for (float v : game.rewards) check(std::isfinite(v), "non-finite reward");
  const std::size_t per_position = lookahead_size(game.action_space_size);
  check(game.lookahead_rewards.empty() || (game.lookahead_rewards.size() % per_position == 0 &&
                                           game.lookahead_rewards.size() / per_position == moves),
        "lookahead reward count");
  for (float v : game.lookahead_rewards) check(!std::isinf(v), "infinite lookahead reward");
  check(game.legal_masks.empty() || game.legal_masks.size() == moves * action_space,
        "legal move count");
  for (std::size_t i = 0; i < game.legal_masks.size(); i += action_space) {
    bool any = false;
    for (std::size_t a = 0; a < action_space; ++a) {
      check(game.legal_masks[i + a] <= 1, "legal move flag");
      any = any || game.legal_masks[i + a] == 1;
    }
    check(any, "a position without legal moves");
    const std::size_t played = static_cast<std::size_t>(game.actions[i / action_space + 1]);
    check(game.legal_masks[i + played] == 1, "a move played that was not legal");
  }
  check(game.target_steps.empty() || game.target_steps.size() == moves, "target step count");
  for (std::int64_t step : game.target_steps) check(step >= -1, "target step");
  check(game.move_observation_known.size() ==
                (game.move_observations.empty() ? 0 : moves * action_space) &&
            game.move_observations.size() == game.move_observation_known.size() * observation_size,
        "move observation count");
  for (float v : game.move_observations) check(std::isfinite(v), "non-finite move observation");
  for (std::size_t i = 0; i < game.move_observation_known.size(); ++i) {
    check(game.move_observation_known[i] <= 1, "move observation flag");
    check(
        game.move_observation_known[i] == 0 || game.legal_masks.empty() || game.legal_masks[i] == 1,
        "an observation after a move that was not legal");
  }
  return game;
}

std::size_t max_game_payload(const GameRecordRules& rules) {
  const std::size_t moves = static_cast<std::size_t>(rules.max_moves);
  const std::size_t O = static_cast<std::size_t>(rules.game.observation_shape.size());
  const std::size_t A = static_cast<std::size_t>(rules.game.action_space_size);
  const std::size_t vectors = 12 * sizeof(std::uint64_t);  // each vector's length
  return 2 * sizeof(std::uint32_t) + vectors + 1 +
         sizeof(float) * ((moves + 1) * (O + 3) +
                          moves * (1 + A + lookahead_size(rules.game.action_space_size) + A * O)) +
         moves * (A + sizeof(std::int64_t) + A);
}

namespace {

constexpr std::uint32_t kMaxBatchSize = 1u << 20;
constexpr std::uint32_t kMaxUnrollSteps = 1000;
constexpr std::uint64_t kMaxCounters = 10000;

// Positions travel as two arrays: game ids, then positions within the games.
void put_positions(PayloadWriter& w, std::span<const SampledPosition> positions) {
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> indices;
  for (const SampledPosition& p : positions) {
    ids.push_back(p.game_id);
    indices.push_back(p.position);
  }
  w.put_vector<std::uint64_t>(ids);
  w.put_vector<std::int32_t>(indices);
}

std::vector<SampledPosition> get_positions(PayloadReader& r) {
  const auto ids = r.get_vector<std::uint64_t>();
  const auto indices = r.get_vector<std::int32_t>();
  if (ids.size() != indices.size()) throw DecodeError("game ids and positions disagree in number");
  std::vector<SampledPosition> positions;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (indices[i] < 0) throw DecodeError("negative position");
    positions.push_back({ids[i], indices[i]});
  }
  return positions;
}

void check_batch(bool ok, const char* what) {
  if (!ok) throw DecodeError(std::string("malformed batch: ") + what);
}

}  // namespace

std::vector<std::byte> encode_batch_reply(const BatchReply& reply) {
  PayloadWriter w;
  w.put<std::uint8_t>(reply.ready ? 1 : 0);
  w.put<std::int64_t>(reply.played_games);
  w.put<std::int64_t>(reply.played_steps);
  if (!reply.ready) return std::move(w.bytes());
  const Batch& b = reply.batch;
  w.put<std::uint32_t>(static_cast<std::uint32_t>(b.batch_size));
  w.put<std::uint32_t>(static_cast<std::uint32_t>(b.num_unroll_steps));
  w.put<std::uint32_t>(static_cast<std::uint32_t>(b.observation_size));
  w.put<std::uint32_t>(static_cast<std::uint32_t>(b.action_space_size));
  w.put_vector<float>(b.observations);
  w.put_vector<std::int64_t>(b.actions);
  w.put_vector<float>(b.target_values);
  w.put_vector<float>(b.target_rewards);
  w.put_vector<float>(b.target_policies);
  w.put_vector<float>(b.gradient_scales);
  w.put_vector<std::int32_t>(b.first_unknown_steps);
  w.put_vector<float>(b.weights);
  put_positions(w, b.positions);
  w.put_vector<std::int32_t>(b.bootstrap_rows);
  w.put_vector<float>(b.bootstrap_scales);
  w.put_vector<float>(b.bootstrap_observations);
  w.put_vector<float>(b.next_observations);
  w.put_vector<float>(b.next_observation_mask);
  w.put_vector<std::int64_t>(b.lookahead_actions);
  w.put_vector<float>(b.lookahead_rewards);
  w.put_vector<float>(b.lookahead_mask);
  w.put_vector<float>(b.move_observations);
  w.put_vector<float>(b.move_observation_mask);
  w.put_vector<std::int64_t>(b.target_steps);
  w.put<std::uint32_t>(static_cast<std::uint32_t>(b.fresh_samples));
  return std::move(w.bytes());
}

BatchReply decode_batch_reply(std::span<const std::byte> payload) {
  PayloadReader r(payload);
  BatchReply reply;
  reply.ready = r.get<std::uint8_t>() != 0;
  reply.played_games = r.get<std::int64_t>();
  reply.played_steps = r.get<std::int64_t>();
  if (!reply.ready) {
    r.expect_end();
    return reply;
  }
  Batch& b = reply.batch;
  const auto B = r.get<std::uint32_t>();
  const auto K = r.get<std::uint32_t>();
  const auto O = r.get<std::uint32_t>();
  const auto A = r.get<std::uint32_t>();
  check_batch(B >= 1 && B <= kMaxBatchSize && K <= kMaxUnrollSteps && O >= 1 &&
                  O <= kMaxObservationSize && A >= 1 && A <= kMaxActionSpace,
              "sizes out of range");
  b.batch_size = static_cast<int>(B);
  b.num_unroll_steps = static_cast<int>(K);
  b.observation_size = static_cast<int>(O);
  b.action_space_size = static_cast<int>(A);
  b.observations = r.get_vector<float>();
  b.actions = r.get_vector<std::int64_t>();
  b.target_values = r.get_vector<float>();
  b.target_rewards = r.get_vector<float>();
  b.target_policies = r.get_vector<float>();
  b.gradient_scales = r.get_vector<float>();
  b.first_unknown_steps = r.get_vector<std::int32_t>();
  b.weights = r.get_vector<float>();
  b.positions = get_positions(r);
  b.bootstrap_rows = r.get_vector<std::int32_t>();
  b.bootstrap_scales = r.get_vector<float>();
  b.bootstrap_observations = r.get_vector<float>();
  b.next_observations = r.get_vector<float>();
  b.next_observation_mask = r.get_vector<float>();
  b.lookahead_actions = r.get_vector<std::int64_t>();
  b.lookahead_rewards = r.get_vector<float>();
  b.lookahead_mask = r.get_vector<float>();
  b.move_observations = r.get_vector<float>();
  b.move_observation_mask = r.get_vector<float>();
  b.target_steps = r.get_vector<std::int64_t>();
  const auto fresh = r.get<std::uint32_t>();
  check_batch(fresh <= B, "more fresh samples than samples");
  b.fresh_samples = static_cast<int>(fresh);
  r.expect_end();
  const std::size_t steps = static_cast<std::size_t>(B) * (K + 1);
  check_batch(b.observations.size() == static_cast<std::size_t>(B) * O, "observation count");
  check_batch(b.actions.size() == steps && b.target_values.size() == steps &&
                  b.target_rewards.size() == steps,
              "target count");
  check_batch(b.target_policies.size() == steps * A, "policy count");
  check_batch(b.gradient_scales.size() == B && b.weights.size() == B && b.positions.size() == B &&
                  b.target_steps.size() == B,
              "per-sample count");
  for (std::int64_t a : b.actions) {
    check_batch(a >= 0 && static_cast<std::uint64_t>(a) < A, "action out of range");
  }
  for (float s : b.gradient_scales) check_batch(std::isfinite(s) && s > 0, "gradient scale");
  check_batch(b.first_unknown_steps.empty() || b.first_unknown_steps.size() == B,
              "first unknown step count");
  for (std::int32_t k : b.first_unknown_steps) {
    // Step 0 is always a stored, searched position.
    check_batch(k >= 1 && static_cast<std::uint32_t>(k) <= K + 1, "first unknown step");
  }
  // Training on a NaN makes every weight NaN: nothing that is not finite reaches the trainer.
  const auto all_finite = [](const std::vector<float>& values) {
    return std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); });
  };
  check_batch(all_finite(b.observations) && all_finite(b.target_values) &&
                  all_finite(b.target_rewards) && all_finite(b.target_policies) &&
                  all_finite(b.weights) && all_finite(b.next_observations) &&
                  all_finite(b.bootstrap_observations) && all_finite(b.move_observations),
              "a value that is not finite");
  check_batch(b.bootstrap_scales.size() == b.bootstrap_rows.size() &&
                  b.bootstrap_observations.size() == b.bootstrap_rows.size() * O,
              "bootstrap count");
  for (std::int32_t row : b.bootstrap_rows) {
    check_batch(row >= 0 && static_cast<std::size_t>(row) < steps, "bootstrap row out of range");
  }
  for (float s : b.bootstrap_scales) check_batch(std::isfinite(s), "bootstrap scale");
  const std::size_t next_steps = b.next_observation_mask.empty() ? 0 : std::size_t{B} * K;
  check_batch(
      b.next_observation_mask.size() == next_steps && b.next_observations.size() == next_steps * O,
      "next observation count");
  for (float m : b.next_observation_mask) {
    check_batch(m == 0.0f || m == 1.0f, "next observation mask");
  }
  const std::size_t lookahead = b.lookahead_actions.empty() ? 0 : std::size_t{B} * 2;
  check_batch(b.lookahead_actions.size() == lookahead && b.lookahead_rewards.size() == lookahead &&
                  b.lookahead_mask.size() == lookahead,
              "lookahead count");
  for (std::int64_t a : b.lookahead_actions) {
    check_batch(a >= 0 && static_cast<std::uint64_t>(a) < A, "lookahead action out of range");
  }
  for (float v : b.lookahead_rewards) check_batch(std::isfinite(v), "lookahead reward");
  for (float m : b.lookahead_mask) check_batch(m == 0.0f || m == 1.0f, "lookahead mask");
  const std::size_t moves = b.move_observation_mask.empty() ? 0 : std::size_t{B} * A;
  check_batch(b.move_observation_mask.size() == moves && b.move_observations.size() == moves * O,
              "move observation count");
  for (float m : b.move_observation_mask) {
    check_batch(m == 0.0f || m == 1.0f, "move observation mask");
  }
  return reply;
}

std::vector<std::byte> encode_priorities(const PriorityUpdate& update) {
  PayloadWriter w;
  w.put<std::uint32_t>(static_cast<std::uint32_t>(update.num_unroll_steps));
  put_positions(w, update.positions);
  w.put_vector<float>(update.errors);
  return std::move(w.bytes());
}

PriorityUpdate decode_priorities(std::span<const std::byte> payload) {
  PayloadReader r(payload);
  PriorityUpdate update;
  const auto K = r.get<std::uint32_t>();
  update.positions = get_positions(r);
  update.errors = r.get_vector<float>();
  r.expect_end();
  if (K > kMaxUnrollSteps || update.errors.size() != update.positions.size() * (K + 1)) {
    throw DecodeError("malformed priorities: sizes disagree");
  }
  for (float e : update.errors) {
    if (!std::isfinite(e)) throw DecodeError("malformed priorities: non-finite error");
  }
  update.num_unroll_steps = static_cast<int>(K);
  return update;
}

std::vector<std::byte> encode_weights(const WeightsMessage& weights) {
  PayloadWriter w;
  w.put<std::int64_t>(weights.version);
  w.put<std::int64_t>(weights.training_step);
  w.put_string(weights.blob);
  return std::move(w.bytes());
}

WeightsMessage decode_weights(std::span<const std::byte> payload) {
  PayloadReader r(payload);
  WeightsMessage weights;
  weights.version = r.get<std::int64_t>();
  weights.training_step = r.get<std::int64_t>();
  weights.blob = r.get_string();
  r.expect_end();
  return weights;
}

std::vector<std::byte> encode_counter_updates(std::span<const CounterUpdate> updates) {
  PayloadWriter w;
  w.put<std::uint64_t>(updates.size());
  for (const CounterUpdate& u : updates) {
    w.put_string(u.name);
    w.put<std::uint8_t>(u.add ? 1 : 0);
    w.put<double>(u.value);
  }
  return std::move(w.bytes());
}

std::vector<CounterUpdate> decode_counter_updates(std::span<const std::byte> payload) {
  PayloadReader r(payload);
  const auto n = r.get<std::uint64_t>();
  if (n > kMaxCounters) throw DecodeError("too many counters");
  std::vector<CounterUpdate> updates(n);
  for (CounterUpdate& u : updates) {
    u.name = r.get_string();
    u.add = r.get<std::uint8_t>() != 0;
    u.value = r.get<double>();
  }
  r.expect_end();
  return updates;
}

std::vector<std::byte> encode_counters(const std::map<std::string, double>& counters) {
  PayloadWriter w;
  w.put<std::uint64_t>(counters.size());
  for (const auto& [name, value] : counters) {
    w.put_string(name);
    w.put<double>(value);
  }
  return std::move(w.bytes());
}

std::map<std::string, double> decode_counters(std::span<const std::byte> payload) {
  PayloadReader r(payload);
  const auto n = r.get<std::uint64_t>();
  if (n > kMaxCounters) throw DecodeError("too many counters");
  std::map<std::string, double> counters;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::string name = r.get_string();
    counters[name] = r.get<double>();
  }
  r.expect_end();
  return counters;
}

std::vector<std::byte> encode_wait_for_step(const WaitForStep& wait) {
  PayloadWriter w;
  w.put<std::int64_t>(wait.step);
  w.put<std::int64_t>(wait.max_milliseconds);
  return std::move(w.bytes());
}

WaitForStep decode_wait_for_step(std::span<const std::byte> payload) {
  PayloadReader r(payload);
  WaitForStep wait;
  wait.step = r.get<std::int64_t>();
  wait.max_milliseconds = r.get<std::int64_t>();
  r.expect_end();
  if (wait.max_milliseconds < 0 || wait.max_milliseconds > kMaxWaitMilliseconds) {
    throw DecodeError("a wait of " + std::to_string(wait.max_milliseconds) + " ms (at most " +
                      std::to_string(kMaxWaitMilliseconds) + ")");
  }
  return wait;
}

std::vector<std::byte> encode_int(std::int64_t value) {
  PayloadWriter w;
  w.put<std::int64_t>(value);
  return std::move(w.bytes());
}

std::int64_t decode_int(std::span<const std::byte> payload) {
  PayloadReader r(payload);
  const auto value = r.get<std::int64_t>();
  r.expect_end();
  return value;
}

}  // namespace muzero
