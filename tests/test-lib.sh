# tests/test-lib.sh - what the engine and machine tests (cores, kernels, parallel, slurm) share;
# sourced from the repository's top folder.
#   test_begin NAME [tmp]  a make of their own (no MAKEFLAGS inherited from the calling make),
#                          $MAKE, say/fail/skip printing "NAME: ...", $start (seconds); with tmp,
#                          also a temporary folder $tmp, removed on exit
#   skip REASON            ends the suite as skipped: exit status 77, which tests/suites.sh
#                          counts as a skip, never as a pass
#   test_tree DIR          a copy of the tree (sources, scripts, templates, tests, build) in DIR
#   test_dataset TMP       sets and exports CIFAR10_DIR to a small generated folder in CIFAR-10's
#                          format in TMP (tests/make-cifar.sh: 1,300 training and 100 test
#                          records): the suites need neither the real dataset nor a network
#                          (tests/realdata.sh is the one that uses the real one, when present)
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
skip() {
  echo "$test_name: SKIPPED: $*"
  [ -z "${BN_SKIP_FILE:-}" ] || printf '%s\n' "$*" > "$BN_SKIP_FILE"
  exit 77
}

test_tree() {
  mkdir -p "$1"
  cp -a Makefile src scripts report tests build "$1/"
}

test_dataset() {
  tests/make-cifar.sh "$1/cifar" || fail "could not generate the test dataset in $1/cifar"
  CIFAR10_DIR=$1/cifar
  export CIFAR10_DIR
}
