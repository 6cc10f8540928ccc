#!/bin/sh
# Time `bnagg seeds` over many seed runs (make bench; target: 1000 seeds in under 10 s and
# 200 MB). One real small run is trained, then copied into N run folders, each with its own seed
# and its values nudged by the seed (so every statistic has work to do); the aggregation of all N
# is timed with /usr/bin/time -v. usage: [BENCH_AGG_FLAGS=...] scripts/bench-agg.sh [N]   (default 1000)
# Needs build/bnlab and build/bnagg, and the dataset (scripts/dataset.sh).
set -eu
cd "$(dirname "$0")/.."
n=${1:-1000}
case "$n" in ''|*[!0-9]*) echo "bench-agg: N='$n' is not a number of runs" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "bench-agg: /usr/bin/time is missing (Debian package: time)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-bench-agg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# BENCH_AGG_FLAGS: the run copied (default: small settings; "" for the study's own settings)
# (words split at blanks, globbing off; the dataset's option and folder as two words)
ds=$(scripts/dataset.sh)
set -f
# shellcheck disable=SC2086
build/bnlab -q ${BENCH_AGG_FLAGS---epochs 1 --points 2 --num-train 100} -j 2 --seed 0 --out "$tmp/base" "${ds%% *}" "${ds#* }" train
set +f
mkdir -p "$tmp/runs"
t0=$(date +%s.%N)
# One awk per data file writes all N copies: key columns kept, value columns scaled by 1 + s*1e-6.
nudge() {   # FILE KEYS
  awk -F'\t' -v OFS='\t' -v n="$n" -v k="$2" -v d="$tmp/runs" -v f="$1" '
    { line[NR] = $0 }
    END { for (s = 0; s < n; s++) { out = d "/seed-" s "/" f
            for (r = 1; r <= NR; r++) { m = split(line[r], c, "\t"); row = c[1]
              for (j = 2; j <= m; j++) { v = c[j]
                if (r > 1 && j > k && v ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/) v = sprintf("%.17g", v * (1 + s * 1e-6))
                row = row "\t" v }
              print row > out }
            close(out) } }' "$tmp/base/$1"
}
for s in $(seq 0 $((n - 1))); do mkdir "$tmp/runs/seed-$s"; done
nudge exp5_deepnet_loss.tsv 3; nudge exp5_deepnet_acc.tsv 5; nudge exp5_deepnet.tsv 2
nudge exp6_sweep.tsv 2; nudge exp7_batchsize.tsv 2; nudge exp7_batchsize_acc.tsv 5
for s in $(seq 0 $((n - 1))); do
  sed "s/^seed\t.*/seed\t$s/" "$tmp/base/params.info.tsv" > "$tmp/runs/seed-$s/params.info.tsv"
  cp "$tmp/base/dataset.info.tsv" "$tmp/runs/seed-$s/"
done
t1=$(date +%s.%N)

# the runs in seed order, as make passes them
set --
for s in $(seq 0 $((n - 1))); do set -- "$@" "$tmp/runs/seed-$s"; done
/usr/bin/time -v -o "$tmp/time.txt" build/bnagg seeds -q --out "$tmp/agg" "$@"
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time.txt")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
rows=$(($(wc -l < "$tmp/agg/exp5_deepnet_by_seed.tsv") - 1))
awk -v n="$n" -v t0="$t0" -v t1="$t1" -v w="$wall" -v rss="$rss" -v rows="$rows" 'BEGIN {
  printf "bnagg seeds over %d runs (synthesised in %.1f s from one run): %s wall, %.1f MB peak resident; %d runs in exp5_deepnet_by_seed.tsv (targets: under 10 s and 200 MB)\n", n, t1 - t0, w, rss / 1024, rows }' 
