#!/bin/sh
# tests/make-cifar.sh DIR [NTRAIN [NTEST [SEED]]] - a small dataset in CIFAR-10's binary format for
# the tests, so no suite needs the real one or a network: DIR/data_batch_1.bin with NTRAIN records
# (default 1300) and DIR/test_batch.bin with NTEST (default 100). A record is a label byte (0-9)
# and 3072 pixel bytes, all drawn from awk's generator seeded with SEED (default 1): the same
# arguments give the same bytes on every run, so a failing test can be run again as it was.
# The pixels carry no signal: a net trained on them scores near chance (tests/realdata.sh relies
# on that difference from real CIFAR-10).
set -eu
[ $# -ge 1 ] || { echo "usage: tests/make-cifar.sh DIR [NTRAIN [NTEST [SEED]]]" >&2; exit 2; }
dir=$1 ntrain=${2:-1300} ntest=${3:-100} seed=${4:-1}
for v in "$ntrain" "$ntest" "$seed"; do
  case $v in ''|*[!0-9]*) echo "make-cifar: '$v' is not a whole number" >&2; exit 2 ;; esac
done
mkdir -p -- "$dir"
# records N SEED: N records; written to a temporary name, then renamed
records() {
  awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) { printf "%c", int(rand() * 10)
    for (j = 0; j < 3072; j++) printf "%c", int(rand() * 256) } }'
}
records "$ntrain" "$seed" > "$dir/.data_batch_1.bin.tmp" && mv -- "$dir/.data_batch_1.bin.tmp" "$dir/data_batch_1.bin"
records "$ntest" $((seed + 1000)) > "$dir/.test_batch.bin.tmp" && mv -- "$dir/.test_batch.bin.tmp" "$dir/test_batch.bin"
[ "$(wc -c < "$dir/data_batch_1.bin")" -eq $((ntrain * 3073)) ] ||
  { echo "make-cifar: $dir/data_batch_1.bin has the wrong size (does awk write NUL bytes?)" >&2; exit 1; }
