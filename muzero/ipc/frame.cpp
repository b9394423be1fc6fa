#include "muzero/ipc/frame.h"

#include <string>

#include "muzero/ipc/crc32c.h"

namespace muzero {

std::vector<std::byte> encode_frame(MessageType type, std::span<const std::byte> payload) {
  PayloadWriter frame;
  frame.put<std::uint32_t>(kFrameMagic);
  frame.put<std::uint16_t>(kProtocolVersion);
  frame.put<std::uint16_t>(static_cast<std::uint16_t>(type));
  frame.put<std::uint32_t>(static_cast<std::uint32_t>(payload.size()));
  frame.put<std::uint32_t>(crc32c(payload));
  frame.put_raw(payload);
  return std::move(frame.bytes());
}

FrameLimits FrameLimits::any(std::size_t max_payload_bytes) {
  FrameLimits limits;
  for (std::size_t t = 1; t < kMessageTypeCount; ++t) limits.max_[t] = max_payload_bytes;
  return limits;
}

FrameLimits& FrameLimits::allow(MessageType type, std::size_t max_payload_bytes) {
  max_[static_cast<std::size_t>(type)] = max_payload_bytes;
  return *this;
}

std::optional<Frame> FrameDecoder::next() {
  if (buffer_.size() < kFrameHeaderSize) return std::nullopt;
  PayloadReader header(std::span<const std::byte>(buffer_).first(kFrameHeaderSize));
  const auto magic = header.get<std::uint32_t>();
  const auto version = header.get<std::uint16_t>();
  const auto type = header.get<std::uint16_t>();
  const auto length = header.get<std::uint32_t>();
  const auto checksum = header.get<std::uint32_t>();
  if (magic != kFrameMagic) throw DecodeError("bad frame magic (not a muzero peer?)");
  if (version != kProtocolVersion) {
    throw DecodeError("unsupported protocol version " + std::to_string(version) + " (expected " +
                      std::to_string(kProtocolVersion) + ")");
  }
  if (type == 0 || type > static_cast<std::uint16_t>(MessageType::kLast)) {
    throw DecodeError("unknown message type " + std::to_string(type));
  }
  const auto limit = limits_.max_payload(static_cast<MessageType>(type));
  if (!limit) throw DecodeError("message type " + std::to_string(type) + " is not accepted here");
  if (length > *limit) {
    throw DecodeError("a payload of " + std::to_string(length) + " bytes for message type " +
                      std::to_string(type) + " exceeds its limit of " + std::to_string(*limit));
  }
  if (buffer_.size() < kFrameHeaderSize + length) return std::nullopt;
  const auto payload = std::span<const std::byte>(buffer_).subspan(kFrameHeaderSize, length);
  if (crc32c(payload) != checksum) throw DecodeError("frame checksum mismatch (corrupt data)");
  Frame frame{static_cast<MessageType>(type),
              std::vector<std::byte>(payload.begin(), payload.end())};
  buffer_.erase(buffer_.begin(),
                buffer_.begin() + static_cast<std::ptrdiff_t>(kFrameHeaderSize + length));
  return frame;
}

}  // namespace muzero
