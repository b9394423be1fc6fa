#include "trainer/bootstrap_values.h"

#include <torch/torch.h>

#include <stdexcept>

namespace muzero {

void add_bootstrap_values(MuZeroNetwork& network, Batch& batch, torch::Device device) {
  const auto n = static_cast<int64_t>(batch.bootstrap_rows.size());
  if (n == 0) return;
  if (static_cast<int64_t>(batch.bootstrap_scales.size()) != n ||
      static_cast<int64_t>(batch.bootstrap_observations.size()) != n * batch.observation_size) {
    throw std::invalid_argument("add_bootstrap_values: bootstrap arrays disagree in size");
  }
  torch::NoGradGuard no_gradient;
  const bool training = network.is_training();
  network.eval();  // batch-norm statistics must not learn from these positions
  const torch::Tensor observations = torch::from_blob(batch.bootstrap_observations.data(),
                                                      {n, batch.observation_size}, torch::kFloat)
                                         .to(device);
  const torch::Tensor values =
      network.to_scalar(network.initial_inference(observations).value_logits)
          .to(torch::kCPU)
          .contiguous();
  network.train(training);
  const float* value = values.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) {
    batch.target_values.at(static_cast<std::size_t>(batch.bootstrap_rows[i])) +=
        batch.bootstrap_scales[i] * value[i];
  }
}

}  // namespace muzero
