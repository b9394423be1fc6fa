#include "muzero/ipc/endpoint.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <stdexcept>

namespace muzero {

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
    const std::string rest = address.substr(4);
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos)
      throw std::invalid_argument("expected tcp:HOST:PORT, got '" + address + "'");
    const std::string host = rest.substr(0, colon);
    int port = 0;
    try {
      port = std::stoi(rest.substr(colon + 1));
    } catch (const std::exception&) {
      port = -1;
    }
    if (port < 0 || port > 65535) throw std::invalid_argument("bad port in '" + address + "'");
    boost::system::error_code error;
    const auto ip = boost::asio::ip::make_address(host, error);
    if (error) throw std::invalid_argument("expected a numeric IP address in '" + address + "'");
    return boost::asio::ip::tcp::endpoint(ip, static_cast<unsigned short>(port));
  }
  throw std::invalid_argument("address must start with unix: or tcp:, got '" + address + "'");
}

}  // namespace muzero
