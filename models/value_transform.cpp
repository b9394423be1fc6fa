#include "models/value_transform.h"

#include <algorithm>
#include <cmath>

#include "models/fast_exp.h"

namespace muzero {

double value_transform(double x) {
  const double sign = x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
  return sign * (std::sqrt(std::abs(x) + 1.0) - 1.0) + kValueTransformEpsilon * x;
}

double inverse_value_transform(double y) {
  const double eps = kValueTransformEpsilon;
  const double sign = y > 0 ? 1.0 : (y < 0 ? -1.0 : 0.0);
  const double root = (std::sqrt(1.0 + 4.0 * eps * (std::abs(y) + 1.0 + eps)) - 1.0) / (2.0 * eps);
  return sign * (root * root - 1.0);
}

namespace {

// e[i] = exp(logits[i] - top) for n <= 64 values; one clone per instruction set.
[[gnu::target_clones("arch=x86-64-v3", "default")]] void shifted_exponentials(const float* logits,
                                                                              int n, float top,
                                                                              float* e) {
  for (int i = 0; i < n; ++i) e[i] = exp_nonpositive(logits[i] - top);
}

}  // namespace

float decode_support(const float* logits, int support_size, double scale) {
  const int bins = 2 * support_size + 1;
  const float top = *std::max_element(logits, logits + bins);
  // The softmax's exponentials a chunk at a time into a small array (a loop that vectorizes),
  // then summed in double.
  constexpr int kChunk = 64;
  float e[kChunk];
  double total = 0, weighted = 0;
  for (int start = 0; start < bins; start += kChunk) {
    const int n = std::min(kChunk, bins - start);
    shifted_exponentials(logits + start, n, top, e);
    for (int i = 0; i < n; ++i) {
      total += e[i];
      weighted += static_cast<double>(e[i]) * (start + i - support_size);
    }
  }
  return static_cast<float>(inverse_value_transform(weighted / total) / scale);
}

void encode_support(float value, int support_size, double scale, float* out) {
  const int bins = 2 * support_size + 1;
  std::fill(out, out + bins, 0.0f);
  const double h =
      std::clamp(value_transform(value * scale), -1.0 * support_size, 1.0 * support_size);
  const double floor = std::floor(h);
  const double upper_weight = h - floor;
  const int lower = static_cast<int>(floor) + support_size;
  out[lower] = static_cast<float>(1.0 - upper_weight);
  if (lower + 1 < bins) out[lower + 1] += static_cast<float>(upper_weight);
}

}  // namespace muzero
