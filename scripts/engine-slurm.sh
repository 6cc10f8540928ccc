#!/bin/sh
# The Slurm engine (make ... ENGINE=slurm; scripts/engines.mk): the trainings of a study run as
# one job array on the cluster, a merge job follows them, and make renders the pages locally.
#
#   scripts/engine-slurm.sh submit [--out SEEDS_RUN] [--also RUN:SEED] RUN:SEED...
#       (make, after building bnlab and bnagg) Find the units of work not yet done (`make plan`:
#       the content stamps, as make decides): one per seed (`make train`: every training of the
#       registry), or with SPLIT=points one per seed and sweep point (`bnlab --point K sweep`)
#       plus one per seed for the other trainings (`make train-rest`). Submit them as one `sbatch --array`, then the merge job
#       (scripts/merge.sh: sweep parts joined, the seeds aggregated into SEEDS_RUN) with
#       --dependency=afterok on the array; follow both to the end with a progress line. A failed
#       task is named with its seed, point and log; a rerun submits only what is still missing.
#   scripts/engine-slurm.sh task STATE      one array task (SLURM_ARRAY_TASK_ID) of STATE/units.tsv
#   scripts/engine-slurm.sh merge STATE     the merge job
#
# Environment (from make): BNFLAGS (words split at blanks, each judged by bnlab), SPLIT (points or
# empty), SLURM_FLAGS (passed to both sbatch calls, e.g. "--partition=short --time=1:00:00
# --comment='bn nightly'": split into words as a shell splits them, quotes and backslashes
# honoured, but nothing in it is run or expanded: scripts/words.awk), QUIET (1: no progress),
# SLURM_POLL (seconds between looks at the queue, default 5).
# The cluster needs this folder on a filesystem shared by every node (the same path), and the
# dataset at the same path on every node (scripts/dataset.sh runs once, here, and its answer is
# what every task uses). Each task runs make with JOBS=SLURM_CPUS_PER_TASK (default 1); no result
# byte depends on it. A task leaves its run folder as a local make would (stamps included), and
# the merge job records the joined sweep's stamp, so the local make afterwards retrains nothing.
# (globbing off: the options are split into words at blanks, never matched against file names)
set -euf
# a batch script runs from a copy in slurmd's spool: the tasks start in the project (--chdir)
[ -n "${SLURM_JOB_ID:-}" ] || cd "$(dirname "$0")/.."
root=$(pwd)
export OPENBLAS_NUM_THREADS=1

say() { [ "${QUIET:-}" = 1 ] || echo "slurm: $*" >&2; }
die() { echo "slurm: $*" >&2; exit 1; }

# -------------------------------------------------------------------------- inside the cluster
if [ "${1:-}" = task ]; then
  state=$2
  i=${SLURM_ARRAY_TASK_ID:?not in a Slurm array task}
  line=$(awk -F'\t' -v i="$i" '$1 == i { print; exit }' "$state/units.tsv")
  [ -n "$line" ] || die "task $i: not in $state/units.tsv"
  seed=$(echo "$line" | cut -f2) point=$(echo "$line" | cut -f3) run=$(echo "$line" | cut -f4)
  # status file last, so the follower tells a failure from a task still running
  trap 'rc=$?; echo "$rc" > "$state/status/$i"' EXIT
  flags=$(cat "$state/bnflags")
  IFS= read -r ds < "$run/dataset.args" || die "task $i: $run/dataset.args: missing or empty"
  j=${SLURM_CPUS_PER_TASK:-1}
  echo "bnlab task $i on $(hostname): seed $seed, unit $point, run $run"
  # The units run as make runs them here (make train, make train-rest), so each leaves its run
  # folder as a local make would, content stamps included. The submitting host chose the
  # dataset (BNLAB_DATASET_ARGS keeps it) and built the programs (-o: never rebuilt here);
  # the task has its own cores (TRAIN_LOCK=: not queued behind other tasks on the node).
  unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES BNLAB_INVOCATION
  export BNLAB_DATASET_ARGS="$ds"
  mk() { ${MAKE:-make} --no-print-directory -o build/bnlab -o build/bnagg ENGINE=local TRAIN_LOCK= \
           SEED="$seed" RUN="$run" JOBS="$j" BNFLAGS="$flags" QUIET="$(cat "$state/quiet")" "$@"; }
  # shellcheck disable=SC2086
  case "$point" in
    all)  rm -rf "$run/parts" "$run/.stamps/parts"; mk train ;;
    rest) mk train-rest ;;
    *)    build/bnlab $flags --seed "$seed" --out "$run" "${ds%% *}" "${ds#* }" -j "$j" --point "$point" sweep
          # the part's stamp: the sweep's content stamp it was made from (a rerun keeps the part when it is today's)
          mkdir -p "$run/.stamps/parts"
          cp "$run/.stamps/sweep.want" "$run/.stamps/parts/$point.tmp"
          mv "$run/.stamps/parts/$point.tmp" "$run/.stamps/parts/$point" ;;
  esac
  exit 0
fi
if [ "${1:-}" = merge ]; then
  state=$2
  trap 'rc=$?; echo "$rc" > "$state/status/merge"' EXIT
  BNFLAGS=$(cat "$state/bnflags")
  export BNFLAGS
  # merge.args: scripts/merge.sh's arguments, one per line
  set --
  while IFS= read -r a; do set -- "$@" "$a"; done < "$state/merge.args"
  scripts/merge.sh "$@"
  exit 0
fi

# -------------------------------------------------------------------------- on the submit host
[ "${1:-}" = submit ] || die "usage: scripts/engine-slurm.sh submit [--out SEEDS_RUN] RUN:SEED..."
shift
out=
[ "${1:-}" = --out ] && { out=$2; shift 2; }
also=   # --also RUN:SEED: trained too, not aggregated (make report's own run, when not a seed of SEEDS)
[ "${1:-}" = --also ] && { also=$2; shift 2; }
[ $# -gt 0 ] || die "no runs given"
for c in sbatch squeue scancel; do
  command -v $c >/dev/null 2>&1 || die "$c not found: ENGINE=slurm needs the Slurm client commands (Debian: slurm-client) and a cluster"
done
split=${SPLIT:-}
flags=${BNFLAGS:-}
poll=${SLURM_POLL:-5}
# SLURM_FLAGS as sbatch's words (scripts/words.awk), checked before anything is planned or submitted
slurm_words=$(WORDS=${SLURM_FLAGS:-} awk -f scripts/words.awk) || case $? in
  2) die "SLURM_FLAGS='${SLURM_FLAGS:-}': a quote is not closed (accepted: words as a shell splits them, e.g. --comment='bn nightly'; nothing in them is run)" ;;
  *) die "SLURM_FLAGS: a quoted word holds a newline (accepted: words as a shell splits them, without newlines inside quotes)" ;;
esac
# sbatch OPTION... with SLURM_FLAGS's words after them, then this script with MODE and the state folder
sbatch_with() {   # MODE OPTION...
  mode=$1
  shift
  while IFS= read -r w; do [ -z "$w" ] || set -- "$@" "${w#w}"; done <<WORDS
$slurm_words
WORDS
  sbatch "$@" "$root/scripts/engine-slurm.sh" "$mode" "$state"
}

# What is done: `make plan` per run (scripts/engines.mk) writes the run's configuration, dataset
# choice and content stamps as make does, and says which trainings make would rerun.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
# the dataset, chosen once here (one download attempt, one banner) for every plan and task
ds=$(scripts/dataset.sh) || die "no dataset (scripts/dataset.sh)"
export BNLAB_DATASET_ARGS="$ds"
# shellcheck disable=SC2086
build/bnlab $flags --seed 0 config >/dev/null
points=$(build/bnlab $flags --seed 0 config | awk -F'\t' '$1 == "points" { print $2 }')
split_exp=sweep   # the training bnlab splits by point (--point K); BN_SPLIT in scripts/engines.mk
stamp=$(date +%Y%m%d-%H%M%S)
name=$(basename "${out:-${1%:*}}")
state=$root/data/slurm/$name.$stamp.$$
mkdir -p "$state/logs" "$state/status"
printf '%s\n' "$flags" > "$state/bnflags"
{ [ -z "$out" ] || printf '%s\n' --out "$out"; printf '%s\n' "$@"; } > "$state/merge.args"
: > "$state/units.tsv"
printf '%s\n' "${QUIET:-}" > "$state/quiet"
# make plan for every run, as many at once as there are cores (about 0.5 s each); never
# rebuilding (-o: built just before)
mkdir -p "$state/plan"
i=0
for pair in "$@" $also; do printf '%d %s %s\n' $i "${pair%:*}" "${pair##*:}"; i=$((i + 1)); done |
  MAKE=${MAKE:-make} PLANS=$state/plan FLAGS=$flags xargs -P "$(nproc 2>/dev/null || echo 1)" -L 1 sh -c '
    mkdir -p "$2" && $MAKE -s --no-print-directory -o build/bnlab -o build/bnagg ENGINE=local \
      RUN="$2" SEED="$3" BNFLAGS="$FLAGS" plan > "$PLANS/$1" 2>&1 ||
      { echo "slurm: make plan RUN=$2 SEED=$3 failed:" >&2; sed "s/^/slurm:   | /" "$PLANS/$1" >&2; exit 255; }' sh ||
  die "planning failed (see above)"
n=0 ndone=0 i=0
for pair in "$@" $also; do
  r=${pair%:*} s=${pair##*:}
  todo=$(awk '$2 == "todo" { print $1 }' "$state/plan/$i")
  i=$((i + 1))
  if [ "$split" = points ]; then
    if [ -z "$(echo "$todo" | grep -vx "$split_exp")" ]; then ndone=$((ndone + 1))
    else printf '%d\t%s\trest\t%s\n' $n "$s" "$r" >> "$state/units.tsv"; n=$((n + 1)); fi
    if ! echo "$todo" | grep -qx "$split_exp"; then ndone=$((ndone + points))
    else
      k=0
      while [ $k -lt "$points" ]; do
        # a part is done when it was made from the sweep's content stamp of today
        if [ -f "$r/parts/exp6_sweep-$k/exp6_sweep.tsv" ] && cmp -s "$r/.stamps/parts/$k" "$r/.stamps/$split_exp.want"
        then ndone=$((ndone + 1))
        else printf '%d\t%s\t%d\t%s\n' $n "$s" $k "$r" >> "$state/units.tsv"; n=$((n + 1)); fi
        k=$((k + 1))
      done
    fi
  else
    if [ -z "$todo" ]; then ndone=$((ndone + 1))
    else printf '%d\t%s\tall\t%s\n' $n "$s" "$r" >> "$state/units.tsv"; n=$((n + 1)); fi
  fi
done

if [ $n -eq 0 ]; then
  say "nothing to train: all $ndone unit(s) up to date; merging locally"
  rm -rf "$state"
  # shellcheck disable=SC2046
  BNFLAGS=$flags exec scripts/merge.sh $([ "${QUIET:-}" = 1 ] && echo -q) ${out:+--out "$out"} "$@"
fi

# One array must fit the cluster's limit on array indices (MaxArraySize, 1001 by default).
max=$(scontrol show config 2>/dev/null | awk '$1 == "MaxArraySize" { print $3 }')
if [ -n "$max" ] && [ "$n" -ge "$max" ]; then
  rm -rf "$state"
  die "$n tasks do not fit one job array (the cluster's MaxArraySize is $max): fewer seeds per call, or no SPLIT=points"
fi

# Submit: the array, then the merge job that runs only if every task succeeded.
arr=$(sbatch_with task --parsable --job-name=bnlab-train --array=0-$((n - 1)) --chdir="$root" \
        --output="$state/logs/task-%a.log") ||
  die "sbatch failed (array of $n tasks; SLURM_FLAGS='${SLURM_FLAGS:-}')"
arr=${arr%%;*}
mrg=$(sbatch_with merge --parsable --job-name=bnlab-merge --dependency=afterok:"$arr" --kill-on-invalid-dep=yes \
        --chdir="$root" --output="$state/logs/merge.log") || { scancel "$arr"; die "sbatch of the merge job failed"; }
mrg=${mrg%%;*}
already=; [ $ndone -gt 0 ] && already="; $ndone unit(s) already done"
say "submitted job array $arr ($n task(s)$already) and merge job $mrg; logs in ${state#"$root"/}/logs"
# Interrupted here: the jobs are ours, cancel them (by their ids).
trap 'scancel "$arr" "$mrg" 2>/dev/null; echo >&2; die "interrupted: cancelled jobs $arr and $mrg"' INT TERM HUP

t0=$(date +%s)
tty=0; [ -t 2 ] && tty=1
hms() { printf '%d:%02d:%02d' $(($1 / 3600)) $(($1 % 3600 / 60)) $(($1 % 60)); }
last="" lastt=0
progress() {   # DONE FAILED RUNNING PENDING
  [ "${QUIET:-}" = 1 ] && return 0
  now=$(date +%s) el=$((now - t0))
  left="?"
  [ "$1" -gt 0 ] && left=$(hms $((el * (n - $1 - $2) / $1)))
  msg="slurm: $1/$n tasks done, $3 running, $4 pending, $2 failed; elapsed $(hms $el), left ~$left"
  if [ $tty = 1 ]; then printf '\r%s\033[K' "$msg" >&2
  elif [ "$msg" != "$last" ] && { [ "${msg%%;*}" != "${last%%;*}" ] || [ $((now - lastt)) -ge 60 ]; }; then
    echo "$msg" >&2; lastt=$now
  fi
  last=$msg
}
count_status() {   # prints "ok failed": the tasks' status files (0: success)
  all=$(ls "$state/status" | grep -c '^[0-9]' || true)
  ok=$(cd "$state/status" && grep -lx 0 $(ls | grep '^[0-9]') /dev/null 2>/dev/null | wc -l)
  echo "$ok $((all - ok))"
}
while :; do
  q=$(squeue -h -r -j "$arr" -o '%T' 2>/dev/null) || { sleep "$poll"; continue; }
  running=$(echo "$q" | grep -c '^RUNNING\|^COMPLETING' || true)
  pending=$(echo "$q" | grep -c '^PENDING\|^CONFIGURING' || true)
  set -- $(count_status)
  progress "$1" "$2" "$running" "$pending"
  [ $((running + pending)) -eq 0 ] && break
  sleep "$poll"
done
[ $tty = 1 ] && [ "${QUIET:-}" != 1 ] && echo >&2

# Every task has left the queue: the ones without status 0 failed (with no status at all:
# killed, e.g. by a time limit or node failure).
failed=0
i=0
while [ $i -lt $n ]; do
  st=$(cat "$state/status/$i" 2>/dev/null || echo "none")
  if [ "$st" != 0 ]; then
    failed=$((failed + 1))
    line=$(awk -F'\t' -v i="$i" '$1 == i { print; exit }' "$state/units.tsv")
    seed=$(echo "$line" | cut -f2) point=$(echo "$line" | cut -f3)
    case "$point" in all) what="seed $seed (all trainings)" ;; rest) what="seed $seed (trainings but the sweep)" ;;
      *) what="seed $seed, sweep point $point" ;; esac
    case "$st" in none) why="ended without a status (killed: time limit, node failure or scancel?)" ;; *) why="exit status $st" ;; esac
    echo "slurm: task $arr"_"$i failed: $what, $why; log: ${state#"$root"/}/logs/task-$i.log" >&2
    [ $failed -le 3 ] && tail -n 3 "$state/logs/task-$i.log" 2>/dev/null | sed 's/^/slurm:   | /' >&2
  fi
  i=$((i + 1))
done
if [ $failed -gt 0 ]; then
  scancel "$mrg" 2>/dev/null || true
  die "$failed of $n task(s) failed; merge job $mrg cancelled. Run the same make command again to submit only what is missing."
fi

say "all $n task(s) done in $(hms $(($(date +%s) - t0))); waiting for merge job $mrg"
while :; do
  q=$(squeue -h -j "$mrg" -o '%T' 2>/dev/null) || { sleep "$poll"; continue; }
  [ -z "$q" ] && break
  sleep "$poll"
done
st=$(cat "$state/status/merge" 2>/dev/null || echo none)
if [ "$st" != 0 ]; then
  tail -n 5 "$state/logs/merge.log" 2>/dev/null | sed 's/^/slurm:   | /' >&2
  die "merge job $mrg failed (status $st); log: ${state#"$root"/}/logs/merge.log"
fi
say "merge job $mrg done; total $(hms $(($(date +%s) - t0)))"
