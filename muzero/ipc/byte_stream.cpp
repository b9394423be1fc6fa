#include "muzero/ipc/byte_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

namespace muzero {
namespace {

std::string describe_peer(const StreamProtocol::socket& socket) {
  boost::system::error_code error;
  const auto remote = socket.remote_endpoint(error);
  if (error) return "an unknown peer";
  if (remote.protocol().family() == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(remote.data());
    char ip[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
    return "tcp:" + std::string(ip) + ":" + std::to_string(ntohs(in->sin_port));
  }
  if (remote.protocol().family() == AF_INET6) {
    const auto* in = reinterpret_cast<const sockaddr_in6*>(remote.data());
    char ip[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &in->sin6_addr, ip, sizeof ip);
    return "tcp:[" + std::string(ip) + "]:" + std::to_string(ntohs(in->sin6_port));
  }
  return "a local process";  // a Unix socket peer has no address
}

class PlainStream final : public ByteStream {
 public:
  explicit PlainStream(StreamProtocol::socket socket)
      : socket_(std::move(socket)), peer_(describe_peer(socket_)) {}

  void async_start(bool, Started done) override {
    boost::asio::post(socket_.get_executor(), [done] { done({}); });
  }
  void async_read_some(std::span<std::byte> into, Done done) override {
    socket_.async_read_some(boost::asio::buffer(into.data(), into.size()), std::move(done));
  }
  void async_write(std::span<const std::byte> data, Done done) override {
    boost::asio::async_write(socket_, boost::asio::buffer(data.data(), data.size()),
                             std::move(done));
  }
  void close() override {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }
  std::string peer() const override { return peer_; }

 private:
  StreamProtocol::socket socket_;
  std::string peer_;
};

class TlsStream final : public ByteStream {
 public:
  TlsStream(StreamProtocol::socket socket, std::shared_ptr<boost::asio::ssl::context> context)
      : context_(std::move(context)),
        peer_(describe_peer(socket)),
        stream_(std::move(socket), *context_) {}

  void async_start(bool server, Started done) override {
    stream_.async_handshake(
        server ? boost::asio::ssl::stream_base::server : boost::asio::ssl::stream_base::client,
        std::move(done));
  }
  void async_read_some(std::span<std::byte> into, Done done) override {
    stream_.async_read_some(boost::asio::buffer(into.data(), into.size()), std::move(done));
  }
  void async_write(std::span<const std::byte> data, Done done) override {
    boost::asio::async_write(stream_, boost::asio::buffer(data.data(), data.size()),
                             std::move(done));
  }
  void close() override {
    boost::system::error_code ignored;
    stream_.lowest_layer().close(ignored);
  }
  std::string peer() const override { return peer_; }

 private:
  std::shared_ptr<boost::asio::ssl::context> context_;  // outlives the stream
  std::string peer_;
  boost::asio::ssl::stream<StreamProtocol::socket> stream_;
};

}  // namespace

std::unique_ptr<ByteStream> make_plain_stream(StreamProtocol::socket socket) {
  return std::make_unique<PlainStream>(std::move(socket));
}

std::unique_ptr<ByteStream> make_tls_stream(StreamProtocol::socket socket,
                                            std::shared_ptr<boost::asio::ssl::context> context) {
  // Request and reply, each small: Nagle's algorithm with delayed acknowledgements held the
  // TLS handshake up by 40 ms.
  boost::system::error_code ignored;
  socket.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  // A peer whose host vanished (power cut, network cut) sends no FIN: without these a server
  // would hold its connection, and count it as an attached worker, until the peer's address
  // came back. Idle connections are probed after 30 s and dropped after 3 unanswered probes 10 s
  // apart; data unacknowledged for 90 s drops the connection too. A cut shorter than that is
  // ridden out by TCP's retransmissions.
  socket.set_option(boost::asio::socket_base::keep_alive(true), ignored);
  const int fd = socket.native_handle();
  const int idle = 30, interval = 10, probes = 3;
  const unsigned int user_timeout_ms = 90000;
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
  ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof user_timeout_ms);
  return std::make_unique<TlsStream>(std::move(socket), std::move(context));
}

}  // namespace muzero
