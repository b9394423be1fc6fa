#pragma once
// Which networks the native CPU backend runs, and the native evaluator for one (torch-free; the
// choice between backends is models/evaluator_factory.h's).
#include <memory>
#include <string>

#include "models/network_evaluator.h"
#include "models/network_params.h"

namespace muzero {

bool has_native_backend(const NetworkParams& params);
// The widest residual network `auto` runs natively.
inline constexpr int kNativeResidualChannels = 32;
// Whether players act natively for self_play.inference `inference` (auto, native or torch) on
// the CPU: native where the network has a native backend; auto for fully connected networks
// and residual ones of at most kNativeResidualChannels channels.
bool acts_natively(const std::string& inference, const NetworkParams& params);
// Throws std::invalid_argument for a network without a native backend.
std::unique_ptr<NetworkEvaluator> make_native_evaluator(const NetworkParams& params,
                                                        ObservationShape shape,
                                                        int action_space_size);

}  // namespace muzero
