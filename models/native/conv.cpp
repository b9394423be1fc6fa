#include "models/native/conv.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace muzero::native {
namespace {

constexpr double kBatchNormEpsilon = 1e-5;  // torch::nn::BatchNorm2d's default

// y[0..out) += sum over i < in of x[i] * w[i][0..out): one output position's share of one
// kernel offset. Output channels go 32 at a time through a fixed-size accumulator, which the
// compiler keeps in registers across the input loop. One clone per instruction set.
[[gnu::target_clones("avx2", "default")]] void accumulate(float* y, const float* x, const float* w,
                                                          int in, int out) {
  constexpr int kTile = 32;
  int first = 0;
  for (; first + kTile <= out; first += kTile) {
    float sum[kTile];
    for (int o = 0; o < kTile; ++o) sum[o] = y[first + o];
    for (int i = 0; i < in; ++i) {
      const float xi = x[i];
      const float* row = w + static_cast<std::size_t>(i) * out + first;
      for (int o = 0; o < kTile; ++o) sum[o] += xi * row[o];
    }
    for (int o = 0; o < kTile; ++o) y[first + o] = sum[o];
  }
  for (int i = 0; i < in && first < out; ++i) {  // the last out % 32 channels
    const float xi = x[i];
    const float* row = w + static_cast<std::size_t>(i) * out;
    for (int o = first; o < out; ++o) y[o] += xi * row[o];
  }
}

// The same for two output positions whose inputs x0 and x1 meet the same weights: each weight
// row is loaded once for both.
[[gnu::target_clones("avx2", "default")]] void accumulate_pair(float* y0, float* y1,
                                                               const float* x0, const float* x1,
                                                               const float* w, int in, int out) {
  constexpr int kTile = 32;
  int first = 0;
  for (; first + kTile <= out; first += kTile) {
    float sum0[kTile], sum1[kTile];
    for (int o = 0; o < kTile; ++o) {
      sum0[o] = y0[first + o];
      sum1[o] = y1[first + o];
    }
    for (int i = 0; i < in; ++i) {
      const float a = x0[i], b = x1[i];
      const float* row = w + static_cast<std::size_t>(i) * out + first;
      for (int o = 0; o < kTile; ++o) {
        sum0[o] += a * row[o];
        sum1[o] += b * row[o];
      }
    }
    for (int o = 0; o < kTile; ++o) {
      y0[first + o] = sum0[o];
      y1[first + o] = sum1[o];
    }
  }
  for (int i = 0; i < in && first < out; ++i) {
    const float* row = w + static_cast<std::size_t>(i) * out;
    for (int o = first; o < out; ++o) {
      y0[o] += x0[i] * row[o];
      y1[o] += x1[i] * row[o];
    }
  }
}

}  // namespace

ConvLayer ConvLayer::from(const Parameters& parameters, const std::string& conv,
                          const std::string& bn) {
  const NamedTensor& w = parameters.at(conv + ".weight");
  if (w.shape.size() != 4 || w.shape[2] != w.shape[3]) {
    throw ParametersError(conv + ".weight is not out x in x k x k");
  }
  ConvLayer layer;
  layer.out = w.shape[0];
  layer.in = w.shape[1];
  layer.kernel = w.shape[2];
  const int k = layer.kernel;
  std::vector<double> scale(layer.out, 1.0);
  layer.bias.assign(layer.out, 0.0f);
  if (!bn.empty()) {
    const auto& gamma = parameters.at(bn + ".weight").values;
    const auto& beta = parameters.at(bn + ".bias").values;
    const auto& mean = parameters.at(bn + ".running_mean").values;
    const auto& var = parameters.at(bn + ".running_var").values;
    for (int o = 0; o < layer.out; ++o) {
      scale[o] = gamma[o] / std::sqrt(static_cast<double>(var[o]) + kBatchNormEpsilon);
      layer.bias[o] = static_cast<float>(beta[o] - mean[o] * scale[o]);
    }
  }
  layer.weight.resize(w.values.size());
  for (int o = 0; o < layer.out; ++o) {
    for (int i = 0; i < layer.in; ++i) {
      for (int ky = 0; ky < k; ++ky) {
        for (int kx = 0; kx < k; ++kx) {
          const float value =
              w.values[((static_cast<std::size_t>(o) * layer.in + i) * k + ky) * k + kx];
          layer.weight[((static_cast<std::size_t>(ky) * k + kx) * layer.in + i) * layer.out + o] =
              static_cast<float>(value * scale[o]);
        }
      }
    }
  }
  return layer;
}

void ConvLayer::forward(const float* x, int height, int width, float* y) const {
  const int pad = kernel / 2;
  const auto at = [&](const float* base, int row, int column, int channels) {
    return base + (static_cast<std::size_t>(row) * width + column) * channels;
  };
  for (int row = 0; row < height; ++row) {
    // Output positions two at a time along the row (and the last one alone when odd).
    for (int column = 0; column < width; column += 2) {
      const bool pair = column + 1 < width;
      float* target = const_cast<float*>(at(y, row, column, out));
      std::copy(bias.begin(), bias.end(), target);
      if (pair) std::copy(bias.begin(), bias.end(), target + out);
      for (int ky = 0; ky < kernel; ++ky) {
        const int source_row = row + ky - pad;
        if (source_row < 0 || source_row >= height) continue;
        for (int kx = 0; kx < kernel; ++kx) {
          const float* w = weight.data() + (static_cast<std::size_t>(ky) * kernel + kx) * in * out;
          const int c0 = column + kx - pad, c1 = c0 + 1;
          const bool first_in = c0 >= 0 && c0 < width;
          const bool second_in = pair && c1 >= 0 && c1 < width;
          if (first_in && second_in) {
            accumulate_pair(target, target + out, at(x, source_row, c0, in),
                            at(x, source_row, c1, in), w, in, out);
          } else if (first_in) {
            accumulate(target, at(x, source_row, c0, in), w, in, out);
          } else if (second_in) {
            accumulate(target + out, at(x, source_row, c1, in), w, in, out);
          }
        }
      }
    }
  }
}

void relu(float* x, int n) {
  for (int i = 0; i < n; ++i) x[i] = std::max(x[i], 0.0f);
}

void to_channels_last(const float* planes, int channels, int positions, float* out) {
  for (int c = 0; c < channels; ++c) {
    for (int p = 0; p < positions; ++p) out[p * channels + c] = planes[c * positions + p];
  }
}

void to_channels_first(const float* values, int channels, int positions, float* out) {
  for (int c = 0; c < channels; ++c) {
    for (int p = 0; p < positions; ++p) out[c * positions + p] = values[p * channels + c];
  }
}

void ResidualBlock::forward(float* x, int height, int width, float* scratch) const {
  const int n = first.out * height * width;
  float* a = scratch;
  float* b = scratch + n;
  first.forward(x, height, width, a);
  relu(a, n);
  second.forward(a, height, width, b);
  for (int i = 0; i < n; ++i) x[i] = std::max(b[i] + x[i], 0.0f);
}

std::vector<ResidualBlock> tower_from(const Parameters& parameters, const std::string& prefix,
                                      int blocks) {
  std::vector<ResidualBlock> tower;
  for (int b = 0; b < blocks; ++b) {
    const std::string block = prefix + "." + std::to_string(b);
    tower.push_back({ConvLayer::from(parameters, block + ".conv1", block + ".bn1"),
                     ConvLayer::from(parameters, block + ".conv2", block + ".bn2")});
  }
  return tower;
}

}  // namespace muzero::native
