#!/bin/bash
# Trainer samples per second against the batch size, to pick training.batch_size: runs
# build/bench/trainer_step (one core) at batch 32 to 1024 on CONFIG, REPEATS times each in
# turn, and prints the medians of ms per step and samples/s.
#   bench/trainer_batch_sizes.sh [CONFIG] [REPEATS] [UNROLL]
#   (defaults: configs/cartpole.yaml 3, the config's num_unroll_steps; build the bench first:
#   cmake --build build --target trainer_step)
set -eu
cd "$(dirname "$0")/.."
config=${1:-configs/cartpole.yaml}
repeats=${2:-3}
unroll=${3:-}
bench=build/bench/trainer_step
[ -x "$bench" ] || { echo "build it first: cmake --build build --target trainer_step" >&2; exit 1; }
extra=()
[ -n "$unroll" ] && extra=(replay_buffer.num_unroll_steps="$unroll")
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
sizes=(32 64 128 256 512 1024)
declare -A ms samples
for r in $(seq "$repeats"); do
  for b in "${sizes[@]}"; do
    steps=$(( 20000 / b > 20 ? 20000 / b : 20 ))
    out=$(taskset -c 0 "$bench" "$config" "$steps" training.batch_size="$b" "${extra[@]}")
    echo "  run $r: $out" >&2
    ms[$b]+="$(echo "$out" | sed -n 's/.*: \([0-9.]*\) ms per step.*/\1/p') "
    samples[$b]+="$(echo "$out" | sed -n 's/.*, \([0-9]*\) samples\/s.*/\1/p') "
  done
done
printf '| batch | ms per step | samples/s |\n| --- | --- | --- |\n'
for b in "${sizes[@]}"; do
  printf '| %d | %s | %s |\n' "$b" "$(printf '%s\n' ${ms[$b]} | median)" \
    "$(printf '%s\n' ${samples[$b]} | median)"
done
