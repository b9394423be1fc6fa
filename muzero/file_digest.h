#pragma once
// SHA-256 of a file's bytes (OpenSSL), so that a run, its checkpoints and its remote workers
// can tell whether a game plugin or Python file is the one the run was made with.
#include <string>

namespace muzero {

// Lower-case hex of the SHA-256 of the file at `path`. Throws std::runtime_error saying why the
// file cannot be read.
std::string file_sha256(const std::string& path);

}  // namespace muzero
