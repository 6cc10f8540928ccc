#!/bin/sh
# Check a run: its files against its manifest, then a fresh rerun of the same seed and options
# in a temporary folder against the manifest, file by file. Exit 1 on any difference.
# usage: scripts/verify.sh RUN   (run from the repository root; uses make run)
set -u
run=${1:?usage: scripts/verify.sh RUN}
man="$run/manifest.tsv"
cfg="$run/config.info.tsv"
[ -f "$man" ] || { echo "bnlab: $man: no manifest (run 'make report' or 'make run' first)" >&2; exit 1; }
[ -f "$cfg" ] || { echo "bnlab: $cfg: missing, cannot tell how the run was made" >&2; exit 1; }
seed=$(awk -F'\t' '$1=="seed"{print $2}' "$cfg")
flags=$(awk -F'\t' '$1=="bnflags"{print $2}' "$cfg")
# issue 12: a manifest that lists nothing, or misses a result file, cannot vouch for the run
n=$(tail -n +2 "$man" | grep -c .)
[ "$n" -gt 0 ] || { echo "bnlab: $man lists no result files: nothing to verify (remake it with 'make run')" >&2; exit 1; }
# the files each experiment writes last (the Makefile's targets), and every result file present
want="exp1_forward_train.tsv exp2_forward_test.tsv exp3_bn_gradcheck.tsv exp4_net_gradcheck.tsv
exp7_net_gradcheck_norms.tsv exp5_deepnet.tsv exp6_sweep.tsv exp7_batchsize.tsv
$(cd "$run" && LC_ALL=C ls -1 | grep '\.tsv$' | grep -v -e '\.timing\.tsv$' -e '\.info\.tsv$' -e '^manifest\.tsv$')"
for f in $want; do
  cut -f1 "$man" | grep -qxF "$f" ||
    { echo "bnlab: $man does not list $f, a result file of the run (remake it with 'make run')" >&2; exit 1; }
done
# issue 12: without its temporary folder the rerun would go to /run and its log to /log
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-verify.XXXXXX" 2>/dev/null) && [ -n "$tmp" ] && [ -d "$tmp" ] ||
  { echo "bnlab: verify: cannot create a temporary folder in TMPDIR=${TMPDIR:-/tmp}: $([ -d "${TMPDIR:-/tmp}" ] && echo "not writable" || echo "no such folder")" >&2; exit 1; }
trap 'rm -rf "$tmp"' EXIT INT TERM

bad=0
echo "verify: $run (seed $seed${flags:+, options $flags})"
echo "verify: 1. the files on disk against $man"
tail -n +2 "$man" | while IFS="$(printf '\t')" read -r f bytes sum; do
  if [ ! -f "$run/$f" ]; then echo "  MISSING    $f"; echo x >> "$tmp/bad"
  elif [ "$(sha256sum "$run/$f" | cut -d' ' -f1)" != "$sum" ]; then echo "  CHANGED    $f (sha256 differs from the manifest)"; echo x >> "$tmp/bad"
  else echo "  identical  $f"; fi
done
echo "verify: 2. a fresh rerun of seed $seed in $tmp/run"
# the same dataset as the run, whatever scripts/dataset.sh would find today
dsargs=$(cat "$run/dataset.args" 2>/dev/null || true)
if ! BNLAB_DATASET_ARGS="$dsargs" make -s --no-print-directory run RUN="$tmp/run" SEED="$seed" BNFLAGS="$flags" \
     QUIET=1 >"$tmp/log" 2>&1; then
  cat "$tmp/log" >&2
  echo "bnlab: verify: the rerun failed" >&2
  exit 1
fi
tail -n +2 "$man" | while IFS="$(printf '\t')" read -r f bytes sum; do
  if [ ! -f "$tmp/run/$f" ]; then echo "  NOT MADE   $f"; echo x >> "$tmp/bad"
  elif [ "$(sha256sum "$tmp/run/$f" | cut -d' ' -f1)" != "$sum" ]; then echo "  DIFFERENT  $f"; echo x >> "$tmp/bad"
  else echo "  identical  $f"; fi
done
n=$(tail -n +2 "$man" | wc -l)
if [ -f "$tmp/bad" ]; then
  bad=$(wc -l < "$tmp/bad")
  echo "verify: FAILED: $bad difference(s) over $n file(s), twice checked"
  exit 1
fi
echo "verify: OK: all $n result files identical on disk and on rerun"
