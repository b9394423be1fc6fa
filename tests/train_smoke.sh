#!/bin/sh
# `muzero train` end to end on a tiny CartPole run: it trains, tests, and leaves the resolved
# config, metrics (JSON lines and TensorBoard events) and a checkpoint; SIGINT stops it cleanly
# with exit status 0 and a checkpoint.
set -u
muzero="$1"
config="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
check() {  # check DESCRIPTION COMMAND...
  description="$1"; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $description"; failures=$((failures + 1)); fi
}

tiny="--set training.training_steps=40 --set training.batch_size=16 --set self_play.num_simulations=8
      --set game.max_moves=60 --set test.interval_steps=20 --set test.episodes=2
      --set self_play.num_parallel_games=4"
# shellcheck disable=SC2086
"$muzero" train --config "$config" $tiny --set output.results_dir="$work/a" > "$work/a.log" 2>&1
check "tiny run exits 0" [ $? -eq 0 ]
run=$(find "$work/a/cartpole" -mindepth 1 -maxdepth 1 -type d | head -n 1)
check "run directory under results_dir/cartpole" [ -n "$run" ]
check "resolved config written" grep -q "num_simulations: 8" "$run/config.yaml"
check "checkpoint written" [ -s "$run/checkpoint.pt" ]
check "TensorBoard events written" sh -c "ls '$run'/events.out.tfevents.* >/dev/null"
check "losses logged" grep -q '"step":40,.*"3.Loss/1.Total_weighted_loss"' "$run/metrics.jsonl"
check "test rewards logged" grep -q '"1.Total_reward/1.Total_reward"' "$run/metrics.jsonl"
check "finished message" grep -q "finished after 40 training steps" "$work/a.log"
if [ "$failures" -ne 0 ]; then cat "$work/a.log"; fi

# SIGINT during a long run: stops, saves, exits 0.
# shellcheck disable=SC2086
"$muzero" train --config "$config" $tiny --set training.training_steps=1000000 \
  --set output.results_dir="$work/b" > "$work/b.log" 2>&1 &
pid=$!
sleep 4
kill -INT "$pid"
wait "$pid"
check "SIGINT exits 0" [ $? -eq 0 ]
run=$(find "$work/b/cartpole" -mindepth 1 -maxdepth 1 -type d | head -n 1)
check "checkpoint written on SIGINT" [ -s "$run/checkpoint.pt" ]
check "stopped message" grep -q "stopped after" "$work/b.log"
if [ "$failures" -ne 0 ]; then cat "$work/b.log"; fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
