#!/bin/sh
# make bench-report: the time budget of the whole report. `make -j2 report` from nothing (no run
# folder; the programs built; the dataset as scripts/dataset.sh finds it; seed 0) in a copy of
# the tree, twice per dtype: once sampled by perf (every process make starts, 999 times a second),
# then once timed alone, since the sampling slows make's many short processes. For each dtype it
# prints
#   - the wall time of the whole (and of the sampled run);
#   - each experiment: when it ran within the whole (its bnlab process's start and end, logged by
#     a wrapper in the copy's build/), its own wall time (its *.timing.tsv), and for the training
#     experiments that record them, the trainings' seconds by phase (summed over the trainings,
#     so over the worker processes): products of the steps, elementwise passes, update rule,
#     accuracy checks (with their products apart), copies, the rest;
#   - the time after the last experiment (figures, the page);
#   - where the CPU time of every process went (perf): bnlab's matrix products, elementwise
#     passes, update rule, copies, dataset load, the kernel's share, and the rendering: gnuplot,
#     the page's tools (bnreport, KaTeX, source-highlight, ctags), make and the scripts.
# The seconds are the workers' wall time: on a machine busy with other work they grow with it;
# compare runs made side by side.
# usage: scripts/bench-report.sh [JOBS [DTYPE...]]   (default 2, float32 float64; needs perf:
# Debian's linux-perf)
set -eu
cd "$(dirname "$0")/.."
jobs=${1:-2}
case $jobs in ''|*[!0-9]*|0) echo "bench-report: JOBS='$jobs' is not a number of jobs" >&2; exit 2 ;; esac
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- float32 float64
for dt in "$@"; do
  case $dt in float32|float64) ;; *) echo "bench-report: DTYPE='$dt' is not a dtype (accepted: float32, float64)" >&2; exit 2 ;; esac
done
[ -x /usr/bin/time ] || { echo "bench-report: /usr/bin/time is missing (Debian package: time)" >&2; exit 1; }
command -v perf >/dev/null 2>&1 || { echo "bench-report: perf is missing (Debian package: linux-perf)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-bench-report.XXXXXX") ||
  { echo "bench-report: cannot create a temporary folder in ${TMPDIR:-/tmp}" >&2; exit 1; }
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
ds=$(scripts/dataset.sh)
# the copy sits elsewhere: the dataset's folder as an absolute path
ds="${ds%% *} $(cd "${ds#* }" && pwd)"
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES || true

# bnlab in the copy logs each call's last word (the experiment) with its start and end times and
# its CPU seconds (user + system, its worker processes included) to $BN_BENCH_LOG, then exits as
# bnlab did (its text is literal: the wrapper's own shell expands it)
# shellcheck disable=SC2016
wrapper='#!/bin/sh
s=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$BN_BENCH_LOG.cpu.$$" "$0.real" "$@"
rc=$?
e=$(date +%s.%N)
for a; do last=$a; done
printf "%s\t%s\t%s\t%s\n" "${last-}" "$s" "$e" "$(awk "{ print \$1 + \$2 }" "$BN_BENCH_LOG.cpu.$$")" >> "$BN_BENCH_LOG"
rm -f "$BN_BENCH_LOG.cpu.$$"
exit $rc
'

for dt in "$@"; do
  t=$tmp/$dt
  mkdir -p "$t/t"
  cp -a Makefile src scripts report tests build "$t/t/"
  rm -rf "$t/t/data"
  mv "$t/t/build/bnlab" "$t/t/build/bnlab.real"
  printf '%s' "$wrapper" > "$t/t/build/bnlab"
  chmod +x "$t/t/build/bnlab"
  touch -r "$t/t/build/bnlab.real" "$t/t/build/bnlab"
  # make_report SPANS [perf]: make -jJOBS report from nothing in the copy (bnlab's spans logged to
  # SPANS; with perf, every process sampled into $t/perf.data), its start and end in t0 and t1
  make_report() {
    rm -rf "$t/t/data"
    : > "$1"
    spans=$1
    if [ "${2:-}" = perf ]; then set -- perf record -q -F 999 -o "$t/perf.data" --; else set --; fi
    t0=$(date +%s.%N)
    BN_BENCH_LOG=$spans "$@" env BNLAB_DATASET_ARGS="$ds" \
      ${MAKE:-make} --no-print-directory -C "$t/t" -o build/bnlab -o build/bnagg -o build/bnreport -j "$jobs" \
        report SEED=0 QUIET=1 DTYPE="$dt" >"$t/make.log" 2>&1 ||
      { tail -n 20 "$t/make.log" >&2; echo "bench-report: make report ($dt) failed" >&2; exit 1; }
    t1=$(date +%s.%N)
  }
  # the budget from a run of its own: perf's sampling of every process slows make's many short
  # ones (1.5-3 s of the whole here), so the profile comes from a second run
  make_report "$t/perf-spans" perf
  pwall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  make_report "$t/spans"
  run=$t/t/data/runs/seed-0
  echo "== make -j$jobs report from nothing, $dt (seed 0, programs built, $ds): $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s wall"
  echo "   (the same under perf, for the CPU shares at the end: $pwall s)"
  echo
  # one row per experiment: start and end (s after make started), its wall time, and the phases
  # of its trainings where its timing file has them
  for f in "$run"/*.timing.tsv; do
    [ "$(basename "$f")" = provenance.timing.tsv ] && continue
    awk -F'\t' -v n="$(basename "$f" .timing.tsv)" '
      { v[$1] = $2 }
      END { printf "%s\t%s", n, v["wall_seconds"]
            split("products elementwise update checks check_products copies other", ph, " ")
            for (i = 1; i <= 7; i++) printf "\t%s", (ph[i] "_seconds") in v ? v[ph[i] "_seconds"] : "-"
            printf "\n" }' "$f"
  done > "$t/rows"
  awk -F'\t' -v t0="$t0" -v t1="$t1" '
    # the experiments bnlab runs, by its command word, and the file prefix each writes
    BEGIN { split("forward-train:exp1_forward_train forward-test:exp2_forward_test bn-gradcheck:exp3_bn_speed " \
                  "net-gradcheck:exp4_net_gradcheck layernorm-checks:exp7_layernorm_checks deepnet:exp5_deepnet " \
                  "sweep:exp6_sweep batchsize:exp7_batchsize activations:exp8_activations ablations:exp9_ablations", m, " ")
            for (i in m) { split(m[i], kv, ":"); pre[kv[1]] = kv[2] } }
    FILENAME ~ /spans$/ { if ($1 in pre) { x = pre[$1]; s[x] = $2 - t0; e[x] = $3 - t0; cpu[x] = $4; allcpu += $4
                                           if ($3 - t0 > last) last = $3 - t0 }
                          next }
    { row[++n] = $0 }
    END {
      printf "%-24s %5s %5s %6s %6s | %s\n", "experiment", "start", "end", "wall s", "CPU s",
             "its trainings by phase, % of their time:"
      printf "%-24s %5s %5s %6s %6s | %s\n", "", "", "", "", "",
             "products elementwise update checks (products) copies other"
      for (i = 1; i <= n; i++) {
        split(row[i], c, "\t")
        x = c[1]
        printf "  %-22s %5s %5s %6.2f %6s |", x, x in s ? sprintf("%.1f", s[x]) : "-",
               x in e ? sprintf("%.1f", e[x]) : "-", c[2], x in cpu ? sprintf("%.2f", cpu[x]) : "-"
        if (c[3] == "-") { printf " -\n"; continue }
        sum = c[3] + c[4] + c[5] + c[6] + c[8] + c[9]
        printf " %7.1f %11.1f %6.1f %6.1f (%7.1f) %6.1f %5.1f\n", 100 * c[3] / sum, 100 * c[4] / sum, 100 * c[5] / sum,
               100 * c[6] / sum, 100 * c[7] / sum, 100 * c[8] / sum, 100 * c[9] / sum
        # the trainings together: each experiment weighted by its CPU seconds
        for (k = 3; k <= 9; k++) tot[k] += cpu[x] * c[k] / sum
        tcpu += cpu[x]
      }
      if (tcpu > 0)
        printf "  %-22s %5s %5s %6s %6.2f | %7.1f %11.1f %6.1f %6.1f (%7.1f) %6.1f %5.1f\n", "trainings above", "", "", "",
               tcpu, 100 * tot[3] / tcpu, 100 * tot[4] / tcpu, 100 * tot[5] / tcpu, 100 * tot[6] / tcpu, 100 * tot[7] / tcpu,
               100 * tot[8] / tcpu, 100 * tot[9] / tcpu
      printf "  %-22s %5s %5s %6s %6.2f\n", "every experiment", "", "", "", allcpu
      printf "  after the last experiment (figures, page): %.1f s\n", t1 - t0 - last
    }' "$t/spans" "$t/rows"
  echo
  perf report -i "$t/perf.data" -t ';' --no-children --sort comm,dso,sym --stdio 2>/dev/null |
    awk -F';' -v cpu="$(perf script -i "$t/perf.data" -F comm 2>/dev/null | wc -l)" '
      /^#/ || NF < 4 { next }
      { p = $1; sub(/%/, "", p); p += 0
        comm = $2; gsub(/ /, "", comm); dso = $3; gsub(/ /, "", dso); sym = $4; sub(/^ *\[.\] */, "", sym); sub(/ *$/, "", sym)
        k = $4 ~ /\[k\]/
        if (comm != "bnlab" && comm != "bnlab.real") {
          if (comm == "gnuplot") ph = "rendering: figures (gnuplot)"
          else if (comm ~ /^(bnreport|node|nodejs|source-highlig|ctags|katex)/) ph = "rendering: page (bnreport, KaTeX, source-highlight, ctags)"
          else ph = "make, shells and scripts (stamps, manifests)"
        } else if (k) ph = "bnlab in the kernel (I/O, page faults)"
        else if (sym ~ /gemm|fixed_|transposed|route|probe|xsmm|^0x/ || dso ~ /libxsmm|openblas|perf-|\[anon|unknown|JIT/) ph = "bnlab: matrix products"
        else if (sym ~ /adam|sgd|rmsprop|momentum|optim/) ph = "bnlab: update rule"
        else if (sym ~ /load_cifar|load_idx|inflate|gz|dataset_load|mean_image/) ph = "bnlab: dataset load"
        else if (sym ~ /mem(move|cpy|set)|dataset_rows|gather/) ph = "bnlab: copies"
        else if (sym ~ /relu|forward|backward|softmax|bn_exp|bn_log|column_stats|_fwd|_bwd|norm|affine/) ph = "bnlab: elementwise passes"
        else ph = "bnlab: other (experiment 8 watch, RNG, output)"
        share[ph] += p; total += p }
      END { printf "%-58s %6s %7s\n", "where the CPU time went (perf, every process)", "share", "CPU s"
            n = 0; for (ph in share) order[++n] = ph
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (share[order[j]] > share[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
            for (i = 1; i <= n; i++) printf "  %-56s %5.1f%% %7.1f\n", order[i], share[order[i]] * 100 / total, share[order[i]] / total * cpu / 999
            printf "  %-56s %6s %7.1f\n", "CPU time sampled", "", cpu / 999 }'
  echo
done
