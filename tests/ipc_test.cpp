#include <gtest/gtest.h>

#include <cstring>

#include "muzero/ipc/crc32c.h"
#include "muzero/ipc/frame.h"
#include "muzero/ipc/messages.h"
#include "tests/history_builder.h"

namespace muzero {
namespace {

std::vector<std::byte> bytes_of(const std::string& text) {
  std::vector<std::byte> out(text.size());
  std::memcpy(out.data(), text.data(), text.size());
  return out;
}

TEST(Crc32c, StandardCheckValue) {
  EXPECT_EQ(crc32c(bytes_of("123456789")), 0xE3069283u);  // the published CRC-32C check value
  EXPECT_EQ(crc32c(bytes_of("")), 0u);
}

TEST(Frame, RoundTripsSeveralFramesFedByteByByte) {
  const std::vector<std::byte> a = bytes_of("first payload");
  const std::vector<std::byte> b;  // empty payloads are allowed
  std::vector<std::byte> stream = encode_frame(MessageType::kGame, a);
  const std::vector<std::byte> second = encode_frame(MessageType::kStop, b);
  stream.insert(stream.end(), second.begin(), second.end());
  ASSERT_EQ(stream.size(), 2 * kFrameHeaderSize + a.size());

  FrameDecoder decoder(1024);
  std::vector<Frame> frames;
  for (std::byte byte : stream) {
    decoder.feed({&byte, 1});
    while (auto frame = decoder.next()) frames.push_back(std::move(*frame));
  }
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].type, MessageType::kGame);
  EXPECT_EQ(frames[0].payload, a);
  EXPECT_EQ(frames[1].type, MessageType::kStop);
  EXPECT_TRUE(frames[1].payload.empty());
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(Frame, WaitsForTruncatedFrames) {
  const std::vector<std::byte> frame = encode_frame(MessageType::kStats, bytes_of("0123456789"));
  FrameDecoder decoder(1024);
  decoder.feed(std::span(frame).first(frame.size() - 1));
  EXPECT_FALSE(decoder.next().has_value());
  decoder.feed(std::span(frame).last(1));
  EXPECT_TRUE(decoder.next().has_value());
}

std::string refusal(std::vector<std::byte> stream, std::size_t limit = 1024) {
  FrameDecoder decoder(limit);
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
            "frame payload of 2000 bytes exceeds the limit of 1024");
  EXPECT_EQ(refusal(bytes_of("GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
            "bad frame magic (not a muzero peer?)");
  std::vector<std::byte> version = good;
  version[4] = std::byte{9};
  EXPECT_EQ(refusal(version), "unsupported protocol version 9 (expected 1)");
  std::vector<std::byte> type = good;
  type[6] = std::byte{0x7F};
  EXPECT_EQ(refusal(type), "unknown message type 127");
  std::vector<std::byte> corrupt = good;
  corrupt.back() ^= std::byte{1};
  EXPECT_EQ(refusal(corrupt), "frame checksum mismatch (corrupt data)");
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
}

TEST(Messages, RefusesTruncatedAndInconsistentGames) {
  const GameHistory game = testing::make_history({0, 1, 1}, {0, 0, 0}, {1.0f, 2.0f});
  const std::vector<std::byte> payload = encode_game(game);
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, payload.size() / 2, payload.size() - 1}) {
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

}  // namespace
}  // namespace muzero
