#!/bin/bash
# Trains CartPole for a fixed number of training steps with the multi-process runtime and prints
# throughput: self-play moves per second, training steps per second, the mean batch of the
# acting networks' inference calls, and each process's peak memory.
#   bench/train_throughput.sh [TRAINING_STEPS] [CONFIG] [--set key=value ...]
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-2000}"
config="${2:-configs/cartpole.yaml}"
shift $(( $# > 2 ? 2 : $# ))
muzero=build/muzero/muzero
[ -x "$muzero" ] || { echo "build first: ./scripts/setup.sh" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start=$(date +%s.%N)
"$muzero" train --config "$config" --set training.training_steps="$steps" \
  --set output.results_dir="$work" "$@" > "$work/log" 2>&1
end=$(date +%s.%N)
run=$(find "$work" -name counters.txt -printf '%h\n' | head -n 1)
get() { awk -v name="$1" '$1 == name { print $2 }' "$run/counters.txt"; }

div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
printf 'config               %s (%s training steps)\n' "$config" "$steps"
printf 'wall time            %s s (including ~1 s of process start-up)\n' "$seconds"
printf 'training steps/s     %s\n' "$(div "$(get training_step)" "$seconds")"
printf 'self-play moves/s    %s\n' "$(div "$(get played_steps)" "$seconds")"
printf 'games played         %s\n' "$(get played_games)"
printf 'mean inference batch %s\n' "$(div "$(get inferences)" "$(get inference_calls)")"
printf 'last test reward     %.1f\n' "$(get test_reward)"
grep -o 'peak memory: .*' "$work/log" | sed 's/^/  /'
grep -o 'trainer: time in .*' "$run/muzero.log" | sed 's/^/  /'
