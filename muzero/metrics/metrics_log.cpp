#include "muzero/metrics/metrics_log.h"

#include <chrono>
#include <cmath>
#include <sstream>

namespace muzero {

MetricsLog::MetricsLog(const std::filesystem::path& run_directory)
    : tensorboard_(run_directory), json_lines_(run_directory / "metrics.jsonl") {}

void MetricsLog::log(std::int64_t step,
                     const std::vector<std::pair<std::string, double>>& scalars) {
  std::ostringstream line;
  line.precision(9);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  line << "{\"step\":" << step << ",\"seconds\":" << seconds;
  for (const auto& [tag, value] : scalars) {
    tensorboard_.add_scalar(tag, value, step);
    line << ",\"" << tag << "\":";
    if (std::isfinite(value)) {
      line << value;
    } else {
      line << "null";  // JSON has no NaN or infinity
    }
  }
  line << "}\n";
  json_lines_ << line.str();
  json_lines_.flush();
  tensorboard_.flush();
}

}  // namespace muzero
