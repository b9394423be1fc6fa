// Frames over real sockets: authenticated request/response on Unix and TCP (TLS) sockets, and
// everything a hostile or broken peer can do to a server: garbage, a wrong token, a role it may
// not take, nothing at all, half a frame, too many connections, a listener out of file
// descriptors. The server must refuse each, count it, and go on serving the others.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <filesystem>
#include <future>
#include <thread>

#include "muzero/ipc/connection.h"
#include "muzero/ipc/frame_server.h"
#include "muzero/ipc/tls.h"
#include "tests/bytes.h"
#include "tests/raw_peer.h"

namespace muzero {
namespace {

using testing::bytes_of;
using testing::RawPeer;
using testing::text_of;

// One certificate for every test: making a key takes a little while.
const RunCertificate& certificate() {
  static const RunCertificate instance = make_run_certificate();
  return instance;
}

RunToken run_token(std::uint8_t fill = 7) {
  RunToken token;
  token.secret.fill(fill);
  token.certificate_sha256 = certificate().sha256;
  return token;
}

FrameServerOptions test_options() {
  FrameServerOptions options;
  options.name = "test server";
  options.limits = FrameLimits().allow(MessageType::kGame, 1024).allow(MessageType::kStats, 1024);
  options.secret = run_token().secret;
  options.tls = server_tls_context(certificate());
  return options;
}

// Echoes kStats payloads back upper-cased, with the peer's role; refuses kGame payloads that say
// "bad".
class EchoServer {
 public:
  explicit EchoServer(const std::string& address, FrameServerOptions options = test_options())
      : server_(
            io_, address,
            [this](const Frame& frame, const Peer& peer) -> std::optional<Reply> {
              ++handled;
              if (frame.type == MessageType::kGame && text_of(frame.payload) == "bad") {
                throw DecodeError("refused game");
              }
              std::string text = text_of(frame.payload);
              for (char& c : text) c = static_cast<char>(std::toupper(c));
              return Reply{MessageType::kStats,
                           bytes_of(text + " from " + std::string(role_name(peer.role)))};
            },
            std::move(options)),
        thread_([this] { io_.run(); }) {}
  ~EchoServer() {
    io_.stop();
    thread_.join();
  }
  std::string address() const { return server_.bound_address(); }
  // Read on the server's own thread: the counts are its own.
  FrameServer::Stats stats() {
    std::promise<FrameServer::Stats> result;
    boost::asio::post(io_, [&] { result.set_value(server_.stats()); });
    return result.get_future().get();
  }
  std::atomic<int> handled{0};

 private:
  boost::asio::io_context io_;
  FrameServer server_;
  std::thread thread_;
};

std::string socket_path(const char* name) {
  return "unix:/tmp/muzero_socket_test_" + std::to_string(getpid()) + "_" + name + ".sock";
}

ConnectionOptions client(PeerRole role = PeerRole::kSelfPlay, RunToken token = run_token()) {
  ConnectionOptions options;
  options.token = token;
  options.role = role;
  options.connect_timeout = std::chrono::seconds(5);
  options.reply_timeout = std::chrono::seconds(5);
  return options;
}

TEST(Sockets, AuthenticatedRequestResponseOverUnixAndTcp) {
  for (const std::string& address : {socket_path("rr"), std::string("tcp:127.0.0.1:0")}) {
    EchoServer server(address);
    Connection connection(server.address(), client());
    for (int i = 0; i < 3; ++i) {
      const Frame reply =
          connection.request(MessageType::kStats, bytes_of("hello " + std::to_string(i)));
      EXPECT_EQ(reply.type, MessageType::kStats);
      EXPECT_EQ(text_of(reply.payload), "HELLO " + std::to_string(i) + " from self_play")
          << address;
    }
    EXPECT_EQ(server.stats().authenticated, 1);
  }
}

// What storage reports as the workers attached: authenticated connections, by role, while open.
TEST(Sockets, OpenConnectionsAreCountedByRoleUntilTheyClose) {
  EchoServer server(socket_path("roles"));
  auto first = std::make_unique<Connection>(server.address(), client());
  Connection second(server.address(), client());
  Connection trainer(server.address(), client(PeerRole::kTrainer));
  trainer.request(MessageType::kStats, bytes_of("x"));  // all three authenticated by now
  first->request(MessageType::kStats, bytes_of("x"));
  second.request(MessageType::kStats, bytes_of("x"));
  EXPECT_EQ(server.stats().open_of(PeerRole::kSelfPlay), 2);
  EXPECT_EQ(server.stats().open_of(PeerRole::kTrainer), 1);
  first.reset();  // seen by the server a moment later
  for (int i = 0; i < 100 && server.stats().open_of(PeerRole::kSelfPlay) != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(server.stats().open_of(PeerRole::kSelfPlay), 1);
  // A peer that never authenticates is not counted as any role.
  RawPeer silent(server.address());
  EXPECT_EQ(server.stats().open_of(PeerRole::kSelfPlay), 1);
  EXPECT_EQ(server.stats().open_of(PeerRole::kTrainer), 1);
}

// A reply given later (storage answering a worker once training reaches a step): the client
// waits for it, the connection reads nothing else meanwhile, and other connections go on.
TEST(Sockets, DeferredRepliesArriveWhenGiven) {
  boost::asio::io_context io;
  std::vector<Responder> waiting;
  FrameServer server(
      io, socket_path("deferred"),
      [&](const Frame& frame, const Peer& peer) -> std::optional<Reply> {
        if (text_of(frame.payload) == "later") {
          waiting.push_back(peer.defer_reply());
          return std::nullopt;
        }
        return Reply{MessageType::kStats, bytes_of("now")};
      },
      test_options());
  std::thread thread([&] { io.run_for(std::chrono::seconds(20)); });
  auto answer_waiting = [&](const std::string& text) {
    std::promise<std::size_t> answered;
    boost::asio::post(io, [&] {
      for (Responder& respond : waiting) respond(Reply{MessageType::kStats, bytes_of(text)});
      answered.set_value(waiting.size());
      waiting.clear();
    });
    return answered.get_future().get();
  };
  auto later = std::async(std::launch::async, [&] {
    Connection connection(server.bound_address(), client());
    const std::string first =
        text_of(connection.request(MessageType::kStats, bytes_of("later")).payload);
    return first + "," + text_of(connection.request(MessageType::kStats, bytes_of("x")).payload);
  });
  Connection other(server.bound_address(), client());
  EXPECT_EQ(text_of(other.request(MessageType::kStats, bytes_of("x")).payload), "now");
  std::size_t answered = 0;
  for (int i = 0; i < 250 && answered == 0; ++i) {  // until the request has arrived
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    answered = answer_waiting("done");
  }
  EXPECT_EQ(answered, 1u);
  EXPECT_EQ(later.get(), "done,now");
  // A responder called once its connection has closed sends nothing and breaks nothing.
  {
    Connection closing(server.bound_address(), client());
    closing.send(MessageType::kStats, bytes_of("later"));
    for (int i = 0; i < 250; ++i) {
      std::promise<std::size_t> count;
      boost::asio::post(io, [&] { count.set_value(waiting.size()); });
      if (count.get_future().get() > 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(answer_waiting("too late"), 1u);
  EXPECT_EQ(text_of(other.request(MessageType::kStats, bytes_of("x")).payload), "now");
  io.stop();
  thread.join();
}

// Workers name the learner's host as a cluster or Kubernetes service would: by name.
TEST(Sockets, ClientsResolveHostNames) {
  const auto endpoint = resolve_endpoint("tcp:localhost:4242");
  const auto* address = reinterpret_cast<const sockaddr*>(endpoint.data());
  ASSERT_TRUE(address->sa_family == AF_INET || address->sa_family == AF_INET6);
  EXPECT_THROW(resolve_endpoint("tcp:no-such-host.invalid:4242"), std::runtime_error);
  EXPECT_THROW(resolve_endpoint("tcp::4242"), std::invalid_argument);
  EXPECT_THROW(parse_endpoint("tcp:localhost:4242"), std::invalid_argument);  // servers: numeric
  EchoServer server("tcp:127.0.0.1:0");
  const std::string port = server.address().substr(server.address().rfind(':'));
  Connection connection("tcp:localhost" + port, client());
  EXPECT_EQ(text_of(connection.request(MessageType::kStats, bytes_of("a")).payload),
            "A from self_play");
}

TEST(Sockets, GarbageOrRefusedFramesCloseOnlyThatConnection) {
  EchoServer server(socket_path("garbage"));
  Connection good(server.address(), client());
  EXPECT_EQ(text_of(good.request(MessageType::kStats, bytes_of("a")).payload), "A from self_play");

  {  // raw garbage: the server closes the socket
    RawPeer raw(server.address());
    raw.send(bytes_of("GET / HTTP/1.1\r\n\r\n"));
    EXPECT_TRUE(raw.closed_within(std::chrono::seconds(5)));
  }
  {  // a well-formed frame whose payload the handler refuses
    Connection refused(server.address(), client());
    EXPECT_THROW(refused.request(MessageType::kGame, bytes_of("bad")), std::runtime_error);
  }
  {  // an oversized frame is refused from its header
    Connection big(server.address(), client());
    EXPECT_THROW(big.request(MessageType::kStats, std::vector<std::byte>(4096)),
                 std::runtime_error);
  }
  {  // a type the server does not handle
    Connection other(server.address(), client());
    EXPECT_THROW(other.request(MessageType::kWeights, bytes_of("x")), std::runtime_error);
  }
  const FrameServer::Stats stats = server.stats();
  EXPECT_EQ(stats.refused_connections, 1);
  EXPECT_EQ(stats.refused_messages, 3);
  EXPECT_EQ(text_of(good.request(MessageType::kStats, bytes_of("still here")).payload),
            "STILL HERE from self_play");
}

// Nothing reaches the handler from a peer that has not proved it holds the run's secret.
TEST(Sockets, PeersWithoutTheSecretAreRefusedBeforeAnyFrame) {
  for (const std::string& address : {socket_path("secret"), std::string("tcp:127.0.0.1:0")}) {
    EchoServer server(address);
    RunToken wrong = run_token(8);  // the right certificate, another secret
    try {
      Connection intruder(server.address(), client(PeerRole::kSelfPlay, wrong));
      FAIL() << "authenticated with a wrong secret over " << address;
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find("refused this connection"), std::string::npos)
          << error.what();
    }
    EXPECT_EQ(server.handled, 0);
    EXPECT_EQ(server.stats().refused_connections, 1) << address;
  }
  EchoServer server(socket_path("unauthenticated"));
  {  // a valid frame sent instead of the handshake
    RawPeer raw(server.address());
    raw.send_frame(MessageType::kStats, bytes_of("let me in"));
    EXPECT_TRUE(raw.closed_within(std::chrono::seconds(5)));
  }
  {  // a handshake claiming an unknown role
    RawPeer raw(server.address());
    ASSERT_TRUE(raw.read_frame(std::chrono::seconds(5)).has_value());  // the hello
    std::vector<std::byte> request = encode_auth_request({PeerRole::kTrainer, {}, {}});
    request[0] = std::byte{99};
    raw.send_frame(MessageType::kAuth, request);
    EXPECT_TRUE(raw.closed_within(std::chrono::seconds(5)));
  }
  EXPECT_EQ(server.handled, 0);
  EXPECT_EQ(server.stats().refused_connections, 2);
  RawPeer honest(server.address());
  EXPECT_TRUE(honest.authenticate(run_token().secret, PeerRole::kTest));
}

// Over TCP a peer may only be a self-play worker: the trainer's requests (weights, batches)
// come from the run's own machine, over its private Unix sockets.
TEST(Sockets, TcpPeersMayOnlyPlay) {
  EchoServer tcp("tcp:127.0.0.1:0");
  EXPECT_THROW(Connection(tcp.address(), client(PeerRole::kTrainer)), std::runtime_error);
  EXPECT_EQ(tcp.stats().refused_connections, 1);
  Connection worker(tcp.address(), client(PeerRole::kSelfPlay));
  EchoServer local(socket_path("roles"));
  Connection trainer(local.address(), client(PeerRole::kTrainer));
  EXPECT_EQ(text_of(trainer.request(MessageType::kStats, bytes_of("x")).payload), "X from trainer");
}

// A client accepts only the certificate its token pins: not another run's server.
TEST(Sockets, ClientsRefuseAServerWithAnotherCertificate) {
  EchoServer server("tcp:127.0.0.1:0");
  RunToken other = run_token();
  other.certificate_sha256[0] ^= 1;
  try {
    Connection connection(server.address(), client(PeerRole::kSelfPlay, other));
    FAIL() << "accepted a certificate the token does not pin";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("certificate verify failed"), std::string::npos)
        << error.what();
  }
}

TEST(Sockets, SilentPeersAndHalfSentFramesAreDroppedInTime) {
  FrameServerOptions options = test_options();
  options.handshake_timeout = std::chrono::milliseconds(300);
  options.frame_timeout = std::chrono::milliseconds(300);
  EchoServer server(socket_path("slow"), options);
  RawPeer silent(server.address());
  RawPeer half(server.address());
  ASSERT_TRUE(half.authenticate(run_token().secret, PeerRole::kSelfPlay));
  const std::vector<std::byte> frame = encode_frame(MessageType::kStats, bytes_of("unfinished"));
  half.send(std::span(frame).first(frame.size() - 3));
  RawPeer idle(server.address());
  ASSERT_TRUE(idle.authenticate(run_token().secret, PeerRole::kSelfPlay));
  EXPECT_TRUE(silent.closed_within(std::chrono::seconds(5)));
  EXPECT_TRUE(half.closed_within(std::chrono::seconds(5)));
  // Between frames an authenticated peer may stay idle.
  EXPECT_FALSE(idle.closed_within(std::chrono::milliseconds(900)));
  idle.send_frame(MessageType::kStats, bytes_of("awake"));
  const auto reply = idle.read_frame(std::chrono::seconds(5));
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(text_of(reply->payload), "AWAKE from self_play");
  const FrameServer::Stats stats = server.stats();
  EXPECT_EQ(stats.refused_connections, 1);  // the silent one
  EXPECT_EQ(stats.refused_messages, 1);     // the half frame
}

TEST(Sockets, ConnectionsAreBounded) {
  FrameServerOptions options = test_options();
  options.max_connections = 3;
  EchoServer server(socket_path("bounded"), options);
  auto first = std::make_unique<RawPeer>(server.address());
  RawPeer second(server.address()), third(server.address());
  ASSERT_TRUE(first->read_frame(std::chrono::seconds(5)).has_value());  // all three accepted
  RawPeer fourth(server.address());
  EXPECT_TRUE(fourth.closed_within(std::chrono::seconds(5)));
  EXPECT_EQ(server.stats().refused_connections, 1);
  first.reset();  // a place frees up
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    try {
      Connection later(server.address(), client());
      served = text_of(later.request(MessageType::kStats, bytes_of("in")).payload) ==
               "IN from self_play";
    } catch (const std::runtime_error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_TRUE(served);
}

// With no file descriptor left, accept() fails (EMFILE) with the connection still queued; the
// listener must try again, not stop accepting for good.
TEST(Sockets, TheListenerSurvivesRunningOutOfFileDescriptors) {
  EchoServer server(socket_path("emfile"));
  rlimit original{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &original), 0);
  long open_now = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++open_now;
  }
  std::vector<std::unique_ptr<RawPeer>> peers;
  rlimit tight = original;
  tight.rlim_cur = static_cast<rlim_t>(open_now + 3);  // a client, its accept, a client
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &tight), 0);
  // Clients take descriptors until none is left for the server's accept (or for a client).
  for (int i = 0; i < 8; ++i) {
    try {
      peers.push_back(std::make_unique<RawPeer>(server.address()));
    } catch (const std::runtime_error&) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // accept fails and retries
  peers.clear();
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &original), 0);
  EXPECT_GT(server.stats().accept_errors, 0) << "accept() never ran out of descriptors";
  Connection after(server.address(), client());
  EXPECT_EQ(text_of(after.request(MessageType::kStats, bytes_of("ok")).payload),
            "OK from self_play");
}

TEST(Sockets, ConnectGivesUpWithAClearError) {
  ConnectionOptions options = client();
  options.connect_timeout = std::chrono::milliseconds(200);
  try {
    Connection nobody(socket_path("nobody"), options);
    FAIL() << "connected to nothing";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("cannot connect to unix:/tmp/muzero_socket_test_"),
              std::string::npos);
  }
}

// A server that accepts and then says nothing (frozen with SIGSTOP, say) cannot hold a client:
// it gives up at its deadline, or soon after it is asked to stop.
TEST(Sockets, ClientsGiveUpOnAServerThatNeverAnswers) {
  const std::string address = socket_path("mute");
  boost::asio::io_context io;
  std::filesystem::remove(address.substr(5));
  boost::asio::local::stream_protocol::acceptor mute(
      io, boost::asio::local::stream_protocol::endpoint(address.substr(5)));
  ConnectionOptions options = client();
  options.reply_timeout = std::chrono::milliseconds(300);
  try {
    Connection connection(address, options);
    FAIL() << "authenticated with a server that said nothing";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("timed out waiting for"), std::string::npos)
        << error.what();
  }
  std::atomic<bool> stop{false};
  options.reply_timeout = std::chrono::minutes(10);
  options.stop = &stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
  });
  try {
    Connection connection(address, options);
    FAIL() << "authenticated with a server that said nothing";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("stopped while"), std::string::npos) << error.what();
  }
  stopper.join();
  std::filesystem::remove(address.substr(5));
}

}  // namespace
}  // namespace muzero
