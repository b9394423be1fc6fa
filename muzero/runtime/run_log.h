#pragma once
#include <filesystem>
#include <string>

namespace muzero {

// Sends this process's log lines to stderr and, appended, to RUN_DIR/muzero.log, each tagged
// with `process` (the file is shared by every process of the run; lines are appended whole).
void log_to_run_directory(const std::filesystem::path& run_dir, const std::string& process);

}  // namespace muzero
