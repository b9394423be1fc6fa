#include "muzero/metrics/metrics_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace muzero {

namespace {

struct ExistingLines {
  double last_seconds = 0;     // the "seconds" of the last complete line
  bool ends_mid_line = false;  // a writer stopped inside a line
};

ExistingLines read_existing(const std::filesystem::path& path) {
  ExistingLines existing;
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.empty()) return existing;
  existing.ends_mid_line = text.back() != '\n';
  const std::size_t last_newline = text.rfind('\n');
  if (last_newline == std::string::npos) return existing;
  text.resize(last_newline);  // the complete lines, without the final newline
  const std::size_t start = text.rfind('\n');
  const std::string last = text.substr(start == std::string::npos ? 0 : start + 1);
  const std::string key = "\"seconds\":";
  const std::size_t at = last.find(key);
  if (at != std::string::npos) {
    existing.last_seconds = std::strtod(last.c_str() + at + key.size(), nullptr);
  }
  return existing;
}

}  // namespace

MetricsLog::MetricsLog(const std::filesystem::path& run_directory) : tensorboard_(run_directory) {
  const std::filesystem::path path = run_directory / "metrics.jsonl";
  const ExistingLines existing = read_existing(path);
  seconds_before_ = existing.last_seconds;
  json_lines_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ends_mid_line_ = existing.ends_mid_line;  // keep every line whole JSON after it
}

MetricsLog::~MetricsLog() {
  if (json_lines_ >= 0) ::close(json_lines_);
}

void MetricsLog::log(std::int64_t step,
                     const std::vector<std::pair<std::string, double>>& scalars) {
  std::ostringstream line;
  line.precision(9);
  const double seconds =
      seconds_before_ +
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
  std::string text(ends_mid_line_ ? 1 : 0, '\n');
  text += line.str();
  const ssize_t written = json_lines_ < 0 ? -1 : ::write(json_lines_, text.data(), text.size());
  // On a full disk nothing, or a part of the line, is written; nothing leaves the file as it was.
  if (written > 0) ends_mid_line_ = written != static_cast<ssize_t>(text.size());
  tensorboard_.flush();
}

}  // namespace muzero
