#include "muzero/runtime/storage_client.h"

#include <chrono>

namespace muzero {
namespace {

Frame expect(Frame frame, MessageType type) {
  if (frame.type != type)
    throw std::runtime_error("shared storage answered with an unexpected message");
  return frame;
}

}  // namespace

StorageClient::StorageClient(const std::string& address, ConnectionOptions options)
    : connection_(address, std::move(options)) {}

std::map<std::string, double> StorageClient::update(const std::vector<CounterUpdate>& updates) {
  return decode_counters(
      expect(connection_.request(MessageType::kStats, encode_counter_updates(updates)),
             MessageType::kStats)
          .payload);
}

std::int64_t StorageClient::publish_weights(const std::string& blob, std::int64_t training_step) {
  return decode_int(
      expect(connection_.request(MessageType::kWeights, encode_weights({0, training_step, blob})),
             MessageType::kWeights)
          .payload);
}

std::map<std::string, double> StorageClient::wait_for_step(std::int64_t step,
                                                           std::chrono::milliseconds at_most) {
  return decode_counters(expect(connection_.request(MessageType::kWaitForStep,
                                                    encode_wait_for_step({step, at_most.count()})),
                                MessageType::kStats)
                             .payload);
}

WeightsMessage StorageClient::weights_newer_than(std::int64_t known_version) {
  return decode_weights(
      expect(connection_.request(MessageType::kWeightsRequest, encode_int(known_version)),
             MessageType::kWeights)
          .payload);
}

double counter(const std::map<std::string, double>& counters, const char* name) {
  auto it = counters.find(name);
  return it == counters.end() ? 0.0 : it->second;
}

}  // namespace muzero
