#pragma once
#include <filesystem>

#include "muzero/config.h"

namespace muzero {

// results_dir/<game>/<YYYY-MM-DD--HH-MM-SS>, created; a numeric suffix keeps it new.
std::filesystem::path make_run_directory(const Config& config);

}  // namespace muzero
