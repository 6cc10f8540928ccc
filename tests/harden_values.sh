#!/bin/sh
# tests/harden_values.sh - no value from a file, the environment or the command line is ever
# read by a shell or by make. Command substitutions ($(...) and backquotes), ;, quotes, spaces,
# newlines and a leading dash are fed into every value that reaches a script: the bnflags of a
# run's config.info.tsv (make verify), BNFLAGS, SLURM_FLAGS (a stub sbatch early in PATH records
# its argv), the dataset folder (with a space, through XDG_CACHE_HOME), RUN, A and B of make
# compare, TMPDIR. Each case checks that no command ran (the marker file was not created) and that
# the outcome is right: the value handled whole, or one line naming it and what is wrong. Also:
# make verify reruns the run's own configuration whatever make's command line says; a dirty
# checkout's provenance is compared; FIFOs where caches, stamps and dataset.args are read are
# refused, not waited on; an in-place edit keeping size and time changes the dataset's identity.
# usage: tests/harden_values.sh   Ends with "harden-values: N passed, M failed"; non-zero on failure.
set -u
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 2
root=$(pwd)
for p in build/bnlab build/bnagg build/bnreport; do
  [ -x "$p" ] || { echo "harden-values: $p not built (make build/bnlab build/bnagg build/bnreport)" >&2; exit 2; }
done
. tests/test-lib.sh
test_begin harden-values tmp
unset CIFAR10_DIR BNLAB_DATASET_ARGS BNFLAGS DTYPE SEEDS A B || true
export OPENBLAS_NUM_THREADS=1
M=$tmp/MARK
log=$tmp/log
mkdir -p "$log"

# run NAME WANT PATTERN -- CMD...: WANT is ok (status 0) or refuse (non-zero status, and on stderr
# exactly one line besides make's own "make: *** [target] Error N" and a $(error) that points
# to the line above, matching the extended regex PATTERN);
# in both cases the marker file must not exist afterwards.
run() {
  name=$1 want=$2 pat=$3
  shift 4
  rm -f "$M"
  timeout 300 "$@" >"$log/out" 2>"$log/err"; rc=$?
  own=$(grep -v '^make\(\[[0-9]*\]\)\?: \*\*\* \[' "$log/err" | grep -v ': \*\*\* .*(see above)' | grep -c .)
  if [ -e "$M" ]; then bad "$name" "a command in the value ran (marker created)"
  elif [ "$rc" -eq 124 ]; then bad "$name" "hung (killed after 300 s)"
  elif [ "$want" = ok ] && [ "$rc" -ne 0 ]; then bad "$name" "status $rc: $(tail -n 3 "$log/err" | tr '\n' ' ')"
  elif [ "$want" = ok ]; then ok "$name"
  elif [ "$rc" -eq 0 ]; then bad "$name" "accepted (status 0), want a refusal"
  elif [ "$own" -ne 1 ]; then bad "$name" "$own lines of message, want 1: $(head -c 400 "$log/err" | tr '\n' '|')"
  elif ! grep -Eq -- "$pat" "$log/err"; then bad "$name" "message lacks /$pat/: $(head -c 300 "$log/err")"
  else ok "$name"; fi
}

# --- a copy of the tree (the Slurm engine and the dataset lookup work inside it) and a small
# CIFAR-10-format dataset: 1,300 training and 100 test records, labels 0-9
T=$tmp/tree
mkdir -p "$T"
cp -a Makefile src scripts report tests build "$T/"
data="$tmp/ca che/bnlab/cifar-10-batches-bin"
mkdir -p "$data"
cifar() {
  awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) { printf "%c", i % 10
    for (j = 0; j < 3072; j++) printf "%c", int(rand() * 256) } }'
}
cifar 1300 1 >"$data/data_batch_1.bin"
cifar 100 2 >"$data/test_batch.bin"
F="--epochs 1 --points 2 --num-train 100 --speed-reps 1 --train-records 1000 --val-records 200 --test-records 100"
MK="$MAKE -s --no-print-directory -C $T"

# --- the dataset folder with a space (found in the user's cache, XDG_CACHE_HOME="$tmp/ca che"):
# trained, stamped, and found up to date by a second make
R=$tmp/runs/r0
run "dataset folder with a space: make run" ok "" -- env XDG_CACHE_HOME="$tmp/ca che" $MK run RUN="$R" JOBS=2 QUIET=1 BNFLAGS="$F"
if [ "$(head -n 1 "$R/dataset.args" 2>/dev/null)" = "--data $data" ]; then ok "dataset folder with a space: recorded whole in dataset.args"
else bad "dataset folder with a space: recorded whole in dataset.args" "$(cat "$R/dataset.args" 2>&1)"; fi
env XDG_CACHE_HOME="$tmp/ca che" $MK run RUN="$R" JOBS=2 BNFLAGS="$F" >"$log/out" 2>&1
if grep -q 'build/bnlab' "$log/out"; then bad "dataset folder with a space: a second make reruns nothing" "$(head -c 300 "$log/out")"
else ok "dataset folder with a space: a second make reruns nothing"; fi
run "CIFAR10_DIR with a space given directly" refuse "CIFAR10_DIR=.*space" -- env CIFAR10_DIR="$data" $MK -n train RUN="$tmp/runs/x"
run "bench's dataset with a space (make -n shows it quoted)" ok "" -- env XDG_CACHE_HOME="$tmp/ca che" $MK -n bench

# --- bnflags of a run folder received from someone else: make verify never runs them
i=0
for p in "\`touch $M\`" "\$(touch $M)" "1;touch $M" "-x" "'1'"; do
  i=$((i + 1))
  d=$tmp/runs/evil$i
  cp -a "$R" "$d"
  P=$p awk -F'\t' -v OFS='\t' '$1 == "bnflags" { $2 = "--epochs 1 " ENVIRON["P"] } { print }' "$R/config.info.tsv" >"$d/config.info.tsv"
  run "verify: bnflags holding $(printf '%s' "$p" | sed "s|$M|MARK|")" refuse "bnlab: verify: .*config.info.tsv: bnflags holds" -- $MK verify RUN="$d"
done
# (a newline inside the value: the TSV line ends there; the next line is a key of its own)
d=$tmp/runs/evil-nl
cp -a "$R" "$d"
awk -F'\t' -v OFS='\t' -v m="$M" '$1 == "bnflags" { $2 = $2 "\ntouch " m } { print }' "$R/config.info.tsv" >"$d/config.info.tsv"
run "verify: bnflags with a newline and a command" ok "" -- $MK verify RUN="$d"

# --- verify reruns the recorded configuration, whatever make's command line says
run "verify DTYPE=float64 BNFLAGS=--epochs 3 on a float32 run: OK" ok "" -- $MK verify RUN="$R" DTYPE=float64 "BNFLAGS=--epochs 3" JOBS=2
grep -q "verify: OK" "$log/out" && ok "verify with other options on the command line says OK" ||
  bad "verify with other options on the command line says OK" "$(tail -n 2 "$log/out")"
run "verify with DTYPE in the environment: OK" ok "" -- env DTYPE=float64 $MK verify RUN="$R" JOBS=2

# --- BNFLAGS from the command line: split into words at blanks, each judged by bnlab, none run
for p in "\$(touch $M)" "\`touch $M\`" ";touch $M" "\$\$(touch $M)" "\$(shell touch $M)" "
touch $M"; do
  run "BNFLAGS holding $(printf '%s' "$p" | sed "s|$M|MARK|" | tr '\n' '^')" refuse "bnlab: (unknown|.*touch|.*\\$)" -- $MK checks RUN="$tmp/runs/bf" "BNFLAGS=--epochs 1 $p"
done

# --- RUN: a run folder is one plain path; anything a shell or make would read is refused
for p in "$tmp/runs/a;touch\${IFS}$M" "$tmp/runs/\$\$(touch $M)" "$tmp/runs/\`touch\`" "-rf" "$tmp/runs/\$(shell touch $M)" "$tmp/runs/a
b"; do
  run "RUN=$(printf '%s' "$p" | sed "s|$M|MARK|" | tr '\n' '^')" refuse "RUN=.* is not a run folder" -- $MK checks "RUN=$p"
done

# --- make compare A= B=
for p in "\$(shell touch $M)" "\`touch $M\`" "x;touch$M" "-x" "\$\$(touch $M)"; do
  run "compare A=$(printf '%s' "$p" | sed "s|$M|MARK|")" refuse "make compare A=|A=" -- $MK compare "A=$p" B="$R"
  run "compare B=$(printf '%s' "$p" | sed "s|$M|MARK|")" refuse "make compare B=|B=" -- $MK compare A="$R" "B=$p"
done

# --- a run made from a checkout with uncommitted changes (its provenance, as the project's
# script writes it) is compared
G=$tmp/dirty
mkdir -p "$G"
cp -a Makefile src scripts report "$G/"
mkdir -p "$G/build" && cp build/bnlab "$G/build/"
( cd "$G" && git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm t &&
  echo "/* edited */" >> src/nn/layers.c && echo "/* edited */" >> src/nn/net.c ) >/dev/null 2>&1
cp -a "$R" "$tmp/runs/dirty"
( cd "$G" && scripts/provenance.sh "$tmp/runs/dirty" build/bnlab ) >"$log/prov" 2>&1
dv=$(awk -F'\t' '$1 == "uncommitted changes" { print $2 }' "$tmp/runs/dirty/provenance.info.tsv" 2>/dev/null)
if [ "${#dv}" -le 31 ]; then bad "a dirty checkout's provenance" "value '$dv' is not the long one ($(head -c 200 "$log/prov"))"
else
  run "make compare of a dirty checkout's run (uncommitted changes: ${#dv} characters)" ok "" -- $MK compare A="$tmp/runs/dirty" B="$R" COMPARE_ROOT="$tmp/cmp"
  f=$(ls "$tmp"/cmp/*/compare_runs.info.tsv 2>/dev/null | head -n 1)
  if [ -n "$f" ] && grep -qF "$dv" "$f"; then ok "the compare page's data keeps the whole value"
  else bad "the compare page's data keeps the whole value" "not in ${f:-no compare_runs.info.tsv}"; fi
fi

# --- TMPDIR: checked as a path; the page's code excerpts write their temporary file there and
# name it when they cannot (not "source-highlight failed")
run "TMPDIR with a command" refuse "TMPDIR=.* is not a temporary folder" -- env "TMPDIR=$tmp/t;touch$M" $MK -n verify RUN="$R"
run "TMPDIR with \$(...)" refuse "TMPDIR=.* is not a temporary folder" -- env "TMPDIR=$tmp/\$(touch $M)" $MK -n verify RUN="$R"
printf '# T\n\n{{code(bn_forward)}}\n' >"$tmp/t.md"; : >"$tmp/s.css"
run "excerpt with TMPDIR a missing folder" refuse "temporary file in $tmp/no-such \\(TMPDIR\\)" -- env TMPDIR="$tmp/no-such" build/bnreport --run "$R" --template "$tmp/t.md" --style "$tmp/s.css" --src src --out "$tmp/p1/index.html"
mkdir -p "$tmp/t d;\$(touch $M)"
run "excerpt with TMPDIR holding a space, ; and \$(...)" ok "" -- env TMPDIR="$tmp/t d;\$(touch $M)" build/bnreport --run "$R" --template "$tmp/t.md" --style "$tmp/s.css" --src src --out "$tmp/p2/index.html"
grep -q 'code-excerpt' "$tmp/p2/index.html" 2>/dev/null && ok "the excerpt is on the page" || bad "the excerpt is on the page" "missing"

# --- SLURM_FLAGS: split as a shell splits words, never run; a stub sbatch records its argv
W=$(WORDS="--comment='bn nightly' -p \"a b\" x\\ y \$(touch $M) \`touch $M\`; -t" awk -f scripts/words.awk)
want="w--comment=bn nightly
w-p
wa b
wx y
w\$(touch
w$M)
w\`touch
w$M\`;
w-t"
[ "$W" = "$want" ] && ok "scripts/words.awk splits quoted words, runs nothing" || bad "scripts/words.awk splits quoted words, runs nothing" "$(printf '%s' "$W" | tr '\n' '|')"
stub=$tmp/stub
mkdir -p "$stub"
for c in squeue scancel scontrol; do printf '#!/bin/sh\nexit 0\n' >"$stub/$c"; done
printf '#!/bin/sh\nfor a in "$@"; do printf "%%s\\n" "$a"; done > "%s"\nexit 1\n' "$tmp/sbatch.argv" >"$stub/sbatch"
chmod +x "$stub"/*
rm -f "$tmp/sbatch.argv"
run "make train ENGINE=slurm SLURM_FLAGS=\"--comment='bn nightly' \$(touch) ...\"" refuse "slurm: sbatch failed" -- env PATH="$stub:$PATH" XDG_CACHE_HOME="$tmp/ca che" \
  $MK train ENGINE=slurm RUN="$tmp/runs/s" "BNFLAGS=$F" QUIET=1 "SLURM_FLAGS=--comment='bn nightly' \$(touch $M) \`touch $M\`;x -J \"it's\""
for w in "--comment=bn nightly" "\$(touch" "$M)" "\`touch" "$M\`;x" "-J" "it's"; do
  grep -qxF -- "$w" "$tmp/sbatch.argv" 2>/dev/null && ok "sbatch got the word $(printf '%s' "$w" | sed "s|$M|MARK|")" ||
    bad "sbatch got the word $(printf '%s' "$w" | sed "s|$M|MARK|")" "argv: $(tr '\n' '|' < "$tmp/sbatch.argv" 2>&1)"
done
run "SLURM_FLAGS with a quote not closed" refuse "SLURM_FLAGS=.*quote is not closed" -- env PATH="$stub:$PATH" $MK train ENGINE=slurm RUN="$tmp/runs/s" "SLURM_FLAGS=--comment='bn"
# (make's command line drops a newline; the engine, called directly, is given one)
run "SLURM_FLAGS with a newline in a quoted word" refuse "SLURM_FLAGS: a quoted word holds a newline" -- env PATH="$stub:$PATH" "SLURM_FLAGS=--comment='a
b'" "$T/scripts/engine-slurm.sh" submit "$tmp/runs/s:0"

# --- FIFOs where a cache, a stamp or dataset.args is read: refused at once, naming the file
mkdir -p "$tmp/fc/bnlab"
mkfifo "$tmp/fc/bnlab/sha256.tsv"
run "dataset-id: the sha256 cache a FIFO" refuse "sha256.tsv: not a regular file" -- env XDG_CACHE_HOME="$tmp/fc" scripts/dataset-id.sh --data "$data"
mkdir -p "$tmp/fl/bnlab"
mkfifo "$tmp/fl/bnlab/sha256.tsv.lock"
run "dataset-id: the cache's lock a FIFO" refuse "sha256.tsv.lock: not a regular file" -- env XDG_CACHE_HOME="$tmp/fl" scripts/dataset-id.sh --data "$data"
# callers side by side on a new cache (make -j's stamps): one hashes, the others find its lines
for i in 1 2 3; do XDG_CACHE_HOME="$tmp/par" scripts/dataset-id.sh --data "$data" > "$tmp/par-id.$i" & done
wait
nf=$(ls "$data" | grep -c '_batch' || true)
nl=$(wc -l < "$tmp/par/bnlab/sha256.tsv")
if [ "$nl" -eq "$nf" ] && cmp -s "$tmp/par-id.1" "$tmp/par-id.2" && cmp -s "$tmp/par-id.1" "$tmp/par-id.3" && [ -s "$tmp/par-id.1" ]; then
  ok "dataset-id: three callers at once on a new cache hash each file once ($nl lines for $nf files)"
else bad "dataset-id: three callers at once on a new cache hash each file once" "$nl lines for $nf files"; fi
for f in dataset.args .stamps/deepnet .stamps/sweep.want config.info.tsv; do
  d=$tmp/runs/fifo-$(echo "$f" | tr -c 'a-z0-9\n' _)
  cp -a "$R" "$d"
  rm -f "$d/$f" && mkfifo "$d/$f"
  run "a FIFO as $f" refuse "$f: not a regular file" -- env XDG_CACHE_HOME="$tmp/ca che" $MK train RUN="$d" "BNFLAGS=$F" QUIET=1
done

# --- the dataset's identity: an in-place edit that keeps size and modification time is noticed
cp -a "$data" "$tmp/edit"
id1=$(XDG_CACHE_HOME="$tmp/c2" scripts/dataset-id.sh --data "$tmp/edit")
t=$(stat -c %y "$tmp/edit/test_batch.bin")
printf 'Z' | dd of="$tmp/edit/test_batch.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
touch -d "$t" "$tmp/edit/test_batch.bin"
id2=$(XDG_CACHE_HOME="$tmp/c2" scripts/dataset-id.sh --data "$tmp/edit")
if [ -n "$id1" ] && [ "$id1" != "$id2" ]; then ok "an in-place edit keeping size and mtime changes the dataset's identity"
else bad "an in-place edit keeping size and mtime changes the dataset's identity" "$id1 / $id2"; fi
# and the file's own hash (--files, which the provenance prints) is the edited content's
got=$(XDG_CACHE_HOME="$tmp/c2" scripts/dataset-id.sh --files --data "$tmp/edit" | awk '$1 == "test_batch.bin" { print $2 }')
want=$(sha256sum < "$tmp/edit/test_batch.bin" | cut -d' ' -f1)
if [ "$got" = "$want" ]; then ok "after that edit, dataset-id --files gives the edited file's sha256"
else bad "after that edit, dataset-id --files gives the edited file's sha256" "$got / $want"; fi

cases_end
