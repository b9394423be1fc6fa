#include "muzero/run_directory.h"

#include <ctime>
#include <iomanip>
#include <sstream>

namespace muzero {

std::filesystem::path make_run_directory(const Config& config) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  std::ostringstream stamp;
  stamp << std::put_time(&local, "%Y-%m-%d--%H-%M-%S");
  const std::filesystem::path base =
      std::filesystem::path(config.results_dir) / config.game_name / stamp.str();
  std::filesystem::path dir = base;
  for (int suffix = 1; std::filesystem::exists(dir); ++suffix) {
    dir = base.string() + "-" + std::to_string(suffix);
  }
  std::filesystem::create_directories(dir);
  return dir;
}

std::filesystem::path move_aside(const std::filesystem::path& file) {
  const std::string base = file.string() + ".damaged";
  std::filesystem::path kept = base;
  for (int suffix = 1; std::filesystem::exists(kept); ++suffix) {
    kept = base + "-" + std::to_string(suffix);
  }
  std::filesystem::rename(file, kept);
  return kept;
}

}  // namespace muzero
