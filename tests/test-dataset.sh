# tests/test-dataset.sh - sourced by the engine and machine tests (cores, kernels, parallel,
# slurm): test_dataset TMP sets and exports CIFAR10_DIR to the CIFAR-10 folder they train on:
# CIFAR10_DIR if set, else the shared development copy beside the repository, else a small
# generated file in CIFAR-10's format (1,300 training and 100 test records, labels 0-9) in TMP.
test_dataset() {
  if [ -n "${CIFAR10_DIR:-}" ]; then data=$(cd "$CIFAR10_DIR" && pwd)
  elif [ -f ../shared/data/cifar-10-batches-bin/data_batch_1.bin ]; then data=$(cd ../shared/data/cifar-10-batches-bin && pwd)
  else
    data=$1/cifar
    mkdir -p "$data"
    map=$(awk 'BEGIN { for (i = 0; i < 256; i++) printf "\\%03o", i % 10 }')
    head -c $((1300 * 3073)) /dev/urandom | tr '\000-\377' "$map" > "$data/data_batch_1.bin"
    head -c $((100 * 3073)) /dev/urandom | tr '\000-\377' "$map" > "$data/test_batch.bin"
  fi
  CIFAR10_DIR=$data
  export CIFAR10_DIR
}
