#include "muzero/runtime/io_loop.h"

#include <boost/asio/steady_timer.hpp>
#include <functional>

namespace muzero {

void run_until_stopped(boost::asio::io_context& io, const std::atomic<bool>& stop) {
  boost::asio::steady_timer timer(io);
  std::function<void()> poll = [&] {
    timer.expires_after(std::chrono::milliseconds(50));
    timer.async_wait([&](boost::system::error_code error) {
      if (error) return;
      if (stop.load()) {
        io.stop();
        return;
      }
      poll();
    });
  };
  poll();
  io.run();
}

}  // namespace muzero
