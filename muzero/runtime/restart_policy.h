#pragma once
// When a crashed process is worth starting again. One that fails kMaxQuickFailures times in a
// row, each within kQuickFailure of its start, fails for a reason a restart does not fix (a
// corrupt checkpoint, a bug hit at once): the supervisor stops the run, a remote worker gives up.
#include <chrono>

namespace muzero {

inline constexpr int kMaxQuickFailures = 3;
inline constexpr auto kQuickFailure = std::chrono::seconds(60);

class QuickFailures {
 public:
  using Clock = std::chrono::steady_clock;
  // A failure of a process started at `started`: counts if quick, else starts the count over.
  void record(Clock::time_point started, Clock::time_point now = Clock::now()) {
    count_ = now - started < kQuickFailure ? count_ + 1 : 0;
  }
  int count() const { return count_; }
  bool give_up() const { return count_ >= kMaxQuickFailures; }

 private:
  int count_ = 0;
};

}  // namespace muzero
