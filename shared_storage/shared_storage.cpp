#include "shared_storage/shared_storage.h"

#include <algorithm>

namespace muzero {

std::int64_t SharedStorage::publish_weights(std::string blob) {
  auto shared = std::make_shared<const std::string>(std::move(blob));
  std::lock_guard lock(mutex_);
  weights_.version = std::max(weights_.version, versions_before_) + 1;
  weights_.blob = std::move(shared);
  return weights_.version;
}

void SharedStorage::continue_versions_after(std::int64_t version) {
  std::lock_guard lock(mutex_);
  versions_before_ = std::max(versions_before_, version);
}

WeightsSnapshot SharedStorage::latest_weights() const {
  std::lock_guard lock(mutex_);
  return weights_;
}

void SharedStorage::set_counter(const std::string& name, double value) {
  std::lock_guard lock(mutex_);
  counters_[name] = value;
}

void SharedStorage::add_to_counter(const std::string& name, double delta) {
  std::lock_guard lock(mutex_);
  counters_[name] += delta;
}

std::map<std::string, double> SharedStorage::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace muzero
