#!/bin/sh
# tests/suites.sh SUITE... | all | check | --list - run test suites one after another and end
# with their counts. The one ordered list of the suites is ALL below: `make test` runs `all`,
# `make check` runs `check` (the unit tests and a quick end-to-end report, under a minute),
# `make SUITE` runs one, and tests/tests.mk takes the suites' names from `--list`.
# Every suite runs even when an earlier one failed, so one run shows every failure.
# A suite passes with exit status 0 and is skipped with 77 (the reason in the file
# $BN_SKIP_FILE, which tests/test-lib.sh's skip writes): a skip is counted and shown as a skip,
# never as a pass. The last line is "suites: N passed, N failed, N skipped"; the exit status is
# 1 when any suite failed.
# The unit-test binaries come from make in BN_UNIT_TESTS (names under build/tests/).
set -u
cd "$(dirname "$0")/.."
ALL="unit unit-asan e2e-report reuse toy-experiment buildvars realdata deps-noroot slurm-vars test-slurm
     test-parallel cores kernels portability badinput harden-values harden-inputs sanitize
     cli-tools docs browser-test"
CHECK="unit e2e-quick"
[ $# -gt 0 ] || { echo "usage: tests/suites.sh SUITE... | all | check | --list" >&2; exit 2; }
case $1 in
  --list) echo $ALL; exit 0 ;;
  all)    set -- $ALL ;;
  check)  set -- $CHECK ;;
esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-suites.XXXXXX") ||
  { echo "suites: cannot create a temporary folder in TMPDIR=${TMPDIR:-/tmp}" >&2; exit 2; }
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
san="ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1"

# run SUITE: the suite's command; what each suite checks is said at the top of its script
run() {
  case $1 in
    unit)          BNLAB=build/bnlab tests/run-unit.sh plain $(printf 'build/tests/%s ' ${BN_UNIT_TESTS:-}) ;;
    unit-asan)     env $san BNLAB=build/bnlab tests/run-unit.sh asan+ubsan $(printf 'build/tests-asan/%s ' ${BN_UNIT_TESTS:-}) ;;
    e2e-report)    tests/e2e_report.sh ;;
    e2e-quick)     tests/e2e_report.sh --quick ;;
    reuse)         tests/reuse.sh ;;
    toy-experiment) tests/toy_experiment.sh ;;
    buildvars)     tests/buildvars.sh ;;
    realdata)      tests/realdata.sh ;;
    test-slurm)    tests/slurm.sh ;;
    slurm-vars)    tests/slurm_vars.sh ;;
    deps-noroot)   tests/deps_noroot.sh ;;
    test-parallel) tests/parallel.sh ;;
    cores)         tests/cores.sh ;;
    kernels)       tests/kernels.sh ;;
    portability)   tests/portability.sh ;;
    badinput)      tests/badinput.sh ;;
    harden-values) tests/harden_values.sh ;;
    harden-inputs) tests/harden_inputs.sh ;;
    sanitize)      env $san tests/valgrind.sh --asan build/bnlab-asan &&
                   env $san BNLAB=build/bnlab-asan tests/badinput.sh ;;
    cli-tools)     tests/cli_tools.sh ;;
    docs)          tests/docs.sh ;;
    browser-test)  tests/browser_test.py ;;
    *) echo "suites: no suite named '$1'" >&2; return 2 ;;
  esac
}

pass=0 failed=0 skipped=0 table=""
for s in "$@"; do
  echo "=== $s"
  BN_SKIP_FILE=$tmp/skip-$s
  export BN_SKIP_FILE
  t0=$(date +%s)
  run "$s"
  rc=$?
  secs=$(($(date +%s) - t0))
  case $rc in
    0)  pass=$((pass + 1)); what="passed" ;;
    77) skipped=$((skipped + 1)); what="SKIPPED: $(head -n 1 "$BN_SKIP_FILE" 2>/dev/null || echo "no reason given")" ;;
    *)  failed=$((failed + 1)); what="FAILED (exit status $rc)" ;;
  esac
  table="$table$(printf '  %-14s %4d s  %s' "$s" "$secs" "$what")
"
done
echo "=== summary"
printf '%s' "$table"
echo "suites: $pass passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
