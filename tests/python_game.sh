#!/bin/bash
# Games written in Python (game.python), end to end: examples/python_game's catch trains,
# evaluates beside its expert and plays; the Gymnasium adapter runs an environment written in
# Gymnasium's style (gymnasium itself is not a Debian package); a missing file, a missing
# class, a wrong observation and a built-in game's name are refused with status 2 and the reason.
#   tests/python_game.sh MUZERO SOURCE_DIR
set -u
muzero="$1"
source=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'pkill -KILL -f "$work" 2>/dev/null; rm -rf "$work"' EXIT
failures=0
passes=0
check() {  # check DESCRIPTION COMMAND...
  description="$1"; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $description"; failures=$((failures + 1)); fi
}
example="$source/examples/python_game"

"$muzero" train --config "$example/config.yaml" --set game.python="$example/catch.py:Catch" \
  --set training.training_steps=300 --set output.results_dir="$work/runs" > "$work/train.log" 2>&1
check "a Python game trains" [ $? -eq 0 ]
run=$(find "$work/runs/catch_py" -mindepth 1 -maxdepth 1 -type d | head -n 1)
check "its resolved config names the class by absolute path" \
  grep -q "python: $example/catch.py:Catch" "$run/config.yaml"
check "every training step ran" grep -q "finished after 300 training steps" "$work/train.log"
check "and records the Python file's SHA-256" \
  grep -q "python_sha256: .*$(sha256sum "$example/catch.py" | cut -d' ' -f1)" "$run/config.yaml"
[ "$failures" -eq 0 ] || tail -20 "$work/train.log"
"$muzero" evaluate --checkpoint "$run/checkpoint.pt" --games 20 --baseline expert > "$work/eval.txt" 2>&1
check "the checkpoint evaluates beside the Python expert" grep -q "MuZero did as well in" "$work/eval.txt"
"$muzero" play --checkpoint "$run/checkpoint.pt" > "$work/play.txt" 2>&1 < /dev/null
check "and plays, rendered by Python" grep -q "episode over after 4 moves" "$work/play.txt"
printf 'up\nstay\nstay\nl\nstay\n' |
  "$muzero" play --checkpoint "$run/checkpoint.pt" --human-plays > "$work/human.txt" 2>&1
check "a human plays it, in the game's notation" grep -q "episode over after 4 moves, your total reward" \
  "$work/human.txt"
check "told what is not a move" grep -q "'up' is not a move" "$work/human.txt"
check "with MuZero's choice as a hint" grep -q "MuZero would play" "$work/human.txt"
[ "$failures" -eq 0 ] || { cat "$work/eval.txt" "$work/play.txt" "$work/human.txt"; }

# The Gymnasium adapter on an environment in Gymnasium's style: a corridor of 6 cells, move
# left or right, reward 1 at the right end, cut off after 20 steps.
cat > "$work/corridor.py" <<'PY'
import sys
sys.path.insert(0, "EXAMPLE")
from gymnasium_adapter import GymnasiumGame


class Space:
    def __init__(self, shape=None, n=None):
        self.shape, self.n = shape, n


class CorridorEnv:
    observation_space = Space(shape=(6,))
    action_space = Space(n=2)

    def reset(self, seed=None):
        self.position, self.steps = 0, 0
        return self.observation(), {}

    def observation(self):
        return [1.0 if i == self.position else 0.0 for i in range(6)]

    def step(self, action):
        self.position = max(0, min(5, self.position + (1 if action == 1 else -1)))
        self.steps += 1
        terminated = self.position == 5
        truncated = self.steps >= 20 and not terminated
        return self.observation(), 1.0 if terminated else 0.0, terminated, truncated, {}


class Corridor(GymnasiumGame):
    def make_env(self):
        return CorridorEnv()
PY
sed -i "s|EXAMPLE|$example|" "$work/corridor.py"
"$muzero" train --config "$example/config.yaml" --set game.python="$work/corridor.py:Corridor" \
  --set game.name=corridor --set game.max_moves=20 --set training.training_steps=200 \
  --set network.support_size=5 --set output.results_dir="$work/gym" > "$work/gym.log" 2>&1
check "a Gymnasium-style environment trains through the adapter" [ $? -eq 0 ]
[ "$failures" -eq 0 ] || tail -20 "$work/gym.log"

# Refusals.
cat > "$work/bad.py" <<'PY'
class WrongObservation:
    observation_shape = (1, 1, 4)
    action_space_size = 2
    def reset(self, seed):
        return [0.0, 0.0, 0.0]
PY
refused() {  # refused SPEC PATTERN [--set ...]: train exits 2 and says PATTERN
  local spec="$1" pattern="$2"; shift 2
  "$muzero" train --config "$example/config.yaml" --set game.python="$spec" "$@" \
    --set output.results_dir="$work/refused" > "$work/refused.log" 2>&1
  local status=$?
  [ "$status" -eq 2 ] && grep -q "$pattern" "$work/refused.log" || { cat "$work/refused.log"; return 1; }
}
check "a missing file is refused" refused "$work/missing.py:Catch" "game.python"
check "a missing class is refused" refused "$example/catch.py:Nothing" "has no Nothing"
check "a wrong observation is refused" refused "$work/bad.py:WrongObservation" \
  "an observation of 3 numbers; observation_shape says 4" --set game.name=bad
check "a built-in game's name is refused" refused "$example/catch.py:Catch" \
  "is a built-in game" --set game.name=cartpole

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
