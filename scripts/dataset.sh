#!/bin/sh
# Find the dataset and print the bnlab options that select it (e.g. "--data DIR").
# Order: $CIFAR10_DIR; data/cifar-10-batches-bin; ../shared/data/cifar-10-batches-bin (the
# project's development copy); the machine's cache, $XDG_CACHE_HOME/bnlab/cifar-10-batches-bin
# (else ~/.cache/bnlab/...), shared by every clone and every cluster job of the user; download
# the official archive into that cache (scripts/fetch-cifar10.sh: tried once per make
# invocation, see BNLAB_INVOCATION there); else Fashion-MNIST from Debian's
# dataset-fashion-mnist package, announced loudly (once per make invocation).
set -eu
cd "$(dirname "$0")/.."
cache=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/bnlab

has_cifar() { [ -f "$1/data_batch_1.bin" ] && [ -f "$1/test_batch.bin" ]; }
# The answer is one line, "OPTION FOLDER": its readers take the option up to the first space and
# the folder after it, whatever characters it holds, so only a newline cannot be carried.
emit() {
  case $2 in *"
"*) echo "bnlab: dataset folder '$(printf '%s' "$2" | tr '\n' '?')' has a newline in its name: rename it" >&2; exit 1 ;; esac
  printf '%s %s\n' "$1" "$2"
  exit 0
}

# make verify reruns a run on the dataset it was made with, whatever is found today.
if [ -n "${BNLAB_DATASET_ARGS:-}" ]; then
  case $BNLAB_DATASET_ARGS in
    "--data "?*|"--fashion-mnist "?*) emit "${BNLAB_DATASET_ARGS%% *}" "${BNLAB_DATASET_ARGS#* }" ;;
    *) echo "bnlab: the run's dataset choice '$(printf '%s' "$BNLAB_DATASET_ARGS" | tr '\n' '?')' is not --data DIR or --fashion-mnist DIR" >&2; exit 1 ;;
  esac
fi

if [ -n "${CIFAR10_DIR:-}" ]; then
  # An explicit choice is never silently replaced: bnlab reports what is wrong with it.
  emit --data "$CIFAR10_DIR"
fi
for d in data/cifar-10-batches-bin ../shared/data/cifar-10-batches-bin "$cache/cifar-10-batches-bin"; do
  if has_cifar "$d"; then emit --data "$d"; fi
done
if scripts/fetch-cifar10.sh >&2 && has_cifar "$cache/cifar-10-batches-bin"; then
  emit --data "$cache/cifar-10-batches-bin"
fi

# (BNLAB_FASHION_MNIST_DIR: where Debian's package puts it; the bad-input suite points it elsewhere)
fm=${BNLAB_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -f "$fm/train-images-idx3-ubyte.gz" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    # apt's errors are shown (a held dpkg lock is waited for), not sent to /dev/null
    scripts/apt-install.sh dataset-fashion-mnist ||
      echo "bnlab: the Fashion-MNIST fallback could not be installed (see apt-get's errors above)" >&2
  else
    echo "bnlab: no CIFAR-10 and no Fashion-MNIST; install with: sudo apt-get install dataset-fashion-mnist" >&2
    exit 1
  fi
fi
# the banner once per make invocation, however many seeds ask
announced=${BNLAB_INVOCATION:+$cache/.fallback-announced.$BNLAB_INVOCATION}
if [ -f "$fm/train-images-idx3-ubyte.gz" ] && [ -n "$announced" ] && [ -f "$announced" ]; then
  emit --fashion-mnist "$fm"
fi
if [ -f "$fm/train-images-idx3-ubyte.gz" ]; then
  [ -z "$announced" ] || { mkdir -p "$cache" && : > "$announced"; } 2>/dev/null || true
  cat >&2 <<'MSG'
#####################################################################
#  bnlab: CIFAR-10 NOT FOUND AND COULD NOT BE DOWNLOADED.            #
#  FALLING BACK TO FASHION-MNIST: the results are NOT the study's.   #
#  Set CIFAR10_DIR to a CIFAR-10 binary folder to run the real one.  #
#####################################################################
MSG
  emit --fashion-mnist "$fm"
fi
echo "bnlab: no dataset: set CIFAR10_DIR to a folder holding data_batch_1.bin ... test_batch.bin" >&2
exit 1
