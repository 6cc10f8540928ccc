#!/bin/sh
# Download the official CIFAR-10 binary archive, verify its md5 and unpack it into data/.
set -eu
cd "$(dirname "$0")/.."
url=https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz
md5=c32a1d4ab5d03f1284b67883e8d87530
dest=data/cifar-10-batches-bin
[ -f "$dest/data_batch_1.bin" ] && exit 0
mkdir -p data
tmp=data/.cifar-10-binary.tar.gz.part
trap 'rm -f "$tmp"' EXIT INT TERM
echo "bnlab: downloading CIFAR-10 (about 163 MB) from $url" >&2
if command -v curl >/dev/null 2>&1; then
  curl -fsSL --connect-timeout 15 --retry 1 -o "$tmp" "$url" || { echo "bnlab: download failed: $url" >&2; exit 1; }
elif command -v wget >/dev/null 2>&1; then
  wget -q -T 15 -t 1 -O "$tmp" "$url" || { echo "bnlab: download failed: $url" >&2; exit 1; }
else
  echo "bnlab: neither curl nor wget is installed; cannot download $url" >&2
  exit 1
fi
got=$(md5sum "$tmp" | cut -d' ' -f1)
if [ "$got" != "$md5" ]; then
  echo "bnlab: $url: md5 $got, expected $md5; not unpacked" >&2
  exit 1
fi
# Unpack beside, then rename, so a cut-short unpack never looks like a dataset.
rm -rf data/.cifar-unpack && mkdir data/.cifar-unpack
tar -xzf "$tmp" -C data/.cifar-unpack
mv data/.cifar-unpack/cifar-10-batches-bin "$dest"
rm -rf data/.cifar-unpack
echo "bnlab: CIFAR-10 unpacked into $dest" >&2
