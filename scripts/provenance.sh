#!/bin/sh
# Record where a run's results came from, for the report.
# usage: scripts/provenance.sh RUN_FOLDER BNLAB_PROGRAM
# Writes RUN_FOLDER/provenance.info.tsv (key<TAB>value): seed and options of the run, RNG,
# git commit and whether the tree had uncommitted changes, compiler, GSL and OpenBLAS as the
# program reports them, the GEMM kernels and CPU the trainings ran on (RUN/machine.info.tsv), the
# dataset and the sha256 of each dataset file the run read (scripts/dataset-id.sh --files, which
# hashes a file only when it changed), and the date. Also RUN_FOLDER/provenance.timing.tsv: wall
# seconds of each timed experiment. Each file is written beside its final name and renamed, so a
# reader never sees half of one.
set -eu
[ $# -eq 2 ] || { echo "usage: scripts/provenance.sh RUN_FOLDER BNLAB_PROGRAM" >&2; exit 2; }
run=$1 bnlab=$2
die() { echo "provenance: $*" >&2; exit 1; }
[ -d "$run" ] || die "$run: no such run folder"
[ -x "$bnlab" ] || die "$bnlab: not an executable program"
for f in "$run/dataset.info.tsv" "$run/config.info.tsv"; do
  [ -s "$f" ] || die "$f is missing: run the experiments first (make run)"
done

# value KEY FILE: the value of a key<TAB>value line ("" when absent)
value() { awk -F '\t' -v k="$1" 'NR > 1 && $1 == k { print $2; exit }' "$2"; }
# a value must stay one TSV cell
clean() { tr '\t\n\r' '   ' | sed 's/ *$//'; }

out="$run/provenance.info.tsv"
tmp="$out.tmp.$$"
ttmp="$run/provenance.timing.tsv.tmp.$$"
trap 'rm -f "$tmp" "$ttmp"' EXIT INT TERM

info=$("$bnlab" info) || die "$bnlab info failed"
field() { printf '%s\n' "$info" | awk -F '\t' -v k="$1" '$1 == k { print $2; exit }'; }

root=$(cd "$(dirname "$0")/.." && pwd)
if commit=$(git -C "$root" rev-parse HEAD 2>/dev/null); then
  # untracked files count too (a new source file changes the build); ignored ones (data, build) do not
  if [ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ]; then dirty=yes; else dirty=no; fi
  # the page's code excerpts are read from src/ as it is: say when they differ from the commit
  srcdirty=$(git -C "$root" status --porcelain -- src 2>/dev/null | awk '{ printf "%s%s", (NR > 1 ? " " : ""), $NF }')
  [ -z "$srcdirty" ] || dirty="yes: the code excerpts on the page show src/ as changed since the commit ($srcdirty)"
  remote=$(git -C "$root" remote get-url origin 2>/dev/null || true)
else
  commit="not a git checkout"; dirty=unknown; remote=""
fi

ds="$run/dataset.info.tsv"
kind=$(value dataset "$ds"); folder=$(value folder "$ds")
# Experiments are reused by the dataset's content, not its path (scripts/stamp.sh): a run copied
# from another machine names a folder that may not exist here. The folder make resolved for this
# run (RUN/dataset.args) holds the same files; hash those.
if [ ! -d "$folder" ] && [ -f "$run/dataset.args" ]; then
  alt=$(sed -n 's/^--\(data\|fashion-mnist\) //p' "$run/dataset.args")
  [ -n "$alt" ] && [ -d "$alt" ] && folder=$alt
fi
ntrain=$(value train_records "$ds"); nval=$(value val_records "$ds")

# The files the run read: CIFAR-10 batches in order until the training and validation
# records are covered (as bnlab reads them), and the test batch; for Fashion-MNIST all four.
files=""
case "$kind" in
  cifar-10)
    opt=--data need=$((ntrain + nval)) have=0
    for b in 1 2 3 4 5; do
      f="$folder/data_batch_$b.bin"
      [ -f "$f" ] || die "$f: dataset file missing"
      files="$files data_batch_$b.bin"
      have=$((have + $(wc -c < "$f") / 3073))
      [ "$have" -ge "$need" ] && break
    done
    files="$files test_batch.bin" ;;
  fashion-mnist)
    opt=--fashion-mnist
    files="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz" ;;
  *) die "$ds: unknown dataset '$kind'" ;;
esac
# each file's sha256, from the cache the content stamps keep (hashing 180 MB again here would
# sit between the last training and the page)
sums=$("$(dirname "$0")/dataset-id.sh" --files "$opt" "$folder") || die "$folder: cannot hash the dataset's files"

{
  printf 'key\tvalue\n'
  printf 'seed\t%s\n' "$(value seed "$run/config.info.tsv" | clean)"
  opts=$(value bnflags "$run/config.info.tsv" | clean)
  printf 'bnlab options\t%s\n' "${opts:-none (the defaults)}"
  printf 'rng\t%s\n' "$(field rng | clean)"
  printf 'repository\t%s\n' "$(printf '%s' "${remote:-no git remote set (a local checkout)}" | clean)"
  printf 'git commit\t%s\n' "$commit"
  printf 'uncommitted changes\t%s\n' "$dirty"
  printf 'compiler\t%s\n' "$(field compiler | clean)"
  printf 'GSL\t%s\n' "$(field gsl_version | clean)"
  printf 'OpenBLAS\t%s\n' "$(field blas_config | clean)"
  printf 'LIBXSMM\t%s\n' "$(field libxsmm_version | clean)"
  printf 'GEMM kernels of this machine (the one that made the page)\t%s\n' "$(field gemm_kernels | clean)"
  # what the trainings ran on (bnlab records it as each one completes, on the machine that ran it)
  m="$run/machine.info.tsv"
  [ -f "$m" ] && k=$(value blas_core "$m" | clean) || k=
  [ -f "$m" ] && c=$(value cpu_model "$m" | clean) || c=
  printf 'GEMM kernels of the trainings\t%s\n' "${k:-not recorded (trained before kernels were recorded)}"
  printf 'CPU of the trainings\t%s\n' "${c:-not recorded}"
  [ -f "$m" ] && rep=$(value reproducible_on "$m" | clean) || rep=
  printf 'bytes reproducible on\t%s\n' "${rep:-CPUs with the same GEMM kernels only (made before fixed-order arithmetic)}"
  printf 'dataset\t%s\n' "$kind"
  printf 'dataset folder\t%s\n' "$(printf '%s' "$folder" | clean)"
  for f in $files; do
    [ -f "$folder/$f" ] || die "$folder/$f: dataset file missing"
    s=$(printf '%s\n' "$sums" | awk -v n="$f" '$1 == n { print $2; exit }')
    [ -n "$s" ] && [ "$s" != absent ] || die "$folder/$f: no sha256 from scripts/dataset-id.sh"
    printf 'sha256 %s\t%s\n' "$f" "$s"
  done
} > "$tmp"

# Timings change from run to run: kept out of the .info file, so that it, like the results,
# is the same for the same seed, code and data.
{
  printf 'key\tvalue\n'
  printf 'recorded (UTC)\t%s\n' "$(date -u '+%Y-%m-%d %H:%M:%S')"
  for t in "$run"/*.timing.tsv; do
    [ -f "$t" ] || continue
    s=$(value wall_seconds "$t" | awk '$1 != "" { printf "%.2f", $1 }')
    [ -n "$s" ] || continue
    name=$(basename "$t" .timing.tsv)
    printf '%s wall seconds\t%s\n' "$name" "$s"
  done
} > "$ttmp"

mv "$ttmp" "$run/provenance.timing.tsv"
mv "$tmp" "$out"
trap - EXIT INT TERM
