#pragma once
// The whole training cycle in one process: self-play in lock-step, replay buffer, trainer and
// periodic test episodes, interleaved to hold the configured training/self-play ratio. The
// multi-process runtime splits these same parts across processes.
#include <atomic>
#include <filesystem>

#include "muzero/config.h"

namespace muzero {

struct TrainingSummary {
  long training_steps = 0;
  long played_games = 0;
  long played_steps = 0;
  double last_test_reward = 0;
  double seconds = 0;
  bool interrupted = false;
};

// Runs until config.training_steps or until `stop` becomes true; writes the resolved config,
// metrics.jsonl and checkpoint.pt into run_dir.
TrainingSummary run_training(const Config& config, const std::filesystem::path& run_dir,
                             const std::atomic<bool>& stop);

// results_dir/<game>/<YYYY-MM-DD--HH-MM-SS>, created; a numeric suffix keeps it new.
std::filesystem::path make_run_directory(const Config& config);

}  // namespace muzero
