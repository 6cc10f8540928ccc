#!/bin/sh
# make merge: bring together what the trainings left, without training anything.
#   scripts/merge.sh [-q] [--out SEEDS_RUN] RUN:SEED...
# For each run folder: if it holds parts of the experiment split by point (the registry's row
# with .split, the sweep: bnlab --point K sweep) newer than its completion file (exp6_sweep.tsv),
# join them (bnlab merge; it names any missing part) and record its content stamp (make
# adopt-sweep), so make later finds the sweep up to date as if it had run it.
# Then every run must be complete (the completion file of every training in the registry,
# `bnlab list-files`), else this fails naming the runs that are not. With --out, the runs are
# aggregated into SEEDS_RUN (bnagg seeds). BNFLAGS (environment) as for make: words split at
# blanks (globbing off: set -f), each judged by bnlab, never read by a shell.
set -euf
cd "$(dirname "$0")/.."
q=
[ "${1:-}" = -q ] && { q=-q; shift; }
out=
[ "${1:-}" = --out ] && { out=$2; shift 2; }
[ $# -gt 0 ] || { echo "make merge: no runs given" >&2; exit 2; }
bad=0 shown="" runs=""
# the trainings' completion files, from the registry
need=$(build/bnlab list-files | awk -F'\t' '$2 == "training" && $4 == "yes" { printf "%s ", $3 }')
[ -n "$need" ] || { echo "make merge: build/bnlab list-files names no training" >&2; exit 1; }
# the experiment split by point (its row's .split) and its completion file, from the registry
split=$(build/bnlab list-files --make | sed -n 's/^BN_SPLIT := *//p')
[ "$(echo "$split" | wc -w)" -eq 1 ] || { echo "make merge: the registry names no single experiment split by point" >&2; exit 1; }
split_done=$(build/bnlab list-files | awk -F'\t' -v x="$split" '$1 == x && $4 == "yes" { print $3 }')
[ -n "$split_done" ] || { echo "make merge: build/bnlab list-files names no completion file for $split" >&2; exit 1; }
# make for one run folder, as the engines' tasks call it (never rebuilds, never trains here)
mk() { ( unset MAKEFLAGS MFLAGS MAKEOVERRIDES
         { [ -f "$1/dataset.args" ] || { echo "make merge: $1/dataset.args: missing or not a regular file" >&2; exit 1; }; } &&
         IFS= read -r BNLAB_DATASET_ARGS < "$1/dataset.args" && export BNLAB_DATASET_ARGS &&
         ${MAKE:-make} -s --no-print-directory -o build/bnlab -o build/bnagg ENGINE=local \
           RUN="$1" SEED="$2" BNFLAGS="${BNFLAGS:-}" "$3" ) }
for pair in "$@"; do
  r=${pair%:*} s=${pair##*:}
  runs="$runs $r"
  if [ -d "$r/parts" ] && { [ ! -f "$r/$split_done" ] ||
       find "$r/parts" -name "$split_done" -newer "$r/$split_done" | grep -q .; }; then
    # shellcheck disable=SC2086
    build/bnlab $q ${BNFLAGS:-} --seed "$s" --out "$r" merge || exit 1
    mk "$r" "$s" "adopt-$split" || { echo "make merge: $r: the $split's content stamp could not be recorded" >&2; exit 1; }
    rm -rf "$r/.stamps/parts"
  fi
  lack=
  for f in $need; do [ -f "$r/$f" ] || lack="$lack $f"; done
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
