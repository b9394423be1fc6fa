#pragma once
#include <atomic>
#include <boost/asio/io_context.hpp>

namespace muzero {

// Runs `io` until `stop` becomes true (checked every 50 ms).
void run_until_stopped(boost::asio::io_context& io, const std::atomic<bool>& stop);

}  // namespace muzero
