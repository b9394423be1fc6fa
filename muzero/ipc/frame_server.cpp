#include "muzero/ipc/frame_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>

#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>

namespace muzero {

struct FrameServer::State {
  State(boost::asio::io_context& io_context, StreamProtocol::endpoint endpoint_)
      : io(io_context), acceptor(io_context), endpoint(std::move(endpoint_)) {}
  boost::asio::io_context& io;
  boost::asio::basic_socket_acceptor<StreamProtocol> acceptor;
  StreamProtocol::endpoint endpoint;
  Handler handler;
  std::size_t max_payload = 0;
  std::string address;
  std::string socket_file;  // removed on shutdown
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(StreamProtocol::socket socket, FrameServer::Handler& handler, std::size_t max_payload,
          std::shared_ptr<long> refused)
      : socket_(std::move(socket)),
        handler_(handler),
        decoder_(max_payload),
        refused_(std::move(refused)) {}

  void start() { process(); }

 private:
  // Handles buffered frames until a reply must be written or more bytes are needed.
  void process() {
    std::optional<Reply> reply;
    try {
      while (!reply) {
        std::optional<Frame> frame = decoder_.next();
        if (!frame) {
          read();
          return;
        }
        reply = handler_(*frame);
      }
    } catch (const DecodeError& error) {
      spdlog::warn("closing a connection: {}", error.what());
      ++*refused_;
      boost::system::error_code ignored;
      socket_.close(ignored);
      return;
    }
    out_ = encode_frame(reply->type, reply->payload);
    auto self = shared_from_this();
    boost::asio::async_write(socket_, boost::asio::buffer(out_.data(), out_.size()),
                             [self](boost::system::error_code error, std::size_t) {
                               if (!error) self->process();
                             });
  }

  void read() {
    auto self = shared_from_this();
    socket_.async_read_some(boost::asio::buffer(in_.data(), in_.size()),
                            [self](boost::system::error_code error, std::size_t n) {
                              if (error) return;  // peer closed: the session ends
                              self->decoder_.feed(std::span(self->in_).first(n));
                              self->process();
                            });
  }

  StreamProtocol::socket socket_;
  FrameServer::Handler& handler_;
  FrameDecoder decoder_;
  std::shared_ptr<long> refused_;
  std::array<std::byte, 64 * 1024> in_{};
  std::vector<std::byte> out_;
};

}  // namespace

FrameServer::FrameServer(boost::asio::io_context& io, const std::string& address, Handler handler,
                         std::size_t max_payload_bytes)
    : state_(std::make_shared<State>(io, parse_endpoint(address))) {
  state_->handler = std::move(handler);
  state_->max_payload = max_payload_bytes;
  state_->address = address;
  if (address.rfind("unix:", 0) == 0) {
    state_->socket_file = address.substr(5);
    std::filesystem::remove(state_->socket_file);  // a stale file from a killed run
  }
  state_->acceptor.open(state_->endpoint.protocol());
  if (state_->socket_file.empty()) {
    state_->acceptor.set_option(boost::asio::socket_base::reuse_address(true));
  }
  state_->acceptor.bind(state_->endpoint);
  state_->acceptor.listen();
  accept();
}

FrameServer::~FrameServer() {
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
  std::error_code ignored_file_error;
  if (!state_->socket_file.empty())
    std::filesystem::remove(state_->socket_file, ignored_file_error);
}

std::string FrameServer::bound_address() const {
  if (!state_->socket_file.empty()) return state_->address;
  const auto local = state_->acceptor.local_endpoint();
  const auto* in = reinterpret_cast<const sockaddr_in*>(local.data());
  char ip[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
  return "tcp:" + std::string(ip) + ":" + std::to_string(ntohs(in->sin_port));
}

void FrameServer::accept() {
  accept_next(state_, refused_);
}

void FrameServer::accept_next(std::shared_ptr<State> state, std::shared_ptr<long> refused) {
  auto& acceptor = state->acceptor;
  acceptor.async_accept(
      [state, refused](boost::system::error_code error, StreamProtocol::socket socket) {
        if (error) return;  // the acceptor was closed
        std::make_shared<Session>(std::move(socket), state->handler, state->max_payload, refused)
            ->start();
        accept_next(state, refused);
      });
}

}  // namespace muzero
