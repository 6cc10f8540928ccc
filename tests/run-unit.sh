#!/bin/sh
# Run cmocka test binaries; print each one's output, then one closing line with the totals.
# usage: tests/run-unit.sh LABEL BINARY...
set -u
label=$1; shift
pass=0; fail=0
log=$(mktemp "${TMPDIR:-/tmp}/bnlab-unit.XXXXXX") || { echo "run-unit: cannot create a temporary file in ${TMPDIR:-/tmp}" >&2; exit 2; }
trap 'rm -f "$log"' EXIT
for t in "$@"; do
  "$t" >"$log" 2>&1; rc=$?
  cat "$log"
  ran=$(sed -n 's/^\[==========\] \([0-9]*\) test(s) run\./\1/p' "$log" | tail -1)
  ok=$(grep -c '^\[       OK \]' "$log")
  [ -n "$ran" ] || ran=0
  if [ "$rc" -ne 0 ] && [ "$ok" -ge "$ran" ]; then
    # crashed or a sanitizer stopped it after the last OK: count the binary as one failure
    echo "$t: exit status $rc"; fail=$((fail + 1)); pass=$((pass + ok))
  else
    pass=$((pass + ok)); fail=$((fail + ran - ok))
  fi
done
echo "unit tests ($label): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
