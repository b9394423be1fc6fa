#!/bin/bash
# Remote against local self-play workers at equal cores: the learner's processes pinned to core
# 0, the self-play workers to core 1, either as the run's own workers (Unix sockets) or as
# `muzero worker --run-dir` in their own network namespaces (TLS over veth links, as on other
# hosts). Prints, per game and worker count, self-play moves/s and training steps/s of each
# (medians of alternated runs) and their ratio, and the bytes each remote worker sent and
# received per second. Needs root (network namespaces) and 2 cores.
#   [MUZERO=binary] bench/distributed.sh [REPEATS] [SECONDS] [GAMES...]
#   (defaults: 2 20 cartpole tictactoe)
set -u
cd "$(dirname "$0")/.."
repeats=${1:-2}
window=${2:-20}
shift $(( $# > 2 ? 2 : $# ))
games=("$@")
[ ${#games[@]} -gt 0 ] || games=(cartpole tictactoe)
muzero=$(realpath "${MUZERO:-build/muzero/muzero}")
. tests/netns.sh
prefix="bd$(($$ % 10000))"
hosts=(learner w1 w2 w3 w4)
work=$(mktemp -d)
cleanup() { pkill -KILL -f "$work" 2>/dev/null; netns_down "$prefix" "${hosts[@]}"; rm -rf "$work"; }
trap cleanup EXIT
netns_up "$prefix" 10.79.0 "${hosts[@]}" || { echo "needs root for network namespaces" >&2; exit 1; }

counter() { awk -v name="$2" '$1 == name { print $2 }' "$1/counters.txt" 2>/dev/null; }
# Waits for storage's next write of counters.txt; prints "MTIME MOVES STEPS".
sample() {
  local run=$1 before after
  before=$(stat -c %.Y "$run/counters.txt" 2>/dev/null || echo 0)
  for _ in $(seq 100); do
    after=$(stat -c %.Y "$run/counters.txt" 2>/dev/null || echo 0)
    [ "$after" != "$before" ] && break
    sleep 0.05
  done
  sleep 0.05
  echo "$after $(counter "$run" played_steps) $(counter "$run" training_step)"
}
pin() {  # pin RUN: learner processes on core 0, self-play on core 1
  local pid
  for pid in $(pgrep -f "$1"); do
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "__role self_play"; then
      taskset -p -c 1 "$pid" > /dev/null 2>&1
    fi
  done
}
link_bytes() {  # link_bytes HOST: bytes received + sent by its veth end
  ip -n "$prefix-$1" -s link show eth0 | awk '/RX:/ { getline; rx = $1 } /TX:/ { getline; tx = $1 } END { print rx + tx }'
}

# run_once GAME WORKERS MODE: prints "MOVES_PER_S STEPS_PER_S BYTES_PER_S_PER_WORKER"
run_once() {
  local game=$1 workers=$2 mode=$3 run="$work/run-$RANDOM" local_workers=0 w
  [ "$mode" = local ] && local_workers=$workers
  netns_run "$prefix" learner taskset -c 0 "$muzero" train --config "configs/$game.yaml" \
    --run-dir "$run" --set self_play.num_workers="$local_workers" \
    --set training.training_steps=10000000 --set test.interval_steps=10000000 \
    --listen 0.0.0.0:0 --advertise 10.79.0.1 > "$run.log" 2>&1 &
  local learner=$!
  if [ "$mode" = remote ]; then
    for w in $(seq "$workers"); do
      netns_run "$prefix" "w$w" taskset -c 1 "$muzero" worker --run-dir "$run" --worker-id "$w" \
        > "$run-w$w.log" 2>&1 &
    done
  fi
  for _ in $(seq 300); do [ -f "$run/counters.txt" ] && break; sleep 0.1; done
  sleep 2
  pin "$run"
  sleep 8  # warm-up: first weights, buffer filled, trainer going
  local bytes0=0 bytes1=0
  if [ "$mode" = remote ]; then for w in $(seq "$workers"); do bytes0=$((bytes0 + $(link_bytes "w$w"))); done; fi
  read -r t0 m0 s0 < <(sample "$run")
  sleep "$window"
  read -r t1 m1 s1 < <(sample "$run")
  if [ "$mode" = remote ]; then for w in $(seq "$workers"); do bytes1=$((bytes1 + $(link_bytes "w$w"))); done; fi
  # $! is the subshell around nsenter; the supervisor is its child.
  kill -INT "$(pgrep -f "(train --config .*|__supervise) --run-dir $run" | head -n 1)"
  wait "$learner"
  pkill -f "$run" 2>/dev/null
  sleep 1
  awk -v t0="$t0" -v t1="$t1" -v m0="$m0" -v m1="$m1" -v s0="$s0" -v s1="$s1" \
    -v b="$((bytes1 - bytes0))" -v w="$workers" \
    'BEGIN { d = t1 - t0; printf "%.1f %.2f %.0f\n", (m1 - m0) / d, (s1 - s0) / d, b / d / w }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

printf '%-10s %7s | %10s %10s %6s | %10s %10s %6s | %14s\n' game workers \
  "local mv/s" "remote" ratio "local st/s" "remote" ratio "bytes/s/worker"
for game in "${games[@]}"; do
  for workers in 1 2 4; do
    : > "$work/local" && : > "$work/remote"
    for r in $(seq "$repeats"); do
      if [ $((r % 2)) = 1 ]; then order="local remote"; else order="remote local"; fi
      for mode in $order; do run_once "$game" "$workers" "$mode" >> "$work/$mode"; done
    done
    lm=$(cut -d' ' -f1 "$work/local" | median); rm_=$(cut -d' ' -f1 "$work/remote" | median)
    ls_=$(cut -d' ' -f2 "$work/local" | median); rs=$(cut -d' ' -f2 "$work/remote" | median)
    rb=$(cut -d' ' -f3 "$work/remote" | median)
    printf '%-10s %7s | %10s %10s %6s | %10s %10s %6s | %14s\n' "$game" "$workers" "$lm" "$rm_" \
      "$(awk -v a="$rm_" -v b="$lm" 'BEGIN { printf "%.3f", a / b }')" "$ls_" "$rs" \
      "$(awk -v a="$rs" -v b="$ls_" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')" "$rb"
    echo "  runs (moves/s steps/s bytes/s): local $(tr '\n' ';' < "$work/local") remote $(tr '\n' ';' < "$work/remote")"
  done
done
