#pragma once
// Mutual authentication of a connection by the run's secret, before any other frame:
//   server -> client  kHello   server nonce (32 random bytes)
//   client -> server  kAuth    role | client nonce | HMAC-SHA256(secret, "client" ‖ both nonces ‖
//   role) server -> client  kAuthOk  HMAC-SHA256(secret, "server" ‖ both nonces ‖ role)
// Each side proves it holds the secret without sending it; fresh nonces on both sides make an
// old exchange useless, and the labels keep a proof from being reflected back. The HMAC is
// OpenSSL's; proofs are compared in constant time.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "muzero/ipc/peer_role.h"
#include "muzero/ipc/run_token.h"

namespace muzero {

using Nonce = std::array<std::uint8_t, 32>;
using Proof = std::array<std::uint8_t, 32>;
using Secret = std::array<std::uint8_t, kTokenSecretBytes>;

struct AuthRequest {
  PeerRole role = PeerRole::kSelfPlay;
  Nonce client_nonce{};
  Proof proof{};
};

// The size of kAuth's payload, the only frame a server reads before a peer is authenticated.
// kHello's and kAuthOk's are 32 bytes.
constexpr std::size_t kAuthRequestSize = 1 + sizeof(Nonce) + sizeof(Proof);

Nonce random_nonce();  // OpenSSL's RAND_bytes

Proof client_proof(const Secret& secret, const Nonce& server_nonce, const Nonce& client_nonce,
                   PeerRole role);
Proof server_proof(const Secret& secret, const Nonce& server_nonce, const Nonce& client_nonce,
                   PeerRole role);
bool proofs_equal(const Proof& a, const Proof& b);  // constant time

// Payloads; decoders throw DecodeError on any other size or an unknown role.
std::vector<std::byte> encode_hello(const Nonce& server_nonce);
Nonce decode_hello(std::span<const std::byte> payload);
std::vector<std::byte> encode_auth_request(const AuthRequest& request);
AuthRequest decode_auth_request(std::span<const std::byte> payload);
std::vector<std::byte> encode_auth_reply(const Proof& proof);
Proof decode_auth_reply(std::span<const std::byte> payload);

}  // namespace muzero
