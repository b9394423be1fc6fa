#pragma once
// Values and rewards are predicted as categorical distributions over the integers
// -support_size..support_size of the transformed value h(x) = sign(x)(sqrt(|x|+1) - 1) + eps*x
// (eps = 0.001; MuZero appendix F, after Pohlen et al. 2018). h is invertible in closed form.
#include <torch/types.h>

namespace muzero {

constexpr double kValueTransformEpsilon = 0.001;

double value_transform(double x);
double inverse_value_transform(double y);

// x: any shape S of scalars -> S x (2 * support_size + 1) probabilities. h(x) is clamped to the
// support and split between its two neighbouring integers.
torch::Tensor scalar_to_support(const torch::Tensor& x, int support_size);
// logits: S x (2 * support_size + 1) -> S scalars: h^-1 of the expected support value.
torch::Tensor support_to_scalar(const torch::Tensor& logits, int support_size);

}  // namespace muzero
