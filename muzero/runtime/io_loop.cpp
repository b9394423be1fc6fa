#include "muzero/runtime/io_loop.h"

#include <boost/asio/steady_timer.hpp>
#include <functional>

#include "muzero/ipc/connection.h"

namespace muzero {

std::vector<std::unique_ptr<FrameServer>> serve(boost::asio::io_context& io,
                                                const std::string& unix_address,
                                                const std::string& tcp_address,
                                                const FrameServer::Handler& handler) {
  std::vector<std::unique_ptr<FrameServer>> servers;
  for (const std::string& address : {unix_address, tcp_address}) {
    if (!address.empty()) {
      servers.push_back(std::make_unique<FrameServer>(io, address, handler, kMaxFramePayload));
    }
  }
  return servers;
}

void run_until_stopped(boost::asio::io_context& io, const std::atomic<bool>& stop,
                       const PeriodicWork& periodic) {
  boost::asio::steady_timer timer(io);
  auto due = std::chrono::steady_clock::now() + periodic.period;
  std::function<void()> poll = [&] {
    timer.expires_after(std::chrono::milliseconds(50));
    timer.async_wait([&](boost::system::error_code error) {
      if (error) return;
      if (stop.load()) {
        io.stop();
        return;
      }
      if (periodic.work && std::chrono::steady_clock::now() >= due) {
        periodic.work();
        due = std::chrono::steady_clock::now() + periodic.period;
      }
      poll();
    });
  };
  poll();
  io.run();
}

}  // namespace muzero
