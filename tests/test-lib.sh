# tests/test-lib.sh - what the engine and machine tests (cores, kernels, parallel, slurm) share;
# sourced from the repository's top folder.
#   test_begin NAME [tmp]  a make of their own (no MAKEFLAGS inherited from the calling make),
#                          $MAKE, say/fail/skip printing "NAME: ...", $start (seconds); with tmp,
#                          also a temporary folder $tmp, removed on exit
#   test_tree DIR          a copy of the tree (sources, scripts, templates, tests, build) in DIR
#   test_dataset TMP       sets and exports CIFAR10_DIR to the CIFAR-10 folder they train on:
#                          CIFAR10_DIR if set, else the shared development copy beside the
#                          repository, else a small generated file in CIFAR-10's format (1,300
#                          training and 100 test records, labels 0-9) in TMP
test_begin() {
  test_name=$1
  unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES || true
  MAKE=${MAKE:-make}
  start=$(date +%s)
  if [ "${2:-}" = tmp ]; then
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-$test_name.XXXXXX") || fail "mktemp failed"
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 1' INT TERM HUP
  fi
}
say() { echo "$test_name: $*"; }
fail() { echo "$test_name: FAIL: $*" >&2; exit 1; }
skip() { echo "$test_name: SKIPPED: $*"; exit 0; }

test_tree() {
  mkdir -p "$1"
  cp -a Makefile src scripts report tests build "$1/"
}

test_dataset() {
  if [ -n "${CIFAR10_DIR:-}" ]; then data=$(cd "$CIFAR10_DIR" && pwd)
  elif [ -f ../shared/data/cifar-10-batches-bin/data_batch_1.bin ]; then data=$(cd ../shared/data/cifar-10-batches-bin && pwd)
  else
    data=$1/cifar
    mkdir -p "$data"
    map=$(awk 'BEGIN { for (i = 0; i < 256; i++) printf "\\%03o", i % 10 }')
    head -c $((1300 * 3073)) /dev/urandom | tr '\000-\377' "$map" > "$data/data_batch_1.bin"
    head -c $((100 * 3073)) /dev/urandom | tr '\000-\377' "$map" > "$data/test_batch.bin"
  fi
  CIFAR10_DIR=$data
  export CIFAR10_DIR
}
