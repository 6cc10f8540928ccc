#!/bin/sh
# Download the official CIFAR-10 binary archive, verify its md5 and unpack it into the machine's
# cache, $XDG_CACHE_HOME/bnlab/cifar-10-batches-bin (else ~/.cache/bnlab/...): once per machine
# and user, whatever the number of clones or cluster jobs (scripts/dataset.sh looks there).
# Several makes may ask at once (per-seed sub-makes, make -j): one downloads under a lock, in its
# own temporary folder; the others wait and then find the data in place.
# A failed download is tried once per make invocation: the Makefile exports BNLAB_INVOCATION
# (one id for a make and all its sub-makes), and a failure leaves a marker for that id, so the
# other seeds' attempts fail at once, without a second try or banner.
set -eu
cd "$(dirname "$0")/.."
# BNLAB_CIFAR10_URL: another address of the same archive (a mirror; make test-offline points it at
# one that refuses); the md5 below is checked whatever the address
url=${BNLAB_CIFAR10_URL:-https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz}
md5=c32a1d4ab5d03f1284b67883e8d87530
cache=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/bnlab
dest=$cache/cifar-10-batches-bin
[ -f "$dest/data_batch_1.bin" ] && exit 0
mkdir -p "$cache" || { echo "bnlab: cannot create the dataset cache $cache" >&2; exit 1; }
exec 9>"$cache/.cifar-10-fetch.lock"
flock 9
[ -f "$dest/data_batch_1.bin" ] && exit 0
failed=${BNLAB_INVOCATION:+$cache/.download-failed.$BNLAB_INVOCATION}
[ -n "$failed" ] && [ -f "$failed" ] && exit 1
find "$cache" -maxdepth 1 -name '.download-failed.*' -mmin +1440 -delete 2>/dev/null || true
fail() { echo "bnlab: $*" >&2; [ -z "$failed" ] || : > "$failed"; exit 1; }
work=$(mktemp -d "$cache/.cifar-10-fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
echo "bnlab: downloading CIFAR-10 (about 163 MB) from $url into $cache" >&2
if command -v curl >/dev/null 2>&1; then
  curl -fsSL --connect-timeout 15 --retry 1 -o "$work/archive.tar.gz" "$url" || fail "download failed: $url"
elif command -v wget >/dev/null 2>&1; then
  wget -q -T 15 -t 1 -O "$work/archive.tar.gz" "$url" || fail "download failed: $url"
else
  fail "neither curl nor wget is installed; cannot download $url"
fi
got=$(md5sum "$work/archive.tar.gz" | cut -d' ' -f1)
if [ "$got" != "$md5" ]; then
  fail "$url: md5 $got, expected $md5; not unpacked"
fi
# Unpack beside, then rename, so a cut-short unpack never looks like a dataset.
tar -xzf "$work/archive.tar.gz" -C "$work"
mv "$work/cifar-10-batches-bin" "$dest"
echo "bnlab: CIFAR-10 unpacked into $dest" >&2
