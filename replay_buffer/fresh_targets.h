#pragma once
// reanalyse.fraction: the positions whose targets a reanalyse worker has just refreshed, waiting
// to start training samples. Newest first, each used once; the oldest are dropped beyond the
// capacity, so that a fast reanalyse cannot grow it and a slow trainer uses the freshest.
#include <cstddef>
#include <deque>
#include <functional>
#include <span>
#include <vector>

#include "replay_buffer/batch.h"

namespace muzero {

class FreshTargets {
 public:
  explicit FreshTargets(std::size_t capacity) : capacity_(capacity) {}

  void add(std::span<const SampledPosition> positions);
  // Up to `count` positions, newest first, skipping (and forgetting) those `stored` refuses.
  std::vector<SampledPosition> take(std::size_t count,
                                    const std::function<bool(const SampledPosition&)>& stored);

  std::size_t size() const { return queue_.size(); }
  bool full() const { return queue_.size() >= capacity_; }

 private:
  std::size_t capacity_;
  std::deque<SampledPosition> queue_;  // oldest at the front
};

}  // namespace muzero
