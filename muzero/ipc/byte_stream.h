#pragma once
// A connected stream socket as the frame layer sees it: plain (Unix sockets, inside the run's
// private directory) or TLS (TCP). Both sides of a connection use it asynchronously on one
// io_context; the client side runs that io_context with deadlines (connection.h).
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "muzero/ipc/endpoint.h"

namespace muzero {

class ByteStream {
 public:
  using Done = std::function<void(const boost::system::error_code&, std::size_t)>;
  using Started = std::function<void(const boost::system::error_code&)>;
  virtual ~ByteStream() = default;

  // The TLS handshake (as the server or the client), or at once for a plain stream.
  virtual void async_start(bool server, Started done) = 0;
  virtual void async_read_some(std::span<std::byte> into, Done done) = 0;
  virtual void async_write(std::span<const std::byte> data, Done done) = 0;  // all of it
  // Closes the socket: pending operations end with an error.
  virtual void close() = 0;
  // The peer's address for logs: "tcp:IP:PORT", or "a local process" for a Unix socket.
  virtual std::string peer() const = 0;
};

std::unique_ptr<ByteStream> make_plain_stream(StreamProtocol::socket socket);
std::unique_ptr<ByteStream> make_tls_stream(StreamProtocol::socket socket,
                                            std::shared_ptr<boost::asio::ssl::context> context);

}  // namespace muzero
