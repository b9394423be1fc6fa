#pragma once
// Where a server listens and clients connect: "unix:/path/to.sock" (processes on this machine)
// or "tcp:HOST:PORT". Both carry the same frames over a stream socket.
#include <boost/asio/generic/stream_protocol.hpp>
#include <string>

namespace muzero {

using StreamProtocol = boost::asio::generic::stream_protocol;

// Throws std::invalid_argument with the reason for a malformed address. A TCP address needs a
// numeric IP address (what a server listens on).
StreamProtocol::endpoint parse_endpoint(const std::string& address);

// For clients: as parse_endpoint, but a TCP host may also be a name (a cluster node, a
// Kubernetes service), looked up by the system's resolver. Throws std::invalid_argument for a
// malformed address and std::runtime_error for a name that does not resolve.
StreamProtocol::endpoint resolve_endpoint(const std::string& address);

}  // namespace muzero
