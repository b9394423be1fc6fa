#pragma once
// Which process of a run is at the other end of a connection: a peer names its role in the
// handshake, and what it may ask or change depends on it (a self-play worker may add games and
// count its moves, only the trainer publishes weights).
#include <cstdint>
#include <optional>
#include <string_view>

namespace muzero {

enum class PeerRole : std::uint8_t {
  kSupervisor = 1,  // reads counters for the status line
  kTrainer,
  kSelfPlay,  // local or remote
  kTest,
  kReanalyse,  // searches stored positions again for fresh targets
  kLast = kReanalyse,
};

constexpr std::string_view role_name(PeerRole role) {
  switch (role) {
    case PeerRole::kSupervisor:
      return "supervisor";
    case PeerRole::kTrainer:
      return "trainer";
    case PeerRole::kSelfPlay:
      return "self_play";
    case PeerRole::kTest:
      return "test";
    case PeerRole::kReanalyse:
      return "reanalyse";
  }
  return "unknown";
}

constexpr std::optional<PeerRole> peer_role_from_byte(std::uint8_t value) {
  if (value < 1 || value > static_cast<std::uint8_t>(PeerRole::kLast)) return std::nullopt;
  return static_cast<PeerRole>(value);
}

}  // namespace muzero
