#pragma once
// Checkpoint files: a format version, the run's resolved config (YAML, so a checkpoint is
// self-describing), the training step, the network weights and, unless exported, the optimizer
// state. Written by the trainer and `muzero export`; read by the trainer on --resume and by
// evaluate/play.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "models/network.h"

namespace torch::optim {
class Optimizer;
}

namespace muzero {

constexpr std::int64_t kCheckpointFormat = 1;

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CheckpointInfo {
  std::int64_t format = 0;
  std::int64_t training_step = 0;
  std::string config_yaml;
};

// Throws CheckpointError naming the file and the reason (missing, corrupt, unknown format).
CheckpointInfo read_checkpoint_info(const std::string& path);
// Loads the weights into `network`; throws CheckpointError if they are for another architecture.
void load_checkpoint_weights(const std::string& path, MuZeroNetwork& network);

// Writes a checkpoint through a temporary file, so a crash never leaves a half-written one.
// Without an optimizer it holds only what evaluate and play need (`muzero export`), about a
// third of the size with Adam; the trainer refuses to resume from it.
void write_checkpoint(const std::string& path, const std::string& config_yaml,
                      std::int64_t training_step, MuZeroNetwork& network,
                      const torch::optim::Optimizer* optimizer);

}  // namespace muzero
