#include "models/value_transform.h"

#include <algorithm>
#include <cmath>

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

float decode_support(const float* logits, int support_size, double scale) {
  const int bins = 2 * support_size + 1;
  const float top = *std::max_element(logits, logits + bins);
  double total = 0, weighted = 0;
  for (int i = 0; i < bins; ++i) {
    const double p = std::exp(static_cast<double>(logits[i] - top));
    total += p;
    weighted += p * (i - support_size);
  }
  return static_cast<float>(inverse_value_transform(weighted / total) / scale);
}

}  // namespace muzero
