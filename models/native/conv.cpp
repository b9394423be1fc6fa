#include "models/native/conv.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

namespace muzero::native {
namespace {

constexpr double kBatchNormEpsilon = 1e-5;  // torch::nn::BatchNorm2d's default

// Eight floats, read and written at any alignment and through float pointers (GCC's vector
// extension: one AVX register in the x86-64-v3 clones below, two SSE ones in the default ones).
typedef float Vec __attribute__((vector_size(32), aligned(4), may_alias));
constexpr int kLanes = 8;

// Vectors are read and written in place, through references (a helper that returned a Vec
// by value would pass it differently in the two clones).
[[gnu::always_inline]] inline const Vec& vec(const float* p) {
  return *reinterpret_cast<const Vec*>(p);
}
[[gnu::always_inline]] inline Vec& vec(float* p) {
  return *reinterpret_cast<Vec*>(p);
}

// y[0..8 kVectors) += sum over i < in of x[i] * w[i * stride + 0..8 kVectors): accumulators
// held in registers across the input loop. Inlined into each clone below, so it is compiled
// for that clone's instruction set.
template <int kVectors>
[[gnu::always_inline]] inline void accumulate_tile(float* y, const float* x, const float* w, int in,
                                                   int stride) {
  Vec sum[kVectors];
  for (int v = 0; v < kVectors; ++v) sum[v] = vec(y + v * kLanes);
  for (int i = 0; i < in; ++i) {
    const Vec xi = Vec{} + x[i];
    const float* row = w + static_cast<std::size_t>(i) * stride;
    for (int v = 0; v < kVectors; ++v) sum[v] += xi * vec(row + v * kLanes);
  }
  for (int v = 0; v < kVectors; ++v) vec(y + v * kLanes) = sum[v];
}

// The same for two output positions whose inputs x0 and x1 meet the same weights: each weight
// row is loaded once for both.
template <int kVectors>
[[gnu::always_inline]] inline void accumulate_pair_tile(float* y0, float* y1, const float* x0,
                                                        const float* x1, const float* w, int in,
                                                        int stride) {
  Vec sum0[kVectors], sum1[kVectors];
  for (int v = 0; v < kVectors; ++v) {
    sum0[v] = vec(y0 + v * kLanes);
    sum1[v] = vec(y1 + v * kLanes);
  }
  for (int i = 0; i < in; ++i) {
    const Vec a = Vec{} + x0[i], b = Vec{} + x1[i];
    const float* row = w + static_cast<std::size_t>(i) * stride;
    for (int v = 0; v < kVectors; ++v) {
      const Vec r = vec(row + v * kLanes);
      sum0[v] += a * r;
      sum1[v] += b * r;
    }
  }
  for (int v = 0; v < kVectors; ++v) {
    vec(y0 + v * kLanes) = sum0[v];
    vec(y1 + v * kLanes) = sum1[v];
  }
}

// Output channels 32 at a time, then 16 and 8 as what is left allows (networks of 16 channels
// stay in registers too), then the last out % 8 one at a time: first + 32 <= out and so on.
template <typename Tile, typename Rest>
[[gnu::always_inline]] inline void by_tiles(int out, Tile&& tile, Rest&& rest) {
  int first = 0;
  for (; first + 4 * kLanes <= out; first += 4 * kLanes) {
    tile(std::integral_constant<int, 4>{}, first);
  }
  if (first + 2 * kLanes <= out) tile(std::integral_constant<int, 2>{}, first), first += 2 * kLanes;
  if (first + kLanes <= out) tile(std::integral_constant<int, 1>{}, first), first += kLanes;
  if (first < out) rest(first);
}

// y[0..out) += sum over i < in of x[i] * w[i][0..out): one output position's share of one
// kernel offset. One clone per instruction set.
[[gnu::target_clones("arch=x86-64-v3", "default")]] void accumulate(float* y, const float* x,
                                                                    const float* w, int in,
                                                                    int out) {
  by_tiles(
      out,
      [&](auto vectors, int first) {
        accumulate_tile<decltype(vectors)::value>(y + first, x, w + first, in, out);
      },
      [&](int first) {
        for (int i = 0; i < in; ++i) {
          const float* row = w + static_cast<std::size_t>(i) * out;
          for (int o = first; o < out; ++o) y[o] += x[i] * row[o];
        }
      });
}

[[gnu::target_clones("arch=x86-64-v3", "default")]] void accumulate_pair(
    float* y0, float* y1, const float* x0, const float* x1, const float* w, int in, int out) {
  by_tiles(
      out,
      [&](auto vectors, int first) {
        accumulate_pair_tile<decltype(vectors)::value>(y0 + first, y1 + first, x0, x1, w + first,
                                                       in, out);
      },
      [&](int first) {
        for (int i = 0; i < in; ++i) {
          const float* row = w + static_cast<std::size_t>(i) * out;
          for (int o = first; o < out; ++o) {
            y0[o] += x0[i] * row[o];
            y1[o] += x1[i] * row[o];
          }
        }
      });
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
