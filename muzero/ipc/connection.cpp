#include "muzero/ipc/connection.h"

#include <boost/asio/connect.hpp>
#include <thread>

#include "muzero/ipc/handshake.h"
#include "muzero/ipc/tls.h"

namespace muzero {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollPeriod = std::chrono::milliseconds(100);  // how often stop is looked at

}  // namespace

Connection::Connection(const std::string& address, ConnectionOptions options)
    : address_(address), options_(std::move(options)) {
  connect(Clock::now() + options_.connect_timeout);
  authenticate();
}

Connection::~Connection() {
  if (stream_) stream_->close();
}

void Connection::wait(const bool& done, Clock::time_point deadline, const char* what,
                      const std::function<void()>& cancel) {
  io_.restart();
  while (!done) {
    io_.run_for(kPollPeriod);
    if (done) break;
    const bool stopped = options_.stop != nullptr && options_.stop->load();
    if (stopped || Clock::now() >= deadline) {
      broken_ = true;
      cancel();  // ends the pending operation
      io_.restart();
      io_.run_for(std::chrono::seconds(1));
      throw std::runtime_error(std::string(stopped ? "stopped while " : "timed out ") + what + " " +
                               address_);
    }
  }
}

void Connection::connect(Clock::time_point deadline) {
  const auto endpoint = resolve_endpoint(address_);
  const bool tcp = address_.rfind("tcp:", 0) == 0;
  const auto tls = tcp ? client_tls_context(options_.token.certificate_sha256) : nullptr;
  while (true) {
    StreamProtocol::socket socket(io_);
    boost::system::error_code error;
    bool connected = false;
    socket.async_connect(endpoint, [&](const boost::system::error_code& e) {
      error = e;
      connected = true;
    });
    wait(connected, deadline, "connecting to", [&] { socket.close(); });
    if (!error) {
      stream_ =
          tcp ? make_tls_stream(std::move(socket), tls) : make_plain_stream(std::move(socket));
      bool started = false;
      boost::system::error_code start_error;
      stream_->async_start(/*server=*/false, [&](const boost::system::error_code& e) {
        start_error = e;
        started = true;
      });
      wait(started, deadline, "in the TLS handshake with", [&] { stream_->close(); });
      if (start_error) {
        throw std::runtime_error("TLS with " + address_ + " failed (" + start_error.message() +
                                 "): not this run's server, or a token of another run");
      }
      return;
    }
    if (options_.stop != nullptr && options_.stop->load()) {
      throw std::runtime_error("stopped while connecting to " + address_);
    }
    if (Clock::now() >= deadline) {
      throw std::runtime_error("cannot connect to " + address_ + ": " + error.message());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void Connection::authenticate() {
  const Frame hello = receive();
  if (hello.type != MessageType::kHello) {
    throw std::runtime_error(address_ + " did not start the handshake");
  }
  const Nonce server_nonce = decode_hello(hello.payload);
  AuthRequest request;
  request.role = options_.role;
  request.client_nonce = random_nonce();
  request.proof =
      client_proof(options_.token.secret, server_nonce, request.client_nonce, request.role);
  Frame reply;
  try {
    reply = this->request(MessageType::kAuth, encode_auth_request(request));
  } catch (const std::runtime_error& error) {
    throw std::runtime_error(address_ + " refused this connection (" + error.what() +
                             "): a token of another run?");
  }
  if (reply.type != MessageType::kAuthOk ||
      !proofs_equal(
          decode_auth_reply(reply.payload),
          server_proof(options_.token.secret, server_nonce, request.client_nonce, request.role))) {
    throw std::runtime_error(address_ + " does not hold this run's secret");
  }
}

void Connection::send(MessageType type, std::span<const std::byte> payload) {
  if (broken_) throw std::runtime_error("the connection to " + address_ + " is broken");
  const std::vector<std::byte> frame = encode_frame(type, payload);
  bool done = false;
  boost::system::error_code error;
  stream_->async_write(frame, [&](const boost::system::error_code& e, std::size_t) {
    error = e;
    done = true;
  });
  wait(done, Clock::now() + options_.reply_timeout, "sending to", [&] { stream_->close(); });
  if (error) {
    broken_ = true;
    throw std::runtime_error("sending to " + address_ + " failed: " + error.message());
  }
}

Frame Connection::receive() {
  if (broken_) throw std::runtime_error("the connection to " + address_ + " is broken");
  const auto deadline = Clock::now() + options_.reply_timeout;
  std::vector<std::byte> chunk(64 * 1024);
  while (true) {
    try {
      if (auto frame = decoder_.next()) return std::move(*frame);
    } catch (const DecodeError& error) {
      broken_ = true;
      throw std::runtime_error("bad frame from " + address_ + ": " + error.what());
    }
    bool done = false;
    std::size_t n = 0;
    boost::system::error_code error;
    stream_->async_read_some(chunk, [&](const boost::system::error_code& e, std::size_t count) {
      error = e;
      n = count;
      done = true;
    });
    wait(done, deadline, "waiting for", [&] { stream_->close(); });
    if (error) {
      broken_ = true;
      throw std::runtime_error("connection to " + address_ + " closed: " + error.message());
    }
    decoder_.feed(std::span(chunk).first(n));
  }
}

}  // namespace muzero
