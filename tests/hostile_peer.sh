#!/bin/bash
# A real training run with --listen on loopback, attacked by a hostile peer (tests/hostile_peer.cpp)
# while it trains: unauthenticated and plaintext frames, a wrong token, oversized and half-sent
# frames, out-of-shape and NaN games and garbage weights sent with the valid token, forbidden
# counters, oversized batch requests, a flood of connections. Each attack must be refused and
# logged, and the run must finish its steps with its checkpoint, counters and replay buffer
# intact (they load, and the run resumes from them).
set -u
muzero="$1"
hostile="$2"
config="$3"
work=$(mktemp -d)
trap 'kill -KILL ${half:-} 2>/dev/null; pkill -KILL -f "$work" 2>/dev/null; rm -rf "$work"' EXIT
failures=0
passes=0
check() {  # check DESCRIPTION COMMAND...
  description="$1"; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $description"; failures=$((failures + 1)); fi
}
wait_for() {  # wait_for SECONDS COMMAND...: polls every 0.2 s
  local limit=$(( $1 * 5 )); shift
  for _ in $(seq "$limit"); do "$@" && return 0; sleep 0.2; done
  return 1
}
counter() { awk -v name="$2" '$1 == name { print int($2) }' "$1/counters.txt"; }
run_dir() { find "$work/results/cartpole" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n 1; }
training_started() {
  local run; run=$(run_dir)
  [ -n "$run" ] && [ -f "$run/counters.txt" ] && [ "$(counter "$run" training_step)" -gt 0 ]
}

steps=2500
port=$((20000 + RANDOM % 20000))
"$muzero" train --config "$config" --set training.batch_size=16 --set self_play.num_simulations=8 \
  --set game.max_moves=60 --set test.episodes=2 --set self_play.num_parallel_games=4 \
  --set training.checkpoint_interval=5 --set training.training_steps=$steps \
  --listen "127.0.0.1:$port" --set output.results_dir="$work/results" > "$work/run.log" 2>&1 &
pid=$!
check "training started" wait_for 120 training_started
run=$(run_dir)
token="$run/token"
storage="tcp:127.0.0.1:$port"
replay="tcp:127.0.0.1:$((port + 1))"
local_storage="unix:$run/sockets/storage.sock"
local_replay="unix:$run/sockets/replay.sock"
attack() { "$hostile" "$@" 2>> "$work/attacks.err"; }  # attack NAME ADDRESS [ARG]
refused() {  # refused NAME ADDRESS [ARG]: the attack was refused
  local name="$1" address="$2"; shift 2
  [ "$(attack "$name" "$address" "$token" "$@")" = refused ]
}

"$hostile" half-frame "$replay" "$token" > "$work/half.out" 2>&1 &
half=$!
check "half a frame is sent and held" wait_for 30 grep -q holding "$work/half.out"
check "a frame over TCP without TLS is refused" refused plaintext "$storage"
check "a frame before the handshake is refused" refused no-auth "$storage"
check "a wrong token is refused" refused wrong-token "$storage"
check "a wrong token is refused by the replay buffer too" refused wrong-token "$replay"
check "a frame announcing 400 MB is refused" refused oversized "$replay"
check "a game of 65536-value observations is refused" refused out-of-shape "$replay" 65536
check "a game of another shape is refused" refused out-of-shape "$replay" 5
check "weights from a self-play worker are refused" refused weights "$storage" self_play
check "garbage weights from a local trainer are refused" refused weights "$local_storage" trainer
check "training_done from a worker is refused" refused counter "$storage"
check "a NaN counter with an odd name is refused" refused nan-counter "$storage"
check "a batch request from a worker is refused" refused big-batch "$replay" self_play
check "a wait for a training step beyond 1 s is refused" refused long-wait "$storage"
check "a wait from the trainer's role is refused" refused wait "$local_storage" trainer
check "a batch of 2^20 samples is refused" refused big-batch "$local_replay" trainer
nan_refused=0
for _ in $(seq 30); do refused nan-game "$replay" && nan_refused=$((nan_refused + 1)); done
check "30 games with NaN observations are all refused" [ "$nan_refused" -eq 30 ]
flood=$(attack flood "$storage" "$token" 300)
check "a flood of connections is held open ($flood)" [ -n "$flood" ]
check "the run was still training after the attacks" kill -0 "$pid"
wait "$pid"
status=$?
kill -KILL "$half" 2>/dev/null
check "the attacked run exits 0" [ "$status" -eq 0 ]
check "and finished its steps" grep -q "finished after $steps training steps" "$work/run.log"

log="$run/muzero.log"
logged() { grep -q -- "$1" "$log"; }
check "plaintext logged" logged "storage: refused a connection from tcp:127.0.0.1:.*TLS handshake failed"
check "frame before the handshake logged" logged "refused a connection from .*message type 7 is not accepted here"
check "wrong token logged" logged "refused a connection from .*wrong token"
check "oversized frame logged" logged "refused a message from the self_play .*a payload of 419430400 bytes for message type 1 exceeds its limit"
check "huge game logged" logged "a payload of 1048[0-9]* bytes for message type 1 exceeds its limit"
check "out-of-shape game logged" logged "game record refused: observations of 5 values, but cartpole's have 4"
check "NaN game logged" logged "game record refused: an observation that is not finite"
check "weights from a worker logged" logged "weights are the trainer's to send, not the self_play's"
check "garbage weights logged" logged "refused a message from the trainer .*not a parameters encoding"
check "forbidden counter logged" logged "training_done is not the self_play's to change"
check "NaN counter logged" logged "counters: an unknown counter"
check "worker batch request logged" logged "batch requests are the trainer's to send"
check "oversized batch logged" logged "a batch of 1048576 samples; this run's is 16"
check "the flood logged" logged "too many connections"
check "refusals counted" [ "$(counter "$run" refused_by_storage)" -gt 300 ]
check "training_done set by the trainer" [ "$(counter "$run" training_done)" = 1 ]
check "the counters hold only known names" bash -c '! grep -q "odd" "$1"' _ "$run/counters.txt"
check "no process crashed" bash -c '! grep -qE "restarting it|terminate called|Segmentation" "$1"' _ "$work/run.log"
"$muzero" evaluate --checkpoint "$run/checkpoint.pt" --games 2 --json > "$work/eval.json" 2>&1
check "the checkpoint evaluates" grep -q '^{"games":2,' "$work/eval.json"
"$muzero" train --resume "$run" --set training.training_steps=$((steps + 10)) > "$work/resume.log" 2>&1
check "the run resumes" [ $? -eq 0 ]
check "with its replay buffer, every saved game fitting the run" \
  bash -c 'grep -q "replay buffer: resumed [1-9]" "$1" && ! grep -q "skipped" "$1"' _ "$work/resume.log"
if [ "$failures" -ne 0 ]; then tail -40 "$log"; tail -20 "$work/attacks.err"; fi
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
