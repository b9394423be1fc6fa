#pragma once
// The client side of a connection: blocking request/response over one stream socket, with the
// handshake of handshake.h first (TLS before it over TCP, accepting only the run's pinned
// certificate). A client has at most one request in flight per connection, which bounds every
// server-side queue. No call waits without bound: each gives up at its deadline, or soon after
// `*stop` becomes true, and the connection is then unusable.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "muzero/ipc/byte_stream.h"
#include "muzero/ipc/endpoint.h"
#include "muzero/ipc/frame.h"
#include "muzero/ipc/peer_role.h"
#include "muzero/ipc/run_token.h"

namespace muzero {

// Large enough for any batch or weights blob a server sends; anything bigger is refused.
constexpr std::size_t kMaxFramePayload = 512u << 20;

struct ConnectionOptions {
  RunToken token;  // the run's secret, and its certificate for TCP
  PeerRole role = PeerRole::kSelfPlay;
  std::chrono::milliseconds connect_timeout{60000};  // retried while the server is not up yet
  std::chrono::milliseconds reply_timeout{120000};   // for each frame sent or received
  const std::atomic<bool>* stop = nullptr;           // gives up soon after it becomes true
};

class Connection {
 public:
  // Connects and authenticates; throws std::runtime_error with the reason.
  Connection(const std::string& address, ConnectionOptions options);
  ~Connection();

  void send(MessageType type, std::span<const std::byte> payload);
  // Blocks for the next frame; throws std::runtime_error when the peer closes, sends garbage,
  // does not answer in time, or on stop.
  Frame receive();
  Frame request(MessageType type, std::span<const std::byte> payload) {
    send(type, payload);
    return receive();
  }

 private:
  void connect(std::chrono::steady_clock::time_point deadline);
  void authenticate();
  // Runs the io_context until `done`, the deadline or stop; on the last two it calls `cancel`
  // (which ends the pending operation), marks the connection broken and throws.
  void wait(const bool& done, std::chrono::steady_clock::time_point deadline, const char* what,
            const std::function<void()>& cancel);

  boost::asio::io_context io_;
  std::unique_ptr<ByteStream> stream_;
  FrameDecoder decoder_{FrameLimits::any(kMaxFramePayload)};
  std::string address_;
  ConnectionOptions options_;
  bool broken_ = false;
};

}  // namespace muzero
