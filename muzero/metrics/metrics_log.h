#pragma once
// Scalars of a run, written twice: as TensorBoard events (for `tensorboard --logdir results`)
// and as JSON lines in metrics.jsonl (one object per call, for scripts), each with the step
// and the seconds since the run started. A resumed run appends to its metrics.jsonl and goes
// on counting seconds from its last line, so the file holds the whole run.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "muzero/metrics/tensorboard_writer.h"

namespace muzero {

class MetricsLog {
 public:
  explicit MetricsLog(const std::filesystem::path& run_directory);
  ~MetricsLog();
  MetricsLog(const MetricsLog&) = delete;
  MetricsLog& operator=(const MetricsLog&) = delete;
  void log(std::int64_t step, const std::vector<std::pair<std::string, double>>& scalars);

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double seconds_before_ = 0;  // run time logged before this process (a resumed run)
  TensorBoardWriter tensorboard_;
  // Each line is one write() to a file opened for appending: a full disk loses whole lines, and
  // a stream's buffer never writes a lost line again later.
  int json_lines_ = -1;
  bool ends_mid_line_ = false;  // a line was not written whole: the next one starts a new line
};

}  // namespace muzero
