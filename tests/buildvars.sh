#!/bin/sh
# tests/buildvars.sh - no compiler or flag changes a result byte. The checks
# and a short training (one seed, reduced settings) made by the default build, by a build with
# CFLAGS="-O3 -march=native" from the environment, and by CC=clang on the command line (each in
# its own copy of the tree, with its own build folder) give byte-identical result files (their
# manifests are equal). The builds used the flags given (their compile lines say so), and the
# -march=native build has no fused multiply-add in layers.o, while the same file built without
# the project's BN_CFLAGS has some (the control: the check can fail on this machine).
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin buildvars tmp
unset CFLAGS CC || true
export XDG_CACHE_HOME="$tmp/cache"
flags="--epochs 1 --points 2 --num-train 100 --speed-reps 5 --train-records 1000 --val-records 200 --test-records 100"
# a small generated dataset in CIFAR-10's format: the suite needs neither the real one nor a network
data=$tmp/cifar
tests/make-cifar.sh "$data" || fail "could not generate the test dataset"

# run TREE NAME [VAR=...]: build there with the given variables, then the checks and the
# trainings of seed 0 into $tmp/NAME, and its manifest
run() {
  t=$1 name=$2; shift 2
  $MAKE --no-print-directory -C "$t" "$@" build/bnlab > "$tmp/$name.build.log" 2>&1 ||
    { cat "$tmp/$name.build.log"; fail "$name: the build failed"; }
  if grep -n 'warning:' "$tmp/$name.build.log"; then fail "$name: the build has warnings (above)"; fi
  $MAKE --no-print-directory -C "$t" "$@" run RUN="$tmp/$name" SEED=0 JOBS=2 QUIET=1 BNFLAGS="$flags" \
    CIFAR10_DIR="$data" > "$tmp/$name.log" 2>&1 || { cat "$tmp/$name.log"; fail "$name: make run failed"; }
}
copy_tree() { mkdir -p "$1" && cp -r Makefile report scripts src tests "$1/"; }

run . default
copy_tree "$tmp/native"
CFLAGS="-O3 -march=native" run "$tmp/native" native
grep -q -- '-O3 -march=native' "$tmp/native/build/compile.args" || fail "CFLAGS from the environment was not used: $(cat "$tmp/native/build/compile.args")"
copy_tree "$tmp/clang"
run "$tmp/clang" clang CC=clang
grep -q '^clang ' "$tmp/clang/build/compile.args" || fail "CC=clang was not used: $(cat "$tmp/clang/build/compile.args")"

n=$(($(wc -l < "$tmp/default/manifest.tsv") - 1))
[ "$n" -gt 0 ] || fail "the default build's manifest lists no file"
for b in native clang; do
  cmp -s "$tmp/default/manifest.tsv" "$tmp/$b/manifest.tsv" ||
    { diff "$tmp/default/manifest.tsv" "$tmp/$b/manifest.tsv" || true; fail "the $b build gave different result files"; }
done
say "CFLAGS=\"-O3 -march=native\" and CC=clang: all $n result files byte-identical to the default build's"

fma=$(objdump -d "$tmp/native/build/obj/nn/layers.o" | grep -c 'vfmadd\|vfmsub\|vfnmadd\|vfnmsub' || true)
[ "$fma" -eq 0 ] || fail "layers.o built with -march=native has $fma fused multiply-add instructions"
gcc -std=gnu11 -O3 -march=native -Isrc -Isrc/base -Isrc/compute -Isrc/nn -c src/nn/layers.c -o "$tmp/control.o"
ctl=$(objdump -d "$tmp/control.o" | grep -c 'vfmadd\|vfmsub\|vfnmadd\|vfnmsub' || true)
if [ "$ctl" -gt 0 ]; then
  say "no FMA in layers.o with -march=native (without BN_CFLAGS, gcc emits $ctl)"
else
  say "no FMA in layers.o with -march=native (this CPU has no FMA: the control emits none either)"
fi
say "passed"
