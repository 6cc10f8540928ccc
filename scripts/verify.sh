#!/bin/sh
# Check a run: its files against its manifest, then a fresh rerun of the same seed and options
# in a temporary folder against the manifest, file by file. Exit 1 on any difference.
# A manifest must list every result file the registry expects (FILE..., as the Makefile passes
# them from src/study/registry.c) and nothing else: a manifest with no entries, or one that misses a
# file, proves nothing and is refused.
# usage: scripts/verify.sh RUN FILE...   (run from the repository root; uses make run)
set -uf
[ $# -ge 2 ] || { echo "usage: scripts/verify.sh RUN FILE..." >&2; exit 2; }
run=$1
shift
man="$run/manifest.tsv"
cfg="$run/config.info.tsv"
# what is read here must be a regular file where it is there (a FIFO would hang the reader)
for f in "$man" "$cfg" "$run/dataset.args"; do
  [ ! -e "$f" ] || [ -f "$f" ] || { echo "bnlab: verify: $f: not a regular file" >&2; exit 1; }
done
[ -f "$man" ] || { echo "bnlab: $man: no manifest (run 'make report' or 'make run' first)" >&2; exit 1; }
listed=$(tail -n +2 "$man" | cut -f1 | LC_ALL=C sort)
expected=$(printf '%s\n' "$@" | LC_ALL=C sort -u)
[ -n "$listed" ] || { echo "bnlab: $man lists no result files: nothing to verify (remake it with 'make run')" >&2; exit 1; }
# Every result file the experiments write that is in the run folder must be in its manifest (a
# manifest cut short cannot vouch for the rest). A file the registry names but neither the folder
# nor the manifest has comes from an experiment or a file added after the run was made: it is
# not checked, and the rerun's copy is not compared.
present=$(for f in $expected; do [ -e "$run/$f" ] && echo "$f"; done)
missing=$(printf '%s\n' "$present" | grep -vxF -e "$listed" | tr '\n' ' ' | sed 's/ $//') || true
[ -z "$missing" ] || { echo "bnlab: $man does not list $missing, result file(s) of the run (remake it with 'make run')" >&2; exit 1; }
extra=$(printf '%s\n' "$listed" | grep -vxF -e "$expected" | tr '\n' ' ' | sed 's/ $//') || true
[ -z "$extra" ] || { echo "bnlab: $man: lists $extra, which no experiment writes" >&2; exit 1; }
newer=$(printf '%s\n' "$expected" | grep -vxF -e "$listed" | wc -l)
[ -f "$cfg" ] || { echo "bnlab: $cfg: missing, cannot tell how the run was made" >&2; exit 1; }
seed=$(awk -F'\t' '$1=="seed"{print $2; exit}' "$cfg")
flags=$(awk -F'\t' '$1=="bnflags"{print $2; exit}' "$cfg")
# The rerun takes the recorded options as words (the Makefile hands them to bnlab split at
# blanks, never through a shell); a run folder may come from anyone, so each word must be what
# bnlab writes there, an option or a number or name, before anything runs.
case $seed in ''|*[!0-9]*) echo "bnlab: verify: $cfg: seed '$(printf '%s' "$seed" | tr -c '[:print:]' '?')' is not a seed" >&2; exit 1 ;; esac
for w in $flags; do
  case $w in
    --[a-z]*) case $w in *[!a-z-]*) bad=$w ;; *) bad= ;; esac ;;
    *[!A-Za-z0-9._+-]*|-*|'') bad=$w ;;
    *) bad= ;;
  esac
  [ -z "$bad" ] || { echo "bnlab: verify: $cfg: bnflags holds '$(printf '%s' "$bad" | tr -c '[:print:]' '?')', which is no bnlab option or value: not rerun" >&2; exit 1; }
done
# a run made before --dtype existed trained in float64
grep -q "^dtype$(printf '\t')" "$cfg" || flags="$flags${flags:+ }--dtype float64"
# without its temporary folder the rerun would go to /run and its log to /log
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-verify.XXXXXX" 2>/dev/null) && [ -n "$tmp" ] && [ -d "$tmp" ] ||
  { echo "bnlab: verify: cannot create a temporary folder in TMPDIR=${TMPDIR:-/tmp}: $([ -d "${TMPDIR:-/tmp}" ] && echo "not writable" || echo "no such folder")" >&2; exit 1; }
trap 'rm -rf "$tmp"' EXIT INT TERM

bad=0
echo "verify: $run (seed $seed${flags:+, options $flags})"
echo "verify: 1. the files on disk against $man"
tail -n +2 "$man" | while IFS="$(printf '\t')" read -r f bytes sum; do
  if [ ! -f "$run/$f" ]; then echo "  MISSING    $f"; echo x >> "$tmp/bad"
  elif [ "$(sha256sum "$run/$f" | cut -d' ' -f1)" != "$sum" ]; then echo "  CHANGED    $f (sha256 differs from the manifest)"; echo x >> "$tmp/bad"
  else echo "  identical  $f"; fi
done
echo "verify: 2. a fresh rerun of seed $seed in $tmp/run"
# the same dataset as the run, whatever scripts/dataset.sh would find today
dsargs=
[ ! -f "$run/dataset.args" ] || IFS= read -r dsargs < "$run/dataset.args" || true
# Exactly the run's configuration, whatever make verify was given: the calling make's variables
# (DTYPE=, BNFLAGS=, ENGINE=... in MAKEFLAGS or the environment) do not reach the rerun.
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL DTYPE BNFLAGS BN_FLAGS SEEDS A B ENGINE SPLIT
if ! BNLAB_DATASET_ARGS="$dsargs" make -s --no-print-directory run RUN="$tmp/run" SEED="$seed" BNFLAGS="$flags" \
     DTYPE= SEEDS= ENGINE=local SPLIT= QUIET=1 >"$tmp/log" 2>&1; then
  cat "$tmp/log" >&2
  echo "bnlab: verify: the rerun failed" >&2
  exit 1
fi
# the rerun's configuration is the run's, key by key (a run made before a key existed lacks it)
differ=$(awk -F'\t' 'NR == FNR { if (FNR > 1) want[$1] = $2; next }
                     FNR > 1 && ($1 in want) && want[$1] != $2 { printf "%s%s %s, not %s", sep, $1, $2, want[$1]; sep = "; " }' \
         "$cfg" "$tmp/run/config.info.tsv")
[ -z "$differ" ] || { echo "bnlab: verify: the rerun's configuration is not the run's ($differ): not compared" >&2; exit 1; }
tail -n +2 "$man" | while IFS="$(printf '\t')" read -r f bytes sum; do
  if [ ! -f "$tmp/run/$f" ]; then echo "  NOT MADE   $f"; echo x >> "$tmp/bad"
  elif [ "$(sha256sum "$tmp/run/$f" | cut -d' ' -f1)" != "$sum" ]; then echo "  DIFFERENT  $f"; echo x >> "$tmp/bad"
  else echo "  identical  $f"; fi
done
n=$(tail -n +2 "$man" | wc -l)
if [ -f "$tmp/bad" ]; then
  bad=$(wc -l < "$tmp/bad")
  echo "verify: FAILED: $bad difference(s) over $n file(s), twice checked"
  # where the run's bytes can be made again, and its kernels and this machine's
  kv() { awk -F'\t' -v k="$1" '$1 == k { print $2; exit }' "$2" 2>/dev/null; }
  was=$(kv blas_core "$run/machine.info.tsv") now=$(kv blas_core "$tmp/run/machine.info.tsv")
  rep=$(kv reproducible_on "$run/machine.info.tsv")
  case $rep in
    "any "*) echo "verify: the run's bytes are reproducible on $rep; its kernels ($was) and this machine's ($now) cannot explain a difference: the code, the options or the data differ" ;;
  esac
  if [ -n "$now" ] && [ "$was" != "$now" ] && case $rep in "any "*) false ;; *) true ;; esac; then
    echo "verify: the run's trainings were made with GEMM kernels ${was:-(not recorded)} (CPU $(kv cpu_model "$run/machine.info.tsv")); this machine's is $now (CPU $(kv cpu_model "$tmp/run/machine.info.tsv")): other kernels round differently, so its trainings may differ here (docs/reproducibility.md: What may differ elsewhere)"
  fi
  exit 1
fi
echo "verify: OK: all $n result files identical on disk and on rerun"
rep=$(awk -F'\t' '$1 == "reproducible_on" { print $2; exit }' "$run/machine.info.tsv" 2>/dev/null)
echo "verify: the run's bytes are reproducible on ${rep:-CPUs with the same GEMM kernels only (made before fixed-order arithmetic)}"
[ "$newer" -eq 0 ] || echo "verify: (the run predates $newer result file(s) that bnlab now writes too: not checked)"
