// hostile_peer ATTACK ADDRESS TOKEN_FILE: one attack on a running training, as a hostile but
// fair tester would make it. Prints "refused" when the run closed the connection or answered
// with a refusal, "accepted" when it took the message; tests/hostile_peer.sh checks which.
// ADDRESS is a server of the run: tcp:IP:PORT, or unix:PATH for the attacks of a local process
// that holds the token. The attacks:
//   plaintext        a frame sent over TCP without TLS
//   no-auth          TLS, then a frame instead of the handshake
//   wrong-token      the handshake with another secret
//   oversized        a game frame announcing 400 MB
//   half-frame       half a frame, then silence (held until the test kills it)
//   out-of-shape N   a game whose observations have N values
//   nan-game         a game with NaN observations
//   weights ROLE     40 bytes of garbage as weights, sent as ROLE (self_play or trainer)
//   counter          training_done set by a self-play worker
//   nan-counter      a NaN counter with a name that holds a newline
//   big-batch ROLE   a batch request for 2^20 samples, sent as ROLE
//   flood N          N connections that never authenticate, held for 2 s
#include <openssl/rand.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cmath>
#include <iostream>
#include <optional>
#include <thread>

#include "muzero/ipc/connection.h"
#include "muzero/ipc/counters.h"
#include "muzero/ipc/handshake.h"
#include "muzero/ipc/messages.h"
#include "muzero/ipc/tls.h"
#include "replay_buffer/game_history.h"

namespace muzero {
namespace {

using Clock = std::chrono::steady_clock;

ConnectionOptions as(PeerRole role, const RunToken& token) {
  ConnectionOptions options;
  options.token = token;
  options.role = role;
  options.connect_timeout = std::chrono::seconds(10);
  options.reply_timeout = std::chrono::seconds(10);
  return options;
}

// Sends one message as `role` and reports whether the run took it.
std::string send_as(PeerRole role, const std::string& address, const RunToken& token,
                    MessageType type, const std::vector<std::byte>& payload) {
  try {
    Connection connection(address, as(role, token));
    connection.request(type, payload);
    return "accepted";
  } catch (const std::runtime_error& error) {
    std::cerr << error.what() << "\n";
    return "refused";
  }
}

// A game of `size`-value observations (NaN ones if `nan`) that is otherwise well formed.
std::vector<std::byte> game_of(int size, bool nan) {
  const float value = nan ? std::nanf("") : 0.0f;
  GameHistory game(size, 2, std::vector<float>(size, value), 0);
  for (int i = 0; i < 3; ++i) {
    game.add_move(std::vector<float>{0.5f, 0.5f}, 0.0f, 0, 1.0f, std::vector<float>(size, value),
                  0);
  }
  return encode_game(game);
}

PeerRole role_named(const std::string& name) {
  if (name == "trainer") return PeerRole::kTrainer;
  if (name == "self_play") return PeerRole::kSelfPlay;
  throw std::invalid_argument("unknown role " + name);
}

// A TCP connection to `address` (tcp:IP:PORT) written to by hand, through TLS pinned to the
// token's certificate unless `plain`; every wait is bounded.
class RawTcp {
 public:
  RawTcp(const std::string& address, const RunToken& token, bool plain)
      : context_(client_tls_context(token.certificate_sha256)),
        stream_(io_, *context_),
        plain_(plain) {
    const std::string rest = address.substr(4);
    const auto colon = rest.rfind(':');
    const boost::asio::ip::tcp::endpoint endpoint(
        boost::asio::ip::make_address(rest.substr(0, colon)),
        static_cast<unsigned short>(std::stoi(rest.substr(colon + 1))));
    stream_.lowest_layer().connect(endpoint);
    if (!plain_) {
      bool done = false;
      boost::system::error_code error;
      stream_.async_handshake(boost::asio::ssl::stream_base::client,
                              [&](const boost::system::error_code& e) {
                                error = e;
                                done = true;
                              });
      if (!run(done) || error) throw std::runtime_error("TLS handshake failed");
    }
  }

  void write(std::span<const std::byte> bytes) {
    bool done = false;
    const auto handler = [&](const boost::system::error_code&, std::size_t) { done = true; };
    const auto buffer = boost::asio::buffer(bytes.data(), bytes.size());
    if (plain_) {
      boost::asio::async_write(stream_.next_layer(), buffer, handler);
    } else {
      boost::asio::async_write(stream_, buffer, handler);
    }
    run(done);
  }

  // The next frame, or nullopt once the server closed the connection or 15 s passed.
  std::optional<Frame> read_frame() {
    while (!closed_) {
      if (auto frame = decoder_.next()) return frame;
      bool done = false;
      std::size_t n = 0;
      const auto handler = [&](const boost::system::error_code& error, std::size_t count) {
        closed_ = static_cast<bool>(error);
        n = count;
        done = true;
      };
      const auto buffer = boost::asio::buffer(chunk_.data(), chunk_.size());
      if (plain_) {
        stream_.next_layer().async_read_some(buffer, handler);
      } else {
        stream_.async_read_some(buffer, handler);
      }
      if (!run(done)) return std::nullopt;
      decoder_.feed(std::span(chunk_).first(n));
    }
    return std::nullopt;
  }
  bool closed_by_server() {
    while (read_frame()) {
    }
    return closed_;
  }

  bool authenticate(const Secret& secret, PeerRole role) {
    const auto hello = read_frame();
    if (!hello || hello->type != MessageType::kHello) return false;
    AuthRequest request{role, random_nonce(), {}};
    request.proof = client_proof(secret, decode_hello(hello->payload), request.client_nonce, role);
    write(encode_frame(MessageType::kAuth, encode_auth_request(request)));
    const auto reply = read_frame();
    return reply && reply->type == MessageType::kAuthOk;
  }

 private:
  // Runs the io_context until `done` or 15 s; false on timeout (the socket is then closed).
  bool run(const bool& done) {
    io_.restart();
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    while (!done && Clock::now() < deadline) io_.run_for(std::chrono::milliseconds(50));
    if (done) return true;
    boost::system::error_code ignored;
    stream_.lowest_layer().close(ignored);
    io_.restart();
    io_.run_for(std::chrono::seconds(1));
    return false;
  }

  boost::asio::io_context io_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_;
  bool plain_;
  bool closed_ = false;
  FrameDecoder decoder_{FrameLimits::any(1 << 24)};
  std::array<std::byte, 4096> chunk_{};
};

int attack(const std::vector<std::string>& args) {
  const std::string& name = args[0];
  const std::string& address = args[1];
  const RunToken token = read_token_file(args[2]);
  std::string outcome;
  if (name == "plaintext" || name == "no-auth") {
    RawTcp raw(address, token, /*plain=*/name == "plaintext");
    raw.write(encode_frame(MessageType::kStats, encode_counter_updates({})));
    outcome = raw.closed_by_server() ? "refused" : "accepted";
  } else if (name == "wrong-token") {
    RunToken wrong = token;
    RAND_bytes(wrong.secret.data(), static_cast<int>(wrong.secret.size()));
    outcome = send_as(PeerRole::kSelfPlay, address, wrong, MessageType::kStats,
                      encode_counter_updates({}));
  } else if (name == "oversized" || name == "half-frame") {
    RawTcp raw(address, token, /*plain=*/false);
    if (!raw.authenticate(token.secret, PeerRole::kSelfPlay)) throw std::runtime_error("no auth");
    std::vector<std::byte> frame = encode_frame(MessageType::kGame, game_of(4, false));
    if (name == "oversized") {
      const std::uint32_t length = 400u << 20;  // the payload length field
      std::memcpy(frame.data() + 8, &length, sizeof length);
      raw.write(std::span(frame).first(kFrameHeaderSize));
      outcome = raw.closed_by_server() ? "refused" : "accepted";
    } else {
      raw.write(std::span(frame).first(frame.size() / 2));
      std::cout << "holding" << std::endl;
      std::this_thread::sleep_for(std::chrono::minutes(10));  // until the test kills it
      outcome = "still holding";
    }
  } else if (name == "out-of-shape" || name == "nan-game") {
    outcome =
        send_as(PeerRole::kSelfPlay, address, token, MessageType::kGame,
                name == "nan-game" ? game_of(4, true) : game_of(std::stoi(args.at(3)), false));
  } else if (name == "weights") {
    const std::string garbage(40, 'w');
    outcome = send_as(role_named(args.at(3)), address, token, MessageType::kWeights,
                      encode_weights({0, 1, garbage}));
  } else if (name == "counter") {
    outcome = send_as(
        PeerRole::kSelfPlay, address, token, MessageType::kStats,
        encode_counter_updates(std::vector<CounterUpdate>{{counters::kTrainingDone, false, 1.0}}));
  } else if (name == "nan-counter") {
    outcome = send_as(PeerRole::kSelfPlay, address, token, MessageType::kStats,
                      encode_counter_updates(
                          std::vector<CounterUpdate>{{"odd\nplayed_games", false, std::nan("")}}));
  } else if (name == "big-batch") {
    outcome = send_as(role_named(args.at(3)), address, token, MessageType::kBatchRequest,
                      encode_int(1 << 20));
  } else if (name == "long-wait") {  // a wait for a training step longer than storage allows
    outcome = send_as(PeerRole::kSelfPlay, address, token, MessageType::kWaitForStep,
                      encode_wait_for_step({1, kMaxWaitMilliseconds + 1}));
  } else if (name == "wait") {  // a wait from a role that does not play
    outcome = send_as(role_named(args.at(3)), address, token, MessageType::kWaitForStep,
                      encode_wait_for_step({1, 10}));
  } else if (name == "flood") {
    std::vector<std::unique_ptr<RawTcp>> held;
    const int count = std::stoi(args.at(3));
    for (int i = 0; i < count; ++i) {
      try {
        held.push_back(std::make_unique<RawTcp>(address, token, /*plain=*/true));
      } catch (const std::exception&) {
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
    outcome = "held " + std::to_string(held.size());
  } else {
    std::cerr << "unknown attack " << name << "\n";
    return 2;
  }
  std::cout << outcome << std::endl;
  return 0;
}

}  // namespace
}  // namespace muzero

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: hostile_peer ATTACK ADDRESS TOKEN_FILE [ARG]\n";
    return 2;
  }
  try {
    return muzero::attack(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& error) {
    std::cerr << "hostile_peer: " << error.what() << "\n";
    return 1;
  }
}
