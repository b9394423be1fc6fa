#pragma once
// When the trainer next saves its checkpoint. A crashed trainer restarts from its last save, so
// the gap bounds what a crash loses; saving costs time (a synced write of weights and optimizer
// state), so the gap grows with what a save cost: saving takes at most kMaxShare of the time
// between saves, at least every kLongest, and never more often than every kShortest.
#include <algorithm>
#include <chrono>

namespace muzero {

class SavePacing {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr double kMaxShare = 0.02;
  static constexpr Clock::duration kShortest = std::chrono::seconds(5);
  static constexpr Clock::duration kLongest = std::chrono::seconds(60);

  explicit SavePacing(Clock::time_point now = Clock::now()) : last_save_(now) {}

  // A save that started at `start` and ended at `end`: the next one is due one gap after `end`.
  void saved(Clock::time_point start, Clock::time_point end) {
    const auto cost = std::chrono::duration<double>(end - start);
    gap_ = std::clamp(std::chrono::duration_cast<Clock::duration>(cost / kMaxShare), kShortest,
                      kLongest);
    last_save_ = end;
  }
  // A save that failed (a full disk): the next try waits the longest gap, so that a disk that
  // stays full is not retried, and logged, every few seconds.
  void failed(Clock::time_point end) {
    gap_ = kLongest;
    last_save_ = end;
  }
  bool due(Clock::time_point now = Clock::now()) const { return now - last_save_ >= gap_; }
  Clock::duration gap() const { return gap_; }

 private:
  Clock::time_point last_save_;
  Clock::duration gap_ = kShortest;  // until a save was timed
};

}  // namespace muzero
