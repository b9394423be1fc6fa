#pragma once
// The names and shapes of every tensor of the shipped architectures, computed from the config
// alone (no LibTorch): storage checks published weights against it, and the native evaluator
// reads its tensors by these names. A test holds it equal to the LibTorch modules' own
// parameters and floating-point buffers.
#include "games/game.h"
#include "models/network_params.h"
#include "models/parameters.h"

namespace muzero {

// Throws std::invalid_argument for an unknown network type or a convolution that does not fit.
ParameterLayout network_layout(const NetworkParams& params, ObservationShape shape,
                               int action_space_size);

// The widths of an MLP's linear layers as models/layers.h builds it: hidden sizes, then output.
// Layer i is named PREFIX.(2 i).weight [out, in] and PREFIX.(2 i).bias [out] (an ELU sits at
// each odd index).
void add_mlp_layout(ParameterLayout& layout, const std::string& prefix, int input_size,
                    const std::vector<int>& hidden_sizes, int output_size);

}  // namespace muzero
