#!/bin/sh
# make merge: bring together what the trainings left, without training anything.
#   scripts/merge.sh [-q] [--out SEEDS_RUN] RUN:SEED...
# For each run folder: if it holds sweep parts (bnlab --point K sweep) newer than its
# exp6_sweep.tsv, join them (bnlab merge; it names any missing part). Then every run must be
# complete (experiments 5, 6 and 7b), else this fails naming the runs that are not. With --out,
# the runs are aggregated into SEEDS_RUN (bnagg seeds). BNFLAGS (environment) as for make.
set -eu
cd "$(dirname "$0")/.."
q=
[ "${1:-}" = -q ] && { q=-q; shift; }
out=
[ "${1:-}" = --out ] && { out=$2; shift 2; }
[ $# -gt 0 ] || { echo "make merge: no runs given" >&2; exit 2; }
bad=0 shown="" runs=""
for pair in "$@"; do
  r=${pair%:*} s=${pair##*:}
  runs="$runs $r"
  if [ -d "$r/parts" ] && { [ ! -f "$r/exp6_sweep.tsv" ] ||
       find "$r/parts" -name exp6_sweep.tsv -newer "$r/exp6_sweep.tsv" | grep -q .; }; then
    # shellcheck disable=SC2086
    build/bnlab $q ${BNFLAGS:-} --seed "$s" --out "$r" merge || exit 1
  fi
  lack=
  for f in exp5_deepnet.tsv exp6_sweep.tsv exp7_batchsize.tsv; do [ -f "$r/$f" ] || lack="$lack $f"; done
  if [ -n "$lack" ]; then
    bad=$((bad + 1))
    [ $bad -le 5 ] && shown="$shown
  $r (seed $s): no$lack"
  fi
done
if [ $bad -gt 0 ]; then
  more=; [ $bad -gt 5 ] && more="
  ... and $((bad - 5)) more"
  echo "make merge: $bad of $# runs are incomplete (make merge never trains: make train SEED=N, or make report SEEDS=... [ENGINE=slurm]):$shown$more" >&2
  exit 1
fi
[ -z "$out" ] && exit 0
# run folders have no spaces (the Makefile checks RUN)
# shellcheck disable=SC2086
exec build/bnagg seeds $q --out "$out" $runs
