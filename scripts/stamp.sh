#!/bin/sh
# The content stamp of one experiment in one run folder, for make's reuse by content.
# usage: BN_STAMP_FLAGS='...' scripts/stamp.sh RUN EXPERIMENT DONE_FILE [--dataset] SOURCE.c...
# The stamp lists, one per line, the sha256 of everything that decides the experiment's result:
# the flags that decide results (BN_STAMP_FLAGS), the run's configuration (RUN/config.info.tsv),
# with --dataset the dataset's content (scripts/dataset-id.sh), and each C file that computes it
# with each header those files include (from the compiler's build/obj/**/*.d). It is recorded in
# RUN/.stamps/EXPERIMENT when the experiment completes (by the Makefile). This script writes
# RUN/.stamps/EXPERIMENT.want: dated as RUN/DONE_FILE when the recorded stamp is the one computed
# now (nothing to do), dated now otherwise (make then reruns the experiment).
set -eu
[ $# -ge 3 ] || { echo "usage: scripts/stamp.sh RUN EXPERIMENT DONE_FILE [--dataset] SOURCE.c..." >&2; exit 2; }
run=$1 exp=$2 done_file=$3
shift 3
dataset=no
if [ "${1:-}" = --dataset ]; then dataset=yes; shift; fi
dir="$run/.stamps"
mkdir -p "$dir" || { echo "bnlab: cannot create $dir" >&2; exit 1; }
want="$dir/$exp.want"
tmp="$want.tmp.$$"
trap 'rm -f "$tmp"' EXIT INT TERM
# what this reads or compares must be a regular file where it is there (a FIFO would hang it)
regular() { [ ! -e "$1" ] || [ -f "$1" ] || { echo "bnlab: stamp: $1: not a regular file (remove it)" >&2; exit 1; }; }
for f in "$run/config.info.tsv" "$run/dataset.args" "$dir/$exp" "$want" "$run/$done_file"; do regular "$f"; done

# the headers each source includes, as the compiler listed them (-MMD), sources first
# (one sed and one sha256sum for all files, not one per file: the engines stamp every run of a
# thousand-seed study)
deps=
for c in "$@"; do
  rel=${c#src/}
  d=build/obj/${rel%.c}.d
  [ -f "$d" ] || { echo "bnlab: stamp: $d missing (build bnlab first)" >&2; exit 1; }
  deps="$deps $d"
done
files=$( {
  printf '%s\n' "$@"
  sed -n 's/\\$//; s/^[^:]*://p; s/^ //p' $deps | tr ' ' '\n' | grep '^src/.*\.h$' || true
} | awk '!seen[$0]++' | LC_ALL=C sort)
{
  printf 'experiment %s\n' "$exp"
  printf 'flags %s\n' "${BN_STAMP_FLAGS:-}"
  [ -f "$run/config.info.tsv" ] || { echo "bnlab: stamp: $run/config.info.tsv missing" >&2; exit 1; }
  printf 'config %s\n' "$(sha256sum < "$run/config.info.tsv" | cut -d' ' -f1)"
  if [ $dataset = yes ]; then
    # "--data DIR": the option, one space, the folder (any characters but a newline)
    IFS= read -r ds < "$run/dataset.args" || { echo "bnlab: stamp: $run/dataset.args: empty or unreadable" >&2; exit 1; }
    id=$(scripts/dataset-id.sh "${ds%% *}" "${ds#* }") || exit 1
    printf 'dataset %s\n' "$id"
  fi
  for f in $files; do
    [ -f "$f" ] || { echo "bnlab: stamp: $f missing" >&2; exit 1; }
  done
  # paths under src/ have no blanks; sha256sum keeps the (sorted) order of its arguments
  sha256sum $files | awk '{ print "source " $2 " " $1 }'
} > "$tmp"

if [ -f "$run/$done_file" ] && cmp -s "$tmp" "$dir/$exp"; then
  # the results on disk were made from exactly this: the wish is no newer than they are
  cmp -s "$tmp" "$want" || mv "$tmp" "$want"
  touch -r "$run/$done_file" "$want"
else
  mv "$tmp" "$want"
  touch "$want"
fi
