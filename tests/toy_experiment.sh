#!/bin/sh
# tests/toy_experiment.sh - an experiment is added through the table alone. In a copy of the
# tree, a toy check is added as its row (src/study/registry.def), its function (a new
# src/study/exp_toy.c) and a line of each page template (report/report.md, report/seeds.md);
# no other file is edited. Then, on a reduced configuration and a generated dataset:
#   1. ran: `make report` for seeds 0 and 1 writes exp_toy.tsv with the values its function
#      computes from the seed;
#   2. stamped: the run's manifest lists it; an edit of its source reruns it and no other
#      experiment;
#   3. compared: `make compare A=0 B=1` compares its file cell by cell;
#   4. aggregated: `make report SEEDS=2` summarises it over the two seeds (its row's .aggregate)
#      and the page over the seeds quotes the mean;
#   5. rendered: its number is on the seed's page.
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin toy-experiment tmp

$MAKE --no-print-directory build/bnlab build/bnagg build/bnreport build/experiments.mk >/dev/null
tree=$tmp/tree
test_tree "$tree"
test_dataset "$tmp"

# --- the toy experiment: its row, its function, its template lines ---
cat >> "$tree/src/study/registry.def" <<'ROW'
BN_CHECK(bn_exp_toy, .command = "toy", .help = "a toy check: two numbers from the seed",
    .files = "exp_toy.tsv", .sources = "src/study/exp_toy.c", .report = "exp_toy.tsv", .seeds = "exp_toy_seeds.tsv",
    .compared = "exp_toy.tsv", .aggregate = (const bn_seed_agg[]){{"exp_toy.tsv", "exp_toy_seeds.tsv", "item", "value"}, {0}})
ROW
cat > "$tree/src/study/exp_toy.c" <<'C'
/* exp_toy.c - a toy check: two numbers from the seed. */
#include "experiments.h"
#include "outfile.h"

void bn_exp_toy(const bn_opts *o)
{
    bn_out f;
    bn_out_open(&f, o->out, "exp_toy.tsv");
    bn_out_printf(&f, "item\tvalue\nseed_plus_one\t%lu\ntwice_seed\t%lu\n", o->seed + 1, 2 * o->seed);
    bn_out_commit(&f);
}
C
printf '\nThe toy check of seed plus one gives {{exp_toy.tsv:value:item=seed_plus_one}}.\n' >> "$tree/report/report.md"
printf '\nThe toy check of seed plus one has mean {{exp_toy_seeds.tsv:value_mean:item=seed_plus_one}} over the seeds.\n' \
  >> "$tree/report/seeds.md"
# what adding it took: the files changed and the non-blank lines added, against this tree
changed=$(diff -rN src "$tree/src" || true; diff -rN report "$tree/report" || true)
nfiles=$(printf '%s\n' "$changed" | awk '/^diff / { n++ } END { print n + 0 }')
nlines=$(printf '%s\n' "$changed" | awk '/^> *[^ ]/ { n++ } END { print n + 0 }')
printf '%s\n' "$changed" | awk '/^< / { bad = 1 } END { exit bad }' || fail "test set-up: adding the toy removed or changed a line"

flags="--epochs 1 --points 2 --num-train 100 --train-records 1000 --val-records 100 --test-records 100 --speed-reps 2"
mk() { (cd "$tree" && $MAKE --no-print-directory JOBS=2 QUIET=1 BNFLAGS="$flags" "$@") >"$tmp/make.log" 2>&1 ||
         { tail -n 20 "$tmp/make.log" >&2; fail "make $* failed"; }; }
runs=$tree/data/runs
# the completion file of each experiment with its modification time, to tell what reran
dones() { "$tree/build/bnlab" list-files | awk -F'\t' '$4 == "yes" { print $1, $3 }' |
          while read -r x f; do printf '%s %s\n' "$x" "$(stat -c %y "$runs/seed-0/$f" | tr ' ' _)"; done; }

# 1. ran
mk -j2 report SEED=0
mk -j2 report SEED=1
for s in 0 1; do
  want=$(printf 'item\tvalue\nseed_plus_one\t%d\ntwice_seed\t%d\n' $((s + 1)) $((2 * s)))
  [ "$(cat "$runs/seed-$s/exp_toy.tsv")" = "$want" ] || fail "seed $s: exp_toy.tsv is not the toy's output"
done
"$tree/build/bnlab" --help | grep -q '^  toy  *a toy check' || fail "bnlab --help does not list the toy"
say "1. ran: the toy's row added it to bnlab, and make report wrote its file for seeds 0 and 1"

# 2. stamped
awk -F'\t' '$1 == "exp_toy.tsv" { found = 1 } END { exit !found }' "$runs/seed-0/manifest.tsv" ||
  fail "the manifest of seed 0 does not list exp_toy.tsv"
dones > "$tmp/before"
sleep 1
printf '/* an edit */\n' >> "$tree/src/study/exp_toy.c"
mk -j2 report SEED=0
dones > "$tmp/after"
reran=$(paste -d ' ' "$tmp/before" "$tmp/after" | awk '$1 != $3 { print "misaligned"; exit } $2 != $4 { print $1 }' |
       tr '\n' ' ' | sed 's/ $//')
[ "$reran" = toy ] || fail "an edit of src/study/exp_toy.c reran '$reran', expected 'toy'"
say "2. stamped: listed in the manifest; an edit of its source reran it alone"

# 3. compared
mk compare A=0 B=1
cmpv=$tree/data/compare/seed-0-vs-seed-1/compare_values.tsv
awk -F'\t' '$1 == "exp_toy.tsv" && $4 == "value" && $3 ~ /seed_plus_one/ && $5 == 1 && $6 == 2 && $7 == 1 { found = 1 }
            END { exit !found }' "$cmpv" || fail "the comparison of seeds 0 and 1 has no cell of exp_toy.tsv (1 against 2)"
say "3. compared: make compare compared exp_toy.tsv cell by cell"

# 4. aggregated
mk -j2 report SEEDS=2
agg=$(ls -d "$runs"/seeds-*/exp_toy_seeds.tsv 2>/dev/null | head -n 1)
[ -n "$agg" ] || fail "make report SEEDS=2 wrote no exp_toy_seeds.tsv"
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
            NR > 1 && $1 == "seed_plus_one" && $c["value_mean"] == 1.5 && $c["value_n"] == 2 { found = 1 }
            END { exit !found }' "$agg" || fail "$agg does not hold the mean 1.5 of seed_plus_one over 2 seeds"
grep -q 'exp_toy_seeds.tsv:value_mean:item=seed_plus_one[^>]*>1.5<' "${agg%/*}/report/index.html" ||
  fail "the page over the seeds does not quote the toy's mean 1.5"
say "4. aggregated: bnagg seeds summarised it by its row; the page over the seeds quotes the mean"

# 5. rendered
for s in 0 1; do
  grep -q "exp_toy.tsv:value:item=seed_plus_one[^>]*>$((s + 1))<" "$runs/seed-$s/report/index.html" ||
    fail "the page of seed $s does not quote the toy's value $((s + 1))"
done
say "5. rendered: each seed's page quotes its value"
say "passed; adding the toy took $nfiles files and $nlines non-blank lines ($(($(date +%s) - start)) s)"
