#!/bin/sh
# tests/valgrind.sh - memory check of bnlab: one reduced end-to-end run (experiments 1-6 on a
# small generated CIFAR-10 set), the parallel-worker path, the gzip/IDX reader and two fault
# paths (an error exit, a full file-size limit), then the unit-test binaries; every one under
# valgrind --leak-check=full. A run passes when valgrind reports no error (invalid read or write,
# use of uninitialised memory, definitely or possibly lost block) and the program's exit status
# is the expected one.
#
# usage: tests/valgrind.sh BNLAB [UNIT_TEST_BINARY...]      (make valgrind)
#        tests/valgrind.sh --asan BNLAB_ASAN                  (make sanitize: the same runs against
#                      an AddressSanitizer + UndefinedBehaviorSanitizer build, without valgrind)
# Ends with "valgrind: N passed, M failed" (or "asan: ..."); non-zero exit on any failure.
set -u
export LC_ALL=C OPENBLAS_NUM_THREADS=1
mode=valgrind
[ "${1:-}" = --asan ] && { mode=asan; shift; }
. "$(dirname "$0")/test-lib.sh"
test_begin $mode
[ $# -ge 1 ] || { echo "usage: tests/valgrind.sh [--asan] BNLAB [UNIT_TEST_BINARY...]" >&2; exit 2; }
B=$1; shift
[ -x "$B" ] || { echo "$mode: $B not built" >&2; exit 2; }
if [ $mode = valgrind ] && ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind: not installed (apt-get install valgrind)" >&2; exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-valgrind.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# small inputs: CIFAR-10 (250 training, 50 test records) and Fashion-MNIST-style IDX (2x2 images)
cifar() {
  awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) { printf "%c", i % 10
    for (j = 0; j < 3072; j++) printf "%c", int(rand() * 256) } }'
}
be32() {
  printf "\\$(printf %03o $(($1 >> 24 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))"
  printf "\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"
}
bytes() { awk -v n="$1" -v s="$2" -v m="$3" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%c", int(rand() * m) }'; }
mkdir -p "$tmp/cifar" "$tmp/fm" "$tmp/bad"
cifar 250 1 >"$tmp/cifar/data_batch_1.bin"
cifar 50 2 >"$tmp/cifar/test_batch.bin"
{ be32 2051; be32 300; be32 2; be32 2; bytes 1200 3 256; } | gzip -n >"$tmp/fm/train-images-idx3-ubyte.gz"
{ be32 2049; be32 300; bytes 300 4 10; } | gzip -n >"$tmp/fm/train-labels-idx1-ubyte.gz"
{ be32 2051; be32 50; be32 2; be32 2; bytes 200 5 256; } | gzip -n >"$tmp/fm/t10k-images-idx3-ubyte.gz"
{ be32 2049; be32 50; bytes 50 6 10; } | gzip -n >"$tmp/fm/t10k-labels-idx1-ubyte.gz"
cp "$tmp/cifar/test_batch.bin" "$tmp/bad/"
{ head -c 3073 "$tmp/cifar/data_batch_1.bin"; printf '\037'; tail -c +3075 "$tmp/cifar/data_batch_1.bin"; } >"$tmp/bad/data_batch_1.bin"

SMALL="--train-records 200 --val-records 50 --test-records 50 --num-train 100 --points 2 --epochs 1 --speed-reps 2"
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible --show-leak-kinds=definite,possible
    --error-exitcode=99 --child-silent-after-fork=no"
pass=0; fail=0

LIMIT=""
limited() { if [ -n "$LIMIT" ]; then sh -c 'ulimit -f "$0" && exec "$@"' "$LIMIT" "$@"; else "$@"; fi; }

# check NAME WANT COMMAND...: run COMMAND (under valgrind, or as it is for --asan), expecting
# exit status WANT; valgrind's own errors give status 99 and a report in the log.
check() {
  name=$1; want=$2; shift 2
  log=$tmp/log
  start=$(date +%s)
  # LIMIT: a file-size limit (512-byte blocks) on the program, valgrind included (a clean
  # valgrind writes nothing to its log, so the limit only bites on the program's files)
  if [ $mode = valgrind ]; then limited $VG --log-file="$log.vg" "$@" >"$log" 2>&1; rc=$?
  else limited "$@" >"$log" 2>&1; rc=$?; : >"$log.vg"; fi
  took=$(( $(date +%s) - start ))
  errs=$(grep -c -E '^==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched|[0-9,]+ bytes in [0-9,]+ blocks are (definitely|possibly))' "$log.vg")
  san=$(grep -c -E 'Sanitizer|runtime error:' "$log")
  if [ "$rc" -eq "$want" ] && [ "$errs" -eq 0 ] && [ "$san" -eq 0 ]; then
    pass=$((pass + 1)); echo "ok   $name (${took} s)"
  else
    fail=$((fail + 1)); echo "FAIL $name: exit status $rc (want $want), $errs valgrind error(s), $san sanitizer report(s) (${took} s)"
    { grep -E -A12 '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|[0-9,]+ bytes in)' "$log.vg" | head -60
      grep -E -A20 'Sanitizer|runtime error:' "$log" | head -40
      [ "$rc" -eq "$want" ] || tail -5 "$log"; } | sed 's/^/    /'
  fi
}

check "bnlab all (experiments 1-6, reduced)" 0 "$B" -q -j 1 --data "$tmp/cifar" --out "$tmp/r1" $SMALL all
check "bnlab checks" 0 "$B" -q --out "$tmp/r2" --speed-reps 2 checks
check "bnlab sweep with 2 worker processes" 0 "$B" -q -j 2 --data "$tmp/cifar" --out "$tmp/r3" $SMALL sweep
check "bnlab sweep on gzipped IDX files" 0 "$B" -q -j 1 --fashion-mnist "$tmp/fm" --out "$tmp/r4" $SMALL sweep
check "bnlab diverging sweep (non-finite losses)" 0 "$B" -q -j 1 --fashion-mnist "$tmp/fm" --out "$tmp/r5" $SMALL --ws-min 10 --ws-max 100 --lr 10 --update-rule sgd sweep
check "bnlab dataset fault (label 31)" 1 "$B" -q -j 1 --data "$tmp/bad" --out "$tmp/r6" $SMALL sweep
LIMIT=2
check "bnlab output fault (file-size limit)" 1 "$B" -q -j 1 --fashion-mnist "$tmp/fm" --out "$tmp/r7" $SMALL --batch-size 5 sweep
LIMIT=""
check "bnlab usage error" 2 "$B" --seed abc checks

# the unit tests that run the program find it through BNLAB (as in make unit); exported, not
# passed through env(1), which valgrind would check instead of the test
BNLAB=$B; export BNLAB
for t in "$@"; do
  [ -x "$t" ] || { fail=$((fail + 1)); echo "FAIL $t: not built"; continue; }
  check "unit tests $(basename "$t")" 0 "$t"
done

echo "$mode: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
