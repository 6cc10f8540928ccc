#!/bin/sh
# The several-seed folder's name for a list of seeds (data/runs/seeds-<name>), bounded whatever
# the number of seeds: a short list joined by '-' (seeds-0-1-2, seeds-3-7); a longer one as
# FIRST-LAST-nCOUNT when it is the whole range FIRST..LAST in order (seeds-0-999-n1000), else
# with the first 8 hex digits of the list's sha256 (seeds-5-17-n40-1a2b3c4d). The full list is
# in the folder's runs.info.tsv.   usage: scripts/seeds-name.sh SEED...
set -eu
[ $# -gt 0 ] || exit 0
joined=$(echo "$*" | tr ' ' -)
if [ ${#joined} -le 60 ]; then echo "$joined"; exit 0; fi
first=$1 n=$#
eval "last=\${$n}"
if [ "$(seq "$first" "$last" | tr '\n' ' ')" = "$* " ]; then
  echo "$first-$last-n$n"
else
  echo "$first-$last-n$n-$(printf '%s' "$*" | sha256sum | cut -c1-8)"
fi
