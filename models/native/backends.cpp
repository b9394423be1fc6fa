#include "models/native/backends.h"

#include <stdexcept>

#include "models/native/fully_connected_evaluator.h"
#include "models/native/residual_evaluator.h"

namespace muzero {

bool has_native_backend(const NetworkParams& params) {
  return params.type == "fully_connected" || params.type == "residual";
}

bool acts_natively(const std::string& inference, const NetworkParams& params) {
  // auto: native for fully connected networks, and for residual ones up to
  // kNativeResidualChannels wide; wider ones search faster with LibTorch's convolutions
  // (docs/design.md, "Native inference").
  if (inference == "native") return has_native_backend(params);
  return inference == "auto" &&
         (params.type == "fully_connected" ||
          (params.type == "residual" && params.channels <= kNativeResidualChannels));
}

std::unique_ptr<NetworkEvaluator> make_native_evaluator(const NetworkParams& params,
                                                        ObservationShape shape,
                                                        int action_space_size) {
  if (!has_native_backend(params)) {
    throw std::invalid_argument("no native backend for " + params.type + " networks");
  }
  if (params.type == "residual") {
    return std::make_unique<native::ResidualEvaluator>(params, shape, action_space_size);
  }
  return std::make_unique<native::FullyConnectedEvaluator>(params, shape, action_space_size);
}

}  // namespace muzero
