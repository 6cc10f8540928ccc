#!/bin/sh
# tests/harden_inputs.sh - what reaches work is checked first:
#   merge:   `bnlab merge` / `make merge` check every sweep part against what they merge into
#            (point index, configuration, row counts) before writing anything, and replace the
#            sweep all or nothing, its completion file last;
#   inputs:  one validator per kind of make variable (integers, seed lists, choices, paths) and
#            LIBXSMM_TARGET, each refusing with one line naming it before any work;
#   folders: a run folder holds one configuration: after a run of other options into it is
#            stopped half-way, every result whose completion file is there is the new run's.
# Self-contained: a small CIFAR-10-format dataset and a copy of the tree (for make) in a
# temporary folder (kept with KEEP=1). One ok/FAIL line per case; exits non-zero if any failed.
set -u
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin harden-inputs tmp
[ -z "${KEEP:-}" ] || trap - EXIT
unset LIBXSMM_TARGET SEEDS SEED JOBS DTYPE QUIET ENGINE SPLIT SLURM_POLL || true
export XDG_CACHE_HOME="$tmp/cache"

$MAKE --no-print-directory build/bnlab build/bnagg build/experiments.mk >/dev/null 2>"$tmp/build.log" ||
  { cat "$tmp/build.log" >&2; echo "harden-inputs: the build failed" >&2; exit 1; }
B=$(pwd)/build/bnlab

# CIFAR-10 format: five training batches of 60 records and a test batch of 50
cifar() {
  awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) { printf "%c", i % 10
    for (j = 0; j < 3072; j++) printf "%c", int(rand() * 256) } }'
}
data=$tmp/cifar
mkdir -p "$data"
for b in 1 2 3 4 5; do cifar 60 "$b" >"$data/data_batch_$b.bin"; done
cifar 50 9 >"$data/test_batch.bin"
P=3
F="--train-records 200 --val-records 50 --test-records 50 --num-train 100 --points $P --epochs 1 --speed-reps 1"

# refused NAME PATTERN CMD...: CMD exits non-zero with one line on stderr that contains PATTERN
refused() {
  name=$1 pat=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
  if [ $rc -eq 0 ]; then bad "$name" "exit 0, expected a refusal"; return 1; fi
  if ! grep -qF -- "$pat" "$tmp/err"; then bad "$name" "no '$pat' in: $(head -n 3 "$tmp/err" | tr '\n' '|')"; return 1; fi
  if [ "$(wc -l <"$tmp/err")" -ne 1 ]; then bad "$name" "$(wc -l <"$tmp/err") lines on stderr: $(head -n 4 "$tmp/err" | tr '\n' '|')"; return 1; fi
  return 0
}
# snapshot DIR: every file under DIR with its checksum (to show that a refusal changed nothing)
snapshot() { (cd "$1" && find . -type f -exec cksum {} + | LC_ALL=C sort); }

# ------------------------------------------------------------------ 2. merge checks its parts
# parts RUN [OPTIONS...]: the sweep's P parts of RUN, made as the engines make them
parts() {
  r=$1; shift
  rm -rf "$r/parts"
  k=0
  while [ $k -lt $P ]; do
    # shellcheck disable=SC2086
    "$B" -q $F --data "$data" --out "$r" "$@" --point $k sweep || return 1
    k=$((k + 1))
  done
}
# merge_refused NAME PATTERN RUN [OPTIONS...]: bnlab merge refuses, and RUN is as it was
merge_refused() {
  name=$1 pat=$2 r=$3; shift 3
  snapshot "$r" >"$tmp/before"
  # shellcheck disable=SC2086
  refused "$name" "$pat" "$B" -q $F --out "$r" "$@" merge || return 0
  snapshot "$r" >"$tmp/after"
  if cmp -s "$tmp/before" "$tmp/after"; then ok "$name"; else bad "$name" "the refused merge changed $r"; fi
}
m=$tmp/m
parts "$m" || bad "merge set-up" "bnlab --point K sweep failed"
rm -rf "$m/parts/exp6_sweep-2" && cp -r "$m/parts/exp6_sweep-1" "$m/parts/exp6_sweep-2"
merge_refused "merge: point 1's files under point 2's name" "exp6_sweep-2/exp6_sweep_loss.tsv: row 1 is of point 1, not 2" "$m"
parts "$m"; sed -i '$d' "$m/parts/exp6_sweep-1/exp6_sweep_loss.tsv"
merge_refused "merge: a loss file without its last row" "exp6_sweep-1/exp6_sweep_loss.tsv: 1 rows, but these options make 2" "$m"
parts "$m"; sed -i '2d' "$m/parts/exp6_sweep-2/exp6_sweep_acc.tsv"
merge_refused "merge: an accuracy file without a row" "exp6_sweep-2/exp6_sweep_acc.tsv: row 1 is not the part's row 0" "$m"
parts "$m"
merge_refused "merge: --epochs 2 over parts of --epochs 1" "was made with seed 0 --epochs 1 " "$m" --epochs 2
grep -q "but the merge is for seed 0 --epochs 2 " "$tmp/err" || bad "merge: the refusal names both configurations" "$(cat "$tmp/err")"
merge_refused "merge: --dtype float64 over float32 parts" "but the merge is for seed 0 --dtype float64" "$m" --dtype float64
merge_refused "merge: seed 1 over seed 0's parts" "but the merge is for seed 1 " "$m" --seed 1
rm "$m/parts/exp6_sweep-0/config.info.tsv"
merge_refused "merge: a part without its configuration" "exp6_sweep-0/config.info.tsv is missing" "$m"

# all or nothing over an older complete sweep
parts "$m"
if "$B" -q $F --out "$m" merge 2>"$tmp/err" && [ -f "$m/exp6_sweep.tsv" ] && [ ! -d "$m/parts" ] &&
   [ "$(cut -f1 "$m/exp6_sweep.tsv" | tr '\n' ' ')" = "point 0 1 2 " ]; then ok "merge: good parts are joined in point order"
else bad "merge: good parts are joined in point order" "$(cat "$tmp/err")"; fi
parts "$m"; sed -i '$d' "$m/parts/exp6_sweep-0/exp6_sweep_loss.tsv"
merge_refused "merge: a bad part over an older complete sweep leaves it whole" "rows, but these options make" "$m"
parts "$m"
rm "$m/exp6_sweep_verdict.tsv" && mkdir "$m/exp6_sweep_verdict.tsv"
if "$B" -q $F --out "$m" merge 2>"$tmp/err"; then bad "merge: a write failing half-way" "exit 0"
elif [ -e "$m/exp6_sweep.tsv" ]; then bad "merge: a write failing half-way" "the old completion file is still there, vouching for rewritten files"
else ok "merge: a write failing half-way leaves no completion file ($(cat "$tmp/err"))"; fi
rmdir "$m/exp6_sweep_verdict.tsv"

# make merge through the project's own flow, in a copy of the tree
tree=$tmp/tree
mkdir -p "$tree/build"
cp -r Makefile report scripts src tests "$tree/"
cp -a build/obj build/bnlab build/bnagg build/.deps-ok build/experiments.mk build/compile.args build/link.args "$tree/build/"
[ -f build/version.args ] && cp -a build/version.args "$tree/build/"
mk() { $MAKE --no-print-directory -C "$tree" -o build/bnlab -o build/bnagg JOBS=1 QUIET=1 CIFAR10_DIR="$data" "$@"; }
R=$tree/data/runs/seed-0
if mk train-rest RUN="$R" SEED=0 BNFLAGS="$F" >"$tmp/log" 2>&1 && parts "$R"; then
  snapshot "$R" >"$tmp/before"
  mk merge RUN="$R" SEED=0 BNFLAGS="$F --epochs 2" >"$tmp/log" 2>&1; rc=$?
  snapshot "$R" >"$tmp/after"
  plan=$(mk plan RUN="$R" SEED=0 BNFLAGS="$F" 2>&1 | grep '^sweep ')
  if [ $rc -eq 0 ]; then bad "make merge BNFLAGS=--epochs 2 over parts of 1 epoch" "exit 0"
  elif ! grep -q "the merge is for seed 0 --epochs 2" "$tmp/log"; then bad "make merge BNFLAGS=--epochs 2 over parts of 1 epoch" "$(tr '\n' '|' <"$tmp/log")"
  elif ! cmp -s "$tmp/before" "$tmp/after"; then bad "make merge BNFLAGS=--epochs 2 over parts of 1 epoch" "the run folder changed: $(diff "$tmp/before" "$tmp/after" | tr "\n" "|")"
  elif [ "$plan" != "sweep todo" ]; then bad "make merge BNFLAGS=--epochs 2 over parts of 1 epoch" "make plan then says '$plan'"
  else ok "make merge BNFLAGS=--epochs 2 over parts of 1 epoch: refused, nothing changed, the sweep still todo"; fi
  if mk merge RUN="$R" SEED=0 BNFLAGS="$F" >"$tmp/log" 2>&1 &&
     [ "$(mk plan RUN="$R" SEED=0 BNFLAGS="$F" 2>&1 | grep '^sweep ')" = "sweep done" ]; then ok "make merge with the parts' own options: the sweep done"
  else bad "make merge with the parts' own options" "$(tr '\n' '|' <"$tmp/log")"; fi
else bad "make merge set-up" "$(tail -n 3 "$tmp/log" | tr '\n' '|')"; fi

# ------------------------------------------------------------------ 3. inputs checked before work
# make_refused NAME PATTERN VAR=VALUE...: make refuses at once, with one line, writing nothing
make_refused() {
  name=$1 pat=$2; shift 2
  snapshot "$tree" >"$tmp/before"
  refused "$name" "$pat" $MAKE --no-print-directory -C "$tree" report CIFAR10_DIR="$data" "$@" || return 0
  snapshot "$tree" >"$tmp/after"
  if cmp -s "$tmp/before" "$tmp/after"; then ok "$name"; else bad "$name" "make wrote into the tree before refusing"; fi
}
make_refused "SEEDS=010 (the shell would read octal)" "SEEDS='010' has '010', not a number in decimal" SEEDS=010
make_refused "SEEDS=\"1 1\"" "SEEDS='1 1' lists a seed more than once" "SEEDS=1 1"
make_refused "SEEDS=\"0 4294967296\"" "has '4294967296', out of range for a seed" "SEEDS=0 4294967296"
make_refused "SEEDS=0 (a count)" "SEEDS='0' is out of range as a count" SEEDS=0
make_refused "SEED=007" "SEED='007' is not a seed" SEED=007
make_refused "JOBS=+2" "JOBS='+2' is not a number of jobs" JOBS=+2
make_refused "JOBS=\"1 2\"" "JOBS='1 2' is not a number of jobs" "JOBS=1 2"
make_refused "SLURM_POLL=abc, before any job is submitted" "SLURM_POLL='abc' is not a number of seconds" ENGINE=slurm SLURM_POLL=abc
make_refused "SLURM_POLL=0" "SLURM_POLL='0' is not a number of seconds" ENGINE=slurm SLURM_POLL=0
make_refused "DTYPE=float16" "DTYPE='float16' is not a dtype" DTYPE=float16
make_refused "QUIET=yes" "QUIET='yes' is not a QUIET setting" QUIET=yes
make_refused "ENGINE=\"local slurm\"" "ENGINE='local slurm' is not an engine" "ENGINE=local slurm"
make_refused "SPLIT=seeds" "SPLIT='seeds' is not a way to split" SPLIT=seeds
make_refused "TRAIN_LOCK with a space" "TRAIN_LOCK='a b' is not a lock file" "TRAIN_LOCK=a b"
# and good values pass every validator
if $MAKE -n --no-print-directory -C "$tree" report "SEEDS=0 7 4294967295" SEED=4294967295 JOBS=256 DTYPE=float64 \
     QUIET=0 ENGINE=local SPLIT=points SLURM_POLL=3600 CIFAR10_DIR="$data" >/dev/null 2>"$tmp/err"
then ok "good values pass the validators"; else bad "good values pass the validators" "$(cat "$tmp/err")"; fi

# LIBXSMM_TARGET: a name LIBXSMM does not know, and sets this CPU lacks (from its flags)
x=$tmp/x
refused "LIBXSMM_TARGET=bogus" "LIBXSMM_TARGET='bogus' is not an instruction set" env LIBXSMM_TARGET=bogus "$B" -q --out "$x" forward-train &&
  { [ ! -e "$x" ] && ok "LIBXSMM_TARGET=bogus" || bad "LIBXSMM_TARGET=bogus" "$x was written"; }
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
for t in cpx:avx512_bf16 knl:avx512er skx:avx512f; do
  case " $flags " in
    *" ${t#*:} "*) ;;
    *) if refused "LIBXSMM_TARGET=${t%:*} on a CPU without ${t#*:}" "needs instructions this CPU lacks" \
            env LIBXSMM_TARGET="${t%:*}" "$B" -q $F --data "$data" --out "$x" sweep; then
         [ ! -e "$x" ] && ok "LIBXSMM_TARGET=${t%:*} on a CPU without ${t#*:}" || bad "LIBXSMM_TARGET=${t%:*}" "$x was written"
       fi ;;
  esac
done
if LIBXSMM_TARGET=generic "$B" -q --out "$x" forward-train 2>"$tmp/err"; then ok "LIBXSMM_TARGET=generic runs"
else bad "LIBXSMM_TARGET=generic runs" "$(cat "$tmp/err")"; fi
rm -rf "$x"
mk checks RUN="$tmp/xr" LIBXSMM_TARGET=bogus >/dev/null 2>"$tmp/err"
if [ $? -ne 0 ] && grep -q "LIBXSMM_TARGET='bogus'" "$tmp/err" && [ ! -e "$tmp/xr" ]; then ok "make checks LIBXSMM_TARGET=bogus: refused, nothing written"
else bad "make checks LIBXSMM_TARGET=bogus" "$(tr '\n' '|' <"$tmp/err")"; fi

# ------------------------------------------------------------------ 4. one configuration per folder
# The results of the checks by seed, as references; then seed 1's run into a folder holding a
# complete run of seed 0, stopped half-way by a file-size limit (a full disk): every experiment
# whose completion file is there must be seed 1's, file for file, and the folder records seed 1.
"$B" -q --speed-reps 1 --seed 0 --out "$tmp/ref0" checks && "$B" -q --speed-reps 1 --seed 1 --out "$tmp/ref1" checks ||
  bad "folder set-up" "bnlab checks failed"
cmp -s "$tmp/ref0/exp1_forward_train.tsv" "$tmp/ref1/exp1_forward_train.tsv" && bad "folder set-up" "seeds 0 and 1 give the same exp1"
"$B" list-files | awk -F'\t' 'NR > 1 { print $1, $3, $4 }' >"$tmp/rows"
# consistent DIR REF: every experiment with its completion file in DIR has REF's files there
consistent() {
  why=
  for e in $(awk '$3 == "yes" { print $1 }' "$tmp/rows"); do
    done_f=$(awk -v e="$e" '$1 == e && $3 == "yes" { print $2 }' "$tmp/rows")
    [ -f "$1/$done_f" ] || continue
    for f in $(awk -v e="$e" '$1 == e { print $2 }' "$tmp/rows"); do
      [ -f "$2/$f" ] || continue
      cmp -s "$1/$f" "$2/$f" || why="$why $f"
    done
  done
  cmp -s "$1/config.info.tsv" "$2/config.info.tsv" || why="$why config.info.tsv"
  [ -z "$why" ] || { echo "not the recorded configuration's:$why"; return 1; }
}
# A file-size limit of 6 KiB, in the shell's units for ulimit -f (512 or 1024 bytes): above the
# content stamps make writes (about 4.6 KiB), below experiment 7's largest check file (8 KiB).
(ulimit -f 1; head -c 600 /dev/zero >"$tmp/unit"; :) 2>/dev/null
[ "$(wc -c <"$tmp/unit")" -gt 512 ] && fsize=6 || fsize=12
# stopped NAME DIR CMD...: CMD, run under that limit (a full disk), fails; DIR is then consistent with ref1
stopped() {
  name=$1 d=$2; shift 2
  if (ulimit -f $fsize; "$@"; rc=$?; exit $rc) >"$tmp/log" 2>&1; then bad "$name" "set-up: the run was not stopped"; return; fi
  [ -f "$d/exp1_forward_train.tsv" ] || { bad "$name" "set-up: stopped before experiment 1 completed"; return; }
  if why=$(consistent "$d" "$tmp/ref1"); then ok "$name"; else bad "$name" "$why"; fi
}
c=$tmp/c
cp -r "$tmp/ref0" "$c"
stopped "bnlab --seed 1 into seed 0's folder, stopped half-way" "$c" "$B" -q --speed-reps 1 --seed 1 --out "$c" checks
grep -q "holds a run of seed 0 --speed-reps 1: its results are removed before the run of seed 1" "$tmp/log" ||
  bad "bnlab names both configurations" "$(head -n 2 "$tmp/log" | tr '\n' '|')"
# a single experiment of seed 1: nothing of seed 0 is left beside it
rm -rf "$c" && cp -r "$tmp/ref0" "$c"
if "$B" -q --speed-reps 1 --seed 1 --out "$c" forward-train 2>/dev/null && why=$(consistent "$c" "$tmp/ref1") &&
   [ ! -e "$c/exp2_forward_test.tsv" ]; then ok "bnlab --seed 1 forward-train: no seed 0 result left beside it"
else bad "bnlab --seed 1 forward-train" "${why:-seed 0's files left}"; fi
# through make: make checks SEED=1 into RUN holding seed 0's checks, stopped, then completed
mr=$tmp/mr
if mk checks RUN="$mr" SEED=0 BNFLAGS="--speed-reps 1" >"$tmp/log" 2>&1; then
  stopped "make checks SEED=1 into seed 0's RUN, stopped half-way" "$mr" \
    $MAKE --no-print-directory -C "$tree" -o build/bnlab JOBS=1 QUIET=1 checks RUN="$mr" SEED=1 BNFLAGS="--speed-reps 1"
  if mk checks RUN="$mr" SEED=1 BNFLAGS="--speed-reps 1" >"$tmp/log" 2>&1 && why=$(consistent "$mr" "$tmp/ref1") &&
     [ -z "$(awk '$3 == "yes" { print $2 }' "$tmp/rows" | while read -r f; do [ -f "$tmp/ref1/$f" ] && [ ! -f "$mr/$f" ] && echo "$f"; done)" ]
  then ok "make checks SEED=1 again: every check redone as seed 1's"
  else bad "make checks SEED=1 again" "${why:-$(tail -n 2 "$tmp/log" | tr '\n' '|')}"; fi
else bad "make checks set-up" "$(tail -n 3 "$tmp/log" | tr '\n' '|')"; fi
# a sweep part made again with other options replaces the old part whole
pr=$tmp/pr
parts "$pr" && parts "$pr" --epochs 2 && "$B" -q $F --epochs 2 --out "$tmp/pr2" --data "$data" --point 1 sweep
if grep -q -- "--epochs 2" "$pr/parts/exp6_sweep-1/config.info.tsv" &&
   cmp -s "$pr/parts/exp6_sweep-1/exp6_sweep_loss.tsv" "$tmp/pr2/parts/exp6_sweep-1/exp6_sweep_loss.tsv"
then ok "a sweep part made again with --epochs 2 is the new configuration's"
else bad "a sweep part made again with --epochs 2" "its files or config.info.tsv are not the new run's"; fi

cases_end
