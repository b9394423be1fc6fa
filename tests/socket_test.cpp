// Frames over real sockets: request/response on Unix and TCP sockets, and a connection that
// sends garbage is closed without disturbing the others.
#include <gtest/gtest.h>

#include <unistd.h>
#include "tests/bytes.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "muzero/ipc/connection.h"
#include "muzero/ipc/frame_server.h"

namespace muzero {
namespace {

using testing::bytes_of;
using testing::text_of;

// Echoes kStats payloads back upper-cased; refuses kGame payloads that say "bad".
class EchoServer {
 public:
  explicit EchoServer(const std::string& address)
      : server_(
            io_, address,
            [this](const Frame& frame) -> std::optional<Reply> {
              ++handled;
              if (frame.type == MessageType::kGame && text_of(frame.payload) == "bad") {
                throw DecodeError("refused game");
              }
              std::string text = text_of(frame.payload);
              for (char& c : text) c = static_cast<char>(std::toupper(c));
              return Reply{MessageType::kStats, bytes_of(text)};
            },
            1024),
        thread_([this] { io_.run(); }) {}
  ~EchoServer() {
    io_.stop();
    thread_.join();
  }
  std::string address() const { return server_.bound_address(); }
  long refused() const { return server_.connections_refused(); }
  std::atomic<int> handled{0};

 private:
  boost::asio::io_context io_;
  FrameServer server_;
  std::thread thread_;
};

std::string socket_path(const char* name) {
  return "unix:/tmp/muzero_socket_test_" + std::to_string(getpid()) + "_" + name + ".sock";
}

TEST(Sockets, RequestResponseOverUnixAndTcp) {
  for (const std::string& address : {socket_path("rr"), std::string("tcp:127.0.0.1:0")}) {
    EchoServer server(address);
    Connection client(server.address(), std::chrono::seconds(5));
    for (int i = 0; i < 3; ++i) {
      const Frame reply =
          client.request(MessageType::kStats, bytes_of("hello " + std::to_string(i)));
      EXPECT_EQ(reply.type, MessageType::kStats);
      EXPECT_EQ(text_of(reply.payload), "HELLO " + std::to_string(i)) << address;
    }
  }
}

TEST(Sockets, GarbageOrRefusedFramesCloseOnlyThatConnection) {
  EchoServer server(socket_path("garbage"));
  Connection good(server.address(), std::chrono::seconds(5));
  EXPECT_EQ(text_of(good.request(MessageType::kStats, bytes_of("a")).payload), "A");

  {  // raw garbage: the server closes the socket, the client sees it closed
    boost::asio::io_context io;
    boost::asio::local::stream_protocol::socket socket(io);
    socket.connect(boost::asio::local::stream_protocol::endpoint(server.address().substr(5)));
    const std::string junk = "GET / HTTP/1.1\r\n\r\n";
    boost::asio::write(socket, boost::asio::buffer(junk));
    std::array<char, 16> buffer{};
    boost::system::error_code error;
    socket.read_some(boost::asio::buffer(buffer), error);
    EXPECT_TRUE(error) << "the server must close a connection that sends garbage";
  }
  {  // a well-formed frame whose payload the handler refuses
    Connection refused(server.address(), std::chrono::seconds(5));
    EXPECT_THROW(refused.request(MessageType::kGame, bytes_of("bad")), std::runtime_error);
  }
  {  // an oversized frame is refused from its header
    Connection big(server.address(), std::chrono::seconds(5));
    EXPECT_THROW(big.request(MessageType::kStats, std::vector<std::byte>(4096)),
                 std::runtime_error);
  }
  EXPECT_EQ(server.refused(), 3);
  EXPECT_EQ(text_of(good.request(MessageType::kStats, bytes_of("still here")).payload),
            "STILL HERE");
}

TEST(Sockets, ConnectGivesUpWithAClearError) {
  try {
    Connection nobody(socket_path("nobody"), std::chrono::milliseconds(200));
    FAIL() << "connected to nothing";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("cannot connect to unix:/tmp/muzero_socket_test_"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace muzero
