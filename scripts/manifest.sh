#!/bin/sh
# Write RUN/manifest.tsv: every result file of a run folder with its size and sha256.
# Timing (*.timing.tsv) and provenance (*.info.tsv) files are left out: they differ between
# otherwise identical runs. usage: scripts/manifest.sh RUN
set -eu
run=${1:?usage: scripts/manifest.sh RUN}
[ -d "$run" ] || { echo "bnlab: run folder $run: no such folder" >&2; exit 1; }
tmp="$run/manifest.tsv.tmp.$$"
trap 'rm -f "$tmp"' EXIT INT TERM
{
  printf 'file\tbytes\tsha256\n'
  for f in $(cd "$run" && LC_ALL=C ls -1 | grep '\.tsv$' | grep -v -e '\.timing\.tsv$' -e '\.info\.tsv$' -e '^manifest\.tsv$'); do
    # issue 12: a FIFO would block sha256sum forever
    [ -f "$run/$f" ] || { echo "bnlab: $run/$f: not a regular file" >&2; exit 1; }
    printf '%s\t%s\t%s\n' "$f" "$(wc -c < "$run/$f" | tr -d ' ')" "$(sha256sum "$run/$f" | cut -d' ' -f1)"
  done
} > "$tmp"
mv "$tmp" "$run/manifest.tsv"
trap - EXIT
