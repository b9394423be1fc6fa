#include "models/math_threads.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>

#include <fstream>

namespace muzero {

void use_single_math_thread() {
  at::set_num_threads(1);
  // OpenBLAS keeps its own thread pool; LibTorch does not size it, so do it here if present.
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
    set(1);
  }
}

std::string loaded_blas_library() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    if (path.find("libblas.so") != std::string::npos ||
        path.find("libopenblas") != std::string::npos) {
      return path;
    }
  }
  return "";
}

}  // namespace muzero
