#pragma once
// Payload encodings of the messages that carry MuZero data between processes. Decoding
// checks that sizes agree with each other and with the limits, and throws DecodeError.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "muzero/ipc/wire.h"
#include "replay_buffer/batch.h"
#include "replay_buffer/game_history.h"
#include "replay_buffer/game_record_check.h"

namespace muzero {

// kGame: a finished game, self-play -> replay buffer.
std::vector<std::byte> encode_game(const GameHistory& game);
GameHistory decode_game(std::span<const std::byte> payload);
// The size of the longest kGame payload a run can make: the frame limit for games.
std::size_t max_game_payload(const GameRecordRules& rules);

// kBatch: the replay buffer's answer to kBatchRequest. Not `ready` until the buffer holds
// enough games; the counters let the trainer hold the training/self-play ratio.
struct BatchReply {
  bool ready = false;
  std::int64_t played_games = 0;
  std::int64_t played_steps = 0;
  Batch batch;
};
std::vector<std::byte> encode_batch_reply(const BatchReply& reply);
BatchReply decode_batch_reply(std::span<const std::byte> payload);

// kPriorities: |predicted - target value| for each sample and unrolled step.
struct PriorityUpdate {
  int num_unroll_steps = 0;
  std::vector<SampledPosition> positions;
  std::vector<float> errors;  // positions.size() x (K+1)
};
std::vector<std::byte> encode_priorities(const PriorityUpdate& update);
PriorityUpdate decode_priorities(std::span<const std::byte> payload);

// kWeights: a weights blob with its version and the training step it came from. An empty blob
// answers a kWeightsRequest when nothing newer than the asked version exists.
struct WeightsMessage {
  std::int64_t version = -1;
  std::int64_t training_step = 0;
  std::string blob;
};
std::vector<std::byte> encode_weights(const WeightsMessage& weights);
WeightsMessage decode_weights(std::span<const std::byte> payload);

// kStats: counter updates (set or add) to shared storage; its reply carries every counter.
struct CounterUpdate {
  std::string name;
  bool add = false;  // false: set
  double value = 0;
};
std::vector<std::byte> encode_counter_updates(std::span<const CounterUpdate> updates);
std::vector<CounterUpdate> decode_counter_updates(std::span<const std::byte> payload);
std::vector<std::byte> encode_counters(const std::map<std::string, double>& counters);
std::map<std::string, double> decode_counters(std::span<const std::byte> payload);

// Single integers (kBatchRequest's batch size, kWeightsRequest's known version, acks).
// kWaitForStep: the training step to wait for, and for at most how long.
struct WaitForStep {
  std::int64_t step = 0;
  std::int64_t max_milliseconds = 0;  // 0..kMaxWaitMilliseconds
};
constexpr std::int64_t kMaxWaitMilliseconds = 1000;
std::vector<std::byte> encode_wait_for_step(const WaitForStep& wait);
// Throws DecodeError for a payload of another size or a wait out of range.
WaitForStep decode_wait_for_step(std::span<const std::byte> payload);

std::vector<std::byte> encode_int(std::int64_t value);
std::int64_t decode_int(std::span<const std::byte> payload);

}  // namespace muzero
