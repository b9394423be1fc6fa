#!/bin/bash
# Training across hosts, emulated with network namespaces joined by veth links to a bridge: the
# learner in one namespace (no local self-play workers), two `muzero worker --run-dir` in two
# others, found through the run directory's endpoint file (the "shared file system"), with
# addresses that exist inside the namespaces only. Checks:
#  - both workers attach (the counters say 2 remote) and training runs on their games;
#  - one worker's link is cut for 20 s: training goes on with the other, and after the link is
#    restored the cut worker plays again by itself;
#  - every learner process is killed with SIGKILL and the learner restarted with --resume on new
#    ports: both workers find it through the endpoint file and join again by themselves;
#  - training finishes, and both workers then exit 0 on their own.
# Exits 77 (skipped) where network namespaces cannot be made.
set -u
muzero="$1"
config="$2"
here=$(dirname "$0")
. "$here/netns.sh"
prefix="mh$(($$ % 10000))"  # interface names are at most 15 bytes: PREFIX-learner
hosts=(learner w1 w2)
work=$(mktemp -d)
cleanup() {
  netns_down "$prefix" "${hosts[@]}"
  pkill -KILL -f "$work" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
if [ "$(id -u)" -ne 0 ] || ! netns_up "$prefix" 10.77.0 "${hosts[@]}"; then
  echo "SKIP: network namespaces cannot be made here (needs root with CAP_NET_ADMIN)"
  exit 77
fi
learner_ip=10.77.0.1
failures=0
passes=0
check() {  # check DESCRIPTION COMMAND...
  local description="$1"; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $description"; failures=$((failures + 1)); fi
}
run="$work/run"
counter() { awk -v name="$1" '$1 == name { print int($2) }' "$run/counters.txt" 2>/dev/null; }
at_least() { local v; v=$(counter "$1"); [ -n "$v" ] && [ "$v" -ge "$2" ]; }
wait_for() {  # wait_for SECONDS COMMAND...: polls every 0.2 s until COMMAND succeeds
  local limit=$(( $1 * 5 )); shift
  for _ in $(seq "$limit"); do "$@" && return 0; sleep 0.2; done
  return 1
}
# A worker's progress line with moves/s > 0, after line $2 of its log.
plays_after_line() { tail -n +"$(($2 + 1))" "$work/$1.log" | grep -Eq 'moves \([1-9][0-9]* moves/s\)'; }
joins() { grep -c "joined" "$work/$1.log"; }
tiny=(--set self_play.num_workers=0 --set self_play.num_simulations=10
      --set self_play.num_parallel_games=8 --set training.batch_size=32
      --set test.episodes=1 --set test.interval_steps=100000)

# Secrets made ahead, as for Kubernetes: the learner uses them, w2 takes the token from
# MUZERO_TOKEN, w1 from the file the endpoint names.
"$muzero" secrets --out "$work/secrets" > /dev/null
check "muzero secrets refuses to overwrite" bash -c "! '$muzero' secrets --out '$work/secrets' 2>/dev/null"
netns_run "$prefix" learner "$muzero" train --config "$config" --run-dir "$run" "${tiny[@]}" \
  --secrets "$work/secrets" --set training.training_steps=1000000 --listen 0.0.0.0:0 --advertise "$learner_ip" \
  > "$work/learner1.log" 2>&1 &
learner=$!
netns_run "$prefix" w1 "$muzero" worker --run-dir "$run" --worker-id 1 > "$work/w1.log" 2>&1 &
pid_w1=$!
MUZERO_TOKEN=$(cat "$work/secrets/token") netns_run "$prefix" w2 "$muzero" worker --run-dir "$run" \
  --worker-id 2 > "$work/w2.log" 2>&1 &
pid_w2=$!

# 1. Both workers attach over TCP; training runs on their games.
check "both workers attach as remote workers" wait_for 90 at_least workers_remote 2
check "training runs on the remote workers' games" wait_for 60 at_least training_step 30
# Fully connected networks act natively: `muzero worker` hands itself to muzero-role (no LibTorch).
lite_workers() { [ "$(pgrep -fc "muzero-role worker --run-dir $run")" -ge 2 ]; }
check "the workers run as muzero-role, without LibTorch" lite_workers
check "the run uses the secrets made ahead" cmp -s "$work/secrets/token" "$run/token"
check "the endpoint names the learner's address inside its namespace" \
  grep -q "storage: tcp:$learner_ip:" "$run/endpoint"
check "the learner's status line counts the remote workers" \
  wait_for 30 grep -q "workers 0 + 2 remote" "$work/learner1.log"

# 2. Cut w1's link for 20 s.
ip link set "$prefix-w1" down
cut_line=$(wc -l < "$work/w1.log")
before=$(counter training_step)
sleep 20
check "training went on during the cut ($before -> $(counter training_step))" \
  at_least training_step $((before + 10))
ip link set "$prefix-w1" up
restored_line=$(wc -l < "$work/w1.log")
check "the cut worker plays again by itself after the link is restored" \
  wait_for 120 plays_after_line w1 "$restored_line"
check "both workers attached after the cut" wait_for 120 at_least workers_remote 2
echo "w1 around the cut:"; tail -n +"$((cut_line + 1))" "$work/w1.log" | head -6 | cut -c1-160

# 3. The learner's host dies: every process in its namespace killed at once.
joins_before_w1=$(joins w1)
joins_before_w2=$(joins w2)
for pid in $(ip netns pids "$prefix-learner"); do kill -KILL "$pid" 2>/dev/null; done
wait "$learner" 2>/dev/null
sleep 3
steps=$(counter training_step)
netns_run "$prefix" learner "$muzero" train --resume "$run" \
  --set training.training_steps=$((steps + 150)) --listen 0.0.0.0:0 --advertise "$learner_ip" \
  > "$work/learner2.log" 2>&1 &
learner=$!
check "w1 joins the restarted learner by itself" \
  wait_for 120 bash -c "[ \$(grep -c joined '$work/w1.log') -gt $joins_before_w1 ]"
check "w2 joins the restarted learner by itself" \
  wait_for 120 bash -c "[ \$(grep -c joined '$work/w2.log') -gt $joins_before_w2 ]"

# 4. Training finishes; the workers leave by themselves.
finished() { ! kill -0 "$learner" 2>/dev/null; }
check "the resumed run finishes" wait_for 240 finished
wait "$learner"
check "the learner exits 0" [ $? -eq 0 ]
check "the endpoint says finished" grep -q "status: finished" "$run/endpoint"
for w in w1 w2; do
  eval "pid=\$pid_$w"
  gone() { ! kill -0 "$pid" 2>/dev/null; }
  check "$w leaves by itself when training is done" wait_for 60 gone
  wait "$pid"
  check "$w exits 0" [ $? -eq 0 ]
done
check "the run's checkpoint is saved" test -s "$run/checkpoint.pt"

if [ "$failures" -ne 0 ]; then
  for f in learner1 learner2 w1 w2; do echo "--- $f"; tail -15 "$work/$f.log" | cut -c1-200; done
fi
echo "multi_host: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
