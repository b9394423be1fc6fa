#pragma once
// The evaluator a player runs: the native backend or LibTorch, chosen at run time
// (self_play.inference). Both load the same Parameters.
#include <memory>
#include <string>

#include <torch/types.h>

#include "models/network_evaluator.h"
#include "models/network_params.h"

namespace muzero {

// "auto" is native when the network has a native backend and the device is the CPU.
std::string resolve_inference(const std::string& inference, const NetworkParams& params,
                              torch::Device device);
// An evaluator of a network of `params` with its initial (random) parameters for torch and
// none for native: load parameters before the first inference.
std::unique_ptr<NetworkEvaluator> make_evaluator(const NetworkParams& params,
                                                 ObservationShape shape, int action_space_size,
                                                 const std::string& inference,
                                                 torch::Device device = torch::kCPU);

}  // namespace muzero
