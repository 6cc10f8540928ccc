#!/bin/sh
# make test-parallel: the GNU Parallel recipe of docs/engines.md, on this
# machine (`parallel -S :` runs its jobs here, as it would over ssh on the hosts of -S), and the
# units of work it is built from:
#   1. a 3-seed study made locally (make seeds SEEDS=3), in a copy of the tree;
#   2. in another copy: one `make train SEED={}` per seed through parallel -S :, then
#      `make merge SEEDS=3`: every result file byte-identical to the local study (cmp);
#   3. the sweep by points: every other training per seed (make train-rest), then
#      `bnlab --point K sweep` per seed and point, through parallel; `make merge SEEDS=3` joins
#      the parts and records the sweep's content stamp: byte-identical; after 2 and 3 a local
#      make seeds SEEDS=3 retrains nothing;
#   4. `make merge` never trains: with a seed that has no run it fails naming that run, and
#      writes nothing; `bnlab merge` with a part missing fails naming the part.
# Skips, saying why, when GNU parallel is missing and cannot be installed (scripts/deps.sh cluster).
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin test-parallel tmp
if ! command -v parallel >/dev/null 2>&1; then
  scripts/deps.sh cluster >&2 || skip "GNU parallel is missing and could not be installed (scripts/deps.sh cluster)"
fi

test_dataset "$tmp"
flags="--epochs 1 --points 2 --num-train 100 --speed-reps 1 --train-records 1000 --val-records 200 --test-records 100"
for t in local seeds points; do test_tree "$tmp/$t"; done

$MAKE -C "$tmp/local" --no-print-directory seeds SEEDS=3 QUIET=1 JOBS=1 BNFLAGS="$flags" >"$tmp/local.log" 2>&1 ||
  { tail -20 "$tmp/local.log" >&2; fail "the local study failed"; }

compare() {
  ( cd "$tmp/local" && find data/runs -type f -name '*.tsv' ! -name '*.timing.tsv' | sort ) > "$tmp/files.local"
  ( cd "$tmp/$2" && find data/runs -type f -name '*.tsv' ! -name '*.timing.tsv' | sort ) > "$tmp/files.$2"
  diff "$tmp/files.local" "$tmp/files.$2" >&2 || fail "$1: not the local study's result files (diff above)"
  n=0
  while read -r f; do
    cmp "$tmp/local/$f" "$tmp/$2/$f" >&2 || fail "$1: $f differs from the local run's"
    n=$((n + 1))
  done < "$tmp/files.local"
  say "$1: $n result files byte-identical to the local study (cmp)"
}

# 2. the recipe of docs/engines.md: build once (the copies have no git: their version differs, so bnlab
# relinks; the recipe's makes must not all relink it at once), then a make per seed on the hosts
# of -S (here ':', this machine)
for t in seeds points; do
  $MAKE -C "$tmp/$t" --no-print-directory build/bnlab build/bnagg build/experiments.mk >"$tmp/build-$t.log" 2>&1 ||
    { tail -20 "$tmp/build-$t.log" >&2; fail "building in the $t copy failed"; }
done
cd "$tmp/seeds"
parallel --will-cite -S : --wd "$tmp/seeds" --halt now,fail=1 \
  $MAKE --no-print-directory train SEED={} QUIET=1 JOBS=1 BNFLAGS="'$flags'" ::: 0 1 2 >"$tmp/p1.log" 2>&1 ||
  { tail -20 "$tmp/p1.log" >&2; fail "parallel -S : make train SEED={} failed"; }
$MAKE --no-print-directory merge SEEDS=3 QUIET=1 BNFLAGS="$flags" >"$tmp/m1.log" 2>&1 ||
  { cat "$tmp/m1.log" >&2; fail "make merge SEEDS=3 failed"; }
compare "parallel -S : make train SEED={}, make merge" seeds

# 3. by sweep point, as docs/engines.md: per seed, experiments 5 and 7b (one make: one process at a
# time in a run folder, and it writes the folder's configuration); then per seed x point, the sweep
cd "$tmp/points"
parallel --will-cite -S : --wd "$tmp/points" --halt now,fail=1 \
  $MAKE --no-print-directory train-rest SEED={} JOBS=1 QUIET=1 BNFLAGS="'$flags'" ::: 0 1 2 >"$tmp/p2.log" 2>&1 ||
  { tail -20 "$tmp/p2.log" >&2; fail "parallel -S : make train-rest (every training but the sweep) failed"; }
parallel --will-cite -S : --wd "$tmp/points" --halt now,fail=1 \
  build/bnlab -q $flags --seed {1} --out data/runs/seed-{1} '$(cat data/runs/seed-{1}/dataset.args)' --point {2} sweep \
  ::: 0 1 2 ::: 0 1 >"$tmp/p3.log" 2>&1 || { tail -20 "$tmp/p3.log" >&2; fail "parallel -S : bnlab --point K sweep failed"; }
[ -d data/runs/seed-1/parts/exp6_sweep-1 ] || fail "no part folder for seed 1, point 1"
# a missing part is named
mv data/runs/seed-1/parts/exp6_sweep-1 "$tmp/held"
if build/bnlab $flags --seed 1 --out data/runs/seed-1 merge 2>"$tmp/e1.log"; then fail "bnlab merge succeeded with a part missing"; fi
grep -q "1 of 2 sweep parts missing: point 1 " "$tmp/e1.log" || { cat "$tmp/e1.log" >&2; fail "bnlab merge did not name the missing part"; }
mv "$tmp/held" data/runs/seed-1/parts/exp6_sweep-1
$MAKE --no-print-directory merge SEEDS=3 QUIET=1 BNFLAGS="$flags" >"$tmp/m2.log" 2>&1 ||
  { cat "$tmp/m2.log" >&2; fail "make merge SEEDS=3 (joining parts) failed"; }
[ ! -e data/runs/seed-0/parts ] || fail "make merge left the joined parts"
compare "parallel -S : bnlab --point K sweep, make merge" points

# Each way leaves its run folders as a local make would, content stamps included: a local make
# of the same study afterwards starts no training and rewrites no result file.
trainings=$(build/bnlab list-files | awk -F'\t' '$2 == "training" && $4 == "yes" { print $1 }' | paste -sd'|')
for t in seeds points; do
  touch "$tmp/marker"; sleep 1
  $MAKE -C "$tmp/$t" --no-print-directory seeds SEEDS=3 BNFLAGS="$flags" >"$tmp/after-$t.log" 2>&1 ||
    { tail -20 "$tmp/after-$t.log" >&2; fail "$t: the local make seeds SEEDS=3 afterwards failed"; }
  if grep -E "^(flock [^ ]* )?build/bnlab .* ($trainings)\$" "$tmp/after-$t.log"; then fail "$t: a local make retrained afterwards"; fi
  newer=$(cd "$tmp/$t" && find data/runs -name 'exp*.tsv' -newer "$tmp/marker" | head -3)
  [ -z "$newer" ] || fail "$t: a local make afterwards rewrote result files: $newer"
done
say "a local make seeds SEEDS=3 after either recipe retrains nothing (stamps written; the merged sweep's adopted)"

# 4. make merge never trains: a missing run is named, nothing is written
before=$(find data -type f | sort | md5sum)
if $MAKE --no-print-directory merge SEEDS=4 BNFLAGS="$flags" >"$tmp/m3.log" 2>&1; then fail "make merge SEEDS=4 succeeded without seed 3's run"; fi
grep -q "data/runs/seed-3 (seed 3): no exp5_deepnet.tsv exp6_sweep.tsv exp7_batchsize.tsv exp8_activations.tsv" "$tmp/m3.log" ||
  { cat "$tmp/m3.log" >&2; fail "make merge did not name the missing run"; }
[ "$(find data -type f | sort | md5sum)" = "$before" ] || fail "make merge SEEDS=4 wrote or trained something"
say "make merge names a missing run and trains nothing; bnlab merge names a missing part"
say "PASS in $(($(date +%s) - start)) s"
