#!/bin/bash
# A run whose results directory fills up (a small tmpfs): every save that fails says "No space
# left on device" with its path, nothing crashes, no file is replaced by a partial one, and once
# space is freed the run resumes from the state saved before the disk filled. Skipped (status 77)
# where a tmpfs cannot be mounted (it needs root or CAP_SYS_ADMIN).
set -u
muzero="$1"
config="$2"
work=$(mktemp -d)
disk="$work/disk"
mkdir -p "$disk"
if ! mount -t tmpfs -o size=16m tmpfs "$disk" 2>/dev/null; then
  echo "SKIPPED: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN); full-disk test not run"
  rm -rf "$work"
  exit 77
fi
trap 'pkill -KILL -f "$disk" 2>/dev/null; sleep 0.5; umount -l "$disk"; rm -rf "$work"' EXIT
failures=0
passes=0
check() {
  description="$1"; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $description"; failures=$((failures + 1)); fi
}
wait_for() {
  local limit=$(( $1 * 5 )); shift
  for _ in $(seq "$limit"); do "$@" && return 0; sleep 0.2; done
  return 1
}
counter() { awk -v name="$2" '$1 == name { print int($2) }' "$1/counters.txt"; }

tiny=(--set training.batch_size=16 --set self_play.num_simulations=8 --set game.max_moves=60
      --set test.episodes=2 --set self_play.num_parallel_games=4 --set self_play.num_workers=1)
"$muzero" train --config "$config" "${tiny[@]}" --set training.training_steps=200 \
  --set output.results_dir="$disk/results" > "$work/first.log" 2>&1
check "a first run on the small disk finishes" [ $? -eq 0 ]
run=$(find "$disk/results/cartpole" -mindepth 1 -maxdepth 1 -type d | head -n 1)
games=$(grep -o "replay buffer: saved [0-9]*" "$run/muzero.log" | tail -n 1 | grep -o "[0-9]*$")
buffer_sum=$(md5sum < "$run/replay_buffer.bin")

# Resume it, and fill the disk while it trains; then stop it with Ctrl-C (SIGINT).
"$muzero" train --resume "$run" --set training.training_steps=1000000 > "$work/full.log" 2>&1 &
pid=$!
progressed() { [ "$(counter "$run" training_step)" -gt 200 ]; }
check "the resumed run trains" wait_for 60 progressed
dd if=/dev/zero of="$disk/filler" bs=64k > /dev/null 2>&1  # until the disk is full
check "the disk is full" [ "$(df --output=avail "$disk" | tail -n 1 | tr -d ' ')" -lt 64 ]
sleep 3  # storage tries to save its counters every 2 s
kill -INT "$pid"
wait "$pid"
check "the run stops with status 0" [ $? -eq 0 ]
check "the checkpoint's failed save is reported" grep -q "cannot save $run/checkpoint.pt: No space left on device" "$work/full.log"
check "the replay buffer's" grep -q "cannot save $run/replay_buffer.bin: No space left on device" "$work/full.log"
check "the counters'" grep -q "cannot save $run/counters.txt: No space left on device" "$work/full.log"
check "saying what is kept" grep -q "replay_buffer.bin keeps those of its last save" "$work/full.log"
check "nothing crashed" bash -c '! grep -qE "terminate called|Exception raised from|restarting it|Segmentation" "$1"' _ "$work/full.log"
check "no temporary file is left" bash -c '[ -z "$(find "$1" -name "*.tmp")" ]' _ "$run"
check "the replay buffer is the one saved before" [ "$(md5sum < "$run/replay_buffer.bin")" = "$buffer_sum" ]
check "the counters are whole" grep -q "^training_step [0-9]" "$run/counters.txt"

rm -f "$disk/filler"
"$muzero" evaluate --checkpoint "$run/checkpoint.pt" --games 1 --json > "$work/eval.json" 2>&1
check "the checkpoint loads" grep -q '^{"games":1,' "$work/eval.json"
"$muzero" train --resume "$run" --set training.training_steps=210 > "$work/after.log" 2>&1
check "with space again the run resumes" [ $? -eq 0 ]
check "from its saved games" grep -q "replay buffer: resumed $games games" "$work/after.log"
if [ "$failures" -ne 0 ]; then tail -30 "$work/full.log"; fi
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
