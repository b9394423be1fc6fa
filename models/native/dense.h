#pragma once
// Plain C++ building blocks of the native CPU backend (lc0's BLAS backend in spirit): weights are
// laid out once per load for the forward pass, and a forward pass is loops the compiler
// vectorizes, with no allocation and no per-operation dispatch.
#include <string>
#include <vector>

#include "models/parameters.h"

namespace muzero::native {

// y = W x + b for one sample. The weight is kept transposed (in x out), so that each input adds
// a contiguous row to the output: an AXPY per input that vectorizes without reordering sums.
struct DenseLayer {
  int in = 0;
  int out = 0;
  std::vector<float> weight_t;  // in x out
  std::vector<float> bias;      // out

  // From LibTorch's Linear tensors PREFIX.weight [out, in] and PREFIX.bias [out].
  static DenseLayer from(const Parameters& parameters, const std::string& prefix);
  void forward(const float* x, float* y) const { forward_rows(x, in, 0, -1, y); }
  // y = b + sum_{i < n} x[i] W^T[first_row + i] (+ W^T[extra_row] when extra_row >= 0): the
  // product with an input that is zero outside rows first_row..first_row+n-1 and one at
  // extra_row (a hidden state next to a one-hot action).
  void forward_rows(const float* x, int n, int first_row, int extra_row, float* y) const;
};

// Linear layers with ELU between them and none after the last (models/layers.h's make_mlp).
struct Mlp {
  std::vector<DenseLayer> layers;

  // Layers PREFIX.0, PREFIX.2, ... (the ELUs sit at the odd indices).
  static Mlp from(const Parameters& parameters, const std::string& prefix, int layer_count);
  int input_size() const { return layers.front().in; }
  int output_size() const { return layers.back().out; }
  int widest() const;
  // y = mlp(x). scratch holds 2 * widest() floats. With first_rows set, the first layer reads
  // x as forward_rows does (n = first_rows->n inputs).
  struct SparseInput {
    int n;
    int first_row;
    int extra_row;
  };
  void forward(const float* x, float* y, float* scratch,
               const SparseInput* first_rows = nullptr) const;
};

// ELU with alpha 1, in place.
void elu(float* x, int n);
// (x - min) / (max - min) over n values, the range guarded as scale_hidden_state guards it.
void min_max_scale(float* x, int n);

}  // namespace muzero::native
