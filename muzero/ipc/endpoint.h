#pragma once
// Where a server listens and clients connect: "unix:/path/to.sock" (processes on this machine)
// or "tcp:HOST:PORT". Both carry the same frames over a stream socket.
#include <boost/asio/generic/stream_protocol.hpp>
#include <string>

namespace muzero {

using StreamProtocol = boost::asio::generic::stream_protocol;

// Throws std::invalid_argument with the reason for a malformed address.
StreamProtocol::endpoint parse_endpoint(const std::string& address);

}  // namespace muzero
