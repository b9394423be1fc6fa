#include <gtest/gtest.h>

#include "tests/bytes.h"

#include <cstring>

#include "muzero/ipc/crc32c.h"
#include "muzero/ipc/frame.h"
#include "muzero/ipc/messages.h"
#include "replay_buffer/replay_buffer.h"
#include "tests/history_builder.h"

namespace muzero {
namespace {

using testing::bytes_of;
using testing::text_of;

TEST(Crc32c, StandardCheckValue) {
  EXPECT_EQ(crc32c(bytes_of("123456789")), 0xE3069283u);  // the published CRC-32C check value
  EXPECT_EQ(crc32c(bytes_of("")), 0u);
}

TEST(Frame, RoundTripsSeveralFramesFedByteByByte) {
  const std::vector<std::byte> a = bytes_of("first payload");
  const std::vector<std::byte> b;  // empty payloads are allowed
  std::vector<std::byte> stream = encode_frame(MessageType::kGame, a);
  const std::vector<std::byte> second = encode_frame(MessageType::kConfig, b);
  stream.insert(stream.end(), second.begin(), second.end());
  ASSERT_EQ(stream.size(), 2 * kFrameHeaderSize + a.size());

  FrameDecoder decoder(FrameLimits::any(1024));
  std::vector<Frame> frames;
  for (std::byte byte : stream) {
    decoder.feed({&byte, 1});
    while (auto frame = decoder.next()) frames.push_back(std::move(*frame));
  }
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].type, MessageType::kGame);
  EXPECT_EQ(frames[0].payload, a);
  EXPECT_EQ(frames[1].type, MessageType::kConfig);
  EXPECT_TRUE(frames[1].payload.empty());
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(Frame, WaitsForTruncatedFrames) {
  const std::vector<std::byte> frame = encode_frame(MessageType::kStats, bytes_of("0123456789"));
  FrameDecoder decoder(FrameLimits::any(1024));
  decoder.feed(std::span(frame).first(frame.size() - 1));
  EXPECT_FALSE(decoder.next().has_value());
  decoder.feed(std::span(frame).last(1));
  EXPECT_TRUE(decoder.next().has_value());
}

std::string refusal(std::vector<std::byte> stream, FrameLimits limits = FrameLimits::any(1024)) {
  FrameDecoder decoder(limits);
  decoder.feed(stream);
  try {
    decoder.next();
  } catch (const DecodeError& error) {
    return error.what();
  }
  return "accepted";
}

TEST(Frame, RefusesOversizedGarbageAndCorruptFrames) {
  const std::vector<std::byte> good = encode_frame(MessageType::kGame, bytes_of("payload"));
  // Oversized: refused from the header alone, before any payload arrives.
  const std::vector<std::byte> big = encode_frame(MessageType::kGame, std::vector<std::byte>(2000));
  EXPECT_EQ(refusal({big.begin(), big.begin() + kFrameHeaderSize}),
            "a payload of 2000 bytes for message type 1 exceeds its limit of 1024");
  EXPECT_EQ(refusal(bytes_of("GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
            "bad frame magic (not a muzero peer?)");
  std::vector<std::byte> version = good;
  version[4] = std::byte{9};
  EXPECT_EQ(refusal(version), "unsupported protocol version 9 (expected 7)");
  std::vector<std::byte> type = good;
  type[6] = std::byte{0x7F};
  EXPECT_EQ(refusal(type), "unknown message type 127");
  std::vector<std::byte> corrupt = good;
  corrupt.back() ^= std::byte{1};
  EXPECT_EQ(refusal(corrupt), "frame checksum mismatch (corrupt data)");
}

// A server accepts only the requests it handles, each with its own limit, and refuses the rest
// from the header, before the payload arrives.
TEST(Frame, LimitsArePerMessageType) {
  const FrameLimits limits =
      FrameLimits().allow(MessageType::kGame, 100).allow(MessageType::kStats, 10);
  const auto header_of = [](MessageType type, std::size_t size) {
    const std::vector<std::byte> frame = encode_frame(type, std::vector<std::byte>(size));
    return std::vector<std::byte>(frame.begin(), frame.begin() + kFrameHeaderSize);
  };
  EXPECT_EQ(refusal(header_of(MessageType::kGame, 100), limits), "accepted");
  EXPECT_EQ(refusal(header_of(MessageType::kGame, 101), limits),
            "a payload of 101 bytes for message type 1 exceeds its limit of 100");
  EXPECT_EQ(refusal(header_of(MessageType::kStats, 11), limits),
            "a payload of 11 bytes for message type 7 exceeds its limit of 10");
  EXPECT_EQ(refusal(header_of(MessageType::kWeights, 0), limits),
            "message type 6 is not accepted here");
  EXPECT_EQ(refusal(header_of(MessageType::kAuth, 0), FrameLimits()),
            "message type 10 is not accepted here");
}

TEST(Messages, GameRoundTrips) {
  const GameHistory game =
      testing::make_history({0, 1, 0, 2}, {0, 1, 0, 1}, {0.5f, -0.25f, 1.0f}, 3);
  const GameHistory back = decode_game(encode_game(game));
  EXPECT_EQ(back.observation_size, game.observation_size);
  EXPECT_EQ(back.action_space_size, 3);
  EXPECT_EQ(back.observations, game.observations);
  EXPECT_EQ(back.actions, game.actions);
  EXPECT_EQ(back.rewards, game.rewards);
  EXPECT_EQ(back.to_play, game.to_play);
  EXPECT_EQ(back.root_values, game.root_values);
  EXPECT_EQ(back.child_visits, game.child_visits);
  EXPECT_FALSE(back.truncated);
  GameHistory cut = game;
  cut.truncated = true;
  EXPECT_TRUE(decode_game(encode_game(cut)).truncated);
}

// Games written before the lookahead rewards, or before the truncation flag, existed (older
// replay_buffer.bin files) still load. An empty vector is its 8-byte length.
TEST(Messages, GamesWithoutTheTruncationFlagLoad) {
  GameHistory game = testing::make_history({0, 1, 1}, {0, 0, 0}, {1.0f, 2.0f});
  game.truncated = true;
  std::vector<std::byte> payload = encode_game(game);
  payload.resize(payload.size() - 16);
  EXPECT_TRUE(decode_game(payload).truncated) << "without observations after every move";
  payload.resize(payload.size() - 16);
  EXPECT_TRUE(decode_game(payload).truncated) << "without legal moves and target steps";
  payload.resize(payload.size() - 8);
  EXPECT_TRUE(decode_game(payload).truncated) << "without lookahead rewards";
  payload.pop_back();
  const GameHistory back = decode_game(payload);
  EXPECT_FALSE(back.truncated);
  EXPECT_EQ(back.root_values, game.root_values);
  payload.push_back(std::byte{2});
  EXPECT_THROW(decode_game(payload), DecodeError) << "a flag is 0 or 1";
}

TEST(Messages, RefusesTruncatedAndInconsistentGames) {
  const GameHistory game = testing::make_history({0, 1, 1}, {0, 0, 0}, {1.0f, 2.0f});
  const std::vector<std::byte> payload = encode_game(game);
  // (Cutting the last 16, 32, 40 or 41 bytes leaves a valid game of an older format.)
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, payload.size() / 2, payload.size() - 10,
                          payload.size() - 4, payload.size() - 1}) {
    EXPECT_THROW(decode_game(std::span(payload).first(cut)), DecodeError) << "cut at " << cut;
  }
  std::vector<std::byte> trailing = payload;
  trailing.push_back(std::byte{0});
  EXPECT_THROW(decode_game(trailing), DecodeError);

  GameHistory bad_action = game;
  bad_action.actions[1] = 7;  // action space is 2
  EXPECT_THROW(decode_game(encode_game(bad_action)), DecodeError);
  GameHistory missing_policy = game;
  missing_policy.child_visits.pop_back();
  EXPECT_THROW(decode_game(encode_game(missing_policy)), DecodeError);

  // A length field claiming more elements than the payload holds is refused without allocating.
  std::vector<std::byte> huge = payload;
  const std::uint64_t absurd = 1ull << 60;
  std::memcpy(huge.data() + 8, &absurd, sizeof absurd);
  EXPECT_THROW(decode_game(huge), DecodeError);
}

TEST(Messages, BatchReplyRoundTripsAndRefusesInconsistentSizes) {
  ReplayParams params;
  params.targets.num_unroll_steps = 2;
  ReplayBuffer buffer(params);
  buffer.add(testing::make_history({0, 1, 1, 1}, {0, 0, 0, 0}, {3, 2, 1}));
  std::mt19937_64 rng(0);
  BatchReply reply{true, 7, 42, buffer.sample(5, rng)};
  const BatchReply back = decode_batch_reply(encode_batch_reply(reply));
  EXPECT_TRUE(back.ready);
  EXPECT_EQ(back.played_games, 7);
  EXPECT_EQ(back.played_steps, 42);
  EXPECT_EQ(back.batch.batch_size, 5);
  EXPECT_EQ(back.batch.observations, reply.batch.observations);
  EXPECT_EQ(back.batch.actions, reply.batch.actions);
  EXPECT_EQ(back.batch.target_values, reply.batch.target_values);
  EXPECT_EQ(back.batch.target_policies, reply.batch.target_policies);
  EXPECT_EQ(back.batch.weights, reply.batch.weights);
  EXPECT_EQ(back.batch.positions[4].position, reply.batch.positions[4].position);

  const BatchReply waiting = decode_batch_reply(encode_batch_reply({false, 0, 3, {}}));
  EXPECT_FALSE(waiting.ready);
  EXPECT_EQ(waiting.played_steps, 3);

  // A ready reply with a batch of 4 from the same game, sampled with other replay settings.
  const auto sample_with = [&](const ReplayParams& settings) {
    ReplayBuffer other(settings);
    other.add(testing::make_history({0, 1, 1, 1}, {0, 0, 0, 0}, {3, 2, 1}));
    return BatchReply{true, 1, 3, other.sample(4, rng)};
  };

  // Bootstraps (use_last_model_value) travel too, and a row outside the batch is refused.
  ReplayParams fresh = params;
  fresh.targets.use_last_model_value = true;
  fresh.targets.td_steps = 1;
  BatchReply with_bootstraps = sample_with(fresh);
  ASSERT_FALSE(with_bootstraps.batch.bootstrap_rows.empty());
  const BatchReply fresh_back = decode_batch_reply(encode_batch_reply(with_bootstraps));
  EXPECT_EQ(fresh_back.batch.bootstrap_rows, with_bootstraps.batch.bootstrap_rows);
  EXPECT_EQ(fresh_back.batch.bootstrap_scales, with_bootstraps.batch.bootstrap_scales);
  EXPECT_EQ(fresh_back.batch.bootstrap_observations, with_bootstraps.batch.bootstrap_observations);
  with_bootstraps.batch.bootstrap_rows[0] = 4 * 3;
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(with_bootstraps)), DecodeError);

  // Next observations (consistency loss) travel too; a mask of another size or value is refused.
  ReplayParams consistency = params;
  consistency.next_observations = true;
  const BatchReply with_next = sample_with(consistency);
  ASSERT_FALSE(with_next.batch.next_observation_mask.empty());
  const BatchReply next_back = decode_batch_reply(encode_batch_reply(with_next));
  EXPECT_EQ(next_back.batch.next_observations, with_next.batch.next_observations);
  EXPECT_EQ(next_back.batch.next_observation_mask, with_next.batch.next_observation_mask);
  BatchReply bad_next = with_next;
  bad_next.batch.next_observation_mask[0] = 0.5f;
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(bad_next)), DecodeError);
  bad_next = with_next;
  bad_next.batch.next_observations.pop_back();
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(bad_next)), DecodeError);

  // Each sample's first unknown step travels; 0, over K + 1 or a short list is refused.
  EXPECT_EQ(back.batch.first_unknown_steps, reply.batch.first_unknown_steps);
  ASSERT_EQ(reply.batch.first_unknown_steps.size(), 5u);
  for (const std::int32_t refused : {0, 4}) {
    BatchReply bad_step = reply;
    bad_step.batch.first_unknown_steps[2] = refused;
    EXPECT_THROW(decode_batch_reply(encode_batch_reply(bad_step)), DecodeError);
  }
  BatchReply short_steps = reply;
  short_steps.batch.first_unknown_steps.pop_back();
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(short_steps)), DecodeError);

  BatchReply bad = reply;
  bad.batch.weights.pop_back();
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(bad)), DecodeError);
  bad = reply;
  bad.batch.actions[1] = 99;
  EXPECT_THROW(decode_batch_reply(encode_batch_reply(bad)), DecodeError);
}

TEST(Messages, PrioritiesWeightsAndCountersRoundTrip) {
  const PriorityUpdate update{1, {{3, 4}, {5, 0}}, {0.5f, 1.5f, 2.5f, 3.5f}};
  const PriorityUpdate p = decode_priorities(encode_priorities(update));
  EXPECT_EQ(p.num_unroll_steps, 1);
  EXPECT_EQ(p.positions[1].game_id, 5u);
  EXPECT_EQ(p.errors, update.errors);
  PriorityUpdate short_errors = update;
  short_errors.errors.pop_back();
  EXPECT_THROW(decode_priorities(encode_priorities(short_errors)), DecodeError);

  const WeightsMessage w = decode_weights(encode_weights({3, 120, std::string("\0blob\xff", 6)}));
  EXPECT_EQ(w.version, 3);
  EXPECT_EQ(w.training_step, 120);
  EXPECT_EQ(w.blob, std::string("\0blob\xff", 6));

  const std::vector<CounterUpdate> updates{{"played_games", true, 2}, {"loss", false, 0.25}};
  const auto u = decode_counter_updates(encode_counter_updates(updates));
  ASSERT_EQ(u.size(), 2u);
  EXPECT_EQ(u[0].name, "played_games");
  EXPECT_TRUE(u[0].add);
  EXPECT_DOUBLE_EQ(u[1].value, 0.25);
  const std::map<std::string, double> counters{{"a", 1}, {"b", -2.5}};
  EXPECT_EQ(decode_counters(encode_counters(counters)), counters);
  EXPECT_EQ(decode_int(encode_int(-7)), -7);
  EXPECT_THROW(decode_int(std::vector<std::byte>(3)), DecodeError);
  const WaitForStep wait = decode_wait_for_step(encode_wait_for_step({1234, 50}));
  EXPECT_EQ(wait.step, 1234);
  EXPECT_EQ(wait.max_milliseconds, 50);
  EXPECT_THROW(decode_wait_for_step(encode_int(5)), DecodeError);  // too short
  EXPECT_THROW(decode_wait_for_step(encode_wait_for_step({1, -1})), DecodeError);
  EXPECT_THROW(decode_wait_for_step(encode_wait_for_step({1, kMaxWaitMilliseconds + 1})),
               DecodeError);
}

}  // namespace
}  // namespace muzero
