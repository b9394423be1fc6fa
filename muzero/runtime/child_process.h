#pragma once
// Starting and watching child processes. Children are new images of this binary
// (posix_spawn, never a bare fork: a process that has used LibTorch's thread pool hangs after
// fork()).
#include <sys/types.h>

#include <string>
#include <vector>

namespace muzero {

// Starts `/proc/self/exe args...`; throws std::runtime_error if it cannot.
pid_t spawn_self(const std::vector<std::string>& args);
// Starts `executable args...`; throws std::runtime_error if it cannot.
pid_t spawn_program(const std::string& executable, const std::vector<std::string>& args);

// "exited with status 3", "killed by signal 9 (Killed)".
std::string describe_exit(int wait_status);

}  // namespace muzero
