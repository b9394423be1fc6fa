#include "muzero/ipc/endpoint.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <stdexcept>

namespace muzero {
namespace {

struct HostPort {
  std::string host;
  unsigned short port;
};

HostPort split_tcp(const std::string& address) {
  const std::string rest = address.substr(4);
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("expected tcp:HOST:PORT, got '" + address + "'");
  int port = 0;
  try {
    port = std::stoi(rest.substr(colon + 1));
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) throw std::invalid_argument("bad port in '" + address + "'");
  return {rest.substr(0, colon), static_cast<unsigned short>(port)};
}

}  // namespace

StreamProtocol::endpoint parse_endpoint(const std::string& address) {
  if (address.rfind("unix:", 0) == 0) {
    const std::string path = address.substr(5);
    if (path.empty()) throw std::invalid_argument("empty socket path in '" + address + "'");
    if (path.size() >= 108) {
      throw std::invalid_argument("socket path too long (max 107 bytes): " + path);
    }
    return boost::asio::local::stream_protocol::endpoint(path);
  }
  if (address.rfind("tcp:", 0) == 0) {
    const auto [host, port] = split_tcp(address);
    boost::system::error_code error;
    const auto ip = boost::asio::ip::make_address(host, error);
    if (error) throw std::invalid_argument("expected a numeric IP address in '" + address + "'");
    return boost::asio::ip::tcp::endpoint(ip, port);
  }
  throw std::invalid_argument("address must start with unix: or tcp:, got '" + address + "'");
}

StreamProtocol::endpoint resolve_endpoint(const std::string& address) {
  if (address.rfind("tcp:", 0) != 0) return parse_endpoint(address);
  const auto [host, port] = split_tcp(address);
  if (host.empty()) throw std::invalid_argument("no host in '" + address + "'");
  boost::system::error_code error;
  const auto ip = boost::asio::ip::make_address(host, error);
  if (!error) return boost::asio::ip::tcp::endpoint(ip, port);
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  const auto results = resolver.resolve(host, std::to_string(port), error);
  if (error || results.empty()) {
    throw std::runtime_error("cannot resolve host '" + host +
                             "': " + (error ? error.message() : std::string("no address")));
  }
  // IPv4 first: what `--listen 0.0.0.0:PORT` serves.
  for (const auto& entry : results) {
    if (entry.endpoint().address().is_v4()) return entry.endpoint();
  }
  return results.begin()->endpoint();
}

}  // namespace muzero
