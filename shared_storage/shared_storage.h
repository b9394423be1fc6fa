#pragma once
// The latest network weights with a version number, plus the run's counters. Weights are an
// opaque serialized blob here, so this library needs no torch; the multi-process runtime will
// serve it over IPC. Thread-safe.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace muzero {

struct WeightsSnapshot {
  std::int64_t version = -1;  // -1: nothing published yet
  std::shared_ptr<const std::string> blob;
};

class SharedStorage {
 public:
  // Publishes new weights and returns their version (1, 2, ... after continue_versions_after).
  std::int64_t publish_weights(std::string blob);
  WeightsSnapshot latest_weights() const;
  // Numbers the next weights after `version`. A restarted storage carries on from the version
  // it had counted, so that a worker holding version N does not take a new storage's first
  // weights for older than its own.
  void continue_versions_after(std::int64_t version);

  void set_counter(const std::string& name, double value);
  void add_to_counter(const std::string& name, double delta);
  std::map<std::string, double> counters() const;

 private:
  mutable std::mutex mutex_;
  WeightsSnapshot weights_;
  std::int64_t versions_before_ = 0;
  std::map<std::string, double> counters_;
};

}  // namespace muzero
