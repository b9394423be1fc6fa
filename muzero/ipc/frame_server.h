#pragma once
// The server side: accepts connections, authenticates each (handshake.h; TLS first over TCP),
// and answers each frame with the handler's reply. One frame per connection is handled at a
// time, and the next is not read until the reply has been written, so a client cannot queue
// unbounded work (back-pressure). Everything a peer can make the server hold is bounded: the
// number of connections, the size of each message type, the time to authenticate and to finish
// a frame once begun. A connection that breaks a rule, or sends a message the handler refuses,
// is closed with a logged reason; the others carry on, and so does the accept loop.
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "muzero/ipc/endpoint.h"
#include "muzero/ipc/frame.h"
#include "muzero/ipc/handshake.h"

namespace muzero {

struct Reply {
  MessageType type;
  std::vector<std::byte> payload;
};

// Sends a reply given later (deferred): at most once, on the server's thread; nothing if the
// connection has closed meanwhile.
using Responder = std::function<void(Reply)>;

// The authenticated peer of a connection.
struct Peer {
  PeerRole role = PeerRole::kSelfPlay;
  bool remote = false;  // over TCP
  std::string address;  // for logs
  // For a handler that answers later (a wait for an event): returns the responder, and the
  // handler returns nullopt. The connection reads nothing more until the reply is sent, so a
  // peer has at most one deferred request; the handler must answer within the frame timeout.
  std::function<Responder()> defer_reply;
};

// Throws DecodeError unless `peer` is of `role`: "WHAT is the trainer's to send, not ...".
void require_role(const Peer& peer, PeerRole role, const char* what);

struct FrameServerOptions {
  std::string name;    // "storage", "replay buffer": for logs
  FrameLimits limits;  // after authentication
  Secret secret{};     // the run's
  // TCP connections are served through TLS with it; a TCP address needs one.
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::vector<PeerRole> remote_roles{PeerRole::kSelfPlay};  // what a TCP peer may claim
  std::size_t max_connections = 256;
  std::chrono::milliseconds handshake_timeout{10000};  // TLS and authentication together
  std::chrono::milliseconds frame_timeout{60000};      // a frame, once begun
};

class FrameServer {
 public:
  // May throw (DecodeError, or any std::exception) for a message it refuses: that closes the
  // connection, logged and counted.
  using Handler = std::function<std::optional<Reply>(const Frame&, const Peer&)>;

  FrameServer(boost::asio::io_context& io, const std::string& address, Handler handler,
              FrameServerOptions options);
  ~FrameServer();

  struct Stats {
    long accepted = 0;
    long authenticated = 0;
    long refused_connections = 0;  // failed authentication, too many, too slow
    long refused_messages = 0;     // malformed or refused by the handler
    long open = 0;                 // connections open now
    long accept_errors = 0;        // accept() failed (out of descriptors): retried
    // Authenticated connections open now, by the role their peer proved (index: its byte).
    std::array<long, static_cast<std::size_t>(PeerRole::kLast) + 1> open_by_role{};
    long open_of(PeerRole role) const { return open_by_role[static_cast<std::size_t>(role)]; }
  };
  Stats stats() const;
  // The address clients should use: for "tcp:HOST:0" it holds the port the system picked.
  std::string bound_address() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace muzero
