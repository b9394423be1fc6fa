#pragma once
// The support transform on LibTorch tensors, for the trainer (models/value_transform.h states it
// and has the scalar decoding the evaluators use).
#include <torch/types.h>

#include "models/value_transform.h"

namespace muzero {

// x: any shape S of scalars -> S x (2 * support_size + 1) probabilities. h(x) is clamped to the
// support and split between its two neighbouring integers.
torch::Tensor scalar_to_support(const torch::Tensor& x, int support_size);
// logits: S x (2 * support_size + 1) -> S scalars: h^-1 of the expected support value.
torch::Tensor support_to_scalar(const torch::Tensor& logits, int support_size);

}  // namespace muzero
