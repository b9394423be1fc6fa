#pragma once
// The client side of a connection: blocking request/response over one stream socket. A client
// has at most one request in flight per connection, which bounds every server-side queue.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "muzero/ipc/endpoint.h"
#include "muzero/ipc/frame.h"

namespace muzero {

// Large enough for any batch or weights blob we send; anything bigger is refused.
constexpr std::size_t kMaxFramePayload = 512u << 20;

class Connection {
 public:
  // Retries until `timeout` while the server is not up yet, or until `*stop` becomes true;
  // throws std::runtime_error then.
  Connection(const std::string& address, std::chrono::milliseconds timeout,
             const std::atomic<bool>* stop = nullptr);
  ~Connection();

  void send(MessageType type, std::span<const std::byte> payload);
  // Blocks for the next frame; throws std::runtime_error when the peer closes or sends garbage.
  Frame receive();
  Frame request(MessageType type, std::span<const std::byte> payload) {
    send(type, payload);
    return receive();
  }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<StreamProtocol::socket> socket_;
  FrameDecoder decoder_{kMaxFramePayload};
  std::string address_;
};

}  // namespace muzero
