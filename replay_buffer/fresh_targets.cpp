#include "replay_buffer/fresh_targets.h"

namespace muzero {

void FreshTargets::add(std::span<const SampledPosition> positions) {
  queue_.insert(queue_.end(), positions.begin(), positions.end());
  while (queue_.size() > capacity_) queue_.pop_front();
}

std::vector<SampledPosition> FreshTargets::take(
    std::size_t count, const std::function<bool(const SampledPosition&)>& stored) {
  std::vector<SampledPosition> taken;
  while (taken.size() < count && !queue_.empty()) {
    const SampledPosition position = queue_.back();
    queue_.pop_back();
    if (stored(position)) taken.push_back(position);
  }
  return taken;
}

}  // namespace muzero
