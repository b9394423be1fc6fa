#include "muzero/runtime/io_loop.h"

#include <gtest/gtest.h>

#include <atomic>

namespace muzero {
namespace {

TEST(IoLoop, DoesThePeriodicWorkUntilStopped) {
  boost::asio::io_context io;
  std::atomic<bool> stop{false};
  int calls = 0;
  // The work stops the loop itself on its third call: the loop must have run it three times,
  // and return once it sees the flag.
  run_until_stopped(io, stop, {std::chrono::milliseconds(1), [&] {
                                 if (++calls == 3) stop = true;
                               }});
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace muzero
