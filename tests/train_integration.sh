#!/bin/bash
# `muzero train` end to end with tiny CartPole runs (2 self-play workers):
#  - games reach the buffer, training steps run, workers pick up newer weights, metrics
#    (JSON lines and TensorBoard events), checkpoint, replay buffer and counters are written;
#  - SIGINT stops the run with status 0, and --resume continues its counters from the checkpoint
#    and appends to its metrics;
#  - a self-play worker, the trainer, the replay buffer and storage killed with SIGKILL are
#    replaced and training still finishes (the trainer from a save a few seconds old); a
#    damaged checkpoint or replay buffer is refused at --resume (status 2, files unchanged); a
#    trainer that fails at once every time (a checkpoint of another network) stops the run; a
#    damaged counters file is kept aside;
#  - only the trainer runs the muzero binary (LibTorch); the supervisor and the other roles run
#    muzero-role;
#  - killing the supervisor with SIGKILL leaves no process behind; Ctrl-C with storage frozen
#    (SIGSTOP) still stops the run;
#  - a worker started by hand with `muzero worker --connect` joins over TCP, and again after the
#    replay buffer it plays for is restarted;
#  - `muzero evaluate` reads the checkpoint and refuses corrupt ones; `muzero export` writes one
#    without optimizer state that evaluates;
#  - `muzero play` in a pseudo-terminal refuses bad input and quits on q;
#  - the shipped CartPole checkpoint loads and scores 500; the TicTacToe one draws the expert;
#    the Connect4 one loads and plays.
set -u
muzero="$1"
config="$2"
work=$(mktemp -d)
trap 'pkill -KILL -f "$work" 2>/dev/null; rm -rf "$work"' EXIT EXIT
failures=0
passes=0
check() {  # check DESCRIPTION COMMAND...
  description="$1"; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $description"; failures=$((failures + 1)); fi
}
counter() {  # counter RUN NAME
  awk -v name="$2" '$1 == name { print int($2) }' "$1/counters.txt"
}
run_dir_of() { find "$1/$2" -mindepth 1 -maxdepth 1 -type d | head -n 1; }
run_dir() { run_dir_of "$1" cartpole; }
show_log_on_failure() { if [ "$failures" -ne 0 ]; then tail -30 "$1"; fi; }
# wait_for SECONDS COMMAND...: polls every 0.2 s until COMMAND succeeds; fails after SECONDS.
wait_for() {
  local limit=$(( $1 * 5 )); shift
  for _ in $(seq "$limit"); do "$@" && return 0; sleep 0.2; done
  return 1
}
training_started() {  # training_started RESULTS_DIR: counters show a training step
  local run; run=$(run_dir "$1")
  [ -n "$run" ] && [ -f "$run/counters.txt" ] && [ "$(counter "$run" training_step)" -gt 0 ]
}

tiny=(--set training.batch_size=16 --set self_play.num_simulations=8 --set game.max_moves=60
      --set test.episodes=2 --set self_play.num_parallel_games=4 --set self_play.num_workers=2
      --set training.checkpoint_interval=5)

# 1. A complete tiny run, its players on LibTorch (the other runs use the native backend).
"$muzero" train --config "$config" "${tiny[@]}" --set training.training_steps=60 \
  --set self_play.inference=torch \
  --set output.keep_checkpoint_every=25 --set output.results_dir="$work/a" > "$work/a.log" 2>&1
check "tiny run exits 0" [ $? -eq 0 ]
run=$(run_dir "$work/a")
check "run directory under results_dir/cartpole" [ -n "$run" ]
check "resolved config written" grep -q "num_simulations: 8" "$run/config.yaml"
check "players on LibTorch" grep -q "inference: torch" "$run/config.yaml"
check "all training steps ran" [ "$(counter "$run" training_step)" = 60 ]
check "games reached the replay buffer" [ -s "$run/replay_buffer.bin" ]
check "games were counted" [ "$(counter "$run" played_games)" -gt 0 ]
check "workers used newer weights" [ "$(counter "$run" self_play_weights_version)" -gt 1 ]
check "checkpoint written" [ -s "$run/checkpoint.pt" ]
check "the run's token is private" [ "$(stat -c %a "$run/token")" = 600 ]
check "so is its TLS key" [ "$(stat -c %a "$run/tls.key")" = 600 ]
check "and the directory of its sockets" [ "$(stat -c %a "$run/sockets")" = 700 ]
check "checkpoints kept every 25 steps" \
  [ "$(cd "$run/checkpoints" && echo *)" = "step-00000025.pt step-00000050.pt" ]
check "TensorBoard events written" compgen -G "$run/events.out.tfevents.*"
check "losses logged" grep -q '"3.Loss/1.Total_weighted_loss"' "$run/metrics.jsonl"
check "test rewards logged" grep -q '"1.Total_reward/1.Total_reward"' "$run/metrics.jsonl"
check "finished message" grep -q "finished after 60 training steps" "$work/a.log"
check "every process logs to muzero.log" grep -q "\[replay\] \[info\] replay buffer: saved" "$run/muzero.log"
show_log_on_failure "$work/a.log"

# evaluate: the checkpoint carries its config; results as text or JSON; bad files refused.
checkpoint="$run/checkpoint.pt"
"$muzero" evaluate --checkpoint "$checkpoint" --games 3 > "$work/eval.txt" 2>&1
check "evaluate exits 0" [ $? -eq 0 ]
check "evaluate reports the mean reward" grep -q "^reward .* (mean +- std)" "$work/eval.txt"
"$muzero" evaluate --checkpoint "$checkpoint" --games 2 --json > "$work/eval.json" 2>&1
check "evaluate --json prints one object" grep -q '^{"games":2,"distinct_games":[0-9]*,"mean_reward":.*}$' "$work/eval.json"
"$muzero" evaluate --checkpoint "$checkpoint" --games 2 --search gumbel --json > "$work/gumbel.json" 2>&1
check "evaluate --search gumbel plays the games" grep -q '^{"games":2,' "$work/gumbel.json"
"$muzero" evaluate --checkpoint "$checkpoint" --search alphazero > "$work/bad_search.txt" 2>&1
check "an unknown --search is refused" [ $? -ne 0 ]
"$muzero" evaluate --checkpoint "$checkpoint" --games 2 --unvisited-value parent --json > "$work/parent.json" 2>&1
check "evaluate --unvisited-value parent plays the games" grep -q '^{"games":2,' "$work/parent.json"
"$muzero" evaluate --checkpoint "$checkpoint" --unvisited-value max > "$work/bad_unvisited.txt" 2>&1
check "an unknown --unvisited-value is refused" [ $? -ne 0 ]
"$muzero" evaluate --checkpoint "$checkpoint" --games 2 --known-value-bounds 0 333 --json > "$work/bounds.json" 2>&1
check "evaluate --known-value-bounds plays the games" grep -q '^{"games":2,' "$work/bounds.json"
"$muzero" evaluate --checkpoint "$checkpoint" --known-value-bounds 5 1 > "$work/bad_bounds.txt" 2>&1
check "reversed --known-value-bounds are refused with status 2" [ $? -eq 2 ]
check "and a reason" grep -q "known-value-bounds: expected two finite numbers" "$work/bad_bounds.txt"
printf 'not a checkpoint' > "$work/garbage.pt"
"$muzero" evaluate --checkpoint "$work/garbage.pt" > "$work/garbage.txt" 2>&1
check "a corrupt checkpoint is refused with status 2" [ $? -eq 2 ]
check "and a reason" grep -q "garbage.pt: not a readable checkpoint" "$work/garbage.txt"
"$muzero" export --checkpoint "$checkpoint" --output "$work/exported.pt" > "$work/export.txt" 2>&1
check "export exits 0" [ $? -eq 0 ]
check "the exported checkpoint is smaller" [ "$(stat -c %s "$work/exported.pt")" -lt "$(stat -c %s "$checkpoint")" ]
"$muzero" evaluate --checkpoint "$work/exported.pt" --games 2 --json > "$work/exported.json" 2>&1
check "and evaluates" grep -q '^{"games":2,' "$work/exported.json"
"$muzero" evaluate --checkpoint "$checkpoint" --opponent expert > "$work/expert.txt" 2>&1
check "an expert opponent for a one-player game is refused" grep -q "needs a two-player game" "$work/expert.txt"
"$muzero" evaluate --checkpoint "$checkpoint" --average-symmetries > "$work/no_symmetries.txt" 2>&1
check "--average-symmetries for a game without symmetries is refused with status 2" [ $? -eq 2 ]
check "and a reason" grep -q "cartpole has no symmetries" "$work/no_symmetries.txt"

# 2. SIGINT, then --resume with more steps.
"$muzero" train --config "$config" "${tiny[@]}" --set training.training_steps=100000 \
  --set output.results_dir="$work/b" > "$work/b.log" 2>&1 &
pid=$!
check "training started before the interrupt" wait_for 120 training_started "$work/b"
kill -INT "$pid"
wait "$pid"
check "SIGINT exits 0" [ $? -eq 0 ]
run=$(run_dir "$work/b")
stopped_at=$(counter "$run" training_step)
check "trained before the interrupt" [ "${stopped_at:-0}" -gt 0 ]
check "stopped message" grep -q "stopped after" "$work/b.log"
check "replay buffer saved on SIGINT" [ -s "$run/replay_buffer.bin" ]
target=$((stopped_at + 20))
metrics_before=$(wc -l < "$run/metrics.jsonl")
first_metrics=$(head -n 1 "$run/metrics.jsonl")
check "metrics logged before the interrupt" [ "$metrics_before" -gt 0 ]
"$muzero" train --resume "$run" --set training.training_steps=$target > "$work/b2.log" 2>&1
check "resumed run exits 0" [ $? -eq 0 ]
check "trainer resumed from the checkpoint" grep -q "resumed from step $stopped_at" "$work/b2.log"
check "replay buffer resumed" grep -q "replay buffer: resumed" "$work/b2.log"
check "counters continued" [ "$(counter "$run" training_step)" = "$target" ]
check "metrics appended on resume" [ "$(wc -l < "$run/metrics.jsonl")" -gt "$metrics_before" ]
check "metrics from before the resume kept" [ "$(head -n 1 "$run/metrics.jsonl")" = "$first_metrics" ]
show_log_on_failure "$work/b2.log"

# 3. A self-play worker, a reanalyse worker and the trainer killed with SIGKILL are replaced.
"$muzero" train --config "$config" "${tiny[@]}" --set training.training_steps=1500 \
  --set reanalyse.num_workers=1 --set reanalyse.fraction=0.25 \
  --set output.results_dir="$work/c" > "$work/c.log" 2>&1 &
pid=$!
check "training started before the kill" wait_for 120 training_started "$work/c"
victim=$(pgrep -f "__role self_play --run-dir $work/c" | head -n 1)
check "found a self-play worker" [ -n "$victim" ]
kill -KILL "$victim"
trainer=$(pgrep -f "__role trainer --run-dir $work/c" | head -n 1)
check "found the trainer" [ -n "$trainer" ]
# Only the trainer loads LibTorch: the other roles run the torch-free muzero-role binary.
role_binary_of() { readlink "/proc/$(pgrep -f "__role $1 --run-dir $work/c" | head -n 1)/exe"; }
check "storage runs muzero-role" [ "$(basename "$(role_binary_of storage)")" = muzero-role ]
check "the replay buffer runs muzero-role" [ "$(basename "$(role_binary_of replay)")" = muzero-role ]
check "a native self-play worker runs muzero-role" \
  [ "$(basename "$(role_binary_of self_play)")" = muzero-role ]
check "so does a native reanalyse worker" \
  [ "$(basename "$(role_binary_of reanalyse)")" = muzero-role ]
kill -KILL "$(pgrep -f "__role reanalyse --run-dir $work/c" | head -n 1)"
check "the trainer runs muzero" [ "$(basename "$(readlink "/proc/$trainer/exe")")" = muzero ]
check "the supervisor became muzero-role (same pid)" \
  [ "$(basename "$(readlink "/proc/$pid/exe")")" = muzero-role ]
check "muzero-role does not link LibTorch" \
  bash -c "! ldd '$(dirname "$muzero")/muzero-role' | grep -q torch"
kill -KILL "$trainer"
wait "$pid"
check "run with a killed worker and trainer exits 0" [ $? -eq 0 ]
check "worker death reported and restarted" grep -q "self-play worker .* killed by signal 9.*restarting" "$work/c.log"
check "trainer death reported and restarted" \
  grep -q "trainer .* killed by signal 9.*restarting it from" "$work/c.log"
check "reanalyse worker death reported and restarted" \
  grep -q "reanalyse worker 0 .* killed by signal 9.*restarting" "$work/c.log"
check "positions were reanalysed" [ "$(counter "$(run_dir "$work/c")" reanalysed_positions)" -gt 0 ]
check "batches held fresh samples" [ "$(counter "$(run_dir "$work/c")" fresh_samples)" -gt 0 ]
check "reanalyse metrics logged" \
  grep -q '"5.Reanalyse/2.Reanalysed_positions_per_second"' "$(run_dir "$work/c")/metrics.jsonl"
check "the status line shows reanalyse" grep -q "reanalyse [0-9]* pos/s" "$work/c.log"
check "training finished anyway" grep -q "finished after 1500 training steps" "$work/c.log"
check "counters reached the end" [ "$(counter "$(run_dir "$work/c")" training_step)" = 1500 ]
check "no status line with a negative rate" bash -c '! grep -q -- "-[0-9.]* steps/s" "$1"' _ "$work/c.log"
show_log_on_failure "$work/c.log"

# 3a. The trainer saves every few seconds (SavePacing), not once a minute: in a run far too long
# to end first, wait for its second save (an atomic save replaces the file, so the inode
# changes), kill it, and it resumes from that save's step; Ctrl-C then stops the run.
"$muzero" train --config "$config" "${tiny[@]}" --set training.training_steps=1000000 \
  --set output.results_dir="$work/save" > "$work/save.log" 2>&1 &
pid=$!
check "the long run trains" wait_for 120 training_started "$work/save"
checkpoint_inode() { stat -c %i "$(run_dir "$work/save")/checkpoint.pt" 2>/dev/null; }
first_save=$(checkpoint_inode)
saved_again() { [ "$(checkpoint_inode)" != "$first_save" ]; }
check "the trainer saved again within 30 s" wait_for 30 saved_again
kill -KILL "$(pgrep -f "__role trainer --run-dir $work/save" | head -n 1)"
resumed_past_0() { grep -q "trainer: resumed from step [1-9]" "$work/save.log"; }
check "the restarted trainer resumed from a step past 0" wait_for 60 resumed_past_0
kill -INT "$pid"
wait "$pid"
check "the long run stops with status 0" [ $? -eq 0 ]
show_log_on_failure "$work/save.log"

# 3b. A damaged checkpoint is refused before anything starts (status 2, the reason, the file left
# as it was): a truncated one, and one with a bit flipped in its contents (its SHA-256). One that
# is intact but does not fit (another network) makes the trainer fail at once: after three tries
# the run stops with status 1.
corrupt="$work/corrupt"
cp -r "$(run_dir "$work/b")" "$corrupt"
head -c 5000 "$(run_dir "$work/b")/checkpoint.pt" > "$corrupt/checkpoint.pt"
"$muzero" train --resume "$corrupt" > "$work/corrupt.log" 2>&1
check "a truncated checkpoint is refused with status 2" [ $? -eq 2 ]
check "with the reason" grep -q "cannot resume: .*checkpoint.pt: not a readable checkpoint" "$work/corrupt.log"
check "the truncated checkpoint is kept as it was" [ "$(stat -c %s "$corrupt/checkpoint.pt")" = 5000 ]
cp "$(run_dir "$work/b")/checkpoint.pt" "$corrupt/checkpoint.pt"
size=$(stat -c %s "$corrupt/checkpoint.pt")
middle=$((size / 2))
byte=$(od -An -tu1 -j "$middle" -N1 "$corrupt/checkpoint.pt" | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 8)))" | dd of="$corrupt/checkpoint.pt" bs=1 seek="$middle" conv=notrunc status=none
flipped_sum=$(md5sum < "$corrupt/checkpoint.pt")
"$muzero" train --resume "$corrupt" > "$work/flipped.log" 2>&1
check "a checkpoint with a flipped bit is refused with status 2" [ $? -eq 2 ]
check "by its SHA-256" grep -q "do not match their SHA-256" "$work/flipped.log"
"$muzero" evaluate --checkpoint "$corrupt/checkpoint.pt" --games 1 > "$work/flipped_eval.log" 2>&1
check "evaluate refuses it with status 2" [ $? -eq 2 ]
check "and leaves it as it was" [ "$(md5sum < "$corrupt/checkpoint.pt")" = "$flipped_sum" ]
show_log_on_failure "$work/flipped.log"
cp "$(run_dir "$work/b")/checkpoint.pt" "$corrupt/checkpoint.pt"
"$muzero" train --resume "$corrupt" --set network.encoding_size=5 > "$work/misfit.log" 2>&1
check "a trainer failing at once stops the run with status 1" [ $? -eq 1 ]
check "with the checkpoint's fault" grep -q "another architecture" "$work/misfit.log"
check "after three tries" grep -q "3 failures in a row" "$work/misfit.log"
show_log_on_failure "$work/misfit.log"

# 3c. A truncated replay buffer is refused the same way (status 2, the file unchanged); moved away
# by the user, the run resumes without it. A damaged counters file (a blank line is not damage)
# is reported and kept aside (the run rewrites it), and training goes on.
damaged="$work/damaged"
cp -r "$(run_dir "$work/b")" "$damaged"
buffer_size=$(stat -c %s "$damaged/replay_buffer.bin")
truncate -s $((buffer_size - 10)) "$damaged/replay_buffer.bin"
"$muzero" train --resume "$damaged" > "$work/damaged_buffer.log" 2>&1
check "a truncated replay buffer is refused with status 2" [ $? -eq 2 ]
check "naming the record and what to do" grep -q "replay_buffer.bin: record [0-9]* is truncated; move it away" "$work/damaged_buffer.log"
check "and leaving the file as it was" [ "$(stat -c %s "$damaged/replay_buffer.bin")" = $((buffer_size - 10)) ]
mv "$damaged/replay_buffer.bin" "$work/kept_buffer.bin"
printf 'played_games 100000\n\nplayed_steps seven\ntraining_step 3\n' > "$damaged/counters.txt"
"$muzero" train --resume "$damaged" --set training.training_steps=$((target + 10)) \
  > "$work/damaged.log" 2>&1
check "damaged counters do not stop the run" [ $? -eq 0 ]
check "the damaged counters line is named" grep -q "counters.txt:3: not a counter line ('played_steps seven')" "$work/damaged.log"
check "and the file kept aside" grep -q "played_steps seven" "$damaged/counters.txt.damaged"
check "counters read before the damage carry on" [ "$(counter "$damaged" played_games)" -gt 100000 ]
check "a new buffer is written" [ -s "$damaged/replay_buffer.bin" ]
show_log_on_failure "$work/damaged.log"

# 3d. The replay buffer and shared storage killed with SIGKILL are restarted (from their saved
# games and counters; the others, which lose their connections, too) and training finishes.
"$muzero" train --config "$config" "${tiny[@]}" --set training.training_steps=5000 \
  --set output.results_dir="$work/servers" > "$work/servers.log" 2>&1 &
pid=$!
check "training started before the server kills" wait_for 120 training_started "$work/servers"
kill -KILL "$(pgrep -f "__role replay --run-dir $work/servers" | head -n 1)"
sleep 2
kill -KILL "$(pgrep -f "__role storage --run-dir $work/servers" | head -n 1)"
wait "$pid"
check "run with a killed replay buffer and storage exits 0" [ $? -eq 0 ]
check "replay buffer restarted" \
  grep -q "replay .* killed by signal 9.*restarting it from its last save" "$work/servers.log"
check "storage restarted" \
  grep -q "storage .* killed by signal 9.*restarting it from its saved counters" "$work/servers.log"
check "training finished anyway" grep -q "finished after 5000 training steps" "$work/servers.log"
show_log_on_failure "$work/servers.log"

# 4. Killing the supervisor leaves no orphans.
"$muzero" train --config "$config" "${tiny[@]}" --set training.training_steps=100000 \
  --set output.results_dir="$work/d" > "$work/d.log" 2>&1 &
pid=$!
disown "$pid"  # its SIGKILL below is intended; keep bash from reporting it
children_up() { [ "$(pgrep -fc "__role .* --run-dir $work/d")" -ge 5 ]; }
check "children running" wait_for 60 children_up
kill -KILL "$pid"
for _ in $(seq 50); do
  [ "$(pgrep -fc "__role .* --run-dir $work/d")" -eq 0 ] && break
  sleep 0.2
done
check "no process left after SIGKILL of the supervisor" [ "$(pgrep -fc "__role .* --run-dir $work/d")" -eq 0 ]

# 4b. Ctrl-C with shared storage frozen (SIGSTOP): the supervisor never waits on it for long, the
# run stops with status 0 and leaves no process behind.
"$muzero" train --config "$config" "${tiny[@]}" --set training.training_steps=100000 \
  --set output.results_dir="$work/frozen" > "$work/frozen.log" 2>&1 &
pid=$!
check "training started before storage froze" wait_for 120 training_started "$work/frozen"
kill -STOP "$(pgrep -f "__role storage --run-dir $work/frozen" | head -n 1)"
sleep 3  # the status line asks storage meanwhile
kill -INT "$pid"
run_ended() { ! kill -0 "$pid" 2>/dev/null; }
check "Ctrl-C ends the run with storage frozen" wait_for 60 run_ended
wait "$pid"
check "with status 0" [ $? -eq 0 ]
check "and no process left" [ "$(pgrep -fc "__role .* --run-dir $work/frozen")" -eq 0 ]
check "the counters were saved" grep -q "^training_step [1-9]" "$(run_dir "$work/frozen")/counters.txt"
show_log_on_failure "$work/frozen.log"

# 5. No local self-play workers: a worker started by hand joins over TCP and does all the playing,
# and joins again when the run's replay buffer is killed and restarted.
port=$((20000 + RANDOM % 20000))
"$muzero" train --config "$config" "${tiny[@]}" --set self_play.num_workers=0 \
  --set training.training_steps=1000 --listen "127.0.0.1:$port" \
  --set output.results_dir="$work/e" > "$work/e.log" 2>&1 &
pid=$!
token_written() { [ -n "$(run_dir "$work/e")" ] && [ -f "$(run_dir "$work/e")/token" ]; }
check "the run wrote its token" wait_for 60 token_written
"$muzero" worker --connect "127.0.0.1:$port" --token-file "$(run_dir "$work/e")/token" \
  --worker-id 7 > "$work/e_worker.log" 2>&1 &
worker=$!
check "training started before the replay buffer's kill" wait_for 120 training_started "$work/e"
kill -KILL "$(pgrep -f "__role replay --run-dir $work/e" | head -n 1)"
wait "$pid"
check "training with a remote worker exits 0" [ $? -eq 0 ]
wait "$worker"
check "the remote worker stops by itself when training is done" [ $? -eq 0 ]
check "the remote worker joined" grep -q "self-play worker 7 joined" "$work/e_worker.log"
check "and joined again after the replay buffer's restart" \
  grep -q "self-play worker 7: .*; trying again in" "$work/e_worker.log"
check "training with only a remote worker finished" grep -q "finished after 1000 training steps" "$work/e.log"
show_log_on_failure "$work/e.log"
if [ "$failures" -ne 0 ]; then cat "$work/e_worker.log"; fi

# 6. `muzero play` against a human through a pseudo-terminal (script(1) from bsdutils): a
#    malformed move and an occupied square are refused with the legal moves listed, q quits.
"$muzero" train --config "$(dirname "$config")/tictactoe.yaml" --set training.training_steps=10 \
  --set self_play.num_simulations=8 --set training.batch_size=8 --set test.episodes=1 \
  --set output.results_dir="$work/f" > "$work/f.log" 2>&1
check "tiny TicTacToe run exits 0" [ $? -eq 0 ]
# The expert never loses at TicTacToe, so MuZero's own test reward is 0 whatever the game's
# outcome; the sum over both players would be 1 for every game the expert won.
check "the test reward is MuZero's own" grep -q "last test reward 0.00" "$work/f.log"
checkpoint="$(run_dir_of "$work/f" tictactoe)/checkpoint.pt"
printf 'zz\nb2\nb2\nq\n' | script -qfec "$muzero play --checkpoint $checkpoint --human-first" \
  /dev/null > "$work/play.txt" 2>&1
check "play exits 0 on q" [ $? -eq 0 ]
check "a malformed move is refused" grep -q "'zz' is not a move. Legal moves: a1 b1 c1 a2 b2 c2 a3 b3 c3" "$work/play.txt"
check "MuZero answers with its move and visits" grep -q "MuZero plays .* (root value .*; visits" "$work/play.txt"
check "an occupied square is refused" grep -q "'b2' is not legal now. Legal moves:" "$work/play.txt"
check "q quits cleanly" grep -q "q quits): bye" "$work/play.txt"
if [ "$failures" -ne 0 ]; then cat "$work/play.txt"; fi

# 7. The shipped CartPole checkpoint still loads and balances the pole.
"$muzero" evaluate --checkpoint "$(dirname "$config")/../models/pretrained/cartpole.pt" --games 2 \
  --json > "$work/pretrained.json" 2>&1
check "the shipped CartPole checkpoint evaluates" [ $? -eq 0 ]
check "and scores 500" grep -q '"mean_reward":500,' "$work/pretrained.json"
if [ "$failures" -ne 0 ]; then cat "$work/pretrained.json"; fi

shipped="$(dirname "$config")/../models/pretrained"
# 7b. `muzero diagnose` on it: tables, TSV files with K+1 unrolled steps per chosen move, and
# the plot where gnuplot can be installed; a damaged checkpoint is refused.
"$muzero" diagnose --checkpoint "$shipped/cartpole.pt" --moves 0,100 --unroll 4 \
  --out "$work/diagnose" > "$work/diagnose.log" 2>&1
check "diagnose exits 0" [ $? -eq 0 ]
check "diagnose prints the unroll from move 100" grep -q "^move 100: the model unrolled" "$work/diagnose.log"
check "diagnose writes 5 unrolled steps per move" \
  [ "$(awk -F'\t' 'NR > 1 && NF == 9' "$work/diagnose/diagnose_unroll.tsv" | wc -l)" = 10 ]
check "diagnose writes the whole episode" \
  [ "$(wc -l < "$work/diagnose/diagnose_episode.tsv")" = 501 ]
if "$(dirname "$0")/../scripts/test_tools.sh" gnuplot-nox > /dev/null; then
  "$muzero" diagnose --checkpoint "$shipped/tictactoe.pt" --out "$work/diagnose-t" > /dev/null 2>&1
  check "diagnose draws a PNG" [ "$(head -c 4 "$work/diagnose-t/diagnose.png" | tail -c 3)" = PNG ]
fi
head -c 2000 "$shipped/cartpole.pt" > "$work/cut.pt"
"$muzero" diagnose --checkpoint "$work/cut.pt" > /dev/null 2>&1
check "diagnose refuses a damaged checkpoint with status 2" [ $? -eq 2 ]

# 8. The shipped TicTacToe checkpoint draws against the perfect expert from both seats.
for seat in 0 1; do
  "$muzero" evaluate --checkpoint "$(dirname "$config")/../models/pretrained/tictactoe.pt" \
    --opponent expert --games 2 --muzero-player "$seat" --json > "$work/ttt$seat.json" 2>&1
  check "the shipped TicTacToe checkpoint draws the expert from seat $seat" \
    grep -q '"draws":{"count":2,' "$work/ttt$seat.json"
  if [ "$failures" -ne 0 ]; then cat "$work/ttt$seat.json"; fi
done
"$muzero" evaluate --checkpoint "$(dirname "$config")/../models/pretrained/tictactoe.pt" \
  --opponent random --games 4 --average-symmetries --json > "$work/ttt_averaged.json" 2>&1
check "evaluate --average-symmetries plays the games" grep -q '^{"games":4,' "$work/ttt_averaged.json"
# Against every line of replies: the counts add up, and a one-player game is refused.
"$muzero" evaluate --checkpoint "$shipped/tictactoe.pt" --opponent every-line --json \
  > "$work/ttt_lines.json" 2>&1
check "every-line counts add up" awk -F'[:,}]' '{ exit !($2 > 0 && $2 == $4 + $6 + $8) }' \
  "$work/ttt_lines.json"
"$muzero" evaluate --checkpoint "$shipped/cartpole.pt" --opponent every-line > /dev/null 2>&1
check "every-line refuses a one-player game" [ $? -eq 2 ]

# 8b. A zoo game trains from its own config (simple_grid, 1000 steps: a few seconds) and is
# evaluated beside its expert; --baseline needs a one-player game with an expert.
"$muzero" train --config "$(dirname "$config")/simple_grid.yaml" --set training.training_steps=1000 \
  --set output.results_dir="$work/zoo" > "$work/zoo.log" 2>&1
check "simple_grid trains from its config" [ $? -eq 0 ]
"$muzero" evaluate --checkpoint "$(run_dir_of "$work/zoo" simple_grid)/checkpoint.pt" --games 20 \
  --baseline expert > "$work/zoo_eval.txt" 2>&1
check "simple_grid evaluates beside its expert" grep -q "MuZero did as well in [0-9]* of 20" "$work/zoo_eval.txt"
"$muzero" evaluate --checkpoint "$shipped/cartpole.pt" --games 1 --baseline expert > /dev/null 2>&1
check "--baseline refuses a game without an expert" [ $? -eq 2 ]

# 9. The shipped Connect4 checkpoint loads and plays.
"$muzero" evaluate --checkpoint "$(dirname "$config")/../models/pretrained/connect4.pt" \
  --opponent random --games 2 --json > "$work/connect4.json" 2>&1
check "the shipped Connect4 checkpoint plays" grep -q '^{"games":2,' "$work/connect4.json"
if [ "$failures" -ne 0 ]; then cat "$work/connect4.json"; fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
