#!/bin/sh
# Download the official CIFAR-10 binary archive, verify its md5 and unpack it into data/.
# Several makes may ask at once (per-seed sub-makes, make -j): one downloads under a lock, in its
# own temporary folder; the others wait and then find the data in place.
set -eu
cd "$(dirname "$0")/.."
url=https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz
md5=c32a1d4ab5d03f1284b67883e8d87530
dest=data/cifar-10-batches-bin
[ -f "$dest/data_batch_1.bin" ] && exit 0
mkdir -p data
exec 9>data/.cifar-10-fetch.lock
flock 9
[ -f "$dest/data_batch_1.bin" ] && exit 0
work=$(mktemp -d data/.cifar-10-fetch.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
echo "bnlab: downloading CIFAR-10 (about 163 MB) from $url" >&2
if command -v curl >/dev/null 2>&1; then
  curl -fsSL --connect-timeout 15 --retry 1 -o "$work/archive.tar.gz" "$url" || { echo "bnlab: download failed: $url" >&2; exit 1; }
elif command -v wget >/dev/null 2>&1; then
  wget -q -T 15 -t 1 -O "$work/archive.tar.gz" "$url" || { echo "bnlab: download failed: $url" >&2; exit 1; }
else
  echo "bnlab: neither curl nor wget is installed; cannot download $url" >&2
  exit 1
fi
got=$(md5sum "$work/archive.tar.gz" | cut -d' ' -f1)
if [ "$got" != "$md5" ]; then
  echo "bnlab: $url: md5 $got, expected $md5; not unpacked" >&2
  exit 1
fi
# Unpack beside, then rename, so a cut-short unpack never looks like a dataset.
tar -xzf "$work/archive.tar.gz" -C "$work"
mv "$work/cifar-10-batches-bin" "$dest"
echo "bnlab: CIFAR-10 unpacked into $dest" >&2
