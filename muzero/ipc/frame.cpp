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
  if (length > max_payload_) {
    throw DecodeError("frame payload of " + std::to_string(length) +
                      " bytes exceeds the limit of " + std::to_string(max_payload_));
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
