#pragma once
#include <string>

#include <torch/types.h>

namespace muzero {

// "auto" picks CUDA when LibTorch sees a GPU, else the CPU; "cuda" without a GPU throws.
torch::Device select_device(const std::string& name);

}  // namespace muzero
