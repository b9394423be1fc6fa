#pragma once
// Building blocks shared by the network variants (models/ internal).
#include <torch/torch.h>

#include <vector>

namespace muzero {

// Linear layers with ELU between them and none after the last, as muzero-general's mlp().
torch::nn::Sequential make_mlp(int input_size, const std::vector<int>& hidden_sizes,
                               int output_size);

// (x - min) / (max - min) over dimension 1 of x viewed as B x N x M, guarding a zero range.
torch::Tensor scale_hidden_state(const torch::Tensor& x);

// The same for B x N (the fully connected network's states): one autograd node with a
// hand-written backward for float tensors on the CPU, scale_hidden_state otherwise.
torch::Tensor scale_rows(const torch::Tensor& x);

}  // namespace muzero
