#pragma once
// The optimizer and loss settings of the config's training section: torch-free, so that the
// config (read by every process) does not pull LibTorch in.
#include <string>

namespace muzero {

struct TrainParams {
  std::string optimizer = "adam";  // or "sgd"
  double lr_init = 0.02;
  double lr_decay_rate = 0.8;
  int lr_decay_steps = 1000;
  double weight_decay = 1e-4;
  double momentum = 0.9;  // SGD only
  double value_loss_weight = 1.0;
  double consistency_loss_weight = 0.0;       // 0: off (needs batches with next_observations)
  double lookahead_reward_loss_weight = 0.0;  // 0: off (needs batches with lookahead targets)
  // 0: off (needs batches with move_observations): the consistency loss for every legal move at
  // each sample's first position, played or not (trainer/loss.h).
  double all_moves_consistency_loss_weight = 0.0;
  // Bootstrap values (replay_buffer.use_last_model_value) from a copy of the network refreshed
  // every this many steps, EfficientZero's target network; 0: from the network being trained.
  int target_update_interval = 0;
};

}  // namespace muzero
