#pragma once
#include <filesystem>

#include "muzero/config.h"

namespace muzero {

// results_dir/<game>/<YYYY-MM-DD--HH-MM-SS>, created; a numeric suffix keeps it new.
std::filesystem::path make_run_directory(const Config& config);

// Renames a damaged run file to FILE.damaged (FILE.damaged-1, -2, ... if taken) so that the run,
// which rewrites FILE, does not destroy it; returns the new path.
std::filesystem::path move_aside(const std::filesystem::path& file);

}  // namespace muzero
