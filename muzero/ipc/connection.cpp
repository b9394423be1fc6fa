#include "muzero/ipc/connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <thread>

namespace muzero {

Connection::Connection(const std::string& address, std::chrono::milliseconds timeout,
                       const std::atomic<bool>* stop)
    : address_(address) {
  const auto endpoint = parse_endpoint(address);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    socket_ = std::make_unique<StreamProtocol::socket>(io_);
    boost::system::error_code error;
    socket_->connect(endpoint, error);
    if (!error) return;
    if (stop != nullptr && stop->load()) {
      throw std::runtime_error("stopped while connecting to " + address);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("cannot connect to " + address + ": " + error.message());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Connection::~Connection() = default;

void Connection::send(MessageType type, std::span<const std::byte> payload) {
  const std::vector<std::byte> frame = encode_frame(type, payload);
  boost::system::error_code error;
  boost::asio::write(*socket_, boost::asio::buffer(frame.data(), frame.size()), error);
  if (error) throw std::runtime_error("sending to " + address_ + " failed: " + error.message());
}

Frame Connection::receive() {
  std::vector<std::byte> chunk(64 * 1024);
  while (true) {
    try {
      if (auto frame = decoder_.next()) return std::move(*frame);
    } catch (const DecodeError& error) {
      throw std::runtime_error("bad frame from " + address_ + ": " + error.what());
    }
    boost::system::error_code error;
    const std::size_t n =
        socket_->read_some(boost::asio::buffer(chunk.data(), chunk.size()), error);
    if (error)
      throw std::runtime_error("connection to " + address_ + " closed: " + error.message());
    decoder_.feed(std::span(chunk).first(n));
  }
}

}  // namespace muzero
