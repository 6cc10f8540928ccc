#!/bin/sh
# make bench-report: the time budget of the whole report. `make -j2 report` from nothing (no run
# folder; the programs built; the dataset as scripts/dataset.sh finds it; seed 0) in a copy of
# the tree, timed, and sampled by perf (every process make starts, 999 times a second). Prints
#   - the wall time of the whole, and of each experiment (its *.timing.tsv);
#   - where the CPU time went, by phase: bnlab's matrix products (bn_gemm, LIBXSMM's generated
#     code, our fixed-order kernel), elementwise passes (the layers, the loss, exp/log), the
#     update rule, copies (minibatch gathers, memmove), the dataset load, the kernel's share (I/O,
#     page faults), and the page's tools (gnuplot, bnreport, KaTeX, source-highlight, ctags, make
#     and the scripts). The products of the per-epoch accuracy checks count as products.
# usage: scripts/bench-report.sh [JOBS]   (default 2; needs perf: Debian's linux-perf)
set -eu
cd "$(dirname "$0")/.."
jobs=${1:-2}
case $jobs in ''|*[!0-9]*|0) echo "bench-report: JOBS='$jobs' is not a number of jobs" >&2; exit 2 ;; esac
command -v perf >/dev/null 2>&1 || { echo "bench-report: perf is missing (Debian package: linux-perf)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-bench-report.XXXXXX") ||
  { echo "bench-report: cannot create a temporary folder in ${TMPDIR:-/tmp}" >&2; exit 1; }
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
ds=$(scripts/dataset.sh)
# the copy sits elsewhere: the dataset's folder as an absolute path
ds="${ds%% *} $(cd "${ds#* }" && pwd)"
mkdir -p "$tmp/t"
cp -a Makefile src scripts report tests build "$tmp/t/"
rm -rf "$tmp/t/data"
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES || true
t0=$(date +%s.%N)
perf record -q -F 999 -o "$tmp/perf.data" -- env BNLAB_DATASET_ARGS="$ds" \
  ${MAKE:-make} --no-print-directory -C "$tmp/t" -o build/bnlab -o build/bnagg -o build/bnreport -j "$jobs" \
    report SEED=0 QUIET=1 >"$tmp/make.log" 2>&1 ||
  { tail -n 20 "$tmp/make.log" >&2; echo "bench-report: make report failed" >&2; exit 1; }
t1=$(date +%s.%N)
run=$tmp/t/data/runs/seed-0
echo "make -j$jobs report from nothing (seed 0, programs built, $ds): $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s wall"
echo
echo "experiment                      wall s"
for f in "$run"/*.timing.tsv; do
  awk -F'\t' -v n="$(basename "$f" .timing.tsv)" '$1 == "wall_seconds" { printf "  %-28s %6.2f\n", n, $2 }' "$f"
done
echo
perf report -i "$tmp/perf.data" -t ';' --no-children --sort comm,dso,sym --stdio 2>/dev/null |
  awk -F';' '
    /^#/ || NF < 4 { next }
    { p = $1; sub(/%/, "", p); p += 0
      comm = $2; gsub(/ /, "", comm); dso = $3; gsub(/ /, "", dso); sym = $4; sub(/^ *\[.\] */, "", sym); sub(/ *$/, "", sym)
      k = $4 ~ /\[k\]/
      if (comm != "bnlab") {
        if (comm == "gnuplot") ph = "figures (gnuplot)"
        else if (comm ~ /^(bnreport|node|nodejs|source-highlig|ctags|katex)/) ph = "page (bnreport, KaTeX, source-highlight, ctags)"
        else ph = "make, shells and scripts (stamps, manifests)"
      } else if (k) ph = "bnlab in the kernel (I/O, page faults)"
      else if (sym ~ /gemm|fixed_|transposed|route|probe|xsmm|^0x/ || dso ~ /libxsmm|openblas|perf-|\[anon|unknown/) ph = "bnlab: matrix products"
      else if (sym ~ /adam|sgd|rmsprop|momentum/) ph = "bnlab: update rule"
      else if (sym ~ /load_cifar|load_idx|inflate|gz|dataset_load|mean_image/) ph = "bnlab: dataset load"
      else if (sym ~ /mem(move|cpy|set)|dataset_rows|gather/) ph = "bnlab: copies"
      else if (sym ~ /relu|forward|backward|softmax|bn_exp|bn_log|column_stats|_fwd|_bwd|norm|affine/) ph = "bnlab: elementwise passes"
      else ph = "bnlab: other"
      share[ph] += p; total += p }
    END { printf "%-50s %6s\n", "where the CPU time went (all processes)", "share"
          n = 0; for (ph in share) order[++n] = ph
          for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (share[order[j]] > share[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
          for (i = 1; i <= n; i++) printf "  %-48s %5.1f%%\n", order[i], share[order[i]] * 100 / total }'
echo
echo "CPU time sampled: $(perf script -i "$tmp/perf.data" -F comm 2>/dev/null | wc -l | awk '{ printf "%.1f", $1 / 999 }') s"
