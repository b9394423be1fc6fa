#include "models/device.h"

#include <torch/torch.h>

#include <stdexcept>

namespace muzero {

torch::Device select_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "auto") return torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
  if (name == "cuda") {
    if (!torch::cuda::is_available()) {
      throw std::runtime_error(
          "device 'cuda' was requested but LibTorch sees no CUDA GPU "
          "(use device: auto or cpu)");
    }
    return torch::kCUDA;
  }
  throw std::invalid_argument("unknown device '" + name + "' (expected auto, cpu or cuda)");
}

}  // namespace muzero
