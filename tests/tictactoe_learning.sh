#!/bin/bash
# Learning smoke test: a short TicTacToe training run (configs/tictactoe.yaml, fixed seed, fewer
# steps) must beat a random player in a clear majority from both seats, and clearly better than
# the same network before training (one training step). 200 games per seat.
#   tictactoe_learning.sh MUZERO CONFIG
# Training is spread over processes, so runs are not bit-for-bit repeatable: the bounds leave
# room for that (see docs/learning.md, "Learning smoke test").
set -u
muzero="$1"
config="$2"
work=$(mktemp -d)
trap 'pkill -KILL -f "$work" 2>/dev/null; rm -rf "$work"' EXIT
steps=${TICTACTOE_SMOKE_STEPS:-10000}

train() {  # train NAME STEPS: prints the checkpoint path
  "$muzero" train --config "$config" --set output.results_dir="$work/$1" \
    --set training.training_steps="$2" --set test.interval_steps=1000000 > "$work/$1.log" 2>&1 ||
    { echo "FAIL: training $1 exited with $?" >&2; tail -20 "$work/$1.log" >&2; exit 1; }
  find "$work/$1" -name checkpoint.pt | head -n 1
}
wins() {  # wins CHECKPOINT SEAT: games won out of 200 against random
  "$muzero" evaluate --checkpoint "$1" --opponent random --games 200 --muzero-player "$2" --json |
    grep -o '"wins":{"count":[0-9]*' | grep -o '[0-9]*$'
}

untrained=$(train untrained 1)
trained=$(train trained "$steps")
failures=0
for seat in 0 1; do
  before=$(wins "$untrained" "$seat")
  after=$(wins "$trained" "$seat")
  echo "seat $seat: wins against random out of 200: untrained $before, after $steps steps $after"
  # A clear majority: at least 80% (first seat) or 60% (second seat) of the games, where a random
  # player wins 58.5% and 28.8%, and at least 10 more wins than before training. Untrained, it
  # wins 89 and 97; three 10000-step runs here won 195-198 and 151-159, and two with the
  # config's random openings (2026-12-07) 194 and 198, 171 and 184, and one with its
  # consistency over every move as well 198 and 170. (7000 steps was too
  # few: the second seat won 108-145, too spread for a bound that never fails by chance.)
  floor=$([ "$seat" = 0 ] && echo 160 || echo 120)
  if [ -z "$after" ] || [ "$after" -lt "$floor" ] || [ "$after" -lt $((before + 10)) ]; then
    echo "FAIL: seat $seat won $after of 200 (needs >= $floor and >= untrained $before + 10)"
    failures=$((failures + 1))
  fi
done
[ "$failures" -eq 0 ] && echo "PASS" || exit 1
