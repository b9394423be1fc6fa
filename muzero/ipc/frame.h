#pragma once
// Length-prefixed binary frames for every IPC connection:
//   magic "MUZF" | protocol version u16 | message type u16 | payload length u32 | CRC-32C u32
// followed by the payload, all little-endian. A decoder validates each header field before it
// waits for the payload, so an oversized or garbage frame is refused at once.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "muzero/ipc/wire.h"

namespace muzero {

constexpr std::uint32_t kFrameMagic = 0x465A554Du;  // bytes 'M' 'U' 'Z' 'F'
constexpr std::uint16_t kProtocolVersion = 1;
constexpr std::size_t kFrameHeaderSize = 16;

enum class MessageType : std::uint16_t {
  kGame = 1,        // a finished game, self-play -> replay buffer
  kBatchRequest,    // trainer -> replay buffer
  kBatch,           // replay buffer -> trainer
  kPriorities,      // trainer -> replay buffer
  kWeightsRequest,  // any -> shared storage: "send weights newer than version v"
  kWeights,         // shared storage -> any; trainer -> shared storage
  kStats,           // counters and scalars for shared storage
  kConfig,          // the run's resolved config (YAML), for workers on other machines
  kLast = kConfig,
};

struct Frame {
  MessageType type;
  std::vector<std::byte> payload;
};

std::vector<std::byte> encode_frame(MessageType type, std::span<const std::byte> payload);

class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t max_payload_bytes) : max_payload_(max_payload_bytes) {}

  void feed(std::span<const std::byte> data) {
    buffer_.insert(buffer_.end(), data.begin(), data.end());
  }
  // The next complete frame, if one is buffered. Throws DecodeError naming the bad field; the
  // connection should then be closed.
  std::optional<Frame> next();
  std::size_t buffered() const { return buffer_.size(); }

 private:
  std::size_t max_payload_;
  std::vector<std::byte> buffer_;
};

}  // namespace muzero
