#!/bin/sh
# Write RUN/manifest.tsv: each result file of a run folder with its size and sha256, in C-locale
# order. The result files are the registry's (src/study/registry.c), as the Makefile passes them
# (`build/bnlab list-files` lists them too); timing and provenance files are not results: they
# differ between otherwise identical runs. usage: scripts/manifest.sh RUN FILE...
set -eu
[ $# -ge 2 ] || { echo "usage: scripts/manifest.sh RUN FILE..." >&2; exit 2; }
run=$1
shift
[ -d "$run" ] || { echo "bnlab: run folder $run: no such folder" >&2; exit 1; }
tmp="$run/manifest.tsv.tmp.$$"
trap 'rm -f "$tmp"' EXIT INT TERM
{
  printf 'file\tbytes\tsha256\n'
  for f in $(printf '%s\n' "$@" | LC_ALL=C sort -u); do
    # a FIFO would block sha256sum forever
    [ ! -e "$run/$f" ] || [ -f "$run/$f" ] || { echo "bnlab: manifest: $run/$f: not a regular file" >&2; exit 1; }
    [ -f "$run/$f" ] || { echo "bnlab: manifest: $run/$f: result file missing" >&2; exit 1; }
    printf '%s\t%s\t%s\n' "$f" "$(wc -c < "$run/$f" | tr -d ' ')" "$(sha256sum "$run/$f" | cut -d' ' -f1)"
  done
} > "$tmp"
mv "$tmp" "$run/manifest.tsv"
trap - EXIT
