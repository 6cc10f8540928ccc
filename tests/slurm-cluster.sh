#!/bin/sh
# A single-node Slurm cluster on this machine, for the tests (make test-slurm): private munged,
# slurmctld and slurmd, everything (key, sockets, state, logs, pid files, slurm.conf) in DIR.
#   tests/slurm-cluster.sh start DIR   start the daemons; prints the line `export SLURM_CONF=...`
#   tests/slurm-cluster.sh stop DIR    stop the daemons started in DIR, by the pids recorded there
# No cgroups (proctrack/linuxproc, task/none), no accounting; ports on localhost chosen free;
# MaxArraySize=8 (arrays of at most 8 tasks, so the tests see a study split over arrays) and
# KillWait=2 (a task over its time limit is killed 2 s after SIGTERM);
# SlurmUser is the caller (root in CI). DIR's parent folders must be reachable by all (munged
# checks its socket's path): use a folder made directly in /tmp (mktemp -d), not one nested in
# a private folder. Only processes whose pids this script recorded are
# ever signalled.
set -eu
cmd=${1:?usage: tests/slurm-cluster.sh start|stop DIR}
dir=${2:?usage: tests/slurm-cluster.sh start|stop DIR}

stop() {
  # SIGTERM to each daemon we started (slurmd, which runs the jobs' steps, first), all at once,
  # then up to 10 s for them to end (each takes about 2 s), then SIGKILL to any left
  pids=""
  for d in slurmd slurmctld munged; do
    f="$dir/$d.started"
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    # only if that pid is still the daemon we started (not a recycled pid)
    if [ -n "$pid" ] && grep -q "$d" "/proc/$pid/cmdline" 2>/dev/null && kill "$pid" 2>/dev/null; then
      pids="$pids $pid"
    fi
  done
  i=0
  for pid in $pids; do
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$dir/slurmd.started" "$dir/slurmctld.started" "$dir/munged.started"
}

free_port() {   # a TCP port nobody listens on, from a range away from the usual services
  while :; do
    p=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 + 30000 ))
    if command -v ss >/dev/null 2>&1; then
      ss -Htan 2>/dev/null | awk '{print $4}' | grep -q ":$p\$" || { echo "$p"; return; }
    else
      echo "$p"; return
    fi
  done
}

wait_for() {   # SECONDS WHAT CMD...: until CMD succeeds, at most SECONDS by the clock (a CMD that
  # hangs, as sinfo does while no slurmctld answers, counts its own time too)
  t=$1 what=$2; shift 2
  end=$(($(date +%s) + t))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$end" ]; then echo "slurm-cluster: $what did not come up in $t s (logs in $dir)" >&2; return 1; fi
    sleep 0.1
  done
}

case "$cmd" in
stop) stop; exit 0 ;;
start) ;;
*) echo "slurm-cluster: unknown command $cmd (accepted: start, stop)" >&2; exit 2 ;;
esac

mkdir -p "$dir/state" "$dir/spool"
chmod 755 "$dir"   # munged wants its socket's folder reachable by all
node=$(hostname -s)
cpus=$(nproc)
user=$(id -un)
cport=$(free_port)
dport=$(free_port)
while [ "$dport" = "$cport" ]; do dport=$(free_port); done

# munged: own key, socket, pid, log, seed
dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$dir/munge.key"
munged --socket="$dir/munge.sock" --key-file="$dir/munge.key" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munged.seed" -F >/dev/null 2>&1 &
echo $! > "$dir/munged.started"
if ! wait_for 10 munged test -S "$dir/munge.sock"; then
  tail -3 "$dir/munged.log" >&2 2>/dev/null || true
  stop; exit 1
fi

cat > "$dir/slurm.conf" <<CONF
ClusterName=bnlabtest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=$user
SlurmdUser=root
SlurmctldPort=$cport
SlurmdPort=$dport
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=300
MaxArraySize=8
KillWait=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=bnlab Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF="$dir/slurm.conf"
slurmctld -D -c -f "$dir/slurm.conf" >"$dir/slurmctld.out" 2>&1 &
echo $! > "$dir/slurmctld.started"
slurmd -D -f "$dir/slurm.conf" -N "$node" >"$dir/slurmd.out" 2>&1 &
echo $! > "$dir/slurmd.started"
node_idle() { timeout 5 sinfo -h -N -n "$node" -o '%T' | grep -Eq '^(idle|mixed|allocated)'; }
if ! wait_for 30 "the node $node" node_idle; then
  tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 2>/dev/null || true
  stop; exit 1
fi
echo "export SLURM_CONF=$dir/slurm.conf"
