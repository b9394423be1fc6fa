#pragma once
// Process-wide math set-up: one intra-op thread for LibTorch and for OpenBLAS (more threads made
// small-batch steps slower under load here, and a multi-threaded pool breaks fork()).
#include <string>

namespace muzero {

void use_single_math_thread();

// Path of the BLAS library this process has loaded ("" if none yet). Debian's reference BLAS
// was 2-4x slower than OpenBLAS for our small batches, so callers warn when it is not OpenBLAS.
std::string loaded_blas_library();

}  // namespace muzero
