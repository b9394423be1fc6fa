#include "muzero/ipc/frame_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <filesystem>

#include "muzero/ipc/byte_stream.h"

namespace muzero {
namespace {

using Clock = std::chrono::steady_clock;

// Refusals are logged, but not without bound: a flood of them would fill the disk. The first
// kLoggedPerMinute in each minute are logged, then how many more there were.
class RefusalLog {
 public:
  static constexpr int kLoggedPerMinute = 20;

  void note(const std::string& server, const std::string& what) {
    const auto now = Clock::now();
    if (now - window_start_ > std::chrono::minutes(1)) {
      if (suppressed_ > 0) {
        spdlog::warn("{}: {} more refusals in the last minute were not logged", server,
                     suppressed_);
      }
      window_start_ = now;
      logged_ = suppressed_ = 0;
    }
    if (logged_ < kLoggedPerMinute) {
      ++logged_;
      spdlog::warn("{}: {}", server, what);
    } else {
      ++suppressed_;
    }
  }

 private:
  Clock::time_point window_start_{};
  int logged_ = 0;
  long suppressed_ = 0;
};

std::string seconds(std::chrono::milliseconds duration) {
  return fmt::format("{:g} s", static_cast<double>(duration.count()) / 1000.0);
}

}  // namespace

struct FrameServer::State {
  State(boost::asio::io_context& io_context, StreamProtocol::endpoint endpoint_)
      : io(io_context), acceptor(io_context), retry(io_context), endpoint(std::move(endpoint_)) {}
  boost::asio::io_context& io;
  boost::asio::basic_socket_acceptor<StreamProtocol> acceptor;
  boost::asio::steady_timer retry;  // after a failed accept
  StreamProtocol::endpoint endpoint;
  Handler handler;
  FrameServerOptions options;
  std::string address;
  std::string socket_file;  // removed on shutdown
  bool remote = false;      // TCP
  bool closed = false;
  Stats stats;
  RefusalLog refusals;

  void refuse_connection(const std::string& peer, const std::string& why) {
    ++stats.refused_connections;
    refusals.note(options.name, "refused a connection from " + peer + ": " + why);
  }
};

namespace {

using State = FrameServer::State;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<State> state, std::unique_ptr<ByteStream> stream)
      : state_(std::move(state)),
        stream_(std::move(stream)),
        timer_(state_->io),
        decoder_(FrameLimits().allow(MessageType::kAuth, kAuthRequestSize)) {
    peer_.remote = state_->remote;
    peer_.address = stream_->peer();
    ++state_->stats.open;
  }
  ~Session() {
    --state_->stats.open;
    if (authenticated_) --state_->stats.open_by_role[static_cast<std::size_t>(peer_.role)];
  }

  void start() {
    std::weak_ptr<Session> weak = weak_from_this();
    // The responder keeps the session alive: with no read or write pending, nothing else does.
    peer_.defer_reply = [weak]() -> Responder {
      auto self = weak.lock();
      if (!self) return [](Reply) {};
      self->deferred_ = true;
      return [self](Reply reply) {
        if (self->closed_ || !self->deferred_) return;
        self->deferred_ = false;
        self->write(encode_frame(reply.type, reply.payload));
      };
    };
    arm(state_->options.handshake_timeout,
        "no authentication within " + seconds(state_->options.handshake_timeout));
    auto self = shared_from_this();
    stream_->async_start(/*server=*/true, [self](const boost::system::error_code& error) {
      if (error) return self->refuse_connection("TLS handshake failed (" + error.message() + ")");
      self->nonce_ = random_nonce();
      self->write(encode_frame(MessageType::kHello, encode_hello(self->nonce_)));
    });
  }

 private:
  // Handles buffered frames until a reply must be written or more bytes are needed.
  void process() {
    try {
      while (!closed_) {
        std::optional<Frame> frame = decoder_.next();
        if (!frame) return read();
        if (!authenticated_) return authenticate(*frame);
        frame_timer_armed_ = false;
        timer_.cancel();
        std::optional<Reply> reply = state_->handler(*frame, peer_);
        if (reply) return write(encode_frame(reply->type, reply->payload));
        if (deferred_) return;  // the responder writes the reply, then reading goes on
      }
    } catch (const std::exception& error) {
      if (!authenticated_) return refuse_connection(error.what());
      ++state_->stats.refused_messages;
      state_->refusals.note(state_->options.name, "refused a message from the " +
                                                      std::string(role_name(peer_.role)) + " at " +
                                                      peer_.address + ": " + error.what());
      close();
    }
  }

  void authenticate(const Frame& frame) {
    const AuthRequest request = decode_auth_request(frame.payload);
    const auto& allowed = state_->options.remote_roles;
    if (peer_.remote && std::find(allowed.begin(), allowed.end(), request.role) == allowed.end()) {
      return refuse_connection("a " + std::string(role_name(request.role)) +
                               " may not connect over TCP");
    }
    const Secret& secret = state_->options.secret;
    if (!proofs_equal(request.proof,
                      client_proof(secret, nonce_, request.client_nonce, request.role))) {
      return refuse_connection("wrong token (it does not hold this run's secret)");
    }
    authenticated_ = true;
    peer_.role = request.role;
    ++state_->stats.authenticated;
    ++state_->stats.open_by_role[static_cast<std::size_t>(peer_.role)];
    decoder_.set_limits(state_->options.limits);
    timer_.cancel();
    write(encode_frame(
        MessageType::kAuthOk,
        encode_auth_reply(server_proof(secret, nonce_, request.client_nonce, request.role))));
  }

  void read() {
    // A frame once begun must be finished in time; between frames a peer may stay idle (the
    // number of connections is bounded, and each holds a read buffer only).
    if (authenticated_ && decoder_.buffered() > 0 && !frame_timer_armed_) {
      frame_timer_armed_ = true;
      arm(state_->options.frame_timeout,
          "a frame not finished within " + seconds(state_->options.frame_timeout));
    }
    auto self = shared_from_this();
    stream_->async_read_some(in_, [self](const boost::system::error_code& error, std::size_t n) {
      if (error) return self->close();  // the peer closed, or we did
      self->decoder_.feed(std::span(self->in_).first(n));
      self->process();
    });
  }

  void write(std::vector<std::byte> frame) {
    out_ = std::move(frame);
    if (authenticated_) {
      arm(state_->options.frame_timeout,
          "a reply not read within " + seconds(state_->options.frame_timeout));
    }
    auto self = shared_from_this();
    stream_->async_write(out_, [self](const boost::system::error_code& error, std::size_t) {
      if (error) return self->close();
      if (self->authenticated_) self->timer_.cancel();
      self->process();
    });
  }

  void arm(std::chrono::milliseconds timeout, std::string why) {
    timer_.expires_after(timeout);
    std::weak_ptr<Session> weak = weak_from_this();
    timer_.async_wait([weak, why = std::move(why)](const boost::system::error_code& error) {
      if (error) return;  // cancelled or re-armed
      if (auto self = weak.lock()) self->refuse_connection(why);
    });
  }

  void refuse_connection(const std::string& why) {
    if (closed_) return;
    if (authenticated_) {
      ++state_->stats.refused_messages;
      state_->refusals.note(state_->options.name, "closed the connection of the " +
                                                      std::string(role_name(peer_.role)) + " at " +
                                                      peer_.address + ": " + why);
    } else {
      state_->refuse_connection(peer_.address, why);
    }
    close();
  }

  void close() {
    closed_ = true;
    timer_.cancel();
    stream_->close();
  }

  std::shared_ptr<State> state_;
  std::unique_ptr<ByteStream> stream_;
  boost::asio::steady_timer timer_;
  FrameDecoder decoder_;
  Peer peer_;
  Nonce nonce_{};
  bool authenticated_ = false;
  bool deferred_ = false;  // a reply is due from a responder
  bool frame_timer_armed_ = false;
  bool closed_ = false;
  std::array<std::byte, 64 * 1024> in_{};
  std::vector<std::byte> out_;
};

void accept_next(const std::shared_ptr<State>& state) {
  state->acceptor.async_accept([state](const boost::system::error_code& error,
                                       StreamProtocol::socket socket) {
    if (state->closed || error == boost::asio::error::operation_aborted) return;
    if (error) {
      // Out of file descriptors (EMFILE) or memory, a connection reset before it was
      // accepted: none is the listener's end. Try again shortly.
      ++state->stats.accept_errors;
      state->refusals.note(state->options.name,
                           "accepting a connection failed (" + error.message() + "); retrying");
      state->retry.expires_after(std::chrono::milliseconds(100));
      state->retry.async_wait([state](const boost::system::error_code& wait_error) {
        if (!wait_error) accept_next(state);
      });
      return;
    }
    ++state->stats.accepted;
    if (static_cast<std::size_t>(state->stats.open) >= state->options.max_connections) {
      state->refuse_connection(
          "a new peer", "too many connections (" + std::to_string(state->stats.open) + " open)");
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      std::unique_ptr<ByteStream> stream =
          state->remote ? make_tls_stream(std::move(socket), state->options.tls)
                        : make_plain_stream(std::move(socket));
      std::make_shared<Session>(state, std::move(stream))->start();
    }
    accept_next(state);
  });
}

}  // namespace

void require_role(const Peer& peer, PeerRole role, const char* what) {
  if (peer.role != role) {
    throw DecodeError(std::string(what) + " are the " + std::string(role_name(role)) +
                      "'s to send, not the " + std::string(role_name(peer.role)) + "'s");
  }
}

FrameServer::FrameServer(boost::asio::io_context& io, const std::string& address, Handler handler,
                         FrameServerOptions options)
    : state_(std::make_shared<State>(io, parse_endpoint(address))) {
  state_->handler = std::move(handler);
  state_->options = std::move(options);
  state_->address = address;
  state_->remote = address.rfind("tcp:", 0) == 0;
  if (state_->remote && !state_->options.tls) {
    throw std::invalid_argument("serving " + address + " needs TLS");
  }
  if (!state_->remote) {
    state_->socket_file = address.substr(5);
    std::filesystem::remove(state_->socket_file);  // a stale file from a killed run
  }
  state_->acceptor.open(state_->endpoint.protocol());
  if (state_->remote) {
    state_->acceptor.set_option(boost::asio::socket_base::reuse_address(true));
  }
  state_->acceptor.bind(state_->endpoint);
  if (!state_->remote) ::chmod(state_->socket_file.c_str(), 0600);  // the owner's processes only
  state_->acceptor.listen();
  accept_next(state_);
}

FrameServer::~FrameServer() {
  state_->closed = true;
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
  state_->retry.cancel();
  std::error_code ignored_file_error;
  if (!state_->socket_file.empty())
    std::filesystem::remove(state_->socket_file, ignored_file_error);
}

FrameServer::Stats FrameServer::stats() const {
  return state_->stats;
}

std::string FrameServer::bound_address() const {
  if (!state_->remote) return state_->address;
  const auto local = state_->acceptor.local_endpoint();
  const auto* in = reinterpret_cast<const sockaddr_in*>(local.data());
  char ip[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
  return "tcp:" + std::string(ip) + ":" + std::to_string(ntohs(in->sin_port));
}

}  // namespace muzero
