# Hosts emulated with Linux network namespaces, for the multi-host and Slurm tests (sourced).
# netns_up PREFIX SUBNET NAME...: a bridge PREFIX-br and, per NAME, a namespace PREFIX-NAME joined
# to it by a veth pair whose host end is PREFIX-NAME; hosts get SUBNET.1, SUBNET.2, ... (a /24)
# in the order named, visible inside the namespaces only. netns_down PREFIX NAME... removes them
# (killing what still runs inside). netns_run PREFIX NAME COMMAND...: runs COMMAND in one.
# Returns non-zero where namespaces cannot be made (no root, no CAP_NET_ADMIN).
netns_up() {
  local prefix=$1 subnet=$2; shift 2
  ip link add "$prefix-br" type bridge 2>/dev/null || return 1
  ip link set "$prefix-br" up || return 1
  local n=1 name
  for name in "$@"; do
    ip netns add "$prefix-$name" || return 1
    ip link add "$prefix-$name" type veth peer name eth0 netns "$prefix-$name" || return 1
    ip link set "$prefix-$name" master "$prefix-br" up || return 1
    ip -n "$prefix-$name" addr add "$subnet.$n/24" dev eth0 || return 1
    ip -n "$prefix-$name" link set eth0 up || return 1
    ip -n "$prefix-$name" link set lo up || return 1
    n=$((n + 1))
  done
}

netns_run() {
  local prefix=$1 name=$2; shift 2
  # nsenter, not `ip netns exec`: the latter remounts /sys, which Slurm's daemons need intact.
  nsenter --net="/run/netns/$prefix-$name" "$@"
}

netns_down() {
  local prefix=$1 name pid; shift
  for name in "$@"; do
    for pid in $(ip netns pids "$prefix-$name" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    ip netns del "$prefix-$name" 2>/dev/null
    ip link del "$prefix-$name" 2>/dev/null
  done
  ip link del "$prefix-br" 2>/dev/null
  return 0
}
