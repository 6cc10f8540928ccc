#!/bin/sh
# Progress across the seeds of a SEEDS= run: the Makefile calls this after each seed's trainings.
#   scripts/seeds-progress.sh N SEED   (N: the seeds made by sub-makes, all but the page's own RUN) prints "seeds: D/N done (seed SEED), elapsed, left ~" on stderr
# D counts the seeds finished so far in this make invocation (and its sub-makes, which run in
# parallel under make -j): one line per seed in a counter file named by BNLAB_INVOCATION, whose
# second field is the invocation's start in nanoseconds (scripts/engines.mk). The file is removed
# with the last seed.
set -eu
n=$1 seed=$2
inv=${BNLAB_INVOCATION:-}
[ -n "$inv" ] || exit 0
f=${TMPDIR:-/tmp}/bnlab-seeds-$(id -u)-$inv
echo "$seed" >> "$f" 2>/dev/null || exit 0
d=$(wc -l < "$f")
t0=${inv##*-}; t0=${t0%?????????}
el=$(( $(date +%s) - t0 ))
hms() { printf '%d:%02d:%02d' $(($1 / 3600)) $(($1 % 3600 / 60)) $(($1 % 60)); }
left="?"; [ "$d" -gt 0 ] && left=$(hms $((el * (n - d) / d)))
echo "seeds: $d/$n done (seed $seed), elapsed $(hms $el), left ~$left" >&2
[ "$d" -lt "$n" ] || rm -f "$f"
