#!/bin/sh
# Installs the Debian packages that only some tests need, when missing: a real Slurm and munge
# for tests/slurm.sh. Called by those tests themselves, so that `ctest` on a fresh machine needs
# nothing else. Exits 77 (the tests' "skipped") when they are missing and cannot be installed by
# this user.
set -eu
packages="$*"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! sudo -n true 2>/dev/null; then
    echo "test tools: cannot install$missing (needs root or password-less sudo)"
    exit 77
  fi
  sudo="sudo -n"
fi
echo "test tools: installing$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
