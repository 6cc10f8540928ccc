#!/bin/sh
# make test-slurm: the Slurm engine on a real Slurm. Starts a single-node cluster on this machine
# (tests/slurm-cluster.sh: private munged, slurmctld, slurmd; MaxArraySize=8, no accounting) and
# checks, with small settings:
#   1. make report SEEDS=4 locally, in a copy of the tree;
#   2. the same with ENGINE=slurm DETACH=1 in another copy: make returns after submitting; make
#      status names the study; the same command without DETACH reattaches and collects. Every
#      computation ran in jobs (the seed pages in the array tasks, the several-seed page in the
#      collect job): the submitting make ran no bnlab, bnagg or bnreport itself. Every result file
#      is byte-identical to the local study's, and a local make afterwards reruns no training;
#   3. SPLIT=points, SLURM_RETRIES=0, failing tasks: seed 3's sweep removed and its parts folder
#      made impossible to create: the plan finds only its 2 sweep points to do, both fail and are
#      named with seed, point, Slurm state and log; fixed, the rerun submits those 2 again, the
#      collect job joins the parts, and seed 3 is byte-identical to the local run again;
#   4. 200 seeds (make seeds SEEDS=200 SEEDS_PER_TASK=20; seeds 0-3 done above): 10 tasks in 2 arrays (8 + 2:
#      MaxArraySize); a second make for the same study is refused (the lock); make is killed
#      (SIGKILL) and the same command again reattaches to the same arrays (no job submitted);
#      one task (seed 25's, BN_TEST_HANG_SEED: it sleeps in its first attempt; its time limit
#      lowered to 1 minute by scontrol, the others keep SLURM_TIME_TRAIN=10) is named TIMEOUT and
#      retried with twice SLURM_TIME_TRAIN; seeds 25, 137 and
#      199 are byte-identical to the same seeds trained locally, and the statistics over the 200
#      seeds are the ones bnagg gives from those runs here. The state folder is gone at the end.
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
bg=
cleanup() {
  [ -z "$bg" ] || kill "$bg" 2>/dev/null || true
  # the jobs of this test, by their ids, before the cluster goes
  ids=$(cat "$tmp"/slurm/data/slurm/*/jobs 2>/dev/null | awk '{ print $2 }' | paste -sd' ' -) || true
  [ -z "$ids" ] || [ -z "${SLURM_CONF:-}" ] || scancel $ids 2>/dev/null || true
  tests/slurm-cluster.sh stop "$cl" || true
  rm -rf "$tmp" "$cl"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# --- dataset: as tests/e2e_report.sh ---
test_dataset "$tmp"
flags="--epochs 1 --points 2 --num-train 50 --speed-reps 1 --train-records 1000 --val-records 200 --test-records 100"

# Two copies of the tree with the built programs (times kept, so nothing is rebuilt).
for t in local slurm; do test_tree "$tmp/$t"; done
$MAKE -C "$tmp/slurm" --no-print-directory build/bnreport >/dev/null 2>&1 || fail "could not build bnreport in the copy"

t0=$(date +%s)
$MAKE -C "$tmp/local" --no-print-directory report SEEDS=4 QUIET=1 BNFLAGS="$flags" >"$tmp/local.log" 2>&1 ||
  { tail -20 "$tmp/local.log" >&2; fail "the local study failed"; }
say "local study (4 seeds): $(($(date +%s) - t0)) s"

t0=$(date +%s)
conf=$(tests/slurm-cluster.sh start "$cl") || fail "the test cluster did not start (logs were in $cl)"
eval "$conf"
say "single-node cluster on $(hostname -s) ($(nproc) CPUs) up in $(($(date +%s) - t0)) s: $SLURM_CONF"

# compare [FOLDERS]: every result file of the local study (of FOLDERS in data/runs only), byte for
# byte, and the same list of files. Timing files and the provenance (dates, times) are left out.
compare() {
  what=$1; shift
  dirs=${*:-data/runs}
  ( cd "$tmp/local" && find $dirs -type f -name '*.tsv' ! -name '*.timing.tsv' ! -name provenance.info.tsv | sort ) > "$tmp/files.local"
  ( cd "$tmp/slurm" && find $dirs -type f -name '*.tsv' ! -name '*.timing.tsv' ! -name provenance.info.tsv | sort ) > "$tmp/files.slurm"
  diff "$tmp/files.local" "$tmp/files.slurm" >&2 || fail "$what: the Slurm study's result files are not the local study's (diff above)"
  n=0
  while read -r f; do
    cmp "$tmp/local/$f" "$tmp/slurm/$f" >&2 || fail "$what: $f differs from the local run's"
    n=$((n + 1))
  done < "$tmp/files.local"
  [ $n -gt 0 ] || fail "$what: no result file to compare"
  say "$what: $n result files byte-identical to the local study (cmp)"
}
trainings=$(build/bnlab list-files | awk -F'\t' '$2 == "training" && $4 == "yes" { print $1 }' | paste -sd'|')
sl() { $MAKE -C "$tmp/slurm" --no-print-directory ENGINE=slurm SLURM_POLL=1 BNFLAGS="$flags" "$@"; }

# --- 2. DETACH=1, make status, the same command collects; every computation in jobs
t0=$(date +%s)
sl report SEEDS=4 DETACH=1 >"$tmp/detach.log" 2>&1 || { cat "$tmp/detach.log" >&2; fail "make report SEEDS=4 ENGINE=slurm DETACH=1 failed"; }
grep -q 'submitted plan job [0-9]*.*detached' "$tmp/detach.log" || { cat "$tmp/detach.log" >&2; fail "DETACH=1 did not say it detached"; }
[ ! -e "$tmp/slurm/data/runs/seeds-0-1-2-3/report/index.html" ] || fail "DETACH=1: a page was rendered on the submitting host"
$MAKE -C "$tmp/slurm" --no-print-directory status SEEDS=4 >"$tmp/status.log" 2>&1 || fail "make status failed"
grep -q '^slurm: seeds-0-1-2-3: \(planning\|[0-9]*/[0-9]* tasks done\)' "$tmp/status.log" || { cat "$tmp/status.log" >&2; fail "make status does not show the study's progress"; }
say "make status: $(head -n 1 "$tmp/status.log")"
sl report SEEDS=4 QUIET= >"$tmp/slurm.log" 2>&1 || { tail -20 "$tmp/slurm.log" >&2; fail "make report SEEDS=4 ENGINE=slurm (collecting) failed"; }
grep -q 'reattached to its jobs\|finished in the cluster since the last look' "$tmp/slurm.log" || { cat "$tmp/slurm.log" >&2; fail "the second make did not reattach to the detached study"; }
grep -q 'submitted plan job' "$tmp/slurm.log" && { cat "$tmp/slurm.log" >&2; fail "the second make submitted the study again"; }
# nothing but the engine's lines: the submitting make ran no recipe (no bnlab, bnagg, bnreport)
if grep -v '^slurm: ' "$tmp/slurm.log" | grep -q .; then cat "$tmp/slurm.log" >&2; fail "the submitting make printed more than the engine's lines"; fi
grep -q 'study seeds-0-1-2-3 done\|finished in the cluster since the last look' "$tmp/slurm.log" || { cat "$tmp/slurm.log" >&2; fail "the study did not end done"; }
[ ! -e "$tmp/slurm/data/slurm/seeds-0-1-2-3" ] || fail "the study's state folder was left after it completed"
for s in 0 1 2 3; do
  [ -s "$tmp/slurm/data/runs/seed-$s/report/index.html" ] || fail "seed $s's page was not rendered in the jobs"
done
[ -s "$tmp/slurm/data/runs/seeds-0-1-2-3/report/index.html" ] || fail "the several-seed page was not rendered in the jobs"
# the cluster left every run folder as a local make would (content stamps included): a local
# make report afterwards reruns nothing (no result file rewritten, no bnlab training started)
touch "$tmp/marker"; sleep 1
$MAKE -C "$tmp/slurm" --no-print-directory report SEEDS=4 BNFLAGS="$flags" >"$tmp/after.log" 2>&1 ||
  { tail -20 "$tmp/after.log" >&2; fail "the local make report after the cluster run failed"; }
if grep -E "^(flock [^ ]* )?build/bnlab .* ($trainings)\$" "$tmp/after.log"; then fail "a local make report retrained after the cluster run"; fi
newer=$(cd "$tmp/slurm" && find data/runs -name 'exp*.tsv' -newer "$tmp/marker" | head -3)
[ -z "$newer" ] || fail "a local make report after the cluster run rewrote result files: $newer"
say "make report SEEDS=4 ENGINE=slurm: detached, status, collected: $(($(date +%s) - t0)) s; pages made in the jobs"
compare "ENGINE=slurm"

# --- 3. failing tasks named with their state, then a rerun of only what is missing (SPLIT=points)
t0=$(date +%s)
r=$tmp/slurm/data/runs/seed-3
rm -f "$r/exp6_sweep.tsv" && : > "$r/parts"
if sl seeds SEEDS=4 SPLIT=points SLURM_RETRIES=0 >"$tmp/fail.log" 2>&1; then fail "a study with failing tasks succeeded"; fi
grep -q 'planned: 2 unit(s) to do in 2 task(s) (job array(s) [0-9]*), 10 already done' "$tmp/fail.log" ||
  { cat "$tmp/fail.log" >&2; fail "the rerun did not plan exactly seed 3's 2 sweep points"; }
for k in 0 1; do
  grep -q "seed 3, sweep point $k failed: FAILED.* (exit status 1; task [01], job [0-9]*_[01], attempt 1); log: data/slurm/seeds-0-1-2-3/logs/task-[01].log" "$tmp/fail.log" ||
    { cat "$tmp/fail.log" >&2; fail "the failure of seed 3, point $k is not named with its state and log"; }
done
grep -q 'nothing merged' "$tmp/fail.log" || fail "the failure did not say that nothing was merged"
[ -d "$tmp/slurm/data/slurm/seeds-0-1-2-3.failed/logs" ] || fail "the failed study's logs were not kept"
rm -f "$r/parts"
sl seeds SEEDS=4 SPLIT=points >"$tmp/rerun.log" 2>&1 || { tail -20 "$tmp/rerun.log" >&2; fail "the rerun failed"; }
grep -q 'planned: 2 unit(s) to do in 2 task(s)' "$tmp/rerun.log" ||
  { cat "$tmp/rerun.log" >&2; fail "the rerun did not submit only the 2 missing sweep points"; }
[ ! -e "$r/parts" ] || fail "the collect job left seed 3's parts folder"
touch "$tmp/marker"; sleep 1
$MAKE -C "$tmp/slurm" --no-print-directory seeds SEEDS=4 BNFLAGS="$flags" >"$tmp/after2.log" 2>&1 ||
  { tail -20 "$tmp/after2.log" >&2; fail "the local make seeds after the SPLIT=points rerun failed"; }
if grep -E "^(flock [^ ]* )?build/bnlab .* ($trainings)\$" "$tmp/after2.log"; then fail "a local make retrained after the collect job joined the sweep"; fi
newer=$(cd "$tmp/slurm" && find data/runs/seed-* -name 'exp*.tsv' -newer "$tmp/marker" | head -3)
[ -z "$newer" ] || fail "a local make after the SPLIT=points run rewrote result files: $newer"
say "failed tasks named with their state, rerun of only the 2 missing points: $(($(date +%s) - t0)) s; no local retraining after either cluster run"
compare "SPLIT=points rerun" data/runs/seed-0 data/runs/seed-1 data/runs/seed-2 data/runs/seed-3

# --- 4. 200 seeds packed, the lock, SIGKILL and reattach, a TIMEOUT retried
t0=$(date +%s)
st=$tmp/slurm/data/slurm/seeds-0-199-n200
# (make itself in the background, so $! is its pid)
BN_TEST_HANG_SEED=25 $MAKE -C "$tmp/slurm" --no-print-directory ENGINE=slurm SLURM_POLL=1 BNFLAGS="$flags" \
  seeds SEEDS=200 SEEDS_PER_TASK=20 SLURM_TIME_TRAIN=10 QUIET= >"$tmp/s200.log" 2>&1 &
bg=$!
i=0
until grep -qs 'planned:' "$tmp/s200.log"; do
  kill -0 "$bg" 2>/dev/null || { cat "$tmp/s200.log" >&2; fail "the 200-seed study ended before it was planned"; }
  i=$((i + 1)); [ $i -lt 600 ] || fail "the 200-seed study was not planned in 5 minutes"
  sleep 0.5
done
# (seeds 0-3 are done already, by the studies above)
grep -q 'planned: 196 unit(s) to do in 10 task(s) (job array(s) [0-9]* [0-9]*), 4 already done' "$tmp/s200.log" ||
  { cat "$tmp/s200.log" >&2; fail "200 seeds were not packed into 10 tasks in 2 arrays (MaxArraySize=8)"; }
arrays=$(sed -n 's/.*job array(s) \([0-9 ]*\)).*/\1/p' "$tmp/s200.log" | head -n 1)
# seed 25 is in task 1 (units 20-39: seeds 24-43): its limit down to 1 minute, so it alone times out
scontrol update JobId="${arrays%% *}_1" TimeLimit=1 >/dev/null || fail "scontrol could not lower task 1's time limit"
[ "$(wc -l < "$st/maps/1-aaaa")" -eq 8 ] && [ "$(wc -l < "$st/maps/1-aaab")" -eq 2 ] ||
  fail "the 10 tasks are not split 8 + 2 over the arrays $arrays"
# a second make for the same study while the first follows it: refused
if sl seeds SEEDS=200 SEEDS_PER_TASK=20 SLURM_TIME_TRAIN=10 >"$tmp/second.log" 2>&1; then fail "a second make for a followed study was not refused"; fi
grep -q 'study seeds-0-199-n200 is followed by another make (pid' "$tmp/second.log" || { cat "$tmp/second.log" >&2; fail "the second make's refusal does not say why"; }
# SIGKILL: no trap runs; the jobs go on and the engine stops following (its make is gone)
kill -KILL "$bg"; bg=
i=0
while ! flock -n "$st.lock" true; do i=$((i + 1)); [ $i -lt 100 ] || fail "the lock was not released after make was killed"; sleep 0.1; done
njobs=$(wc -l < "$st/jobs")
sl seeds SEEDS=200 SEEDS_PER_TASK=20 SLURM_TIME_TRAIN=10 QUIET= >"$tmp/s200b.log" 2>&1 ||
  { tail -30 "$tmp/s200b.log" >&2; fail "the rerun of the 200-seed study failed"; }
grep -q 'reattached to its jobs' "$tmp/s200b.log" || { cat "$tmp/s200b.log" >&2; fail "the rerun after SIGKILL did not reattach"; }
grep -q "planned: 196 unit(s) to do in 10 task(s) (job array(s) $arrays)" "$tmp/s200b.log" ||
  { cat "$tmp/s200b.log" >&2; fail "the rerun follows other arrays than $arrays"; }
grep -q 'submitted plan job' "$tmp/s200b.log" && fail "the rerun after SIGKILL submitted the study again"
grep -q 'seed 25 failed: TIMEOUT.*attempt 1); log: data/slurm/seeds-0-199-n200/logs/task-1.log' "$tmp/s200b.log" ||
  { cat "$tmp/s200.log" "$tmp/s200b.log" >&2; fail "the task over its time limit was not named TIMEOUT with its seed and log"; }
grep -q 'retrying 1 task(s) (retry 1 of 1, --time=0:20:00 (was 10))' "$tmp/s200b.log" ||
  { cat "$tmp/s200b.log" >&2; fail "the TIMEOUT task was not retried with twice the time"; }
grep -q 'study seeds-0-199-n200 done' "$tmp/s200b.log" || fail "the 200-seed study did not end done"
[ ! -e "$st" ] || fail "the 200-seed study's state folder was left after it completed"
[ "$njobs" -eq 4 ] || fail "the first submission made $njobs jobs, not plan + 2 arrays + collect"
[ -s "$tmp/slurm/data/runs/seeds-0-199-n200/runs.info.tsv" ] || fail "no statistics over the 200 seeds"
say "200 seeds in 10 tasks (2 arrays), second make refused, SIGKILL + reattach, TIMEOUT retried: $(($(date +%s) - t0)) s"
grep 'reattached\|TIMEOUT\|not reach\|retrying' "$tmp/s200b.log" | sed 's/^/  /' 
# the same seeds trained here, and the statistics bnagg gives from the cluster's runs
for s in 25 137 199; do
  $MAKE -C "$tmp/local" --no-print-directory train SEED=$s QUIET=1 BNFLAGS="$flags" >"$tmp/local-$s.log" 2>&1 ||
    { tail -20 "$tmp/local-$s.log" >&2; fail "the local training of seed $s failed"; }
done
compare "200 seeds (seeds 25, 137, 199)" data/runs/seed-25 data/runs/seed-137 data/runs/seed-199
runs=$(seq 0 199 | sed 's|^|data/runs/seed-|' | paste -sd' ' -)
# (into the same folder name: the files name their folder's place; the collect job's moved aside)
agg=$tmp/slurm/data/runs/seeds-0-199-n200
mv "$agg" "$tmp/agg.jobs"
# shellcheck disable=SC2086
(cd "$tmp/slurm" && build/bnagg seeds -q --out data/runs/seeds-0-199-n200 $runs) || fail "bnagg over the cluster's 200 runs failed"
n=0
for f in $(cd "$agg" && find . -name '*.tsv' ! -name '*.timing.tsv' ! -name provenance.info.tsv); do
  cmp "$agg/$f" "$tmp/agg.jobs/$f" >&2 || fail "the collect job's $f is not bnagg's over the same runs"
  n=$((n + 1))
done
[ $n -gt 0 ] || fail "bnagg wrote no statistics"
say "the collect job's $n statistics files over 200 seeds are bnagg's here, byte for byte"

t0=$(date +%s)
pids=$(cat "$cl"/*.started)
tests/slurm-cluster.sh stop "$cl"
for p in $pids; do
  if kill -0 "$p" 2>/dev/null; then fail "daemon pid $p still runs after stop"; fi
done
say "cluster stopped in $(($(date +%s) - t0)) s; whole test $(($(date +%s) - start)) s: PASS"
