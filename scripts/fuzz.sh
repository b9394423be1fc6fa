#!/bin/sh
# Fuzzes the decoders of everything that reaches a run from outside (docs/security.md):
#   ./scripts/fuzz.sh [SECONDS] [TARGET ...]
# with SECONDS per target (default 600) and the targets frame, messages, handshake, replay_file,
# counters_file, endpoint_file, parameters, analysis_line and reanalyse_messages (default all). Installs clang and its fuzzer runtime when missing, builds the
# libFuzzer binaries in build-fuzz/ (AddressSanitizer, UndefinedBehaviorSanitizer), and fuzzes
# from the committed corpus (tests/fuzz/corpus/TARGET) into build-fuzz/corpus/TARGET. A crash
# stops with the input that caused it in build-fuzz/. MERGE=1 adds the new inputs that reach new
# code to the committed corpus, which ctest runs in every build (fuzz_corpora).
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-600}"
[ $# -gt 0 ] && shift
targets="${*:-frame messages handshake replay_file counters_file endpoint_file parameters analysis_line reanalyse_messages}"

./scripts/setup.sh > /dev/null  # the libraries the configuration needs
missing=""
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMUZERO_FUZZ=ON > /dev/null
for target in $targets; do
  cmake --build build-fuzz -j"$(nproc)" --target "fuzz_$target" > /dev/null
  mkdir -p "build-fuzz/corpus/$target"
  echo "fuzzing $target for $seconds s"
  (cd build-fuzz && "./tests/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
    -max_len=65536 "corpus/$target" "../tests/fuzz/corpus/$target")
  if [ "${MERGE:-0}" = 1 ]; then
    "build-fuzz/tests/fuzz/fuzz_$target" -merge=1 -max_len=65536 "tests/fuzz/corpus/$target" \
      "build-fuzz/corpus/$target"
  fi
done
