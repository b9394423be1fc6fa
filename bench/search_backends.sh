#!/bin/bash
# The search's speed on each inference backend, side by side: build/bench/search_throughput
# (CartPole's shipped network, 50 simulations, one core) with 1, 16 and 64 games in lock-step,
# native and LibTorch alternated REPEATS times. Prints the medians of simulations/s, the native
# backend's ratio to LibTorch's, and the native floor (its recurrent inferences alone).
#   bench/search_backends.sh [REPEATS]     (default 3; build the bench first:
#   cmake --build build --target search_throughput)
set -eu
cd "$(dirname "$0")/.."
repeats=${1:-3}
bench=build/bench/search_throughput
[ -x "$bench" ] || { echo "build it first: cmake --build build --target search_throughput" >&2; exit 1; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '| games | native simulations/s | LibTorch simulations/s | native / LibTorch | native floor (inferences/s) | search / floor |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
for games in 1 16 64; do
  moves=$(( games == 1 ? 200 : (games == 16 ? 50 : 20) ))
  native=() torch=() floor=()
  for r in $(seq "$repeats"); do
    for backend in native torch; do
      out=$(taskset -c 0 "$bench" "$games" 50 "$moves" puct "$backend")
      sims=$(echo "$out" | sed -n 's/.* \([0-9]*\) simulations\/s.*/\1/p')
      if [ "$backend" = native ]; then
        native+=("$sims")
        floor+=("$(echo "$out" | sed -n 's/.*: \([0-9]*\) recurrent inferences\/s.*/\1/p')")
      else
        torch+=("$sims")
      fi
      echo "  run $r $backend $games games: $sims simulations/s" >&2
    done
  done
  n=$(printf '%s\n' "${native[@]}" | median)
  t=$(printf '%s\n' "${torch[@]}" | median)
  f=$(printf '%s\n' "${floor[@]}" | median)
  awk -v g="$games" -v n="$n" -v t="$t" -v f="$f" \
    'BEGIN { printf "| %d | %.0f | %.0f | %.2f | %.0f | %.2f |\n", g, n, t, n / t, f, n / f }'
done
