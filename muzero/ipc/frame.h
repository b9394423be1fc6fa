#pragma once
// Length-prefixed binary frames for every IPC connection:
//   magic "MUZF" | protocol version u16 | message type u16 | payload length u32 | CRC-32C u32
// followed by the payload, all little-endian. A decoder validates each header field before it
// waits for the payload, so an oversized or garbage frame is refused at once.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "muzero/ipc/wire.h"

namespace muzero {

constexpr std::uint32_t kFrameMagic = 0x465A554Du;  // bytes 'M' 'U' 'Z' 'F'
// 2: authenticated connections (handshake.h); 3: kWaitForStep; 4: weights as Parameters
// (models/parameters.h) instead of a LibTorch archive; 5: reanalyse, legal moves and target
// steps in game records; 6: each batch sample's first unknown step (truncated games); 7: the
// observations every move leads to, in game records and batches (all-moves consistency).
constexpr std::uint16_t kProtocolVersion = 7;
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
  kHello,           // server -> client: the server's nonce, first on every connection
  kAuth,            // client -> server: role, nonce and proof of the run's secret
  kAuthOk,          // server -> client: the server's proof
  kWaitForStep,     // self-play -> shared storage: "answer with the counters once training reaches
                    // step s, or after t ms" (a worker ahead of the ratio waits without polling)
  kReanalyseRequest,   // reanalyse -> replay buffer: "send up to n windows of positions"
  kReanalyseWork,      // replay buffer -> reanalyse: the positions to search again
  kReanalysedTargets,  // reanalyse -> replay buffer: their new policy and value targets
  kLast = kReanalysedTargets,
};
constexpr std::size_t kMessageTypeCount = static_cast<std::size_t>(MessageType::kLast) + 1;

struct Frame {
  MessageType type;
  std::vector<std::byte> payload;
};

std::vector<std::byte> encode_frame(MessageType type, std::span<const std::byte> payload);

// The message types a decoder accepts, each with its largest payload: a server accepts only the
// requests it handles, each no larger than the run can make it.
class FrameLimits {
 public:
  static FrameLimits any(std::size_t max_payload_bytes);  // every type
  FrameLimits& allow(MessageType type, std::size_t max_payload_bytes);
  std::optional<std::size_t> max_payload(MessageType type) const {
    return max_[static_cast<std::size_t>(type)];
  }

 private:
  std::array<std::optional<std::size_t>, kMessageTypeCount> max_{};
};

class FrameDecoder {
 public:
  explicit FrameDecoder(FrameLimits limits) : limits_(limits) {}
  void set_limits(FrameLimits limits) { limits_ = limits; }

  void feed(std::span<const std::byte> data) {
    buffer_.insert(buffer_.end(), data.begin(), data.end());
  }
  // The next complete frame, if one is buffered. Throws DecodeError naming the bad field, before
  // the payload arrives when the header is wrong; the connection should then be closed.
  std::optional<Frame> next();
  std::size_t buffered() const { return buffer_.size(); }

 private:
  FrameLimits limits_;
  std::vector<std::byte> buffer_;
};

}  // namespace muzero
