#!/bin/sh
# make test-slurm: the Slurm engine on a real Slurm. Starts a single-node cluster on this machine
# (tests/slurm-cluster.sh: private munged, slurmctld, slurmd), runs a 4-seed study with small
# settings through it and checks that every result file is byte-identical to the same study run
# locally:
#   1. make report SEEDS=4 locally, in a copy of the tree;
#   2. make report SEEDS=4 ENGINE=slurm in another copy (one task per seed, a merge job, the pages
#      rendered locally); every result file compared with cmp;
#   3. SPLIT=points, a failing task and a rerun: seed 3's sweep removed and its parts folder made
#      impossible to create: the rerun submits only seed 3's sweep points (2 tasks), both fail and
#      are named with seed, point and log; fixed, the next rerun submits those 2 again, the merge
#      job joins the parts, and seed 3 is again byte-identical to the local run.
#   After each cluster run a local make reruns no training (its output starts no bnlab training,
#   and no result file is newer than before it): the tasks ran make's own rules (content stamps
#   written) and the merge job recorded the joined sweep's stamp (make adopt-sweep).
# The daemons are stopped by their pids, whatever happens (trap). Skips, saying why, where it
# cannot run: not root, or slurm-wlm/munge missing and not installable (scripts/deps.sh cluster).
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin test-slurm

[ "$(id -u)" -eq 0 ] || skip "needs root (slurmd starts the jobs as their owner); run make test-slurm as root"
have() { command -v slurmctld && command -v slurmd && command -v munged && command -v sbatch; }
if ! have >/dev/null 2>&1; then
  scripts/deps.sh cluster >&2 || skip "slurm-wlm and munge are missing and could not be installed (scripts/deps.sh cluster)"
  have >/dev/null 2>&1 || skip "slurm-wlm and munge are still missing after scripts/deps.sh cluster"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-slurm.XXXXXX")
cl=$(mktemp -d /tmp/bnlab-slurm-cluster.XXXXXX)   # directly in /tmp: munged checks its socket's path
cleanup() {
  tests/slurm-cluster.sh stop "$cl" || true
  rm -rf "$tmp" "$cl"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- dataset: as tests/e2e_report.sh ---
test_dataset "$tmp"
flags="--epochs 1 --points 2 --num-train 100 --speed-reps 1 --train-records 1000 --val-records 200 --test-records 100"

# Two copies of the tree with the built programs (times kept, so nothing is rebuilt).
for t in local slurm; do test_tree "$tmp/$t"; done

t0=$(date +%s)
$MAKE -C "$tmp/local" --no-print-directory report SEEDS=4 QUIET=1 BNFLAGS="$flags" >"$tmp/local.log" 2>&1 ||
  { tail -20 "$tmp/local.log" >&2; fail "the local study failed"; }
say "local study (4 seeds): $(($(date +%s) - t0)) s"

t0=$(date +%s)
conf=$(tests/slurm-cluster.sh start "$cl") || fail "the test cluster did not start (logs were in $cl)"
eval "$conf"
say "single-node cluster on $(hostname -s) ($(nproc) CPUs) up in $(($(date +%s) - t0)) s: $SLURM_CONF"

# compare: every result file of the local study, byte for byte, and the same list of files.
# Timing files and the report's provenance (dates, times) are left out.
compare() {
  ( cd "$tmp/local" && find data/runs -type f -name '*.tsv' ! -name '*.timing.tsv' ! -name provenance.info.tsv | sort ) > "$tmp/files.local"
  ( cd "$tmp/slurm" && find data/runs -type f -name '*.tsv' ! -name '*.timing.tsv' ! -name provenance.info.tsv | sort ) > "$tmp/files.slurm"
  diff "$tmp/files.local" "$tmp/files.slurm" >&2 || fail "$1: the Slurm study's result files are not the local study's (diff above)"
  n=0
  while read -r f; do
    cmp "$tmp/local/$f" "$tmp/slurm/$f" >&2 || fail "$1: $f differs from the local run's"
    n=$((n + 1))
  done < "$tmp/files.local"
  say "$1: $n result files byte-identical to the local study (cmp)"
}

t0=$(date +%s)
$MAKE -C "$tmp/slurm" --no-print-directory report SEEDS=4 ENGINE=slurm SLURM_POLL=1 QUIET= BNFLAGS="$flags" \
  >"$tmp/slurm.log" 2>&1 || { tail -20 "$tmp/slurm.log" >&2; fail "make report SEEDS=4 ENGINE=slurm failed"; }
grep -q 'submitted job array [0-9]* (4 task(s))' "$tmp/slurm.log" || { cat "$tmp/slurm.log" >&2; fail "expected one array of 4 tasks"; }
grep -q 'merge job [0-9]* done' "$tmp/slurm.log" || fail "no merge job was followed to its end"
grep -q '4/4 tasks done' "$tmp/slurm.log" || fail "no progress line reached 4/4"
trainings=$(build/bnlab list-files | awk -F'\t' '$2 == "training" && $4 == "yes" { print $1 }' | paste -sd'|')
if grep -E "^(flock [^ ]* )?build/bnlab .* ($trainings)\$" "$tmp/slurm.log"; then fail "make trained locally after the cluster run"; fi
# the cluster left every run folder as a local make would (content stamps included): a local
# make report afterwards reruns nothing (no result file rewritten, no bnlab training started)
touch "$tmp/marker"; sleep 1
$MAKE -C "$tmp/slurm" --no-print-directory report SEEDS=4 BNFLAGS="$flags" >"$tmp/after.log" 2>&1 ||
  { tail -20 "$tmp/after.log" >&2; fail "the local make report after the cluster run failed"; }
if grep -E "^(flock [^ ]* )?build/bnlab .* ($trainings)\$" "$tmp/after.log"; then fail "a local make report retrained after the cluster run"; fi
newer=$(cd "$tmp/slurm" && find data/runs -name 'exp*.tsv' -newer "$tmp/marker" | head -3)
[ -z "$newer" ] || fail "a local make report after the cluster run rewrote result files: $newer"
[ -s "$tmp/slurm/data/runs/seeds-0-1-2-3/report/index.html" ] || fail "the several-seed page was not rendered"
say "make report SEEDS=4 ENGINE=slurm: $(($(date +%s) - t0)) s (4 tasks, merge job, pages rendered locally)"
compare "ENGINE=slurm"

# A failing task, then a rerun that submits only what is missing (SPLIT=points).
t0=$(date +%s)
r=$tmp/slurm/data/runs/seed-3
rm -f "$r/exp6_sweep.tsv" && : > "$r/parts"
if $MAKE -C "$tmp/slurm" --no-print-directory seeds SEEDS=4 ENGINE=slurm SPLIT=points SLURM_POLL=1 BNFLAGS="$flags" \
   >"$tmp/fail.log" 2>&1; then fail "a study with failing tasks succeeded"; fi
grep -q 'submitted job array [0-9]* (2 task(s); 10 unit(s) already done)' "$tmp/fail.log" ||
  { cat "$tmp/fail.log" >&2; fail "the rerun did not submit exactly seed 3's 2 sweep points"; }
for k in 0 1; do
  grep -q "failed: seed 3, sweep point $k, exit status 1; log: data/slurm/.*/logs/task-[01].log" "$tmp/fail.log" ||
    { cat "$tmp/fail.log" >&2; fail "the failure of seed 3, point $k is not named with its log"; }
done
grep -q 'merge job [0-9]* cancelled' "$tmp/fail.log" || fail "the merge job was not cancelled after the failures"
rm -f "$r/parts"
$MAKE -C "$tmp/slurm" --no-print-directory seeds SEEDS=4 ENGINE=slurm SPLIT=points SLURM_POLL=1 BNFLAGS="$flags" \
  >"$tmp/rerun.log" 2>&1 || { tail -20 "$tmp/rerun.log" >&2; fail "the rerun failed"; }
grep -q 'submitted job array [0-9]* (2 task(s); 10 unit(s) already done)' "$tmp/rerun.log" ||
  { cat "$tmp/rerun.log" >&2; fail "the rerun did not submit only the 2 missing sweep points"; }
[ ! -e "$r/parts" ] || fail "the merge job left seed 3's parts folder"
touch "$tmp/marker"; sleep 1
$MAKE -C "$tmp/slurm" --no-print-directory seeds SEEDS=4 BNFLAGS="$flags" >"$tmp/after2.log" 2>&1 ||
  { tail -20 "$tmp/after2.log" >&2; fail "the local make seeds after the SPLIT=points rerun failed"; }
if grep -E "^(flock [^ ]* )?build/bnlab .* ($trainings)\$" "$tmp/after2.log"; then fail "a local make retrained after the merge job joined the sweep"; fi
newer=$(cd "$tmp/slurm" && find data/runs/seed-* -name 'exp*.tsv' -newer "$tmp/marker" | head -3)
[ -z "$newer" ] || fail "a local make after the SPLIT=points run rewrote result files: $newer"
say "failed tasks named, merge cancelled, rerun of only the 2 missing points: $(($(date +%s) - t0)) s; no local retraining after either cluster run"
compare "SPLIT=points rerun"

t0=$(date +%s)
pids=$(cat "$cl"/*.started)
tests/slurm-cluster.sh stop "$cl"
for p in $pids; do
  if kill -0 "$p" 2>/dev/null; then fail "daemon pid $p still runs after stop"; fi
done
say "cluster stopped in $(($(date +%s) - t0)) s; whole test $(($(date +%s) - start)) s: PASS"
