#include "muzero/ipc/handshake.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>
#include <string_view>

#include "muzero/ipc/wire.h"

namespace muzero {
namespace {

Proof proof(std::string_view label, const Secret& secret, const Nonce& server_nonce,
            const Nonce& client_nonce, PeerRole role) {
  std::vector<std::uint8_t> message(label.begin(), label.end());
  message.insert(message.end(), server_nonce.begin(), server_nonce.end());
  message.insert(message.end(), client_nonce.begin(), client_nonce.end());
  message.push_back(static_cast<std::uint8_t>(role));
  Proof out{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), message.data(),
           message.size(), out.data(), &length) == nullptr ||
      length != out.size()) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return out;
}

template <std::size_t N>
std::array<std::uint8_t, N> take(std::span<const std::byte> payload, std::size_t offset) {
  std::array<std::uint8_t, N> out{};
  std::memcpy(out.data(), payload.data() + offset, N);
  return out;
}

template <std::size_t N>
void put(std::vector<std::byte>& out, const std::array<std::uint8_t, N>& bytes) {
  for (std::uint8_t b : bytes) out.push_back(static_cast<std::byte>(b));
}

void expect_size(std::span<const std::byte> payload, std::size_t size, const char* what) {
  if (payload.size() != size) {
    throw DecodeError(std::string(what) + " of " + std::to_string(payload.size()) +
                      " bytes (expected " + std::to_string(size) + ")");
  }
}

std::vector<std::byte> encode_block(const std::array<std::uint8_t, 32>& block) {
  std::vector<std::byte> out;
  put(out, block);
  return out;
}

std::array<std::uint8_t, 32> decode_block(std::span<const std::byte> payload, const char* what) {
  expect_size(payload, 32, what);
  return take<32>(payload, 0);
}

}  // namespace

Nonce random_nonce() {
  Nonce nonce{};
  if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) {
    throw std::runtime_error("the system's random generator failed");
  }
  return nonce;
}

Proof client_proof(const Secret& secret, const Nonce& server_nonce, const Nonce& client_nonce,
                   PeerRole role) {
  return proof("muzero client proof", secret, server_nonce, client_nonce, role);
}

Proof server_proof(const Secret& secret, const Nonce& server_nonce, const Nonce& client_nonce,
                   PeerRole role) {
  return proof("muzero server proof", secret, server_nonce, client_nonce, role);
}

bool proofs_equal(const Proof& a, const Proof& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The hello and the reply are each one 32-byte value.
std::vector<std::byte> encode_hello(const Nonce& server_nonce) {
  return encode_block(server_nonce);
}

Nonce decode_hello(std::span<const std::byte> payload) {
  return decode_block(payload, "a hello");
}

std::vector<std::byte> encode_auth_request(const AuthRequest& request) {
  std::vector<std::byte> out{static_cast<std::byte>(request.role)};
  put(out, request.client_nonce);
  put(out, request.proof);
  return out;
}

AuthRequest decode_auth_request(std::span<const std::byte> payload) {
  expect_size(payload, kAuthRequestSize, "an authentication request");
  const auto role = peer_role_from_byte(std::to_integer<std::uint8_t>(payload[0]));
  if (!role) throw DecodeError("an authentication request for an unknown role");
  AuthRequest request;
  request.role = *role;
  request.client_nonce = take<sizeof(Nonce)>(payload, 1);
  request.proof = take<sizeof(Proof)>(payload, 1 + sizeof(Nonce));
  return request;
}

std::vector<std::byte> encode_auth_reply(const Proof& proof) {
  return encode_block(proof);
}

Proof decode_auth_reply(std::span<const std::byte> payload) {
  return decode_block(payload, "an authentication reply");
}

}  // namespace muzero
