#pragma once
// What the trainer and the players ask of shared storage, over one connection.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "muzero/ipc/connection.h"
#include "muzero/ipc/messages.h"

namespace muzero {

class StorageClient {
 public:
  // Retries connecting for options.connect_timeout (the server may still be starting).
  StorageClient(const std::string& address, ConnectionOptions options);

  // Applies the updates and returns every counter.
  std::map<std::string, double> update(const std::vector<CounterUpdate>& updates);
  std::int64_t publish_weights(const std::string& blob, std::int64_t training_step);
  // Every counter, once training has reached `step` or after `at_most` (up to 1 s).
  std::map<std::string, double> wait_for_step(std::int64_t step, std::chrono::milliseconds at_most);
  // Weights newer than `known_version`, or a message with an empty blob.
  WeightsMessage weights_newer_than(std::int64_t known_version);

 private:
  Connection connection_;
};

double counter(const std::map<std::string, double>& counters, const char* name);

}  // namespace muzero
