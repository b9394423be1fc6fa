#!/bin/bash
# The GPU check: for a machine with an NVIDIA GPU, a CUDA build of PyTorch (its LibTorch 2.x,
# C++11 string ABI), the CUDA toolkit LibTorch's CMake files look for, and this project's other
# dependencies (scripts/setup.sh lists them). Builds muzero against PyTorch's LibTorch in
# build-gpu/, runs the CUDA tests (they must run, not skip) and the network and trainer tests
# there, then times a CartPole gradient step and the search on the GPU against the CPU, runs
# alternated, and prints one table for docs/gpu.md.
#   scripts/gpu_check.sh [PYTHON] [REPEATS]     (python3 and 3 by default)
# Each missing piece stops it with a message that names it.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}
repeats=${2:-3}
fail() {
  echo "gpu_check: $*" >&2
  exit 1
}

command -v nvidia-smi > /dev/null || fail "no nvidia-smi: this machine shows no NVIDIA GPU"
"$python" -c 'import torch' 2> /dev/null || fail "$python cannot import torch (a CUDA build of PyTorch is needed)"
read -r version cuda abi prefix < <("$python" -c '
import torch
print(torch.__version__, torch.cuda.is_available(), int(torch._C._GLIBCXX_USE_CXX11_ABI),
      torch.utils.cmake_prefix_path)')
[ "$cuda" = True ] || fail "PyTorch $version sees no GPU (a CPU-only build, or no driver)"
[ "$abi" = 1 ] || fail "PyTorch $version's LibTorch uses the pre-C++11 string ABI, which cannot \
share strings with Debian's yaml-cpp, spdlog and GoogleTest; use a PyTorch built with the C++11 \
ABI (pip wheels from 2.7 on) or LibTorch's cxx11-abi archive (CMAKE_PREFIX_PATH=its folder)"
command -v nvcc > /dev/null || echo "gpu_check: note: no nvcc on PATH; if CMake cannot find \
CUDA, set CUDAToolkit_ROOT to the toolkit" >&2
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -n 1)
echo "gpu_check: $gpu, PyTorch $version ($prefix)"

cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" > build-gpu.log 2>&1 ||
  fail "cmake failed; see build-gpu.log"
cmake --build build-gpu -j"$(nproc)" --target torch_tests trainer_step search_throughput \
  >> build-gpu.log 2>&1 || fail "the build failed; see build-gpu.log"

# The CUDA tests must run here, not skip; then the network and trainer tests on this LibTorch.
tests=$(build-gpu/tests/torch_tests --gtest_filter='Cuda.*' 2>&1) || {
  echo "$tests" | tail -n 30
  fail "the CUDA tests failed"
}
echo "$tests" | grep -q SKIPPED && fail "the CUDA tests skipped: LibTorch sees no GPU from C++"
build-gpu/tests/torch_tests --gtest_filter='Network.*:Loss.*:Trainer.*:NativeEvaluator.*:Support.*' \
  > gpu-tests.log 2>&1 || fail "the network and trainer tests failed on this LibTorch; see gpu-tests.log"
echo "gpu_check: CUDA tests and network/trainer tests passed"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# step_ms DEVICE BATCH: a CartPole gradient step (unroll 10, consistency loss on) in ms.
step_ms() {
  build-gpu/bench/trainer_step configs/cartpole.yaml 200 "training.device=$1" "training.batch_size=$2" |
    sed -n 's/.*: \([0-9.]*\) ms per step.*/\1/p'
}
# sims INFERENCE DEVICE GAMES: search simulations per second.
sims() {
  build-gpu/bench/search_throughput "$3" 50 20 puct "$1" "$2" | sed -n 's/.* \([0-9]*\) simulations\/s.*/\1/p'
}
declare -A figures
for ((r = 0; r < repeats; ++r)); do  # alternated: CPU, GPU, CPU, GPU, ...
  for batch in 128 1024; do
    for device in cpu cuda; do figures["step $batch $device"]+="$(step_ms "$device" "$batch") "; done
  done
  for games in 16 256; do
    figures["sims $games native"]+="$(sims native cpu "$games") "
    for device in cpu cuda; do figures["sims $games $device"]+="$(sims torch "$device" "$games") "; done
  done
done
get() { echo "${figures[$1]}" | tr ' ' '\n' | grep . | median; }

echo
echo "$gpu, PyTorch $version, medians of $repeats alternated runs, $(date +%F):"
echo
echo "| measure | CPU (1 thread) | GPU | GPU speed-up |"
echo "| --- | --- | --- | --- |"
for batch in 128 1024; do
  cpu=$(get "step $batch cpu")
  cuda=$(get "step $batch cuda")
  echo "| CartPole gradient step, batch $batch, unroll 10 (ms) | $cpu | $cuda | $(awk -v a="$cpu" -v b="$cuda" 'BEGIN { printf "%.2fx", a / b }') |"
done
for games in 16 256; do
  cpu=$(get "sims $games cpu")
  cuda=$(get "sims $games cuda")
  echo "| search, $games games, LibTorch inference (simulations/s) | $cpu | $cuda | $(awk -v a="$cpu" -v b="$cuda" 'BEGIN { printf "%.2fx", b / a }') |"
  echo "| search, $games games, native CPU inference (simulations/s) | $(get "sims $games native") | - | - |"
done
