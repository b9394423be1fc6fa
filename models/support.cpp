#include "models/support.h"

#include <torch/torch.h>

#include <cmath>

namespace muzero {

torch::Tensor scalar_to_support(const torch::Tensor& x, int support_size) {
  const double eps = kValueTransformEpsilon;
  torch::Tensor h = torch::sign(x) * (torch::sqrt(torch::abs(x) + 1) - 1) + eps * x;
  h = torch::clamp(h, -support_size, support_size);
  const torch::Tensor floor = h.floor();
  const torch::Tensor upper_weight = h - floor;
  std::vector<int64_t> shape = x.sizes().vec();
  shape.push_back(2 * support_size + 1);
  torch::Tensor out = torch::zeros(shape, x.options());
  const torch::Tensor lower_index = (floor + support_size).to(torch::kLong).unsqueeze(-1);
  out.scatter_(-1, lower_index, (1 - upper_weight).unsqueeze(-1));
  // At h == support_size the upper neighbour would fall off the end; its weight is 0 there.
  const torch::Tensor upper_index = torch::clamp(lower_index + 1, 0, 2 * support_size);
  out.scatter_add_(-1, upper_index, upper_weight.unsqueeze(-1));
  return out;
}

torch::Tensor support_to_scalar(const torch::Tensor& logits, int support_size) {
  const double eps = kValueTransformEpsilon;
  const torch::Tensor probabilities = torch::softmax(logits, -1);
  const torch::Tensor support = torch::arange(-support_size, support_size + 1, logits.options());
  const torch::Tensor y = (probabilities * support).sum(-1);
  const torch::Tensor root = (torch::sqrt(1 + 4 * eps * (torch::abs(y) + 1 + eps)) - 1) / (2 * eps);
  return torch::sign(y) * (root * root - 1);
}

}  // namespace muzero
