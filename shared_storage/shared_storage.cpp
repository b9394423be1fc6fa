#include "shared_storage/shared_storage.h"

namespace muzero {

std::int64_t SharedStorage::publish_weights(std::string blob) {
  auto shared = std::make_shared<const std::string>(std::move(blob));
  std::lock_guard lock(mutex_);
  weights_.version = weights_.version < 0 ? 1 : weights_.version + 1;
  weights_.blob = std::move(shared);
  return weights_.version;
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
