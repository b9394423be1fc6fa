#!/bin/bash
# scripts/slurm/ on a real Slurm (Debian's slurm-wlm and munge, installed by
# scripts/test_tools.sh when missing): a private munged, slurmctld on this host and three slurmd
# "nodes" n1..n3, each in its own network namespace with its own address (tests/netns.sh), all
# configured in a temporary directory. Checks:
#  - `sbatch --nodes=2 scripts/slurm/train.sbatch` runs the learner on n1 and a self-play worker
#    as a job step on n2, which finds the learner through RUN_DIR/endpoint and trains with it;
#  - a second job, `sbatch --array=0-1 scripts/slurm/add_workers.sbatch RUN_DIR`, adds two
#    workers, and after `scancel` of that job the learner goes on training without them;
#  - `scancel` of the learner's job stops the run as Ctrl-C does: checkpoint, replay buffer and
#    counters saved, the endpoint says "stopped", and the run resumes from what was saved.
# Exits 77 (skipped) only where namespaces or the daemons cannot be set up (not root).
set -u
muzero=$(realpath "$1")
config=$(realpath "$2")
source_dir=$(realpath "$3")
here=$(dirname "$0")
. "$here/netns.sh"
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: a private Slurm cluster needs root (network namespaces, slurmd)"
  exit 77
fi
"$source_dir/scripts/test_tools.sh" slurm-wlm munge
case $? in 0) ;; 77) echo "SKIP: Slurm is not installed and cannot be"; exit 77 ;; *) exit 1 ;; esac

prefix="ms$(($$ % 10000))"  # interface names are at most 15 bytes
nodes=(n1 n2 n3)
subnet=10.78.0
work=$(mktemp -d)
chmod 755 "$work"  # munged runs as the munge user
export SLURM_CONF="$work/slurm.conf"
slurm_started=0
cleanup() {
  if [ "$slurm_started" = 1 ]; then
    jobs=$(timeout 10 squeue -h -o %i 2>/dev/null)
    [ -n "$jobs" ] && timeout 10 scancel --quiet --full $jobs 2>/dev/null
    for _ in $(seq 50); do [ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.2; done
  fi
  for f in "$work"/*.pid "$work"/munge/munged.pid; do
    [ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null
  done
  pkill -KILL -f "$work" 2>/dev/null
  netns_down "$prefix" "${nodes[@]}"
  rm -rf "$work"
}
trap cleanup EXIT
if ! netns_up "$prefix" "$subnet" "${nodes[@]}" || ! ip addr add "$subnet.254/24" dev "$prefix-br"; then
  echo "SKIP: network namespaces cannot be made here"
  exit 77
fi
failures=0
passes=0
check() {  # check DESCRIPTION COMMAND...
  local description="$1"; shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $description"; failures=$((failures + 1)); fi
}
wait_for() {  # wait_for SECONDS COMMAND...: polls every 0.2 s until COMMAND succeeds
  local limit=$(( $1 * 5 )); shift
  for _ in $(seq "$limit"); do "$@" && return 0; sleep 0.2; done
  return 1
}
fatal() {
  echo "FAIL: $1"
  for f in "$work"/*.log "$work"/*.out "$work"/munge/munged.log; do
    [ -f "$f" ] && { echo "--- $f"; tail -20 "$f" | cut -c1-200; }
  done
  exit 1
}

# munge, private to this test: its own socket and a copy of the key.
mkdir -p "$work/munge"
cp /etc/munge/munge.key "$work/munge/munge.key" 2>/dev/null ||
  dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 2>/dev/null
mkdir -p "$work/munge/run"
chown -R munge:munge "$work/munge"
chmod 700 "$work/munge"
chmod 755 "$work/munge/run"  # the socket's directory: every user's clients reach it
chmod 400 "$work/munge/munge.key"
chmod 711 "$work/munge"
socket="$work/munge/run/munge.socket"
runuser -u munge -- munged --socket="$socket" --key-file="$work/munge/munge.key" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
  --seed-file="$work/munge/munged.seed" || fatal "munged does not start"
wait_for 10 bash -c "munge -n -S '$socket' | unmunge -S '$socket' >/dev/null 2>&1" ||
  fatal "munge does not answer"

host=$(hostname -s)
mkdir -p "$work/state" "$work/spool"
cat > "$SLURM_CONF" <<CONF
ClusterName=muzerotest
SlurmctldHost=$host($subnet.254)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
KillWait=30
MinJobAge=300
SlurmdParameters=config_overrides
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool/%n
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd-%n.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd-%n.log
NodeName=n1 NodeAddr=$subnet.1 NodeHostname=n1 CPUs=2 State=UNKNOWN
NodeName=n2 NodeAddr=$subnet.2 NodeHostname=n2 CPUs=2 State=UNKNOWN
NodeName=n3 NodeAddr=$subnet.3 NodeHostname=n3 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=n[1-3] Default=YES MaxTime=INFINITE State=UP
CONF
slurm_started=1
slurmctld -D -f "$SLURM_CONF" > "$work/slurmctld.out" 2>&1 &
echo $! > "$work/slurmctld-main.pid"
disown
for n in "${nodes[@]}"; do
  mkdir -p "$work/spool/$n"
  netns_run "$prefix" "$n" unshare --uts sh -c \
    "hostname $n; exec slurmd -D -f '$SLURM_CONF' -N $n" > "$work/slurmd-$n.out" 2>&1 &
  echo $! > "$work/slurmd-main-$n.pid"
  disown
done
idle_nodes() { [ "$(sinfo -h -t idle -o %D 2>/dev/null)" = 3 ]; }
wait_for 60 idle_nodes || fatal "the three Slurm nodes do not come up"
echo "slurm: 3 nodes idle"

run="$work/run"
counter() { awk -v name="$1" '$1 == name { print int($2) }' "$run/counters.txt" 2>/dev/null; }
at_least() { local v; v=$(counter "$1"); [ -n "$v" ] && [ "$v" -ge "$2" ]; }
at_most() { local v; v=$(counter "$1"); [ -n "$v" ] && [ "$v" -le "$2" ]; }
job_gone() { [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; }
export MUZERO="$muzero" MUZERO_RUN_DIR="$run"

# 1. The learner's job: learner on n1, one worker step on n2.
learner_job=$(cd "$work" && sbatch --parsable --nodes=2 --output="$work/learner-%j.out" \
  "$source_dir/scripts/slurm/train.sbatch" "$config" --set self_play.num_workers=0 \
  --set self_play.num_simulations=10 --set self_play.num_parallel_games=8 \
  --set training.batch_size=32 --set test.episodes=1 --set test.interval_steps=100000 \
  --set training.training_steps=1000000) || fatal "sbatch refused the batch script"
out="$work/learner-$learner_job.out"
check "the learner's job runs" wait_for 30 bash -c "squeue -h -j $learner_job -t R | grep -q ."
wait_for 90 at_least workers_remote 1 ||
  fatal "the worker step on n2 does not attach: $(grep -v "\] step " "$out" | tail -20)"
passes=$((passes + 1))
check "training runs on its games" wait_for 60 at_least training_step 20
check "the learner runs on n1 and advertises n1's address" grep -q "storage: tcp:$subnet.1:" "$run/endpoint"
check "the job has a worker step on n2" \
  bash -c "squeue -h -s -j $learner_job -o '%i %N' | grep -q ' n2'"

# 2. Two more workers from a separate array job, then cancelled.
adder_job=$(cd "$work" && sbatch --parsable --array=0-1 --output="$work/adder-%A_%a.out" \
  "$source_dir/scripts/slurm/add_workers.sbatch" "$run") || fatal "sbatch refused add_workers"
check "the added workers attach (3 remote)" wait_for 90 at_least workers_remote 3
scancel "$adder_job"
check "the added workers' job ends" wait_for 60 job_gone "$adder_job"
check "after their cancellation 1 remote worker is left" wait_for 60 at_most workers_remote 1
steps=$(counter training_step)
check "training goes on without them" wait_for 60 at_least training_step $((steps + 20))
check "an added worker logged its play" \
  bash -c "grep -qh 'joined' '$work'/adder-${adder_job}_*.out"

# 3. scancel of the learner's job saves the run.
rm -f "$run/checkpoint.pt.tmp"
before=$(date +%s)
sleep 1
scancel "$learner_job"
check "the learner's job ends after scancel" wait_for 90 job_gone "$learner_job"
check "the run stopped as on Ctrl-C" wait_for 10 grep -q "stopped after" "$out"
check "the checkpoint was saved on stop" \
  bash -c "[ \$(stat -c %Y '$run/checkpoint.pt') -ge $before ]"
check "the replay buffer was saved on stop" \
  bash -c "[ \$(stat -c %Y '$run/replay_buffer.bin') -ge $before ]"
check "the endpoint says stopped" grep -q "status: stopped" "$run/endpoint"
saved_step=$(counter training_step)

# 4. The same batch script resumes the run (here on one node, a few more steps).
resume_job=$(cd "$work" && sbatch --parsable --nodes=1 --output="$work/resume-%j.out" \
  "$source_dir/scripts/slurm/train.sbatch" "$config" --set self_play.num_workers=1 \
  --set training.training_steps=$((saved_step + 20))) || fatal "sbatch refused the resume"
check "the resumed job finishes" wait_for 180 job_gone "$resume_job"
check "it resumed the run" grep -q "resuming the run" "$work/resume-$resume_job.out"
check "it trained on from the saved step" at_least training_step $((saved_step + 20))
check "the endpoint says finished" grep -q "status: finished" "$run/endpoint"

if [ "$failures" -ne 0 ]; then
  for f in "$work"/*.out "$work"/slurmctld.log; do echo "--- $f"; tail -15 "$f" | cut -c1-200; done
fi
echo "slurm: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
