#!/bin/sh
# tests/realdata.sh - the real CIFAR-10, where a folder of it is found (CIFAR10_DIR, else
# data/cifar-10-batches-bin, ../shared/data/cifar-10-batches-bin, the dataset cache); never
# downloads, and is skipped, saying why, when there is none. Every other suite runs on generated
# files (tests/make-cifar.sh), so this is the one that reads the real records:
#   1. experiment 5 at the study's settings reads 49,000 training, 1,000 validation and test
#      records, and both nets learn: best validation accuracy above 0.2 (chance is 0.1); on the
#      generated folder, whose pixels carry no signal, the same check stays below 0.2 (so the
#      bound tells real data from noise);
#   2. make run at reduced settings on it, then make verify: the rerun gives the same bytes
#      (content stamps of the real files included).
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin realdata tmp
cache=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/bnlab
data=
for d in "${CIFAR10_DIR:-}" data/cifar-10-batches-bin ../shared/data/cifar-10-batches-bin "$cache/cifar-10-batches-bin"; do
  if [ -n "$d" ] && [ -f "$d/data_batch_5.bin" ] && [ -f "$d/test_batch.bin" ]; then data=$(cd "$d" && pwd); break; fi
done
[ -n "$data" ] || skip "no CIFAR-10 folder found (CIFAR10_DIR unset or incomplete; none in data/, ../shared/data/ or $cache); this suite never downloads"
say "dataset: $data"

# best validation accuracy of both nets, from experiment 5's summary
best_val() { awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { print $c["batchnorm_best_val"], $c["baseline_best_val"] }' "$1/exp5_deepnet.tsv"; }
kv() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$2"; }

build/bnlab -q -j 2 --data "$data" --out "$tmp/real" deepnet || fail "deepnet on $data failed"
for k in train_records:49000 val_records:1000 test_records:1000 dataset:cifar-10; do
  got=$(kv "${k%%:*}" "$tmp/real/dataset.info.tsv")
  [ "$got" = "${k#*:}" ] || fail "dataset.info.tsv: ${k%%:*} is '$got', expected ${k#*:}"
done
set -- $(best_val "$tmp/real")
awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > 0.2 && b > 0.2) }' ||
  fail "on the real data the nets should beat chance: best validation accuracy batchnorm $1, baseline $2 (want > 0.2)"
real="$1 / $2"
tests/make-cifar.sh "$tmp/noise" || fail "could not generate the control dataset"
build/bnlab -q -j 2 --data "$tmp/noise" --out "$tmp/noise-run" --train-records 1000 --val-records 200 \
  --test-records 100 deepnet || fail "deepnet on the generated folder failed"
set -- $(best_val "$tmp/noise-run")
awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < 0.2 && b < 0.2) }' ||
  fail "control: on noise the nets reached batchnorm $1, baseline $2 (want < 0.2): the bound above proves nothing"
say "1. experiment 5 reads 49000/1000/1000 records; best validation accuracy $real (batchnorm / baseline) on the real data, $1 / $2 on noise"

test_tree "$tmp/t"
flags="--epochs 1 --points 2 --num-train 200 --speed-reps 5"
$MAKE --no-print-directory -C "$tmp/t" run SEED=0 JOBS=2 QUIET=1 BNFLAGS="$flags" CIFAR10_DIR="$data" \
  > "$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; fail "make run on the real data failed"; }
grep -q "^--data $data\$" "$tmp/t/data/runs/seed-0/dataset.args" ||
  fail "the run did not use $data: $(cat "$tmp/t/data/runs/seed-0/dataset.args")"
$MAKE --no-print-directory -C "$tmp/t" verify SEED=0 > "$tmp/verify.log" 2>&1 ||
  { cat "$tmp/verify.log"; fail "make verify of the real-data run failed"; }
say "2. $(grep '^verify: OK' "$tmp/verify.log")"
say "passed in $(($(date +%s) - start)) s"
