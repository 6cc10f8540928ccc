# tests/test-lib.sh - what every shell suite shares; sourced from the repository's top folder.
#   test_begin NAME [tmp]  a make of their own (no MAKEFLAGS inherited from the calling make),
#                          $MAKE, say/fail/skip printing "NAME: ...", $start (seconds); with tmp,
#                          also a temporary folder $tmp, removed on exit
#   skip REASON            ends the suite as skipped: exit status 77, which tests/suites.sh
#                          counts as a skip, never as a pass
#   ok CASE / bad CASE WHY one case of a suite of many passed / failed, a line each;
#   cases_end              "NAME: N passed, M failed"; status 1 when any case failed
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
cases_pass=0 cases_failed=0
ok()  { cases_pass=$((cases_pass + 1)); echo "ok   $1"; }
bad() { cases_failed=$((cases_failed + 1)); echo "FAIL $1: $2"; }
cases_end() {
  echo "$test_name: $cases_pass passed, $cases_failed failed"
  [ "$cases_failed" -eq 0 ]
}
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
