#!/bin/sh
# tests/slurm_vars.sh: the Slurm engine's make variables are checked before anything runs (no
# cluster needed). Each bad value stops make with one line naming the variable, its value and what
# is accepted, before any file is written; good values pass every check; ENGINE=slurm refuses a
# goal it does not run in the cluster beside the ones it does.
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin slurm-vars tmp
test_tree "$tmp/t"
touch "$tmp/marker"
sleep 1
n=0
refused() {   # PATTERN VAR=VALUE...
  pat=$1; shift
  if $MAKE --no-print-directory -C "$tmp/t" report "$@" >"$tmp/out" 2>"$tmp/err"; then fail "$* was accepted"; fi
  [ "$(wc -l < "$tmp/err")" -eq 1 ] || { cat "$tmp/err" >&2; fail "$*: not one line"; }
  grep -q -- "$pat" "$tmp/err" || { cat "$tmp/err" >&2; fail "$*: the message does not say '$pat'"; }
  new=$(find "$tmp/t" -newer "$tmp/marker" ! -type d | head -3)
  [ -z "$new" ] || fail "$*: make wrote $new before refusing"
  n=$((n + 1))
}
refused "DETACH='yes' is not a DETACH setting (accepted: 0, 1, or empty" ENGINE=slurm DETACH=yes
refused "SEEDS_PER_TASK='0' is not a number of units per array task" ENGINE=slurm SEEDS_PER_TASK=0
refused "SEEDS_PER_TASK='08' is not" ENGINE=slurm SEEDS_PER_TASK=08
refused "SLURM_MAX_RUNNING='-1' is not a number of array tasks running at once" ENGINE=slurm SLURM_MAX_RUNNING=-1
refused "SLURM_RETRIES='11' is not a number of retries" ENGINE=slurm SLURM_RETRIES=11
refused "SLURM_PARTITION='a;b' is not a partition" ENGINE=slurm "SLURM_PARTITION=a;b"
refused "SLURM_PARTITION='-p' is not a partition" ENGINE=slurm SLURM_PARTITION=-p
refused "SLURM_PARTITION='a b' is not a partition" ENGINE=slurm "SLURM_PARTITION=a b"
refused "SLURM_ACCOUNT='\$(touch x)' is not an account" ENGINE=slurm 'SLURM_ACCOUNT=$(touch x)'
refused "SLURM_ACCOUNT='it'\\''s' is not an account\|SLURM_ACCOUNT='it's' is not an account" ENGINE=slurm "SLURM_ACCOUNT=it's"
refused "SLURM_MEM='4X' is not an amount of memory (accepted: a number of megabytes" ENGINE=slurm SLURM_MEM=4X
refused "SLURM_MEM='0' is not an amount of memory" ENGINE=slurm SLURM_MEM=0
refused "SLURM_TIME_TRAIN='1:2:3:4' is not a time limit (accepted: Slurm's minutes" ENGINE=slurm SLURM_TIME_TRAIN=1:2:3:4
refused "SLURM_TIME_PAGE='1h' is not a time limit" ENGINE=slurm SLURM_TIME_PAGE=1h
refused "SLURM_TIME_PAGE='-5' is not a time limit" ENGINE=slurm SLURM_TIME_PAGE=-5
refused "SLURM_CPUS_PAGE='0' is not a number of CPUs for the plan and collect jobs" ENGINE=slurm SLURM_CPUS_PAGE=0
refused "ENGINE=slurm runs the goals train, seeds, report and run in the cluster, not 'figures'" ENGINE=slurm figures
[ ! -e "$tmp/t/x" ] || fail "a value was run by a shell"
say "$n bad values refused with one line each, nothing written"
# good values pass every check (make -n: nothing is submitted)
$MAKE -n --no-print-directory -C "$tmp/t" report ENGINE=slurm DETACH=1 SEEDS_PER_TASK=20 SLURM_MAX_RUNNING=50 \
  SLURM_RETRIES=0 SLURM_PARTITION=short,long SLURM_ACCOUNT=cs231n_ta SLURM_MEM=4G SLURM_TIME_TRAIN=1-12:00:00 \
  SLURM_TIME_PAGE=30 SLURM_CPUS_PAGE=4 >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; fail "good values were refused"; }
for t in 30 30:15 2:00:00 1-12 1-12:30 1-12:30:15; do
  $MAKE -n --no-print-directory -C "$tmp/t" report ENGINE=slurm SLURM_TIME_TRAIN=$t >/dev/null 2>"$tmp/err" ||
    { cat "$tmp/err" >&2; fail "SLURM_TIME_TRAIN=$t (a Slurm time) was refused"; }
done
say "good values pass: PASS"
