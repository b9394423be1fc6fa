#pragma once
// Checkpoint files: a format version, the run's resolved config (YAML, so a checkpoint is
// self-describing), the training step, the network weights and, unless exported, the optimizer
// state, with a SHA-256 of all of them. Written by the trainer and `muzero export`; read by the
// trainer on --resume and by evaluate/play. A checkpoint whose contents do not match their
// SHA-256 (a flipped bit anywhere in them) is refused, as is one of weights that are not finite.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "models/network.h"

namespace torch::optim {
class Optimizer;
}

namespace muzero {

// 3: the optimizer state in the project's own encoding (trainer/optimizer_state.h), which any
// LibTorch reads. 2: LibTorch's optimizer archive as bytes, and a SHA-256 of the contents.
// 1: no checksum. All three are read.
constexpr std::int64_t kCheckpointFormat = 3;

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CheckpointInfo {
  std::int64_t format = 0;
  std::int64_t training_step = 0;
  std::string config_yaml;
};

// Throws CheckpointError naming the file and the reason (missing, corrupt, damaged, unknown
// format).
CheckpointInfo read_checkpoint_info(const std::string& path);
// Loads the weights into `network`; throws CheckpointError if they are for another architecture
// or not finite.
void load_checkpoint_weights(const std::string& path, MuZeroNetwork& network);
// Loads the optimizer state; throws CheckpointError if there is none (an exported checkpoint) or
// it does not fit `optimizer`.
void load_checkpoint_optimizer(const std::string& path, torch::optim::Optimizer& optimizer);

// Writes a checkpoint through a temporary file that is synced to disk before it replaces `path`,
// so a crash or a full disk never leaves a half-written one (FileWriteError says which). Refuses
// (CheckpointError) to write weights that are not finite. Without an optimizer it holds only what
// evaluate and play need (`muzero export`; CartPole's: 31 KB against 49 KB with Adam); the trainer
// refuses to resume from it.
void write_checkpoint(const std::string& path, const std::string& config_yaml,
                      std::int64_t training_step, MuZeroNetwork& network,
                      const torch::optim::Optimizer* optimizer);

}  // namespace muzero
