#!/bin/sh
# make kernels: the GEMM kernels a CPU picks change no result byte (fixed-order arithmetic,
# src/compute/gemm.h), and runs, pages and make verify say so. In a copy of the tree, small settings:
#   1. make run SEED=0 with this machine's kernels, and again into other run folders with
#      LIBXSMM_TARGET=generic (no LIBXSMM: our kernel everywhere) and with OPENBLAS_CORETYPE and
#      LIBXSMM_TARGET set as an AVX2 (or an older) CPU would pick them: every result file is
#      byte-identical (the manifests are equal), each run names its own kernels in
#      machine.info.tsv and its provenance, and both say the bytes are reproducible on any x86-64 CPU;
#   2. make report SEEDS=2 with seed 1 made with other kernels: machines.info.tsv lists both
#      kernels, not marked mixed, and the page has no "different GEMM kernels" warning; a run
#      made before fixed-order arithmetic (its machine.info.tsv without reproducible_on, other
#      kernels) compared with seed 0 does get the warning (kernels_differ 1);
#   3. make verify of a run with one result byte changed: FAILED, and the message says the run's
#      bytes are reproducible on any x86-64 CPU, naming both kernels.
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin kernels tmp
test_dataset "$tmp"
test_tree "$tmp/t"
cd "$tmp/t"
flags="--epochs 1 --points 2 --num-train 100 --speed-reps 1 --train-records 1000 --val-records 200 --test-records 100"
kernels() { env "$@" build/bnlab info | awk -F'\t' '$1 == "gemm_kernels" { print $2 }'; }
here=$(kernels)
[ -n "$here" ] || fail "bnlab info names no gemm_kernels"
target=hsw; case $here in *" hsw "*) target=snb ;; esac
kv() { awk -F'\t' -v k="$1" '$1 == k { print $2; exit }' "$2"; }
any="any x86-64 CPU"

# 1. the same bytes with every kernel
run() {   # run NAME VAR=VALUE...: make run of seed 0 into data/runs/NAME with those variables set
  name=$1; shift
  env "$@" $MAKE --no-print-directory run RUN="data/runs/$name" SEED=0 QUIET=1 BNFLAGS="$flags" >"$tmp/$name.log" 2>&1 ||
    { tail "$tmp/$name.log" >&2; fail "make run with $*"; }
  [ "$(kv blas_core "data/runs/$name/machine.info.tsv")" = "$(kernels "$@")" ] ||
    fail "$name: machine.info.tsv does not name its kernels $(kernels "$@")"
  case $(kv reproducible_on "data/runs/$name/machine.info.tsv") in "$any"*) ;;
    *) fail "$name: machine.info.tsv does not say the bytes are reproducible on $any" ;; esac
}
run seed-0 OPENBLAS_CORETYPE=
run generic LIBXSMM_TARGET=generic
run other OPENBLAS_CORETYPE=Haswell LIBXSMM_TARGET=$target
n=$(($(wc -l < data/runs/seed-0/manifest.tsv) - 1))
[ "$n" -gt 20 ] || fail "the manifest lists only $n files"
for r in generic other; do
  cmp -s data/runs/seed-0/manifest.tsv "data/runs/$r/manifest.tsv" ||
    { diff data/runs/seed-0/manifest.tsv "data/runs/$r/manifest.tsv" >&2 || true; fail "the $r kernels ($(kernels LIBXSMM_TARGET=generic)) gave other result bytes"; }
done
say "1. $n result files byte-identical with kernels '$here', '$(kernels LIBXSMM_TARGET=generic)' and '$(kernels OPENBLAS_CORETYPE=Haswell LIBXSMM_TARGET=$target)'"

# 2. a study whose seeds were made with different kernels is not flagged; one with an older run is
other=$(kernels OPENBLAS_CORETYPE=Haswell LIBXSMM_TARGET=$target)
OPENBLAS_CORETYPE=Haswell LIBXSMM_TARGET=$target $MAKE --no-print-directory report SEED=1 QUIET=1 BNFLAGS="$flags" >"$tmp/m1.log" 2>&1 ||
  { tail "$tmp/m1.log" >&2; fail "make report SEED=1 with other kernels"; }
[ "$(kv 'GEMM kernels of the trainings' data/runs/seed-1/provenance.info.tsv)" = "$other" ] || fail "seed 1's provenance does not name kernel $other"
case $(kv 'bytes reproducible on' data/runs/seed-1/provenance.info.tsv) in "$any"*) ;; *) fail "seed 1's provenance does not say where its bytes are reproducible" ;; esac
$MAKE --no-print-directory report SEEDS=2 QUIET=1 BNFLAGS="$flags" >"$tmp/m2.log" 2>&1 || { tail "$tmp/m2.log" >&2; fail "make report SEEDS=2"; }
m=data/runs/seeds-0-1/machines.info.tsv
[ "$(awk -F'\t' 'NR > 1 && $5 == 0' "$m" | wc -l)" -eq 2 ] || { cat "$m" >&2; fail "$m: not two kernels, unmixed"; }
if grep -q "different GEMM kernels" data/runs/seeds-0-1/report/index.html; then fail "the several-seed page warns of kernels that change no byte"; fi
cp -r data/runs/seed-1 data/runs/old
awk -F'\t' '$1 != "reproducible_on" { if ($1 == "blas_core") $2 = "SkylakeX, libxsmm cpx"; print }' OFS='\t' \
  data/runs/seed-1/machine.info.tsv > data/runs/old/machine.info.tsv
$MAKE --no-print-directory compare A=0 B=data/runs/old QUIET=1 BNFLAGS="$flags" >"$tmp/c.log" 2>&1 || { tail "$tmp/c.log" >&2; fail "make compare A=0 B=data/runs/old"; }
c=$(ls -d data/compare/*old*)
[ "$(kv kernels_differ "$c/compare.info.tsv")" = 1 ] || fail "compare with a run made before fixed-order arithmetic: kernels_differ is not 1"
grep -q "made with different GEMM kernels" "$c/index.html" || fail "the compare page does not warn of the older run's kernels"
$MAKE --no-print-directory compare A=0 B=1 QUIET=1 BNFLAGS="$flags" >"$tmp/c2.log" 2>&1 || { tail "$tmp/c2.log" >&2; fail "make compare A=0 B=1"; }
[ "$(kv kernels_differ data/compare/seed-0-vs-seed-1/compare.info.tsv)" = 0 ] || fail "compare of two fixed-order runs: kernels_differ is not 0"
say "2. seeds made with different kernels are not flagged; a run made before fixed-order arithmetic is"

# 3. make verify says where the bytes are reproducible
echo >> data/runs/seed-1/exp5_deepnet_acc.tsv
if $MAKE --no-print-directory verify SEED=1 BNFLAGS="$flags" >"$tmp/v.log" 2>&1; then fail "make verify passed a changed result file"; fi
grep -qF "reproducible on $any" "$tmp/v.log" && grep -qF "its kernels ($other) and this machine's ($here)" "$tmp/v.log" ||
  { cat "$tmp/v.log" >&2; fail "make verify does not say where the bytes are reproducible, naming both kernels"; }
say "3. make verify of a changed run: FAILED, naming both kernels and where its bytes are reproducible"
say "passed in $(($(date +%s) - start)) s"
