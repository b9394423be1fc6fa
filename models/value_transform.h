#pragma once
// Values and rewards are predicted as categorical distributions over the integers
// -support_size..support_size of the transformed value h(x) = sign(x)(sqrt(|x|+1) - 1) + eps*x
// (eps = 0.001; MuZero appendix F, after Pohlen et al. 2018). h is invertible in closed form.
// Torch-free: the scalar decoding every evaluator runs on its outputs (models/support.h has the
// batched LibTorch forms the trainer uses).
namespace muzero {

constexpr double kValueTransformEpsilon = 0.001;

double value_transform(double x);
double inverse_value_transform(double y);

// One sample's 2 * support_size + 1 logits -> h^-1 of the expected support value, divided by
// `scale` (the network's support_scale). A few dozen flops, no allocation.
float decode_support(const float* logits, int support_size, double scale);

// The target distribution of `value` times `scale`: h of it, clamped to the support, split
// between the two nearest integers in proportion to closeness (0 everywhere else). Writes
// 2 * support_size + 1 probabilities to `out`.
void encode_support(float value, int support_size, double scale, float* out);

}  // namespace muzero
