#!/bin/sh
# tests/fuzz/run.sh - run each libFuzzer target for a bounded time on a copy of its seed corpus
# (tests/fuzz/corpus/<target>/, which stays untouched); used by `make fuzz`.
# usage: tests/fuzz/run.sh SECONDS TARGET...   (binaries are build/fuzz/fuzz_<TARGET>)
# Logs go to build/fuzz/<target>.log; a crash leaves its input as build/fuzz/<target>-crash-*.
# Prints one line per target, then "fuzz: N passed, M failed"; exits non-zero on any failure.
set -u
cd "$(dirname "$0")/../.." || exit 2
secs=$1; shift
pass=0; fail=0
for t in "$@"; do
  bin=build/fuzz/fuzz_$t corpus=build/fuzz/corpus-$t log=build/fuzz/$t.log
  rm -rf "$corpus" && mkdir -p "$corpus" && cp tests/fuzz/corpus/"$t"/* "$corpus"/
  # whole CIFAR-10 records are 3073 bytes: let inputs hold a few of them
  maxlen=4096; [ "$t" = cifar ] && maxlen=10000
  start=$(date +%s)
  "$bin" -max_total_time="$secs" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="build/fuzz/$t-" "$corpus" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  took=$(( $(date +%s) - start ))
  if [ "$rc" -eq 0 ]; then
    pass=$((pass + 1))
    echo "fuzz_$t: ${runs:-?} inputs in ${took} s, ${cov:-cov: ?} edges, corpus $(ls "$corpus" | wc -l) files: no crash"
  else
    fail=$((fail + 1))
    echo "fuzz_$t: FAILED (status $rc) after ${took} s; log $log; input: $(ls build/fuzz/"$t"-* 2>/dev/null | head -1)"
    grep -m 5 -E 'ERROR|runtime error|SUMMARY|deadly signal' "$log" | sed 's/^/  /'
  fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
