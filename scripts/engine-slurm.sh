#!/bin/sh
# The Slurm engine (make ... ENGINE=slurm; scripts/engines.mk). Every computation of a study runs
# in jobs; the submitting host (a cluster's login node) only submits, follows and collects:
#
#   plan job      `make plan` for every run of the study (what make would redo: the content
#                 stamps), packs the units still to do into array tasks and submits them (arrays
#                 split to fit MaxArraySize), then the collect job;
#   array tasks   SEEDS_PER_TASK units each: a seed (`make train`; `make checks train` when the
#                 pages are wanted), or with SPLIT=points a seed's other trainings (`make
#                 train-rest`) or one sweep point (`bnlab --point K sweep`);
#   collect job   (after the arrays, whatever their end) names each failed unit with its Slurm
#                 state and resubmits the failed tasks up to SLURM_RETRIES times (twice the time
#                 after a TIMEOUT, twice the memory after OUT_OF_MEMORY), then runs the merge
#                 (scripts/merge.sh) and the make goals themselves (make -j with the job's cores:
#                 the statistics, then the pages, each after the study, as each judges its
#                 differences by the study's seed-to-seed noise), so the make on the submitting
#                 host has nothing left to do.
#
#   scripts/engine-slurm.sh submit [--out SEEDS_RUN] [--also RUN:SEED] RUN:SEED...
#       (make, after building the programs) Submit the plan job, or reattach to the study's jobs
#       when they are still in the queue; then follow them to the end with a progress line, or
#       with DETACH=1 return at once. One make at a time follows a study (a lock).
#   scripts/engine-slurm.sh status [NAME]   the progress of the study NAME, or of every study
#   scripts/engine-slurm.sh plan|collect STATE, task STATE MAP   (inside the jobs)
#
# A study's state is data/slurm/NAME/ (NAME: the several-seed folder's name, or the run's):
# settings, the units and tasks, the job ids (jobs), each task's status and log, the collect
# job's messages and result. It is removed when make has collected a finished study.
#
# Environment (from make, each value checked there): BNFLAGS (words split at blanks, each judged
# by bnlab), SPLIT, QUIET, DETACH, SEEDS_PER_TASK, SLURM_MAX_RUNNING (%N throttle), SLURM_RETRIES
# (default 1), SLURM_PARTITION, SLURM_ACCOUNT, SLURM_MEM, SLURM_TIME_TRAIN (array tasks),
# SLURM_TIME_PAGE and SLURM_CPUS_PAGE (plan and collect jobs), SLURM_POLL (default 5), SLURM_FLAGS (more sbatch
# options for every job, split into words as a shell splits them but never run:
# scripts/words.awk; the variables above come after them and win), BN_GOALS, BN_SEEDS, BN_SEED,
# BN_RUN, BN_REPORT_SRC (the make command the collect job finishes with).
# The cluster needs this folder on a filesystem shared by every node (the same path), and the
# dataset at the same path on every node (scripts/dataset.sh runs once, here). Each job runs make
# with JOBS=SLURM_CPUS_PER_TASK (default 1); no result byte depends on it.
# (globbing off: the options are split into words at blanks, never matched against file names)
set -euf
# a batch script runs from a copy in slurmd's spool: the jobs start in the project (--chdir)
[ -n "${SLURM_JOB_ID:-}" ] || cd "$(dirname "$0")/.."
root=$(pwd)
export OPENBLAS_NUM_THREADS=1
user=$(id -un)

# the training split by point (its registry row's .split), its completion file and the stem of
# its parts' folders (RUN/parts/STEM-K), from the registry as bnlab prints it
sx=$(build/bnlab list-files --make 2>/dev/null | sed -n 's/^BN_SPLIT := *//p') || sx=
sx_done=$(build/bnlab list-files 2>/dev/null | awk -F'\t' -v x="$sx" '$1 == x && $4 == "yes" { print $3 }') || sx_done=
sx_stem=${sx_done%.tsv}

say() { [ "${QUIET:-}" = 1 ] || echo "slurm: $*" >&2; }
die() { echo "slurm: $*" >&2; exit 1; }
# one of the study's settings (key TAB value lines, written once by submit)
get() { awk -F'\t' -v k="$1" '$1 == k { sub(/^[^\t]*\t/, ""); print; exit }' "$state/settings"; }
note() { printf '%s\n' "$*" >> "$state/messages"; }   # for the follower, from the jobs
rel() { echo "${1#"$root"/}"; }

# sbatch KIND MODE [MAP] OPTION...: a job of this script; SLURM_FLAGS's words, then the resources of
# KIND (train: the array tasks; page: the plan and collect jobs)
sbatch_job() {
  kind=$1 mode=$2 map=$3
  shift 3
  while IFS= read -r w; do [ -z "$w" ] || set -- "$@" "${w#w}"; done < "$state/sbatch.words"
  v=$(get partition); [ -z "$v" ] || set -- "$@" --partition="$v"
  v=$(get account);   [ -z "$v" ] || set -- "$@" --account="$v"
  v=$(get mem);       [ -z "$v" ] || set -- "$@" --mem="$v"
  v=$(get "time_$kind"); [ -z "$v" ] || set -- "$@" --time="$v"
  [ "$kind" != page ] || { v=$(get cpus_page); [ -z "$v" ] || set -- "$@" --cpus-per-task="$v"; }
  set -- "$@" --chdir="$root" "$root/scripts/engine-slurm.sh" "$mode" "$state"
  [ -z "$map" ] || set -- "$@" "$map"
  sbatch "$@"
}

# a Slurm query, tried 3 times (a busy controller answers late): its output, or status 1 with the
# last error's first line in STATE.qerr (qerr prints it: callers run query in a subshell)
query() {
  k=0
  while :; do
    if out=$("$@" 2>"$state.qerr"); then rm -f "$state.qerr"; printf '%s\n' "$out"; return 0; fi
    k=$((k + 1)); [ $k -lt 3 ] || return 1
    sleep "${SLURM_POLL:-5}"
  done
}
qerr() { e=$(head -n 1 "$state.qerr" 2>/dev/null || true); rm -f "$state.qerr"; echo "${e:-no message}"; }

# Slurm time (M, M:S, H:M:S, D-H, D-H:M, D-H:M:S) doubled, as H:MM:SS; empty for UNLIMITED
time2() {
  echo "$1" | awk '{ d = 0; t = $0
    if (t !~ /^[0-9:-]+$/) exit
    if (index(t, "-")) { d = substr(t, 1, index(t, "-") - 1); t = substr(t, index(t, "-") + 1); n = split(t, a, ":"); s = a[1] * 3600 + (n > 1 ? a[2] * 60 : 0) + (n > 2 ? a[3] : 0) }
    else { n = split(t, a, ":"); s = n == 1 ? a[1] * 60 : n == 2 ? a[1] * 60 + a[2] : a[1] * 3600 + a[2] * 60 + a[3] }
    s = 2 * (s + d * 86400); printf "%d:%02d:%02d\n", s / 3600, s % 3600 / 60, s % 60 }'
}
# Slurm memory (N or N with K, M, G, T) doubled
mem2() { echo "$1" | awk '/^[0-9]+[KMGTkmgt]?$/ { u = $0; sub(/^[0-9]+/, "", u); printf "%d%s\n", 2 * $0, u }'; }

# ======================================================================== inside the cluster
# submit_tasks ATTEMPT: the tasks listed in STATE/tasks-ATTEMPT.list as job arrays of at most
# MaxArraySize tasks (throttled to SLURM_MAX_RUNNING at once), then the collect job after them
submit_tasks() {
  a=$1
  list=$state/tasks-$a.list
  max=$(query scontrol show config | awk '$1 == "MaxArraySize" { print $3 }') || max=
  [ -n "$max" ] && [ "$max" -gt 0 ] 2>/dev/null || max=1001
  thr=$(get max_running)
  mkdir -p "$state/maps"
  split -l "$max" -a 4 "$list" "$state/maps/$a-"
  ids=
  for map in $(ls "$state/maps" | grep "^$a-"); do
    m=$(wc -l < "$state/maps/$map")
    arr=$(sbatch_job train task "$state/maps/$map" --parsable --job-name=bnlab-train \
            --array="0-$((m - 1))${thr:+%$thr}" --output="$state/logs/slurm-%A_%a.log") || {
      [ -z "$ids" ] || scancel $ids 2>/dev/null || true
      note "slurm: sbatch failed for an array of $m task(s) (attempt $a); see $(rel "$state")/logs"
      echo failed > "$state/result"; exit 1; }
    arr=${arr%%;*}
    printf 'train %s %s %s\n' "$arr" "$a" "$map" >> "$state/jobs"
    ids="$ids $arr"
  done
  dep=$(echo $ids | tr ' ' ':')
  c=$(sbatch_job page collect "" --parsable --job-name=bnlab-collect --dependency=afterany:"$dep" \
        --output="$state/logs/collect-$a.log") || {
    scancel $ids 2>/dev/null || true
    note "slurm: sbatch of the collect job failed (attempt $a)"; echo failed > "$state/result"; exit 1; }
  printf 'collect %s %s -\n' "${c%%;*}" "$a" >> "$state/jobs"
  echo "$a" > "$state/attempt"
}

# the make of one unit, as a local make runs it: never rebuilding, with the dataset chosen on the
# submitting host and no training lock (the task has its own cores)
mk_unit() {   # RUN SEED GOAL
  ( unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES BNLAB_INVOCATION
    ${MAKE:-make} --no-print-directory -o build/bnlab -o build/bnagg -o build/bnreport ENGINE=local TRAIN_LOCK= \
      SEED="$2" RUN="$1" JOBS="$j" BNFLAGS="$flags" QUIET="$(get quiet)" $3 )
}

if [ "${1:-}" = task ]; then
  state=$2 map=$3
  i=${SLURM_ARRAY_TASK_ID:?not in a Slurm array task}
  t=$(sed -n "$((i + 1))p" "$map")
  [ -n "$t" ] || die "array index $i: not in $map"
  a=${map##*/}; a=${a%%-*}
  units=$(awk -F'\t' -v t="$t" '$1 == t { print $2; exit }' "$state/tasks.tsv")
  exec >> "$state/logs/task-$t.log" 2>&1
  rm -f "$state/status/$t"
  for u in $units; do rm -f "$state/ustatus/$u"; done
  # status file last, so the collect job tells a failure from a task killed without one
  trap 'rc=$?; echo "$rc" > "$state/status/$t"' EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  flags=$(get flags)
  BNLAB_DATASET_ARGS=$(get ds); export BNLAB_DATASET_ARGS
  ds=$BNLAB_DATASET_ARGS
  j=${SLURM_CPUS_PER_TASK:-1}
  echo "== bnlab task $t (attempt $a, job ${SLURM_ARRAY_JOB_ID:-?}_$i) on $(hostname), $(date '+%F %T'): units $units"
  bad=0
  for u in $units; do
    line=$(awk -F'\t' -v u="$u" '$1 == u { print; exit }' "$state/units.tsv")
    seed=$(echo "$line" | cut -f2) point=$(echo "$line" | cut -f3) run=$(echo "$line" | cut -f4) goal=$(echo "$line" | cut -f5)
    echo "-- unit $u: seed $seed, $point, $run"
    # the test suite's way to make one task outlive its time limit (first attempt only)
    [ "${BN_TEST_HANG_SEED:-}" != "$seed" ] || [ "$a" != 1 ] || sleep 3600
    rc=0
    # shellcheck disable=SC2086
    case "$point" in
      all)  { [ -f "$run/$sx_done" ] || rm -rf "$run/parts" "$run/.stamps/parts"; } && mk_unit "$run" "$seed" "$goal" || rc=$? ;;
      rest) mk_unit "$run" "$seed" train-rest || rc=$? ;;
      *)    if [ -f "$run/parts/$sx_stem-$point/$sx_done" ] && cmp -s "$run/.stamps/parts/$point" "$run/.stamps/$sx.want"; then
              echo "(done by an earlier attempt)"
            else
              build/bnlab $flags --seed "$seed" --out "$run" "${ds%% *}" "${ds#* }" -j "$j" --point "$point" "$sx" &&
              # the part's stamp: the split training's content stamp it was made from
              mkdir -p "$run/.stamps/parts" &&
              cp "$run/.stamps/$sx.want" "$run/.stamps/parts/$point.tmp" &&
              mv "$run/.stamps/parts/$point.tmp" "$run/.stamps/parts/$point" || rc=$?
            fi ;;
    esac
    echo "$rc" > "$state/ustatus/$u"
    [ $rc -eq 0 ] || bad=$rc
  done
  exit $bad
fi

# the make goals' own work, once every unit is done: the sweep parts joined and the seeds
# aggregated (scripts/merge.sh), then the make command itself (checks of RUN, pages, statistics)
finish() {
  flags=$(get flags)
  j=${SLURM_CPUS_PER_TASK:-1}
  BNLAB_DATASET_ARGS=$(get ds); export BNLAB_DATASET_ARGS
  set --
  while IFS= read -r w; do set -- "$@" "$w"; done < "$state/merge.args"
  q=; [ "$(get quiet)" = 1 ] && q=-q
  # RUN beside the seeds (--also): its parts joined too, never aggregated
  also=$(get also)
  if [ -n "$also" ] && ! BNFLAGS=$flags scripts/merge.sh $q "$also" || ! BNFLAGS=$flags scripts/merge.sh $q "$@"; then
    note "slurm: the merge failed; log: $(rel "$state")/logs/collect-$(cat "$state/attempt" 2>/dev/null || echo 0).log"
    echo failed > "$state/result"; exit 1
  fi
  # train and seeds are done with the units and the merge (its bnagg is make seeds' rule); the
  # other goals' own work (checks, pages) is make's
  if [ -z "$(grep -vx 'train\|seeds\|[A-Z_]*=.*' "$state/make.args")" ]; then echo ok > "$state/result"; return 0; fi
  set --
  while IFS= read -r w; do set -- "$@" "$w"; done < "$state/make.args"
  if ! ( unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES BNLAB_INVOCATION
         ${MAKE:-make} --no-print-directory -j "$j" -o build/bnlab -o build/bnagg -o build/bnreport \
           ENGINE=local JOBS="$j" BNFLAGS="$flags" "$@" ); then
    note "slurm: the final make ($(sed -n 1p "$state/make.args")) failed; log: $(rel "$state")/logs/collect-$(cat "$state/attempt" 2>/dev/null || echo 0).log"
    echo failed > "$state/result"; exit 1
  fi
  echo ok > "$state/result"
}

# the state Slurm gives array task ID_INDEX: sacct (accounting), else the controller's record
# (kept MinJobAge seconds after the end), else unknown
# (have_sacct: set once by the caller, accounting answers or not)
have_sacct=no
task_state() {
  st=
  [ $have_sacct = no ] || st=$(query sacct -n -P -X -j "$1" -o State | head -n 1 | awk '{ print $1 }') || st=
  if [ -z "$st" ]; then
    st=$(query scontrol show job -o "$1" | tr ' ' '\n' | awk -F= '$1 == "JobState" { print $2; exit }') || st=
    [ -z "$st" ] || [ $have_sacct = yes ] || st="$st (accounting unavailable: the controller's record)"
  fi
  echo "${st:-unknown}"
}

if [ "${1:-}" = plan ]; then
  state=$2
  trap 'rc=$?; [ $rc -eq 0 ] || [ -f "$state/result" ] || { note "slurm: the plan job failed; log: $(rel "$state")/logs/plan.log"; echo failed > "$state/result"; }' EXIT
  flags=$(get flags) split=$(get split) per=$(get per_task)
  BNLAB_DATASET_ARGS=$(get ds); export BNLAB_DATASET_ARGS
  j=${SLURM_CPUS_PER_TASK:-1}
  unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
  # shellcheck disable=SC2086
  points=$(build/bnlab $flags --seed 0 config | awk -F'\t' '$1 == "points" { print $2 }')
  # make plan for every run, as many at once as the job has cores (about 0.4 s each); it writes
  # each run's configuration, dataset choice and content stamps as make does. A run folder not
  # there yet has everything to do (and its unit makes it all): no plan, unless split by point
  # (a point's task reads the stamps the plan writes)
  mkdir -p "$state/plan"
  i=0
  while IFS="$(printf '\t')" read -r r s g; do
    if [ "$split" != points ] && [ ! -e "$r" ]; then echo "all todo" > "$state/plan/$i"
    else printf '%d %s %s\n' $i "$r" "$s"; fi
    i=$((i + 1))
  done < "$state/pairs.tsv" |
    MAKE=${MAKE:-make} PLANS=$state/plan FLAGS=$flags xargs -r -P "$j" -L 1 sh -c '
      mkdir -p "$2" && $MAKE -s --no-print-directory -o build/bnlab -o build/bnagg ENGINE=local \
        RUN="$2" SEED="$3" BNFLAGS="$FLAGS" plan > "$PLANS/$1" 2>&1 ||
        { echo "make plan RUN=$2 SEED=$3 failed:" >&2; sed "s/^/  | /" "$PLANS/$1" >&2; exit 255; }' sh
  : > "$state/units.tsv.tmp"
  n=0 ndone=0 i=0
  while IFS="$(printf '\t')" read -r r s goal; do
    todo=$(awk '$2 == "todo" { print $1 }' "$state/plan/$i")
    i=$((i + 1))
    if [ "$split" = points ]; then
      if [ -z "$(echo "$todo" | grep -vx "$sx")" ]; then ndone=$((ndone + 1))
      else printf '%d\t%s\trest\t%s\t-\n' $n "$s" "$r" >> "$state/units.tsv.tmp"; n=$((n + 1)); fi
      if ! echo "$todo" | grep -qx "$sx"; then ndone=$((ndone + points))
      else
        k=0
        while [ $k -lt "$points" ]; do
          # a part is done when it was made from the split training's content stamp of today
          if [ -f "$r/parts/$sx_stem-$k/$sx_done" ] && cmp -s "$r/.stamps/parts/$k" "$r/.stamps/$sx.want"
          then ndone=$((ndone + 1))
          else printf '%d\t%s\t%d\t%s\t-\n' $n "$s" $k "$r" >> "$state/units.tsv.tmp"; n=$((n + 1)); fi
          k=$((k + 1))
        done
      fi
    elif [ -z "$todo" ] && [ "$goal" = train ]; then ndone=$((ndone + 1))
    else printf '%d\t%s\tall\t%s\t%s\n' $n "$s" "$r" "$goal" >> "$state/units.tsv.tmp"; n=$((n + 1)); fi
  done < "$state/pairs.tsv"
  mv "$state/units.tsv.tmp" "$state/units.tsv"
  # PER units to a task, in order (a seed's units stay together where PER allows)
  awk -F'\t' -v per="$per" '{ t = int(($1) / per); u[t] = u[t] (u[t] == "" ? "" : " ") $1; if (t > m) m = t }
    END { if (NR) for (k = 0; k <= m; k++) printf "%d\t%s\n", k, u[k] }' "$state/units.tsv" > "$state/tasks.tsv"
  nt=$(wc -l < "$state/tasks.tsv")
  echo "$n unit(s) to do in $nt task(s), $ndone already done"
  # (planned last: the follower then finds the arrays' ids in jobs)
  if [ "$n" -eq 0 ]; then
    echo 0 > "$state/attempt"
    printf '%s\t%s\t%s\n' "$n" "$nt" "$ndone" > "$state/planned"
    finish
    exit 0
  fi
  cut -f1 "$state/tasks.tsv" > "$state/tasks-1.list"
  submit_tasks 1
  printf '%s\t%s\t%s\n' "$n" "$nt" "$ndone" > "$state/planned"
  exit 0
fi

if [ "${1:-}" = collect ]; then
  state=$2
  trap 'rc=$?; [ $rc -eq 0 ] || [ -f "$state/result" ] || { note "slurm: the collect job failed; see its log in $(rel "$state")/logs"; echo failed > "$state/result"; }' EXIT
  a=$(cat "$state/attempt")
  failed=
  while read -r t; do
    [ "$(cat "$state/status/$t" 2>/dev/null)" = 0 ] || failed="$failed $t"
  done < "$state/tasks-$a.list"
  if [ -z "$failed" ]; then finish; exit 0; fi
  retries=$(get retries)
  if query sacct -n -X -j "${SLURM_JOB_ID:-1}" -o State >/dev/null; then have_sacct=yes; fi
  nfail=0 timeout=0 oom=0 cancelled=0
  for t in $failed; do
    nfail=$((nfail + 1))
    # the task's array job and index in this attempt
    set -- $(for map in $(ls "$state/maps" | grep "^$a-"); do
               awk -v t="$t" -v m="$map" '$1 == t { print m, NR - 1; exit }' "$state/maps/$map"; done)
    jid=$(awk -v m="$1" '$1 == "train" && $4 == m { print $2; exit }' "$state/jobs")
    st=$(task_state "${jid}_$2")
    case "$st" in TIMEOUT*) timeout=1 ;; OUT_OF_MEMORY*) oom=1 ;;
      unknown) st="state unknown: accounting unavailable" ;; esac
    # a task cancelled (scancel) means the study is not wanted: no retry
    case "$st" in CANCELLED*) cancelled=1 ;; esac
    code=$(cat "$state/status/$t" 2>/dev/null || echo "none")
    [ "$code" = none ] && code="no exit status" || code="exit status $code"
    # each unit that failed, and the one running when the task was killed; the units after it
    # were not reached
    stopped=0 unreached=0
    for u in $(awk -F'\t' -v t="$t" '$1 == t { print $2; exit }' "$state/tasks.tsv"); do
      us=$(cat "$state/ustatus/$u" 2>/dev/null || true)
      [ "$us" != 0 ] || continue
      if [ -z "$us" ]; then
        [ $stopped = 0 ] || { unreached=$((unreached + 1)); continue; }
        stopped=1
      fi
      line=$(awk -F'\t' -v u="$u" '$1 == u { print; exit }' "$state/units.tsv")
      seed=$(echo "$line" | cut -f2) point=$(echo "$line" | cut -f3)
      case "$point" in all) what="seed $seed" ;; rest) what="seed $seed (trainings but the $sx)" ;;
        *) what="seed $seed, $sx point $point" ;; esac
      note "slurm: $what failed: $st ($code; task $t, job ${jid}_$2, attempt $a); log: $(rel "$state")/logs/task-$t.log"
    done
    [ $unreached -eq 0 ] || note "slurm:   (task $t did not reach its $unreached unit(s) after that)"
    [ $nfail -le 3 ] && tail -n 3 "$state/logs/task-$t.log" 2>/dev/null | sed 's/^/slurm:   | /' >> "$state/messages"
  done
  if [ "$a" -le "$retries" ] && [ $cancelled = 0 ]; then
    b=$((a + 1))
    for t in $failed; do echo "$t"; done > "$state/tasks-$b.list"
    RTIME='' RMEM=''
    why=
    if [ $timeout = 1 ]; then
      cur=$(get time_train)
      [ -n "$cur" ] || cur=$(query scontrol show job -o "${jid}_$2" | tr ' ' '\n' | awk -F= '$1 == "TimeLimit" { print $2; exit }') || cur=
      RTIME=$(time2 "$cur")
      [ -z "$RTIME" ] || why=", --time=$RTIME (was $cur)"
    fi
    if [ $oom = 1 ] && [ -n "$(get mem)" ]; then RMEM=$(mem2 "$(get mem)"); why="$why, --mem=$RMEM"; fi
    # the raised limits, for this retry and the later ones
    [ -z "$RTIME" ] || { awk -F'\t' -v v="$RTIME" 'BEGIN { OFS = "\t" } $1 == "time_train" { $2 = v } { print }' "$state/settings" > "$state/settings.tmp" && mv "$state/settings.tmp" "$state/settings"; }
    [ -z "$RMEM" ] || { awk -F'\t' -v v="$RMEM" 'BEGIN { OFS = "\t" } $1 == "mem" { $2 = v } { print }' "$state/settings" > "$state/settings.tmp" && mv "$state/settings.tmp" "$state/settings"; }
    note "slurm: retrying $(wc -l < "$state/tasks-$b.list") task(s) (retry $a of $retries$why)"
    submit_tasks "$b"
    exit 0
  fi
  [ $cancelled = 0 ] || note "slurm: a task was cancelled: no retry"
  note "slurm: $nfail task(s) failed after $((a - 1)) retr$( [ $((a - 1)) = 1 ] && echo y || echo ies); nothing merged. Run the same make command again to submit only what is missing."
  echo failed > "$state/result"
  exit 1
fi

# ======================================================================== on the submit host
hms() { printf '%d:%02d:%02d' $(($1 / 3600)) $(($1 % 3600 / 60)) $(($1 % 60)); }

# the study's jobs still in the queue: lines "ARRAY_OR_JOB_ID STATE" (status 1: squeue failed 3 times)
queued() {
  ids=$(awk '{ print $2 }' "$state/jobs" 2>/dev/null | sort -u | paste -sd' ' -)
  [ -n "$ids" ] || return 0
  q=$(query squeue -h -r -u "$user" -o '%F %T') || return 1
  echo "$q" | awk -v ids=" $ids " 'index(ids, " " $1 " ") { print }'
}

# counts "DONE FAILED RUNNING PENDING TOTAL" of the array tasks, from their status files and the queue
counts() {
  total=0; [ -f "$state/tasks.tsv" ] && total=$(wc -l < "$state/tasks.tsv")
  ok=0 bad=0
  if [ -d "$state/status" ] && [ -n "$(ls "$state/status")" ]; then
    ok=$(cd "$state/status" && ls | xargs cat | grep -cx 0 || true)
    bad=$(( $(ls "$state/status" | wc -l) - ok ))
  fi
  trains=$(awk '$1 == "train" { print $2 }' "$state/jobs" 2>/dev/null | paste -sd' ' -)
  running=$(echo "$1" | awk -v ids=" $trains " 'index(ids, " " $1 " ") && ($2 == "RUNNING" || $2 == "COMPLETING")' | wc -l)
  pending=$(echo "$1" | awk -v ids=" $trains " 'index(ids, " " $1 " ") && ($2 == "PENDING" || $2 == "CONFIGURING")' | wc -l)
  # a failed task being retried counts as pending again
  [ $((ok + bad + running + pending)) -le "$total" ] || bad=$((total - ok - running - pending))
  [ "$bad" -ge 0 ] || bad=0
  echo "$ok $bad $running $pending $total"
}

# one line of where the study is
describe() {   # QUEUE
  p=$(awk '$1 == "plan" { print $2 }' "$state/jobs" 2>/dev/null)
  if [ ! -f "$state/tasks.tsv" ]; then
    ps=$(echo "$1" | awk -v p="$p" '$1 == p { print tolower($2) }')
    echo "planning (job $p ${ps:-ended})"; return
  fi
  set -- $(counts "$1")
  c=$(awk '$1 == "collect" { id = $2 } END { print id }' "$state/jobs" 2>/dev/null)
  a=$(cat "$state/attempt" 2>/dev/null || echo 1)
  left=
  if [ -n "${t0:-}" ] && [ "$1" -gt 0 ]; then
    el=$(($(date +%s) - t0))
    left="; elapsed $(hms $el), left ~$(hms $((el * ($5 - $1 - $2) / $1)))"
  fi
  extra=; [ "$a" -gt 1 ] && extra=" (retry $((a - 1)))"
  echo "$1/$5 tasks done, $3 running, $4 pending, $2 failed$extra; collect job ${c:-none}$left"
}

follow() {
  t0=$(date +%s)
  tty=0; [ -t 2 ] && tty=1
  shown=0 last="" lastt=0 gone=0 announced=0
  # interrupted: the jobs are ours, cancel them (by their ids)
  trap 'ids=$(awk "{ print \$2 }" "$state/jobs" | paste -sd" " -); scancel $ids 2>/dev/null; rm -rf "$state"; echo >&2; die "interrupted: cancelled jobs $ids"' INT TERM HUP
  while :; do
    if [ -f "$state/messages" ]; then
      n=$(wc -l < "$state/messages")
      if [ "$n" -gt "$shown" ]; then
        [ $tty = 1 ] && [ -n "$last" ] && printf '\r\033[K' >&2
        tail -n +"$((shown + 1))" "$state/messages" | head -n "$((n - shown))" >&2
        shown=$n last=
      fi
    fi
    if [ $announced = 0 ] && [ -f "$state/planned" ]; then
      announced=1
      set -- $(cat "$state/planned")
      arrays=$(awk '$1 == "train" && $3 == 1 { print $2 }' "$state/jobs" | paste -sd' ' -)
      if [ "$1" -eq 0 ]; then msg="nothing to train ($3 unit(s) up to date): merging and the make goals in the plan job"
      else msg="$1 unit(s) to do in $2 task(s) (job array(s) ${arrays:-?}), $3 already done"; fi
      [ $tty = 1 ] && [ -n "$last" ] && printf '\r\033[K' >&2
      say "planned: $msg"; last=
    fi
    [ -f "$state/result" ] && break
    # make killed (SIGKILL reaches no trap): stop following, the lock goes with this process
    if [ -n "${BN_MAKE_PID:-}" ] && ! kill -0 "$BN_MAKE_PID" 2>/dev/null; then
      die "make (pid $BN_MAKE_PID) has ended; the jobs go on: make status, or the same make command again, reattaches"
    fi
    if ! q=$(queued); then
      die "squeue failed 3 times ($(qerr)); the jobs go on: make status, or the same make command again, reattaches"
    fi
    if [ -z "$q" ]; then
      # every job has left the queue: the result file may come a moment later over NFS
      gone=$((gone + 1))
      [ $gone -lt 3 ] || die "the study's jobs ended without a result; logs in $(rel "$state")/logs"
    else gone=0
    fi
    if [ "${QUIET:-}" != 1 ]; then
      msg="slurm: $(describe "$q")"
      now=$(date +%s)
      if [ $tty = 1 ]; then printf '\r%s\033[K' "$msg" >&2
      elif [ "${msg%%;*}" != "${last%%;*}" ] || [ $((now - lastt)) -ge 60 ]; then echo "$msg" >&2; lastt=$now
      fi
      last=$msg
    fi
    sleep "${SLURM_POLL:-5}"
  done
  [ $tty = 1 ] && [ -n "$last" ] && echo >&2
  trap - INT TERM HUP
  if [ "$(cat "$state/result")" = ok ]; then
    n=$(cut -f2 "$state/planned" 2>/dev/null || echo 0)
    say "study $name done: $n task(s), the merge and the pages in jobs; total $(hms $(($(date +%s) - t0)))"
    rm -rf "$state" "$state.owner" "$state.failed" "$state.qerr"
    return 0
  fi
  rm -rf "$state.failed"; mv "$state" "$state.failed"
  die "study $name failed (above); its state and logs are kept in $(rel "$state").failed"
}

if [ "${1:-}" = status ]; then
  shift
  mkdir -p data/slurm
  found=0
  # (study names are run folder names: no blanks)
  set +f
  dirs=$(for x in data/slurm/*; do [ ! -f "$x/settings" ] || echo "${x##*/}"; done)
  set -f
  for d in $dirs; do
    state=$root/data/slurm/$d
    [ $# -eq 0 ] || [ "$d" = "$1" ] || [ "$d" = "$1.failed" ] || continue
    found=1
    if [ -f "$state/result" ]; then
      what="finished: $(cat "$state/result")"
      [ "$(cat "$state/result")" != ok ] || what="$what; the same make command collects it"
      case $d in *.failed) what="$what; logs in data/slurm/$d/logs" ;; esac
    else
      if q=$(queued); then what=$(describe "$q")
      else what="squeue failed 3 times ($(qerr)): progress unknown"; fi
    fi
    owner=; [ -f "$state.owner" ] && owner=$(cat "$state.owner")
    if [ -n "$owner" ] && command -v flock >/dev/null 2>&1 && ! flock -n "$state.lock" true 2>/dev/null; then
      what="$what; followed by make $owner"
    fi
    echo "slurm: $d: $what"
    tail -n 3 "$state/messages" 2>/dev/null | sed 's/^/  /'
  done
  [ $found = 1 ] || echo "slurm: no study in data/slurm/${1:+ named $1}"
  exit 0
fi

[ "${1:-}" = submit ] || die "usage: scripts/engine-slurm.sh submit [--out SEEDS_RUN] RUN:SEED... | status [NAME]"
shift
out=
[ "${1:-}" = --out ] && { out=$2; shift 2; }
also=   # --also RUN:SEED: trained too, not aggregated (make report's own run, when not a seed of SEEDS)
[ "${1:-}" = --also ] && { also=$2; shift 2; }
[ $# -gt 0 ] || die "no runs given"
for c in sbatch squeue scancel; do
  command -v $c >/dev/null 2>&1 || die "$c not found: ENGINE=slurm needs the Slurm client commands (Debian: slurm-client) and a cluster"
done
# SLURM_FLAGS as sbatch's words (scripts/words.awk), checked before anything is submitted
slurm_words=$(WORDS=${SLURM_FLAGS:-} awk -f scripts/words.awk) || case $? in
  2) die "SLURM_FLAGS='${SLURM_FLAGS:-}': a quote is not closed (accepted: words as a shell splits them, e.g. --comment='bn nightly'; nothing in them is run)" ;;
  *) die "SLURM_FLAGS: a quoted word holds a newline (accepted: words as a shell splits them, without newlines inside quotes)" ;;
esac

name=$(basename "${out:-${1%:*}}")
mkdir -p data/slurm
state=$root/data/slurm/$name
# One make follows a study at a time: the lock is held while this make submits and follows
# (released by the kernel however it ends, SIGKILL included).
if command -v flock >/dev/null 2>&1; then
  exec 9>> "$state.lock"
  flock -n 9 || die "study $name is followed by another make ($(cat "$state.owner" 2>/dev/null || echo "pid unknown")): make status shows its progress"
  echo "pid ${BN_MAKE_PID:-$$} on $(uname -n)" > "$state.owner"
fi

# what defines this call of the study: a rerun of the same call reattaches to its jobs
study=$(printf 'out=%s\nalso=%s\nsplit=%s\nflags=%s\ngoals=%s\nseeds=%s\nseed=%s\nrun=%s\nreport=%s\n' \
  "$out" "$also" "${SPLIT:-}" "${BNFLAGS:-}" "${BN_GOALS:-}" "${BN_SEEDS:-}" "${BN_SEED:-}" "${BN_RUN:-}" "${BN_REPORT_SRC:-}"; printf '%s\n' "$@")
if [ -f "$state/study" ]; then
  q=$(queued) || die "squeue failed 3 times ($(qerr)): cannot tell whether study $name's jobs still run; try again"
  if [ -f "$state/result" ] && [ "$(cat "$state/result")" = ok ] && [ "$(cat "$state/study")" = "$study" ]; then
    say "study $name: finished in the cluster since the last look; collected"
    [ ! -f "$state/messages" ] || cat "$state/messages" >&2
    rm -rf "$state" "$state.owner" "$state.failed" "$state.qerr"
    exit 0
  elif [ -n "$q" ] && [ ! -f "$state/result" ]; then
    ids=$(echo "$q" | awk '{ print $1 }' | sort -u | paste -sd' ' -)
    [ "$(cat "$state/study")" = "$study" ] ||
      die "study $name has jobs in the queue from another make command ($(grep '^goals=\|^flags=' "$state/study" | paste -sd' ' -)): wait for them (make status) or cancel them (scancel $ids)"
    if [ "${DETACH:-}" = 1 ]; then
      echo "slurm: $name: $(describe "$q")" >&2
      exit 0
    fi
    say "study $name: reattached to its jobs ($ids)"
    follow
    exit 0
  else
    # ended without being collected (failed, cancelled, or another call's): start again; make
    # plan in the new plan job finds what is already done
    [ ! -f "$state/messages" ] || { say "study $name: the last submission's messages:"; sed 's/^/  /' "$state/messages" >&2; }
    rm -rf "$state"
  fi
fi

# A new submission: the settings, the runs, the plan job.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
# the dataset, chosen once here (one download attempt, one banner) for every job
ds=$(scripts/dataset.sh) || die "no dataset (scripts/dataset.sh)"
rm -rf "$state"
mkdir -p "$state/logs" "$state/status" "$state/ustatus"
tab=$(printf '\t')
{
  printf 'flags\t%s\n' "${BNFLAGS:-}"
  printf 'ds\t%s\n' "$ds"
  printf 'quiet\t%s\n' "${QUIET:-}"
  printf 'split\t%s\n' "${SPLIT:-}"
  printf 'per_task\t%s\n' "${SEEDS_PER_TASK:-1}"
  printf 'max_running\t%s\n' "${SLURM_MAX_RUNNING:-}"
  printf 'retries\t%s\n' "${SLURM_RETRIES:-1}"
  printf 'partition\t%s\n' "${SLURM_PARTITION:-}"
  printf 'account\t%s\n' "${SLURM_ACCOUNT:-}"
  printf 'mem\t%s\n' "${SLURM_MEM:-}"
  printf 'time_train\t%s\n' "${SLURM_TIME_TRAIN:-}"
  printf 'time_page\t%s\n' "${SLURM_TIME_PAGE:-}"
  printf 'cpus_page\t%s\n' "${SLURM_CPUS_PAGE:-}"
  printf 'also\t%s\n' "$also"
} > "$state/settings"
printf '%s\n' "$slurm_words" > "$state/sbatch.words"
{ [ -z "$out" ] || printf '%s\n' --out "$out"; printf '%s\n' "$@"; } > "$state/merge.args"
# the runs with the make goals of each unit: the trainings, and the checks where the pages
# are wanted (the pages themselves after the study, in the collect job); RUN's own goal for RUN
goals=" ${BN_GOALS:-train} "
for pair in "$@" $also; do
  r=${pair%:*} s=${pair##*:} g=train
  case "$goals" in *" report "*) g="checks train" ;; esac
  if [ "$r" = "${BN_RUN:-}" ]; then
    case "$goals" in *" report "*) g="checks train" ;; *" run "*) g=run ;; esac
  fi
  printf '%s\t%s\t%s\n' "$r" "$s" "$g"
done > "$state/pairs.tsv"
case "$(cut -f1 "$state/pairs.tsv" | tr -d '\n')" in *"$tab"*) die "a run folder holds a tab" ;; esac
# the make command the collect job ends with: one argument a line
{
  for g in ${BN_GOALS:-train}; do echo "$g"; done
  [ -z "${BN_SEEDS:-}" ] || printf 'SEEDS=%s\n' "$BN_SEEDS"
  [ -z "${BN_SEED:-}" ] || printf 'SEED=%s\n' "$BN_SEED"
  [ -z "${BN_RUN:-}" ] || printf 'RUN=%s\n' "$BN_RUN"
  [ -z "${BN_REPORT_SRC:-}" ] || printf 'REPORT_SRC=%s\n' "$BN_REPORT_SRC"
  printf 'QUIET=%s\n' "${QUIET:-}"
} > "$state/make.args"
printf '%s\n' "$study" > "$state/study"
p=$(sbatch_job page plan "" --parsable --job-name=bnlab-plan --output="$state/logs/plan.log") || {
  rm -rf "$state"
  die "sbatch failed (the plan job; SLURM_FLAGS='${SLURM_FLAGS:-}')"; }
printf 'plan %s 0 -\n' "${p%%;*}" >> "$state/jobs"
if [ "${DETACH:-}" = 1 ]; then
  say "study $name: submitted plan job ${p%%;*} (it submits the array tasks and the collect job); detached: make status shows progress, the same make command collects; logs in $(rel "$state")/logs"
  exit 0
fi
say "study $name: submitted plan job ${p%%;*}; logs in $(rel "$state")/logs"
follow
