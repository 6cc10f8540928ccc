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
files=$(printf '%s\n' "$@" | LC_ALL=C sort -u)
for f in $files; do
  # a FIFO would block sha256sum forever
  [ ! -e "$run/$f" ] || [ -f "$run/$f" ] || { echo "bnlab: manifest: $run/$f: not a regular file" >&2; exit 1; }
  [ -f "$run/$f" ] || { echo "bnlab: manifest: $run/$f: result file missing" >&2; exit 1; }
done
# one stat and one sha256sum for every file (names are the registry's: no blanks), joined by
# position: both keep their arguments' order
{
  printf 'file\tbytes\tsha256\n'
  # shellcheck disable=SC2086
  (cd "$run" && stat -c '%s' -- $files && sha256sum -- $files) |
    awk -v n="$(printf '%s\n' $files | wc -l)" 'NR <= n { size[NR] = $1; next } { i = NR - n; print $2 "\t" size[i] "\t" $1 }
      END { if (NR != 2 * n) { print "bnlab: manifest: could not read every result file" > "/dev/stderr"; exit 1 } }'
} > "$tmp"
mv "$tmp" "$run/manifest.tsv"
trap - EXIT
