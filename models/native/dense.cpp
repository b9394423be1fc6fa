#include "models/native/dense.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include "models/fast_exp.h"

namespace muzero::native {

DenseLayer DenseLayer::from(const Parameters& parameters, const std::string& prefix) {
  const NamedTensor& weight = parameters.at(prefix + ".weight");
  const NamedTensor& bias = parameters.at(prefix + ".bias");
  if (weight.shape.size() != 2 || bias.shape.size() != 1 || bias.shape[0] != weight.shape[0]) {
    throw ParametersError("layer " + prefix + " is not a linear layer");
  }
  DenseLayer layer;
  layer.out = weight.shape[0];
  layer.in = weight.shape[1];
  layer.bias = bias.values;
  layer.weight_t.resize(weight.values.size());
  for (int o = 0; o < layer.out; ++o) {
    for (int i = 0; i < layer.in; ++i) {
      layer.weight_t[static_cast<std::size_t>(i) * layer.out + o] =
          weight.values[static_cast<std::size_t>(o) * layer.in + i];
    }
  }
  return layer;
}

namespace {

// y += sum_{i < n} x[i] w[i] over rows of `out` floats. One clone per instruction set, chosen
// when the program loads: AVX2 with FMA (x86-64-v3) where the CPU has them, SSE2 otherwise.
[[gnu::target_clones("arch=x86-64-v3", "default")]] void accumulate_rows(const float* x, int n,
                                                                         const float* weights,
                                                                         int out, float* y) {
  float* __restrict sum = y;
  const float* __restrict w = weights;
  for (int i = 0; i < n; ++i, w += out) {
    const float xi = x[i];
    if (xi == 0.0f) continue;  // observations are mostly zeros
    for (int o = 0; o < out; ++o) sum[o] += xi * w[o];
  }
}

// Selects by the sign bit with integer operations: float comparisons may trap, which keeps GCC
// from vectorizing the loop.
[[gnu::target_clones("arch=x86-64-v3", "default")]] void elu_kernel(float* x, int n) {
  for (int i = 0; i < n; ++i) {
    const auto bits = std::bit_cast<std::uint32_t>(x[i]);
    const std::uint32_t negative_mask =
        static_cast<std::uint32_t>(static_cast<std::int32_t>(bits) >> 31);  // all ones if x < 0
    const float negative = exp_nonpositive(std::bit_cast<float>(bits & negative_mask)) - 1.0f;
    x[i] = std::bit_cast<float>((bits & ~negative_mask) |
                                (std::bit_cast<std::uint32_t>(negative) & negative_mask));
  }
}

}  // namespace

void DenseLayer::forward_rows(const float* x, int n, int first_row, int extra_row, float* y) const {
  std::copy(bias.begin(), bias.end(), y);
  accumulate_rows(x, n, weight_t.data() + static_cast<std::size_t>(first_row) * out, out, y);
  if (extra_row >= 0) {
    const float* e = weight_t.data() + static_cast<std::size_t>(extra_row) * out;
    for (int o = 0; o < out; ++o) y[o] += e[o];
  }
}

Mlp Mlp::from(const Parameters& parameters, const std::string& prefix, int layer_count) {
  Mlp mlp;
  for (int i = 0; i < layer_count; ++i) {
    mlp.layers.push_back(DenseLayer::from(parameters, prefix + "." + std::to_string(2 * i)));
    if (i > 0 && mlp.layers[i].in != mlp.layers[i - 1].out) {
      throw ParametersError("layers of " + prefix + " do not chain");
    }
  }
  return mlp;
}

int Mlp::widest() const {
  int widest = 0;
  for (const DenseLayer& layer : layers) widest = std::max({widest, layer.in, layer.out});
  return widest;
}

void Mlp::forward(const float* x, float* y, float* scratch, const SparseInput* first_rows) const {
  const int width = widest();
  float* buffers[2] = {scratch, scratch + width};
  const float* input = x;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const bool last = l + 1 == layers.size();
    float* output = last ? y : buffers[l % 2];
    if (l == 0 && first_rows) {
      layers[l].forward_rows(input, first_rows->n, first_rows->first_row, first_rows->extra_row,
                             output);
    } else {
      layers[l].forward(input, output);
    }
    if (!last) elu(output, layers[l].out);
    input = output;
  }
}

void elu(float* x, int n) {
  elu_kernel(x, n);
}

void min_max_scale(float* x, int n) {
  const auto [low, high] = std::minmax_element(x, x + n);
  const float min = *low;
  float scale = *high - min;
  if (scale < 1e-5f) scale += 1e-5f;
  for (int i = 0; i < n; ++i) x[i] = (x[i] - min) / scale;
}

}  // namespace muzero::native
