#pragma once
// The server side: accepts connections and answers each frame with the handler's reply. One
// frame per connection is handled at a time, and the next is not read until the reply has been
// written, so a fast client cannot queue unbounded work (back-pressure). A connection that
// sends a malformed frame is closed with a logged reason; the others carry on.
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "muzero/ipc/endpoint.h"
#include "muzero/ipc/frame.h"

namespace muzero {

struct Reply {
  MessageType type;
  std::vector<std::byte> payload;
};

class FrameServer {
 public:
  // May throw DecodeError for a payload it cannot accept: that closes the connection.
  using Handler = std::function<std::optional<Reply>(const Frame&)>;

  FrameServer(boost::asio::io_context& io, const std::string& address, Handler handler,
              std::size_t max_payload_bytes);
  ~FrameServer();
  long connections_refused() const { return *refused_; }
  // The address clients should use: for "tcp:HOST:0" it holds the port the system picked.
  std::string bound_address() const;

 private:
  struct State;
  void accept();
  static void accept_next(std::shared_ptr<State> state, std::shared_ptr<long> refused);

  std::shared_ptr<State> state_;
  std::shared_ptr<long> refused_ = std::make_shared<long>(0);
};

}  // namespace muzero
