#!/bin/sh
# make portability: the same result bytes on another CPU. The reduced study (every experiment,
# on a 500-record generated folder in CIFAR-10's format) runs natively, then as an AVX2 machine
# without AVX-512 under QEMU's user-mode emulation (qemu-x86_64 -cpu Haswell: LIBXSMM generates
# AVX2 kernels there and glibc picks its AVX2 builds), and every result file must be
# byte-identical. PORTABILITY_CPUS adds CPUs (qemu-x86_64 -cpu help lists them), e.g.
# PORTABILITY_CPUS="Haswell Nehalem": Nehalem has neither AVX nor FMA, so every product goes to
# our kernel with a software fma (about 8 minutes under emulation). QEMU comes from Debian's
# qemu-user (scripts/deps.sh portability); without it the suite is skipped, saying so.
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin portability tmp
command -v qemu-x86_64 >/dev/null 2>&1 || scripts/deps.sh portability >&2 ||
  skip "qemu-x86_64 is missing and could not be installed (scripts/deps.sh portability)"
command -v qemu-x86_64 >/dev/null 2>&1 || skip "qemu-x86_64 is still missing after scripts/deps.sh portability"
[ "$(uname -m)" = x86_64 ] || skip "emulates x86-64 CPUs from an x86-64 machine; this is $(uname -m)"
tests/make-cifar.sh "$tmp/data" 500 50 || fail "could not generate the test dataset"
flags="--epochs 1 --points 2 --num-train 100 --speed-reps 1 --train-records 400 --val-records 100 --test-records 50"
files=$(build/bnlab list-files | awk -F'\t' 'NR > 1 { print $3 }')
kernels() { "$@" build/bnlab info 2>/dev/null | awk -F'\t' '$1 == "gemm_kernels" { print $2 }'; }

# shellcheck disable=SC2086
build/bnlab -q -j 2 $flags --data "$tmp/data" --out "$tmp/native" all || fail "the native run failed"
here=$(kernels)
say "native: kernels '$here'"
for cpu in ${PORTABILITY_CPUS:-Haswell}; do
  emu="qemu-x86_64 -cpu $cpu"
  there=$(kernels $emu)
  [ -n "$there" ] || fail "bnlab does not run under '$emu'"
  [ "$there" != "$here" ] || fail "under '$emu' bnlab picks this machine's kernels ('$here'): the test would prove nothing"
  t0=$(date +%s)
  # shellcheck disable=SC2086
  $emu build/bnlab -q -j 2 $flags --data "$tmp/data" --out "$tmp/$cpu" all 2>"$tmp/$cpu.err" ||
    { grep -v '^qemu-x86_64: warning' "$tmp/$cpu.err" >&2; fail "the run under '$emu' failed"; }
  n=0 differ=""
  for f in $files; do
    n=$((n + 1))
    [ -f "$tmp/native/$f" ] || fail "the native run did not write $f"
    cmp -s "$tmp/native/$f" "$tmp/$cpu/$f" || differ="$differ $f"
  done
  [ -z "$differ" ] || fail "as a $cpu CPU (kernels '$there') these result files differ:$differ"
  say "as a $cpu CPU (kernels '$there'): all $n result files byte-identical to the native run ($(($(date +%s) - t0)) s under emulation)"
done
say "passed in $(($(date +%s) - start)) s"
