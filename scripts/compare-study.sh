#!/bin/sh
# make compare's several-seed study: seeds 0..N-1 of A's configuration (the options of the make
# that runs this), whose spread from seed to seed is the noise the compare page judges B - A
# against (bnagg compare leaves A and B themselves out of it). Runs already made (a seed folder
# holding every training's completion file, DONE_FILES) are reused as they are; when one is
# missing, MAKE-COMMAND (make seeds SEEDS=N) trains it and writes the study folder. Records in OUT what it did:
# seeds N, trained (how many it trained now), seconds (how long that took), folder.
# When nothing is missing and the study exists, no make runs, and an existing OUT is left as it
# is, so a second make compare does nothing.
# usage: scripts/compare-study.sh OUT N RUNS DONE_FILES MAKE-COMMAND...
#   RUNS: the folder of the seed-K runs; DONE_FILES: the trainings' completion files, one word,
#   space-separated (the registry's names: no blanks inside a name)
set -eu
[ $# -ge 5 ] || { echo "usage: scripts/compare-study.sh OUT N RUNS DONE_FILES MAKE-COMMAND..." >&2; exit 2; }
out=$1 n=$2 runs=$3 done_files=$4
shift 4
case $n in ''|*[!0-9]*) echo "bnlab: compare-study: N='$n' is not a number of seeds" >&2; exit 2 ;; esac
# shellcheck disable=SC2046
study=$runs/seeds-$(scripts/seeds-name.sh $(seq 0 $((n - 1))))
missing=0
for s in $(seq 0 $((n - 1))); do
  for f in $done_files; do
    [ -f "$runs/seed-$s/$f" ] || { missing=$((missing + 1)); break; }
  done
done
t0=$(date +%s.%N)
if [ "$missing" -eq 0 ] && [ -f "$study/runs.info.tsv" ]; then
  [ ! -f "$out" ] || exit 0
  t1=$t0
else
  echo "compare: the noise rests on $n seeds of A's options; training the $missing not made yet" >&2
  "$@"
  t1=$(date +%s.%N)
fi
[ -f "$study/runs.info.tsv" ] || { echo "bnlab: compare-study: $study/runs.info.tsv was not written" >&2; exit 1; }
dir=$(dirname "$out")
mkdir -p "$dir" || { echo "bnlab: compare-study: cannot create $dir" >&2; exit 1; }
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT INT TERM
{
  printf 'key\tvalue\nseeds\t%s\ntrained\t%s\n' "$n" "$missing"
  printf 'seconds\t%s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
} > "$tmp"
mv "$tmp" "$out"
trap - EXIT
