#pragma once
// Gradient steps on sampled batches: Adam or SGD with momentum, L2 weight decay, and the
// learning rate lr_init * lr_decay_rate ^ (step / lr_decay_steps) as in muzero-general.
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

#include "models/network.h"
#include "replay_buffer/batch.h"
#include "trainer/checkpoint.h"
#include "trainer/train_params.h"

namespace torch::optim {
class Optimizer;
}

namespace muzero {

struct TrainStepResult {
  // The batch's loss was not finite: no step was made (the weights are as they were).
  bool skipped = false;
  double total_loss = 0, value_loss = 0, reward_loss = 0, policy_loss = 0, consistency_loss = 0;
  double lookahead_loss = 0;
  double all_moves_consistency_loss = 0;
  double learning_rate = 0;
  std::vector<float> value_errors;  // B x (K+1), for ReplayBuffer::update_priorities
};

class Trainer {
 public:
  // `target_network`, of the same architecture, is needed when params.target_update_interval
  // is above 0: it receives the trained weights at the start, after every that many steps and
  // after a checkpoint is loaded, and gives the bootstrap values in between.
  Trainer(std::shared_ptr<MuZeroNetwork> network, TrainParams params, torch::Device device,
          std::shared_ptr<MuZeroNetwork> target_network = nullptr);
  ~Trainer();

  // Completes the value targets first when the batch carries bootstraps (bootstrap_values.h).
  // A batch whose loss is not finite is skipped, not learned from: one NaN step makes every
  // weight NaN.
  TrainStepResult train_step(const Batch& batch);
  double learning_rate() const;
  long steps() const { return steps_; }

  // See checkpoint.h; written to a temporary file, then renamed into place.
  void save_checkpoint(const std::string& path, const std::string& config_yaml) const;
  // Throws CheckpointError with the reason when the file is missing, corrupt, of another
  // format or for another network architecture.
  CheckpointInfo load_checkpoint(const std::string& path);

  MuZeroNetwork& network() { return *network_; }
  // The network whose values complete the bootstrapped value targets.
  MuZeroNetwork& bootstrap_network() { return target_network_ ? *target_network_ : *network_; }

 private:
  TrainStepResult train_step_on(const Batch& batch);    // targets complete
  TrainStepResult finish_step(TrainStepResult result);  // refreshes the target network on time

  void refresh_target_network();

  std::shared_ptr<MuZeroNetwork> network_;
  std::shared_ptr<MuZeroNetwork> target_network_;  // null without a target network
  TrainParams params_;
  torch::Device device_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  long steps_ = 0;
};

}  // namespace muzero
