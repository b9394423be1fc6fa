#!/bin/sh
# Each kind of bad configuration makes `muzero train` exit with status 2 and say what is wrong,
# naming the file, the line and the key.
set -u
muzero="$1"
data="$2"
failures=0
passes=0

expect() {  # expect STATUS PATTERN ARGS...
  status="$1"; pattern="$2"; shift 2
  output=$("$muzero" "$@" 2>&1)
  actual=$?
  if [ "$actual" -ne "$status" ] || ! printf '%s' "$output" | grep -qF -- "$pattern"; then
    echo "FAIL: muzero $*: expected status $status and '$pattern', got $actual:"
    printf '%s\n' "$output" | head -5
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}

expect 2 "$data/unknown_key.yaml:4: unknown key 'self_play.num_simulatons' (did you mean 'self_play.num_simulations'?)" \
  train --config "$data/unknown_key.yaml"
expect 2 "$data/wrong_type.yaml:4: training.batch_size: expected an integer, got 'lots'" \
  train --config "$data/wrong_type.yaml"
expect 2 "$data/out_of_range.yaml:4: self_play.discount: must be greater than 0 and at most 1, got 1.5" \
  train --config "$data/out_of_range.yaml"
expect 2 "$data/syntax_error.yaml:3: YAML syntax error" train --config "$data/syntax_error.yaml"
expect 2 "$data/missing.yaml: cannot open the configuration file" train --config "$data/missing.yaml"
expect 2 "--set self_play.num_simulations=abc: self_play.num_simulations: expected an integer, got 'abc'" \
  train --config "$data/../../configs/cartpole.yaml" --set self_play.num_simulations=abc
expect 2 "--set game.plugin_sha256=abc: game.plugin_sha256: expected 64 lower-case hex digits (a SHA-256) or nothing, got 'abc'" \
  train --config "$data/../../configs/cartpole.yaml" --set game.plugin_sha256=abc
expect 2 "game.plugin_sha256 is set but game.plugin is not" \
  train --config "$data/../../configs/cartpole.yaml" \
  --set game.plugin_sha256=0000000000000000000000000000000000000000000000000000000000000000
# A network that does not fit the game is refused before the run starts (the output folder
# and the single step only matter if it were not).
expect 2 "network.fc_conv_kernel 4 does not fit the 1 x 4 observation of this game" \
  train --config "$data/../../configs/cartpole.yaml" --set network.fc_conv_channels=8 \
  --set training.training_steps=1 --set output.results_dir="${TMPDIR:-/tmp}/muzero-cli-errors"
expect 2 "replay_buffer.augment_symmetries: cartpole has no symmetries to relabel samples with" \
  train --config "$data/../../configs/cartpole.yaml" --set replay_buffer.augment_symmetries=true \
  --set training.training_steps=1 --set output.results_dir="${TMPDIR:-/tmp}/muzero-cli-errors"
expect 2 "reanalyse.fraction: 0.5 needs reanalyse.num_workers of at least 1" \
  train --config "$data/../../configs/cartpole.yaml" --set reanalyse.fraction=0.5 \
  --set training.training_steps=1 --set output.results_dir="${TMPDIR:-/tmp}/muzero-cli-errors"
# A device the machine lacks stops the run before it starts (where no GPU is present).
if ! command -v nvidia-smi > /dev/null 2>&1; then
  for key in training.device self_play.device; do
    expect 2 "$key: device 'cuda' was requested but LibTorch sees no CUDA GPU" \
      train --config "$data/../../configs/cartpole.yaml" --set "$key=cuda" \
      --set training.training_steps=1 --set output.results_dir="${TMPDIR:-/tmp}/muzero-cli-errors"
  done
fi
expect 2 "--config or --resume is required" train
expect 2 "--config excludes --resume" train --config "$data/../../configs/cartpole.yaml" --resume /tmp
expect 0 "train" --help
# Distributed training's options (docs/distributed.md).
held="${TMPDIR:-/tmp}/muzero-cli-errors-held"
mkdir -p "$held" && echo "game: {name: cartpole}" > "$held/config.yaml"
expect 2 "already holds a run; continue it with --resume $held" \
  train --config "$data/../../configs/cartpole.yaml" --run-dir "$held"
rm -rf "$held"
expect 2 "--listen: bad port in '0.0.0.0:65535'" \
  train --config "$data/../../configs/cartpole.yaml" --listen 0.0.0.0:65535
expect 2 "--run-dir or --connect is required" worker
expect 2 "--run-dir excludes --connect" worker --run-dir /tmp --connect 127.0.0.1:7000
expect 2 "port 0 is for --listen" worker --connect 127.0.0.1:0

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
