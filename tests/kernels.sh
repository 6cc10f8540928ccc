#!/bin/sh
# make kernels: runs say which GEMM kernels (OpenBLAS core, LIBXSMM target) their trainings used, and the pages and make verify
# say so when runs mix kernels (issue 13, item 8). In a copy of the tree, small settings:
#   1. make train SEED=0 here, and SEED=1 with OPENBLAS_CORETYPE and LIBXSMM_TARGET set to other
#      kernels (as if made on another CPU): each run's machine.info.tsv names its kernel, and the provenance too;
#   2. make report SEEDS=2: machines.info.tsv has both kernels, mixed, and the page says "made with
#      different GEMM kernels"; make compare A=0 B=1 says it too (kernels_differ 1);
#      a study of one kernel says nothing of the kind;
#   3. make verify of seed 1 whose result file differs from its manifest: FAILED, and the message
#      names the run's kernel and this machine's.
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin kernels tmp
test_dataset "$tmp"
test_tree "$tmp/t"
cd "$tmp/t"
flags="--epochs 1 --points 2 --num-train 100 --speed-reps 1 --train-records 1000 --val-records 200 --test-records 100"
here=$(build/bnlab info | awk -F'\t' '$1 == "gemm_kernels" { print $2 }')
[ -n "$here" ] || fail "bnlab info names no gemm_kernels"
core=Haswell; case $here in Haswell*) core=Sandybridge ;; esac
target=hsw; case $here in *hsw) target=snb ;; esac
other=$(OPENBLAS_CORETYPE=$core LIBXSMM_TARGET=$target build/bnlab info | awk -F'\t' '$1 == "gemm_kernels" { print $2 }')
[ -n "$other" ] && [ "$other" != "$here" ] || fail "OPENBLAS_CORETYPE=$core LIBXSMM_TARGET=$target gives no other kernels than $here"

kv() { awk -F'\t' -v k="$1" '$1 == k { print $2; exit }' "$2"; }

$MAKE --no-print-directory report SEEDS=1 QUIET=1 BNFLAGS="$flags" >"$tmp/m0.log" 2>&1 || { tail "$tmp/m0.log" >&2; fail "make report SEEDS=1"; }
OPENBLAS_CORETYPE=$core LIBXSMM_TARGET=$target $MAKE --no-print-directory report SEED=1 QUIET=1 BNFLAGS="$flags" >"$tmp/m1.log" 2>&1 ||
  { tail "$tmp/m1.log" >&2; fail "make report SEED=1 with OPENBLAS_CORETYPE=$core LIBXSMM_TARGET=$target"; }
[ "$(kv blas_core data/runs/seed-0/machine.info.tsv)" = "$here" ] || fail "seed 0's machine.info.tsv does not name kernel $here"
[ "$(kv blas_core data/runs/seed-1/machine.info.tsv)" = "$other" ] || fail "seed 1's machine.info.tsv does not name kernel $other"
[ "$(kv 'GEMM kernels of the trainings' data/runs/seed-1/provenance.info.tsv)" = "$other" ] || fail "seed 1's provenance does not name kernel $other"
[ "$(awk -F'\t' 'NR > 1 && $5 == 0' data/runs/seeds-0/machines.info.tsv | wc -l)" -eq 1 ] || fail "a study of one kernel: machines.info.tsv is not one unmixed row"
if grep -q "different GEMM kernels" data/runs/seeds-0/report/index.html; then fail "a study of one kernel says it mixes kernels"; fi

$MAKE --no-print-directory report SEEDS=2 QUIET=1 BNFLAGS="$flags" >"$tmp/m2.log" 2>&1 || { tail "$tmp/m2.log" >&2; fail "make report SEEDS=2"; }
grep -E "^(flock [^ ]* )?build/bnlab .* (deepnet|sweep)\$" "$tmp/m2.log" && fail "make report SEEDS=2 retrained (the kernel is not part of a run's stamp)"
m=data/runs/seeds-0-1/machines.info.tsv
[ "$(awk -F'\t' 'NR > 1 && $5 == 1' "$m" | wc -l)" -eq 2 ] || { cat "$m" >&2; fail "$m: not two kernels marked mixed"; }
grep -q "made with different GEMM kernels" data/runs/seeds-0-1/report/index.html || fail "the several-seed page does not say the runs mix kernels"
$MAKE --no-print-directory compare A=0 B=1 QUIET=1 BNFLAGS="$flags" >"$tmp/c.log" 2>&1 || { tail "$tmp/c.log" >&2; fail "make compare A=0 B=1"; }
[ "$(kv kernels_differ data/compare/seed-0-vs-seed-1/compare.info.tsv)" = 1 ] || fail "compare.info.tsv: kernels_differ is not 1"
grep -q "made with different GEMM kernels" data/compare/seed-0-vs-seed-1/index.html || fail "the compare page does not say the runs used different kernels"

# as a run copied from a machine whose kernel gave other bytes: a result differs from the manifest
echo >> data/runs/seed-1/exp5_deepnet_acc.tsv
if $MAKE --no-print-directory verify SEED=1 BNFLAGS="$flags" >"$tmp/v.log" 2>&1; then fail "make verify passed a changed result file"; fi
grep -qF "made with GEMM kernels $other (CPU" "$tmp/v.log" && grep -qF "this machine's is $here (CPU" "$tmp/v.log" ||
  { cat "$tmp/v.log" >&2; fail "make verify does not name the run's kernels and this machine's"; }
echo "kernels: runs record kernel $here / $other; the several-seed and compare pages and make verify name them: PASS"
