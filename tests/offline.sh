#!/bin/sh
# tests/offline.sh (make test-offline) - make test as a new user without CIFAR-10 and without a
# network meets it: a copy of this tree (its tracked and new files, no build/ or data/) in a
# folder with no ../shared beside it, CIFAR10_DIR unset, an empty dataset cache
# (XDG_CACHE_HOME), the download pointed at an address that refuses (BNLAB_CIFAR10_URL), and,
# as root where unshare(1) can make one, in a network namespace of its own with only loopback.
# First it proves that no dataset is reachable there (the lookup finds none, the download
# fails), then runs make test, which must pass: its realdata suite is skipped, saying why.
# The Debian packages are installed before the network goes (make deps), as make test would.
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin offline tmp
scripts/deps.sh cluster >&2 || say "slurm-wlm, munge or parallel could not be installed: their suites will skip"
clone=$tmp/nowhere/bnlab
mkdir -p "$clone"
# the tree as it is now, committed or not (what git would commit: tracked and new, not ignored)
git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - | tar -xf - -C "$clone"
[ ! -e "$clone/../shared" ] || fail "test set-up: $clone/../shared exists"
unset CIFAR10_DIR BNLAB_DATASET_ARGS || true
XDG_CACHE_HOME=$tmp/cache HOME=$tmp/home BNLAB_CIFAR10_URL=http://127.0.0.1:9/cifar-10-binary.tar.gz
export XDG_CACHE_HOME HOME BNLAB_CIFAR10_URL
mkdir -p "$XDG_CACHE_HOME" "$HOME"

# no network: a namespace of our own with loopback up (the Slurm and browser suites use it)
isolate=""
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 &&
   unshare -n sh -c 'ip link set lo up && ip addr add 127.0.0.2/8 dev lo' 2>/dev/null; then
  isolate="unshare -n"
  say "no network: make test runs in a network namespace with only loopback"
else
  say "network namespaces are not available here (not root, or no unshare): the network stays, the download address refuses"
fi
# inside: loopback up, with a second loopback address: getaddrinfo's AI_ADDRCONFIG (Slurm's
# daemons bind with it) counts no IPv4 address but 127.0.0.1 as configured, and would find none
inside() {
  $isolate sh -c 'if [ -n "$1" ]; then ip link set lo up && ip addr add 127.0.0.2/8 dev lo; fi; shift; exec "$@"' sh "$isolate" "$@"
}

cd "$clone"
# 1. nothing to be found or fetched
if inside scripts/fetch-cifar10.sh > "$tmp/fetch.log" 2>&1; then fail "the CIFAR-10 download succeeded: the test is not offline"; fi
for d in data/cifar-10-batches-bin ../shared/data/cifar-10-batches-bin "$XDG_CACHE_HOME/bnlab/cifar-10-batches-bin"; do
  [ ! -e "$d" ] || fail "test set-up: $d exists"
done
say "no dataset reachable: none in data/, ../shared or the cache; the download fails ($(tail -n 1 "$tmp/fetch.log"))"
# 2. make test
if inside ${MAKE:-make} --no-print-directory test > "$tmp/test.log" 2>&1; then rc=0; else rc=$?; fi
sed -n '/^=== summary/,$p' "$tmp/test.log"
[ $rc -eq 0 ] || { tail -n 60 "$tmp/test.log"; fail "make test failed with no dataset and no network (exit status $rc)"; }
grep -q '^  realdata .*SKIPPED' "$tmp/test.log" || fail "the realdata suite was not skipped: did it find a dataset?"
if grep -q 'FALLING BACK TO FASHION-MNIST\|download failed: ' "$tmp/test.log"; then
  grep -n 'FALLING BACK TO FASHION-MNIST\|download failed: ' "$tmp/test.log" | head -5
  fail "a suite looked for the real dataset (above) instead of generating its own"
fi
say "passed in $(($(date +%s) - start)) s"
