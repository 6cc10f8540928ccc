#!/bin/sh
# tests/reuse.sh - experiments are reused by content, not by time. In a copy
# of the tree, on a small generated CIFAR-10-format dataset and a reduced configuration:
#   1. a second `make run` reruns nothing;
#   2. `touch build/bnlab` reruns nothing;
#   3. an edit of bnlab's usage text (src/main_bnlab.c) rebuilds bnlab and reruns nothing;
#   4. the run folder copied (cp -r: new times, in any order) into a fresh copy of the tree,
#      built from scratch, reruns nothing;
#   5. CIFAR10_DIR pointing at another copy of the same files reruns nothing, and a second
#      lookup of a dataset hashes no file again (its sha256 comes from the cache);
#   6. an edit of src/nn/layers.c reruns every experiment (all use it), also when one row names it
#      among its own sources (a row's sources change no other row's stamp);
#   7. an edit of src/study/exp_training.c reruns the trainings whose registry row names it, and nothing else;
#   8. a new option value reruns; new dataset content reruns the trainings, not the checks.
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin reuse tmp
export XDG_CACHE_HOME="$tmp/cache"

# a small CIFAR-10-format dataset (labels mapped to 0-9), and a byte-for-byte copy elsewhere
gen() {
  mkdir -p "$1"
  map=$(awk 'BEGIN { for (i = 0; i < 256; i++) printf "\\%03o", i % 10 }')
  head -c $((400 * 3073)) /dev/urandom | tr '\000-\377' "$map" > "$1/data_batch_1.bin"
  head -c $((100 * 3073)) /dev/urandom | tr '\000-\377' "$map" > "$1/test_batch.bin"
}
gen "$tmp/d1"
mkdir -p "$tmp/d2" && cp "$tmp/d1"/* "$tmp/d2/"
flags="--epochs 1 --points 2 --num-train 100 --train-records 300 --val-records 100 --test-records 100 --speed-reps 1"

# copy_tree DEST [with-build]: the sources (and, with-build, the built program and objects with their times)
copy_tree() {
  mkdir -p "$1"
  cp -r Makefile report scripts src tests "$1/"
  if [ "${2:-}" = with-build ]; then
    mkdir -p "$1/build"
    cp -a build/obj build/bnlab build/.deps-ok build/experiments.mk build/compile.args build/link.args "$1/build/"
  fi
}
tree=$tmp/tree
$MAKE --no-print-directory build/bnlab build/experiments.mk >/dev/null
copy_tree "$tree" with-build
run=$tmp/run
# mk TREE DATA [VAR=...]: make run there, quietly; prints nothing but errors
mk() {
  t=$1 d=$2; shift 2
  $MAKE --no-print-directory -C "$t" run RUN="$run" SEED=0 JOBS=1 QUIET=1 BNFLAGS="$flags" CIFAR10_DIR="$d" "$@" \
    > "$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "make run failed"; }
}
# the experiments and their completion files, from the registry
"$tree/build/bnlab" list-files | awk -F '\t' 'NR > 1 && $4 == "yes" { print $1, $2, $3 }' > "$tmp/rows"
[ -s "$tmp/rows" ] || fail "bnlab list-files listed no experiment"
done_times() { while read -r e k f; do printf '%s %s\n' "$e" "$(stat -c %.9Y "$run/$f")"; done < "$tmp/rows"; }
# reran BEFORE: the experiments whose completion file was rewritten since BEFORE, sorted, one line
reran() { done_times | LC_ALL=C sort > "$tmp/after"; LC_ALL=C join "$1" "$tmp/after" | awk '$2 != $3 { print $1 }' | sort | tr '\n' ' ' | sed 's/ $//'; }
all=$(awk '{ print $1 }' "$tmp/rows" | sort | tr '\n' ' ' | sed 's/ $//')
trainings=$(awk '$2 == "training" { print $1 }' "$tmp/rows" | sort | tr '\n' ' ' | sed 's/ $//')
[ -n "$trainings" ] && [ "$trainings" != "$all" ] || fail "the registry has no training or no check"
snap() { sleep 1; done_times | LC_ALL=C sort > "$tmp/before"; }

mk "$tree" "$tmp/d1"
[ "$(wc -l < "$run/manifest.tsv")" -gt 1 ] || fail "make run wrote an empty manifest"
snap; mk "$tree" "$tmp/d1"
[ -z "$(reran "$tmp/before")" ] || fail "a second make run reran: $(reran "$tmp/before")"
say "1. a second make run: nothing reran"

snap; touch "$tree/build/bnlab"; mk "$tree" "$tmp/d1"
[ -z "$(reran "$tmp/before")" ] || fail "touch build/bnlab reran: $(reran "$tmp/before")"
say "2. touch build/bnlab: nothing reran"

snap; old=$(stat -c %.9Y "$tree/build/bnlab")
sed -i 's/every check (no dataset needed)/every check (no dataset needed) -- edited usage text/' "$tree/src/main_bnlab.c"
grep -q 'edited usage text' "$tree/src/main_bnlab.c" || fail "test set-up: the usage text was not edited"
mk "$tree" "$tmp/d1"
[ "$(stat -c %.9Y "$tree/build/bnlab")" != "$old" ] || fail "test set-up: bnlab was not rebuilt after its usage text changed"
[ -z "$(reran "$tmp/before")" ] || fail "an edit of the usage text reran: $(reran "$tmp/before")"
say "3. an edit of the usage text: bnlab rebuilt, nothing reran"

fresh=$tmp/fresh
mkdir -p "$fresh"
(cd "$tree" && cp -r Makefile report scripts src tests "$fresh/")
mv "$run" "$tmp/run-orig" && cp -r "$tmp/run-orig" "$run"
snap; mk "$fresh" "$tmp/d1"
[ -x "$fresh/build/bnlab" ] || fail "test set-up: the fresh tree built no bnlab"
[ -z "$(reran "$tmp/before")" ] || fail "a run copied into a fresh tree reran: $(reran "$tmp/before")"
say "4. a run folder copied into a fresh tree (built from scratch): nothing reran"

lines=$(wc -l < "$XDG_CACHE_HOME/bnlab/sha256.tsv")
snap; mk "$tree" "$tmp/d2"
[ -z "$(reran "$tmp/before")" ] || fail "another copy of the same dataset reran: $(reran "$tmp/before")"
grep -q "$tmp/d2" "$run/dataset.args" || fail "test set-up: the run does not name the dataset copy"
lines2=$(wc -l < "$XDG_CACHE_HOME/bnlab/sha256.tsv")
[ "$lines2" -gt "$lines" ] || fail "test set-up: the copy's files were not hashed"
mk "$tree" "$tmp/d2"
[ "$(wc -l < "$XDG_CACHE_HOME/bnlab/sha256.tsv")" -eq "$lines2" ] || fail "a second lookup of the dataset hashed its files again"
say "5. CIFAR10_DIR at another copy of the same files: nothing reran; its sha256 cached"

# a row that names src/nn/layers.c among its own sources takes it from no other row's stamp
sed -i '0,/\.sources = "src\/study\/exp_checks.c"/s//.sources = "src\/study\/exp_checks.c src\/nn\/layers.c"/' "$tree/src/study/registry.def"
grep -q '"src/study/exp_checks.c src/nn/layers.c"' "$tree/src/study/registry.def" || fail "test set-up: no row's sources were edited"
snap; printf '/* an edit */\n' >> "$tree/src/nn/layers.c"; mk "$tree" "$tmp/d2"
[ "$(reran "$tmp/before")" = "$all" ] || fail "an edit of src/nn/layers.c reran '$(reran "$tmp/before")', expected '$all'"
say "6. an edit of src/nn/layers.c: every experiment reran ($all)"

snap; printf '/* an edit */\n' >> "$tree/src/study/exp_training.c"; mk "$tree" "$tmp/d2"
# the trainings whose registry row names src/study/exp_training.c among its sources (experiment 8 has
# its own file, src/study/exp_activations.c)
users=$("$tree/build/bnlab" list-files --make | sed -n 's/^BN_EXP_SOURCES_\([^ ]*\) :=.* src\/study\/exp_training\.c\( .*\)*$/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
[ -n "$users" ] || fail "no registry row names src/study/exp_training.c"
for u in $users; do case " $trainings " in *" $u "*) ;; *) fail "$u uses src/study/exp_training.c but is not a training" ;; esac; done
[ "$(reran "$tmp/before")" = "$users" ] || fail "an edit of src/study/exp_training.c reran '$(reran "$tmp/before")', expected '$users'"
say "7. an edit of src/study/exp_training.c: the trainings that use it reran ($users), the checks and the others did not"

snap; flags="$flags --lr 2e-3"; mk "$tree" "$tmp/d2"
[ -n "$(reran "$tmp/before")" ] || fail "a new --lr reran nothing"
snap; head -c 3073 "$tmp/d1/data_batch_1.bin" >> "$tmp/d2/data_batch_1.bin"; mk "$tree" "$tmp/d2"
[ "$(reran "$tmp/before")" = "$trainings" ] || fail "new dataset content reran '$(reran "$tmp/before")', expected '$trainings'"
say "8. a new option reran; new dataset content reran the trainings only"
say "passed"
