#pragma once
// Convolutions for the native residual backend, on one sample's planes stored position-major
// (H x W x C, "channels last"): each output position then adds, for every input value in
// reach, a contiguous row of output-channel weights, which vectorizes over the channels where
// LibTorch's planes (C x H x W) would give rows only W long. 'Same' padding (kernel / 2), no
// bias of their own, an evaluation-mode batch norm folded into the weights when the network
// has one (y = (x - mean) / sqrt(var + eps) * gamma + beta is a per-channel scale and shift).
#include <string>
#include <vector>

#include "models/parameters.h"

namespace muzero::native {

struct ConvLayer {
  int in = 0;
  int out = 0;
  int kernel = 1;
  std::vector<float> weight;  // kernel x kernel x in x out, the batch norm's scale folded in
  std::vector<float> bias;    // out: the batch norm's shift, or 0

  // CONV.weight [out, in, k, k] (LibTorch's order), and BN.{weight, bias, running_mean,
  // running_var} unless `bn` is empty.
  static ConvLayer from(const Parameters& parameters, const std::string& conv,
                        const std::string& bn);
  // y (height x width x out) = conv(x (height x width x in)).
  void forward(const float* x, int height, int width, float* y) const;
};

// A residual block: relu(bn2(conv2(relu(bn1(conv1(x))))) + x), in place on x (H x W x C);
// scratch holds 2 x channels x height x width floats.
struct ResidualBlock {
  ConvLayer first, second;
  void forward(float* x, int height, int width, float* scratch) const;
};

std::vector<ResidualBlock> tower_from(const Parameters& parameters, const std::string& prefix,
                                      int blocks);

void relu(float* x, int n);
// channels x positions (LibTorch's order) -> positions x channels, and back.
void to_channels_last(const float* planes, int channels, int positions, float* out);
void to_channels_first(const float* values, int channels, int positions, float* out);

}  // namespace muzero::native
