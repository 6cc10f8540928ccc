#!/bin/sh
# make cores: one machine's cores, not more. `make -j2 run JOBS=2` in a copy of the tree, with a
# seed study beside it (SEEDS=2: a sub-make per seed, in parallel), while ps is sampled: at no
# moment do two training experiments run at once (each forks JOBS workers, so two would mean
# 2 x JOBS busy processes on JOBS cores), and never more than JOBS worker processes. Before the
# change, make -j2 ran two trainings at once, each with its JOBS workers.
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin cores tmp
test_dataset "$tmp"
test_tree "$tmp/t"
trainings=$(build/bnlab list-files | awk -F'\t' '$2 == "training" && $4 == "yes" { print $1 }' | paste -sd'|')
flags="--epochs 2 --points 4 --num-train 500 --speed-reps 1 --train-records 1000 --val-records 200 --test-records 100"

$MAKE -C "$tmp/t" --no-print-directory -j2 seeds SEEDS=2 JOBS=2 QUIET=1 BNFLAGS="$flags" >"$tmp/make.log" 2>&1 &
mk=$!
max_par=0 max_workers=0 samples=0
while kill -0 $mk 2>/dev/null; do
  # the bnlab training processes of this tree: pid, parent pid
  ps -eo pid=,ppid=,args= | awk -v re=" ($trainings)\$" '$3 == "build/bnlab" && $0 ~ re { print $1, $2 }' > "$tmp/ps" || true
  par=0 workers=0
  while read -r pid ppid; do
    [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$tmp/t" ] || continue
    if awk -v p="$ppid" '$1 == p { f = 1 } END { exit !f }' "$tmp/ps"; then workers=$((workers + 1)); else par=$((par + 1)); fi
  done < "$tmp/ps"
  [ $par -gt $max_par ] && max_par=$par
  [ $workers -gt $max_workers ] && max_workers=$workers
  samples=$((samples + 1))
  sleep 0.05
done
wait $mk || { tail -20 "$tmp/make.log" >&2; fail "make -j2 seeds SEEDS=2 failed"; }
echo "cores: $samples samples of ps during make -j2 seeds SEEDS=2 JOBS=2: at most $max_par training experiment(s) and $max_workers worker process(es) at once"
[ $max_par -ge 1 ] || fail "no training was seen running (the sampling saw nothing to judge)"
[ $max_par -le 1 ] || fail "$max_par training experiments ran at once under make -j2 (each with JOBS workers)"
[ $max_workers -le 2 ] || fail "$max_workers worker processes at once on JOBS=2"
echo "cores: PASS"
