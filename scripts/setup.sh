#!/bin/sh
# Installs the Debian 12 packages muzero needs (only those missing; procps is for the tests'
# pgrep), then configures and builds it in build/ (Release, ccache when present). A second run
# skips what is already done.
set -eu
cd "$(dirname "$0")/.."

packages="g++ make cmake ccache pkg-config libtorch-dev libopenblas0-pthread libyaml-cpp-dev \
libspdlog-dev libgtest-dev libcli11-dev libboost-dev libssl-dev python3-dev pybind11-dev libbox2d-dev procps"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# Warnings are errors in CI (CI=true) so that none creep in; elsewhere they stay warnings.
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMUZERO_WARNINGS_AS_ERRORS="$werror" >/dev/null
cmake --build build -j"$(nproc)"
# CI also compiles the on-demand benchmarks (bench/) and research diagnostics (research/), so
# that they keep building.
if [ "${CI:-}" = "true" ]; then
  cmake --build build -j"$(nproc)" --target tictactoe_probe search_throughput trainer_step weights_size game_step_cost \
    connect4_probe connect4_rules connect4_losses connect4_reference twentyone_policy
fi
