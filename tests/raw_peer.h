#pragma once
// A client that speaks the protocol by hand over a blocking Unix socket, to send what a
// Connection never would: nothing at all, half a frame, a frame before authenticating.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "muzero/ipc/frame.h"
#include "muzero/ipc/handshake.h"

namespace muzero::testing {

class RawPeer {
 public:
  explicit RawPeer(const std::string& unix_address) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string path = unix_address.substr(5);
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect() failed");
    }
  }
  ~RawPeer() { ::close(fd_); }
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  void send(std::span<const std::byte> bytes) {
    if (::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(bytes.size())) {
      throw std::runtime_error("send() failed");
    }
  }
  void send_frame(MessageType type, std::span<const std::byte> payload) {
    send(encode_frame(type, payload));
  }

  // The next frame, or nullopt when the server closes the connection or `within` passes.
  std::optional<Frame> read_frame(std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (true) {
      if (auto frame = decoder_.next()) return frame;
      if (!read_some(deadline)) return std::nullopt;
    }
  }

  // Whether the server closes the connection within `within` (whatever it sends first).
  bool closed_within(std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (true) {
      if (closed_) return true;
      if (!read_some(deadline)) return closed_;
    }
  }

  // The handshake as a client of `role` holding `secret`; returns whether the server accepted.
  bool authenticate(const Secret& secret, PeerRole role) {
    const auto hello = read_frame(std::chrono::seconds(5));
    if (!hello || hello->type != MessageType::kHello) return false;
    AuthRequest request;
    request.role = role;
    request.client_nonce = random_nonce();
    request.proof = client_proof(secret, decode_hello(hello->payload), request.client_nonce, role);
    send_frame(MessageType::kAuth, encode_auth_request(request));
    const auto reply = read_frame(std::chrono::seconds(5));
    return reply && reply->type == MessageType::kAuthOk;
  }

 private:
  // Reads what arrives before `deadline`; false on timeout or when the peer closed.
  bool read_some(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    std::byte chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    decoder_.feed(std::span(chunk, static_cast<std::size_t>(n)));
    return true;
  }

  int fd_ = -1;
  bool closed_ = false;
  FrameDecoder decoder_{FrameLimits::any(1 << 20)};
};

}  // namespace muzero::testing
