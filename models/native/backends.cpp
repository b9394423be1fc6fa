#include "models/native/backends.h"

#include <stdexcept>

#include "models/native/fully_connected_evaluator.h"

namespace muzero {

bool has_native_backend(const NetworkParams& params) {
  return params.type == "fully_connected";
}

bool acts_natively(const std::string& inference, const NetworkParams& params) {
  return inference != "torch" && has_native_backend(params);
}

std::unique_ptr<NetworkEvaluator> make_native_evaluator(const NetworkParams& params,
                                                        ObservationShape shape,
                                                        int action_space_size) {
  if (!has_native_backend(params)) {
    throw std::invalid_argument("no native backend for " + params.type + " networks");
  }
  return std::make_unique<native::FullyConnectedEvaluator>(params, shape, action_space_size);
}

}  // namespace muzero
