#!/bin/sh
# Builds and tests muzero against LibTorch 2.x on this machine, without a GPU: Debian 13
# ("trixie") packages LibTorch 2.6 (with GCC 14, CMake 3.31, Boost 1.83), so the script makes a
# Debian 13 root file system with debootstrap, clones this repository's HEAD into it and runs
# the project's own set-up (CI=true: warnings are errors, the on-demand benchmarks built too)
# and test suite there. It answers "does the code build and pass on LibTorch 2.x", which the
# GPU check (scripts/gpu_check.sh, on PyTorch's LibTorch) needs a GPU machine for.
#
#   scripts/libtorch2_check.sh [ROOT_DIR] [CTEST_ARGS...]
#
# ROOT_DIR (default /var/tmp/muzero-trixie) is kept between runs, so a second run only updates
# the clone. Needs root (debootstrap, chroot) and Debian's archive. The two tests that test the
# host's set-up rather than the code on LibTorch are left out by default: slurm (it installs
# and starts Slurm's daemons) and multi_host (network namespaces, which skip in a chroot).
# Other ctest arguments after ROOT_DIR replace that default.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "libtorch2_check: needs root (debootstrap and chroot)" >&2; exit 2; }
root=${1:-/var/tmp/muzero-trixie}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- -E 'slurm|multi_host'

if ! command -v debootstrap >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
fi
if [ ! -f "$root/etc/debian_version" ]; then
  echo "libtorch2_check: making a Debian 13 root in $root"
  debootstrap --variant=minbase trixie "$root" http://deb.debian.org/debian >"$root.debootstrap.log" 2>&1 ||
    { echo "libtorch2_check: debootstrap failed, see $root.debootstrap.log" >&2; exit 1; }
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"

mounted=""
cleanup() { for m in $mounted; do umount "$m" 2>/dev/null || umount -l "$m"; done; }
trap cleanup EXIT INT TERM
for fs in proc sys dev dev/pts; do
  mountpoint -q "$root/$fs" && continue
  mount --bind "/$fs" "$root/$fs"
  mounted="$root/$fs $mounted"
done

rm -rf "$root/src"
git clone -q "$(pwd)" "$root/src"
# git is needed inside for the tests that compare against the clone's files.
chroot "$root" sh -c 'command -v git >/dev/null || (apt-get update -qq &&
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates)'
chroot "$root" sh -c "cd /src && CI=true ./scripts/setup.sh"
chroot "$root" sh -c "dpkg-query -W libtorch-dev g++ cmake | sed 's/^/libtorch2_check: /'"
# $* is passed as words to ctest inside the chroot.
args=""
for a in "$@"; do args="$args '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"; done
chroot "$root" sh -c "cd /src && ctest --test-dir build --output-on-failure $args"
