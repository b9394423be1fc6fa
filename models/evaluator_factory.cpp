#include "models/evaluator_factory.h"

#include <stdexcept>

#include "models/native/backends.h"
#include "models/network.h"
#include "models/torch_evaluator.h"

namespace muzero {

std::string resolve_inference(const std::string& inference, const NetworkParams& params,
                              torch::Device device) {
  if (inference != "auto" && inference != "native" && inference != "torch") {
    throw std::invalid_argument("inference must be auto, native or torch, not " + inference);
  }
  if (inference == "native" && !device.is_cpu()) {
    throw std::invalid_argument("the native backend runs on the CPU only");
  }
  if (inference == "native" && !has_native_backend(params)) {
    throw std::invalid_argument("no native backend for " + params.type + " networks");
  }
  return device.is_cpu() && acts_natively(inference, params) ? "native" : "torch";
}

std::unique_ptr<NetworkEvaluator> make_evaluator(const NetworkParams& params,
                                                 ObservationShape shape, int action_space_size,
                                                 const std::string& inference,
                                                 torch::Device device) {
  if (resolve_inference(inference, params, device) == "native") {
    return make_native_evaluator(params, shape, action_space_size);
  }
  return std::make_unique<TorchEvaluator>(make_network(params, shape, action_space_size), shape,
                                          device);
}

}  // namespace muzero
