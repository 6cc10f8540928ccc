#!/bin/sh
# Identify a dataset by its content: print "KIND SHA256", the sha256 over the sha256 of each of
# its files, in a fixed order; with --files, print instead each file's "NAME SHA256" (or
# "NAME absent"), one per line, in that order (scripts/provenance.sh lists them).
# usage: scripts/dataset-id.sh [--files] --data DIR | --fashion-mnist DIR
# Each file's sha256 is computed once and kept in a cache keyed by the file's path, size,
# modification time, inode change time and inode number ($XDG_CACHE_HOME/bnlab/sha256.tsv, else
# build/cache/sha256.tsv), so a second call reads no dataset byte; a changed file is hashed again.
# (An ordinary user can set a file's modification time back after editing it in place, but not
# its change time: every write or `touch` moves it; a file replaced by another has a new inode.) Two copies of
# the same files give the same identity, wherever they are.
set -eu
each=no
if [ "${1:-}" = --files ]; then each=yes; shift; fi
[ $# -eq 2 ] || { echo "usage: scripts/dataset-id.sh [--files] --data DIR | --fashion-mnist DIR" >&2; exit 2; }
case $1 in
  --data) kind=cifar-10
    names="data_batch_1.bin data_batch_2.bin data_batch_3.bin data_batch_4.bin data_batch_5.bin test_batch.bin" ;;
  --fashion-mnist) kind=fashion-mnist
    names="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz" ;;
  *) echo "bnlab: dataset-id: unknown dataset option '$1'" >&2; exit 2 ;;
esac
dir=$2
if [ -n "${XDG_CACHE_HOME:-}" ]; then cache_dir=$XDG_CACHE_HOME/bnlab; else cache_dir=build/cache; fi
cache=$cache_dir/sha256.tsv
mkdir -p "$cache_dir" 2>/dev/null || { echo "bnlab: dataset-id: cannot create $cache_dir" >&2; exit 1; }
# a FIFO in its place would hang the reader below
[ ! -e "$cache" ] || [ -f "$cache" ] || { echo "bnlab: dataset-id: $cache: not a regular file (remove it)" >&2; exit 1; }
touch "$cache" 2>/dev/null || true
# One caller at a time per cache: make -j runs the trainings' stamps side by side, and on a new
# cache each hashed the whole dataset (0.75 s of CPU each for CIFAR-10); the second now waits and
# finds the first one's lines. Without flock, a lock file it cannot create or a file system
# that refuses the lock, it goes unlocked (`command`: a failed exec must not end the script).
lock=$cache.lock
[ ! -e "$lock" ] || [ -f "$lock" ] || { echo "bnlab: dataset-id: $lock: not a regular file (remove it)" >&2; exit 1; }
if command -v flock >/dev/null 2>&1 && { command exec 9>>"$lock"; } 2>/dev/null; then flock 9 || true; fi
tab=$(printf '\t')
sums=""
for n in $names; do
  f=$dir/$n
  # a missing file (a CIFAR folder with fewer batches) is part of the identity; bnlab itself
  # reports a dataset it cannot read
  if [ ! -f "$f" ]; then sums="$sums$n absent
"; continue; fi
  path=$(cd -- "$(dirname -- "$f")" && pwd -P)/$n
  key=$(stat -L -c '%s %.9Y %.9Z %i' -- "$f")
  # (awk -v would read backslashes in the path as escapes: the values go through the environment)
  sum=$(P=$path K=$key awk -F '\t' '$1 == ENVIRON["P"] && $2 == ENVIRON["K"] { s = $3 } END { print s }' "$cache" 2>/dev/null || true)
  if [ -z "$sum" ]; then
    sum=$(sha256sum < "$f" | cut -d' ' -f1)
    # one line per file, appended whole (short writes to a file opened for append are atomic)
    case $path in *"$tab"*|*"
"*) ;;   # a path with a tab or a newline would break the cache's lines: not cached
    *) printf '%s\t%s\t%s\n' "$path" "$key" "$sum" 2>/dev/null >> "$cache" || true ;; esac
  fi
  sums="$sums$n $sum
"
done
if [ $each = yes ]; then printf '%s' "$sums"; exit 0; fi
printf '%s %s\n' "$kind" "$(printf '%s' "$sums" | sha256sum | cut -d' ' -f1)"
