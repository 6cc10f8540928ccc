#!/bin/sh
# tests/badinput.sh - the robustness suite: every bad option and make variable, dataset
# fault, output fault, numerical fault and interruption is run against the real binary (and the
# real Makefile), checking the exit status, that stderr is ONE error line ("bnlab: ...", or the
# Makefile's own "Makefile:N: *** ..." check) naming the option or file and the problem, and that
# nothing was written (or, for faults met while writing, that no partial or temporary file remains).
#
# usage: tests/badinput.sh            (BNLAB=path overrides build/bnlab, e.g. a sanitizer build)
# Self-contained: datasets are generated into a temporary folder, removed on exit. As root, the
# "unreadable" cases run as nobody (setpriv) and two cases mount a small tmpfs (read-only, full);
# otherwise those are skipped. Ends with the line "bad-input: N passed, M failed" and exits
# non-zero if anything failed.
set -u
export LC_ALL=C
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/test-lib.sh"
test_begin badinput
BNLAB=${BNLAB:-$root/build/bnlab}
case $BNLAB in /*) ;; *) BNLAB=$root/$BNLAB ;; esac
[ -x "$BNLAB" ] || { echo "badinput: $BNLAB not built (run make)" >&2; exit 2; }
MAKE=${MAKE:-make}
# A make started by this script behaves as one typed at a shell: no outer make's flags or level.
MK="env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES $MAKE -s -C $root"
export OPENBLAS_NUM_THREADS=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-badinput.XXXXXX") || exit 2
chmod 755 "$tmp"                       # the "unreadable file" cases run as an unprivileged user
sb=$tmp/sb; log=$tmp/log; data=$sb/data
mkdir -p "$sb" "$log" "$data"
mounts=""; pid=""
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null      # a run still going when the suite is stopped
  for m in $mounts; do umount "$m" 2>/dev/null; done
  chmod -R u+rwX "$tmp" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

pass=0; fail=0; skip=0; n=0
ok()   { pass=$((pass + 1)); printf 'ok   %3d %s: %s\n' "$n" "$1" "$2"; }
bad()  { fail=$((fail + 1)); printf 'FAIL %3d %s: %s\n' "$n" "$1" "$2"; }
skipped() { skip=$((skip + 1)); printf 'skip %3d %s: %s\n' "$n" "$1" "$2"; }

# ---------------------------------------------------------------- generated inputs
be32() {
  printf "\\$(printf %03o $(($1 >> 24 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))"
  printf "\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"
}
# bytes N SEED [MOD]: N reproducible pseudo-random bytes, each below MOD.
bytes() { awk -v n="$1" -v s="$2" -v m="${3:-256}" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%c", int(rand() * m) }'; }
# cifar N SEED: N CIFAR-10 records (label 0-9, then 3072 pixel bytes).
cifar() {
  awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) { printf "%c", i % 10
    for (j = 0; j < 3072; j++) printf "%c", int(rand() * 256) } }'
}
idx_images() { be32 2051; be32 "$1"; be32 "$2"; be32 "$3"; bytes $(($1 * $2 * $3)) 7; }
idx_labels() { be32 2049; be32 "$1"; bytes "$1" 8 10; }

# CIFAR-10: five training batches of 60 records and a test batch of 50 (300 + 50 records).
good=$data/cifar
mkdir -p "$good"
for b in 1 2 3 4 5; do cifar 60 "$b" >"$good/data_batch_$b.bin"; done
cifar 50 9 >"$good/test_batch.bin"
# Fashion-MNIST layout with 2x2 images: 1200 training and 100 test images, cheap to train on.
fm=$data/fm
mkdir -p "$fm"
idx_images 1200 2 2 | gzip -n >"$fm/train-images-idx3-ubyte.gz"
idx_labels 1200 | gzip -n >"$fm/train-labels-idx1-ubyte.gz"
idx_images 100 2 2 | gzip -n >"$fm/t10k-images-idx3-ubyte.gz"
idx_labels 100 | gzip -n >"$fm/t10k-labels-idx1-ubyte.gz"
# small splits so that a case that wrongly went on to train would still end quickly
SPLITS="--train-records 200 --val-records 50 --test-records 50 --num-train 100 --points 1 --epochs 1"
FSPLITS="--train-records 1000 --val-records 100 --test-records 100 --num-train 100 --points 1 --epochs 1"

# copy_of SRC NAME: a fresh copy of a dataset folder to break.
copy_of() { rm -rf "${data:?}/$2"; cp -r "$1" "$data/$2"; echo "$data/$2"; }

# Commands that must not read a file run as an unprivileged user when we are root (root reads
# everything); NOBODY is empty when we are not root.
NOBODY=""
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv >/dev/null 2>&1; then NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
  else NOBODY=none; fi
fi

# ---------------------------------------------------------------- the case runner
snapshot() { find "$sb" -print | sort; }
# tmpfiles DIR: every temporary result file under DIR, relative to the sandbox.
tmpfiles() { find "$1" -name '*.tmp.*' -print | sed "s|^$sb/||" | head -3 | tr '\n' ' '; }
# alive PID...: those still running (a zombie has ended; it only waits for init to reap it).
alive() { for p in "$@"; do s=$(ps -o stat= -p "$p" 2>/dev/null); case $s in ""|Z*) ;; *) printf ' %s' "$p" ;; esac; done; }
# limited BLOCKS [nosigtrap] COMMAND...: COMMAND under a file-size limit; its stderr goes through
# a pipe to ours, since a log file would be cut off by the same limit and lose the message.
limited() {
  blocks=$1; shift; trapit=1
  [ "$1" = nosigtrap ] && { trapit=""; shift; }
  { ( [ -n "$trapit" ] && trap '' XFSZ; ulimit -f "$blocks" && exec "$@" ) 2>&1 >/dev/null; echo $? >"$log/limited.rc"; } | cat >&2
  return "$(cat "$log/limited.rc")"
}

# expect NAME STATUS NEEDLE... -- COMMAND...
#   STATUS: an exit status, or "nz" for any non-zero one (make's own status).
#   Runs COMMAND in a new empty folder $W under the sandbox and checks: the status; stdout empty;
#   stderr holds exactly one error line, "bnlab: ..." (or, for make, the Makefile's own check,
#   "Makefile:N: *** ...") containing every NEEDLE (a NEEDLE "a|b" wants a or b); other lines are
#   allowed only from make ("make: *** [...] Error 2"); and, by default, that nothing appeared
#   anywhere in the sandbox. Set WRITES=partial before a case whose fault happens while writing: then only
#   no "*.tmp.*" file may remain and none of the paths in ABSENT (newline-separated) may exist.
WRITES=none; ABSENT=""
newdir() { n=$((n + 1)); W=$sb/w$n; mkdir -p "$W"; }
expect() {
  name=$1; want=$2; shift 2
  needles=""
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do needles="$needles$1
"; shift; done
  shift
  [ -n "${W_READY:-}" ] || newdir
  W_READY=""
  snapshot >"$log/before"
  ( cd "$W" && "$@" ) >"$log/out" 2>"$log/err" </dev/null
  rc=$?
  snapshot >"$log/after"
  errline='^bn\(lab\|agg\|report\): \|^[^ ]*\(Makefile\|\.mk\):[0-9]*: \*\*\* '
  msg=$(grep "$errline" "$log/err" | head -1)
  why=""
  if [ "$want" = nz ]; then [ "$rc" -ne 0 ] || why="exit status 0, want non-zero"
  elif [ "$rc" -ne "$want" ]; then why="exit status $rc, want $want"; fi
  nb=$(grep -c "$errline" "$log/err")
  other=$(grep -v "$errline" "$log/err" | grep -cv '^make\(\[[0-9]*\]\)\{0,1\}: \*\*\* ')
  [ -n "$why" ] || [ "$nb" -eq 1 ] || why="$nb error lines on stderr, want 1: $(head -c 300 "$log/err" | tr '\n' '|')"
  [ -n "$why" ] || [ "$other" -eq 0 ] || why="stderr has other lines: $(head -c 300 "$log/err" | tr '\n' '|')"
  [ -n "$why" ] || [ ! -s "$log/out" ] || why="stdout not empty: $(head -c 200 "$log/out" | tr '\n' '|')"
  # whatever a message echoes, no raw control character reaches the terminal
  [ -n "$why" ] || ! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$log/err" ||
    why="raw control character on stderr: $(od -c "$log/err" | head -3 | tr '\n' ' ')"
  if [ -z "$why" ]; then
    old_ifs=$IFS; IFS='
'
    for s in $needles; do
      a=${s%%|*}; b=${s#*|}
      case $msg in *"$a"*|*"$b"*) ;; *) why="message lacks '$s'"; break ;; esac
    done
    IFS=$old_ifs
  fi
  if [ -z "$why" ]; then
    if [ "$WRITES" = none ]; then
      cmp -s "$log/before" "$log/after" ||
        why="wrote: $(comm -13 "$log/before" "$log/after" | sed "s|^$sb/||" | head -5 | tr '\n' ' ')"
    else
      t=$(tmpfiles "$W")
      [ -z "$t" ] || why="temporary files left: $t"
      old_ifs=$IFS; IFS='
'
      for p in $ABSENT; do [ -n "$why" ] || [ ! -e "$p" ] || why="partial result left: ${p#"$sb"/}"; done
      IFS=$old_ifs
    fi
  fi
  [ -z "$why" ] && ok "$name" "$msg" || bad "$name" "$why${msg:+ [$msg]}"
  WRITES=none; ABSENT=""
}

B=$BNLAB
echo "== options (exit 2, one line naming the option and the accepted range, nothing written)"
expect "unknown option" 2 "unknown option --frobnicate" -- "$B" --frobnicate checks
expect "unknown short option" 2 "unknown option -x" -- "$B" -x checks
expect "unknown command" 2 "unknown command 'frobnicate'" -- "$B" frobnicate
expect "no command" 2 "no command given" -- "$B"
expect "no command, options only" 2 "no command given" -- "$B" --seed 3
expect "two commands" 2 "unexpected argument 'sweep'" -- "$B" checks sweep
expect "seed not a number" 2 "--seed" "'abc'" "from 0 to 4294967295" -- "$B" --seed abc checks
expect "seed negative" 2 "--seed" "'-1'" "out of range" "from 0 to 4294967295" -- "$B" --seed -1 checks
expect "seed too large" 2 "--seed" "'4294967296'" "out of range" -- "$B" --seed 4294967296 checks
expect "seed overflows" 2 "--seed" "out of range" -- "$B" --seed 99999999999999999999999 checks
expect "seed empty" 2 "--seed" "''" "not an integer" -- "$B" --seed= checks
expect "seed fraction" 2 "--seed" "'1.5'" "not an integer" -- "$B" --seed 1.5 checks
expect "seed hex" 2 "--seed" "'0x10'" -- "$B" --seed=0x10 checks
expect "seed leading blank" 2 "--seed" "' 5'" -- "$B" --seed " 5" checks
expect "seed trailing text" 2 "--seed" "'5x'" -- "$B" --seed 5x checks
expect "seed missing value" 2 "option --seed needs a value" -- "$B" checks --seed
expect "seed value is an option" 2 "option --seed needs a value, got option --out" -- "$B" --seed --out x checks
expect "epochs zero" 2 "--epochs" "'0'" "from 1 to 1000" -- "$B" --epochs 0 --data "$good" sweep
expect "epochs too many" 2 "--epochs" "'1001'" "from 1 to 1000" -- "$B" --epochs 1001 --data "$good" sweep
expect "epochs word" 2 "--epochs" "'ten'" "not an integer" -- "$B" --epochs ten --data "$good" sweep
expect "batch size zero" 2 "--batch-size" "'0'" "from 1 to 10000" -- "$B" --batch-size 0 --data "$good" sweep
expect "batch size too big" 2 "--batch-size" "'10001'" -- "$B" --batch-size 10001 --data "$good" sweep
expect "batch size negative" 2 "--batch-size" "'-5'" -- "$B" --batch-size=-5 --data "$good" sweep
expect "lr zero" 2 "--lr" "'0'" "greater than 0 and at most 10" -- "$B" --lr 0 --data "$good" sweep
expect "lr negative" 2 "--lr" "'-1e-3'" "out of range" -- "$B" --lr -1e-3 --data "$good" sweep
expect "lr too big" 2 "--lr" "'11'" "out of range" -- "$B" --lr 11 --data "$good" sweep
expect "lr nan" 2 "--lr" "'nan'" "not a finite number" -- "$B" --lr nan --data "$good" sweep
expect "lr inf" 2 "--lr" "'inf'" "not a finite number" -- "$B" --lr inf --data "$good" sweep
expect "lr trailing text" 2 "--lr" "'1e-3x'" "not a number" -- "$B" --lr 1e-3x --data "$good" sweep
expect "lr underflows" 2 "--lr" "'1e-400'" "out of range" -- "$B" --lr 1e-400 --data "$good" sweep
expect "weight scale zero" 2 "--ws-min" "'0'" "greater than 0 and at most 100" -- "$B" --ws-min 0 --data "$good" sweep
expect "weight scale too big" 2 "--ws-max" "'101'" "at most 100" -- "$B" --ws-max 101 --data "$good" sweep
expect "weight scale word" 2 "--deep-ws" "'abc'" -- "$B" --deep-ws abc --data "$good" deepnet
expect "weight scale min above max" 2 "--ws-min" "--ws-max" -- "$B" --ws-min 1 --ws-max 0.1 --data "$good" sweep
expect "jobs zero" 2 "-j" "'0'" "from 1 to 256" -- "$B" -j 0 --data "$good" sweep
expect "jobs too many" 2 "--jobs" "'257'" "from 1 to 256" -- "$B" --jobs 257 --data "$good" sweep
expect "jobs word" 2 "-j" "'x'" "not an integer" -- "$B" -jx --data "$good" sweep
expect "jobs negative" 2 "--jobs" "'-1'" -- "$B" --jobs=-1 --data "$good" sweep
expect "jobs missing value" 2 "option -j needs a value, got option --seed" -- "$B" -j --seed 1 checks
expect "points zero" 2 "--points" "'0'" "from 1 to 200" -- "$B" --points 0 --data "$good" sweep
expect "points too many" 2 "--points" "'201'" -- "$B" --points 201 --data "$good" sweep
expect "num-train zero" 2 "--num-train" "'0'" "from 1 to 49000" -- "$B" --num-train 0 --data "$good" sweep
expect "num-train above records" 2 "--num-train 500 exceeds --train-records 100" -- "$B" --num-train 500 --train-records 100 --data "$good" sweep
expect "train-records zero" 2 "--train-records" "'0'" "from 1 to 1000000" -- "$B" --train-records 0 --data "$good" sweep
expect "val-records word" 2 "--val-records" "'abc'" -- "$B" --val-records abc --data "$good" sweep
expect "test-records too many" 2 "--test-records" "'1000001'" -- "$B" --test-records 1000001 --data "$good" sweep
expect "speed-reps zero" 2 "--speed-reps" "'0'" "from 1 to 100000" -- "$B" --speed-reps 0 bn-gradcheck
expect "update rule unknown" 2 "--update-rule" "'foo'" "sgd, sgd_momentum, rmsprop, adam" -- "$B" --update-rule foo --data "$good" sweep
expect "out empty" 2 "--out" "empty folder name" -- "$B" --out "" checks
expect "data empty" 2 "--data" "empty folder name" -- "$B" --data "" sweep
expect "fashion-mnist empty" 2 "--fashion-mnist" "empty folder name" -- "$B" --fashion-mnist= sweep
expect "flag given a value" 2 "option --quiet takes no value" -- "$B" --quiet=yes checks

echo "== make variables (non-zero exit, one bnlab line naming the option, nothing written)"
expect "make SEED=-1" nz "--seed|SEED" "'-1'" -- $MK checks SEED=-1 RUN="$sb/w$((n + 1))/r"
expect "make SEED=abc" nz "--seed|SEED" "'abc'" -- $MK checks SEED=abc RUN="$sb/w$((n + 1))/r"
expect "make SEED=4294967296" nz "--seed|SEED" "'4294967296'" -- $MK checks SEED=4294967296 RUN="$sb/w$((n + 1))/r"
expect "make SEED empty" nz "option --seed needs a value|SEED=''" -- $MK checks SEED= RUN="$sb/w$((n + 1))/r"
expect "make JOBS=0" nz "-j|JOBS" "'0'" "from 1 to 256" -- env CIFAR10_DIR="$good" $MK train JOBS=0 RUN="$sb/w$((n + 1))/r"
expect "make JOBS=abc" nz "-j|JOBS" "'abc'" -- env CIFAR10_DIR="$good" $MK train JOBS=abc RUN="$sb/w$((n + 1))/r"
expect "make JOBS=257" nz "-j|JOBS" "'257'" "from 1 to 256" -- env CIFAR10_DIR="$good" $MK train JOBS=257 RUN="$sb/w$((n + 1))/r"
expect "make compare COMPARE_SEEDS=3" nz "COMPARE_SEEDS" "'3'" "from 5 to 10000" "0 for none" -- env CIFAR10_DIR="$good" $MK compare A=0 B=1 COMPARE_SEEDS=3 RUN="$sb/w$((n + 1))/r"
expect "make compare COMPARE_SEEDS=x" nz "COMPARE_SEEDS" "'x'" -- env CIFAR10_DIR="$good" $MK compare A=0 B=1 COMPARE_SEEDS=x RUN="$sb/w$((n + 1))/r"
# An empty RUN would put the run's files in / and one with a space in two folders: make must
# refuse both. Checked with make -n, so that a Makefile without the check still writes nothing.
expect "make RUN empty" nz "RUN" -- $MK -n checks RUN=
expect "make RUN with a space" nz "RUN" -- $MK -n checks "RUN=$sb/w$((n + 1))/a b"
expect "make JOBS empty" nz "option -j needs a value|JOBS=''" -- env CIFAR10_DIR="$good" $MK train JOBS= RUN="$sb/w$((n + 1))/r"
expect "make BNFLAGS unknown" nz "unknown option --bogus" -- $MK checks BNFLAGS=--bogus RUN="$sb/w$((n + 1))/r"
expect "make BNFLAGS epochs 0" nz "--epochs" "'0'" -- env CIFAR10_DIR="$good" $MK train "BNFLAGS=--epochs 0" RUN="$sb/w$((n + 1))/r"
# The dataset is only read by the experiment itself, after make has written the run's
# config.info.tsv (a stamp, never a result): here only results and temporary files must not appear.
newdir; W_READY=1; WRITES=partial; ABSENT="$W/r/exp5_deepnet.tsv
$W/r/exp6_sweep.tsv
$W/r/dataset.info.tsv"
expect "make CIFAR10_DIR missing" nz "dataset folder $data/nowhere" "No such file or directory" -- env CIFAR10_DIR="$data/nowhere" $MK train RUN="$W/r"

echo "== dataset faults (exit 1, one line naming the file and the problem, nothing written)"
d=$(copy_of "$good" c-missing-batch); rm "$d/data_batch_1.bin"
expect "CIFAR folder missing" 1 "dataset folder $data/nowhere" "No such file or directory" -- "$B" $SPLITS --data "$data/nowhere" sweep
expect "CIFAR folder is a file" 1 "dataset folder $good/test_batch.bin" "not a folder" -- "$B" $SPLITS --data "$good/test_batch.bin" sweep
expect "CIFAR batch missing" 1 "$d/data_batch_1.bin" "No such file or directory" -- "$B" $SPLITS --data "$d" sweep
d=$(copy_of "$good" c-missing-test); rm "$d/test_batch.bin"
expect "CIFAR test batch missing" 1 "$d/test_batch.bin" "No such file or directory" -- "$B" $SPLITS --data "$d" all
d=$(copy_of "$good" c-partial); printf 'xyz' >>"$d/data_batch_2.bin"
expect "CIFAR partial record" 1 "$d/data_batch_2.bin" "not a whole number of 3073-byte CIFAR-10 records" "(3 left over)" -- "$B" $SPLITS --data "$d" sweep
d=$(copy_of "$good" c-cut); head -c $((3073 * 49 + 1000)) "$good/test_batch.bin" >"$d/test_batch.bin"
expect "CIFAR test batch cut short" 1 "$d/test_batch.bin" "not a whole number" -- "$B" $SPLITS --data "$d" sweep
d=$(copy_of "$good" c-label); { head -c $((3073 * 7)) "$good/data_batch_1.bin"; printf '\012'; tail -c +$((3073 * 7 + 2)) "$good/data_batch_1.bin"; } >"$d/data_batch_1.bin"
expect "CIFAR label 10" 1 "$d/data_batch_1.bin" "record 7 has label 10, outside 0-9" -- "$B" $SPLITS --data "$d" sweep
d=$(copy_of "$good" c-label255); { printf '\377'; tail -c +2 "$good/test_batch.bin"; } >"$d/test_batch.bin"
expect "CIFAR label 255" 1 "$d/test_batch.bin" "record 0 has label 255" -- "$B" $SPLITS --data "$d" sweep
d=$(copy_of "$good" c-empty); : >"$d/data_batch_1.bin"
expect "CIFAR empty batch" 1 "$d/data_batch_1.bin" "empty file" -- "$B" $SPLITS --data "$d" sweep
d=$(copy_of "$good" c-empty-test); : >"$d/test_batch.bin"
expect "CIFAR empty test batch" 1 "$d/test_batch.bin" "empty file" -- "$B" $SPLITS --data "$d" sweep
d=$(copy_of "$good" c-dir); rm "$d/data_batch_1.bin"; mkdir "$d/data_batch_1.bin"
expect "CIFAR batch is a folder" 1 "$d/data_batch_1.bin" "not a regular file" -- "$B" $SPLITS --data "$d" sweep
d=$(copy_of "$good" c-link); rm "$d/data_batch_1.bin"; ln -s "$d/gone.bin" "$d/data_batch_1.bin"
expect "CIFAR dangling symlink" 1 "$d/data_batch_1.bin" "No such file or directory" -- "$B" $SPLITS --data "$d" sweep
d=$(copy_of "$good" c-unreadable); chmod 000 "$d/data_batch_1.bin"
if [ "$NOBODY" = none ]; then newdir; skipped "CIFAR unreadable batch" "running as root without setpriv"
else
  newdir; chmod 777 "$W"; W_READY=1
  expect "CIFAR unreadable batch" 1 "$d/data_batch_1.bin" "Permission denied" -- $NOBODY "$B" $SPLITS --data "$d" sweep
fi
expect "CIFAR too few training records" 1 "dataset $good: 300 training records, need 1050" -- "$B" --train-records 1000 --val-records 50 --test-records 50 --num-train 100 --data "$good" sweep
expect "CIFAR too few test records" 1 "dataset $good: 50 test records, need 60" -- "$B" --train-records 200 --val-records 50 --test-records 60 --num-train 100 --data "$good" sweep
expect "CIFAR huge request, nothing allocated" 1 "300 training records, need 2000000" -- "$B" --train-records 1000000 --val-records 1000000 --num-train 100 --data "$good" sweep

# Fashion-MNIST IDX faults: each written into a copy of the generated set.
fmcase() { d=$(copy_of "$fm" "$1"); }
gzput() { gzip -n >"$d/$1"; }
expect "IDX folder missing" 1 "dataset folder $data/nowhere" "No such file or directory" -- "$B" $FSPLITS --fashion-mnist "$data/nowhere" sweep
fmcase f-missing; rm "$d/train-images-idx3-ubyte.gz"
expect "IDX images missing" 1 "$d/train-images-idx3-ubyte.gz" "No such file or directory" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-missing-lab; rm "$d/t10k-labels-idx1-ubyte.gz"
expect "IDX test labels missing" 1 "$d/t10k-labels-idx1-ubyte.gz" "No such file or directory" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-magic; { be32 2052; be32 1200; be32 2; be32 2; bytes 4800 7; } | gzput train-images-idx3-ubyte.gz
expect "IDX image bad magic" 1 "$d/train-images-idx3-ubyte.gz" "bad IDX image magic number 0x00000804 (want 0x00000803)" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-magic-lab; { be32 2051; be32 100; bytes 100 8 10; } | gzput t10k-labels-idx1-ubyte.gz
expect "IDX label bad magic" 1 "$d/t10k-labels-idx1-ubyte.gz" "bad IDX label magic number 0x00000803 (want 0x00000801)" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-gzcut; head -c 200 "$fm/train-images-idx3-ubyte.gz" >"$d/train-images-idx3-ubyte.gz"
expect "IDX gzip truncated" 1 "$d/train-images-idx3-ubyte.gz" "truncated gzip data" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-gzcrc; sz=$(wc -c <"$fm/train-labels-idx1-ubyte.gz")
{ head -c $((sz - 8)) "$fm/train-labels-idx1-ubyte.gz"; printf '\1\2\3\4'; tail -c 4 "$fm/train-labels-idx1-ubyte.gz"; } >"$d/train-labels-idx1-ubyte.gz"
expect "IDX gzip bad checksum" 1 "$d/train-labels-idx1-ubyte.gz" "corrupt gzip data" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-short; { be32 2051; be32 1200; be32 2; be32 2; bytes 4000 7; } | gzput train-images-idx3-ubyte.gz
expect "IDX images fewer than header" 1 "$d/train-images-idx3-ubyte.gz" "header says 4816" "truncated" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-long; { be32 2049; be32 100; bytes 130 8 10; } | gzput t10k-labels-idx1-ubyte.gz
expect "IDX labels more than header" 1 "$d/t10k-labels-idx1-ubyte.gz" "IDX label data is 138 bytes, header says 108" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-hdr; printf '\0\0\10\3\0\0' | gzput train-images-idx3-ubyte.gz
expect "IDX header truncated" 1 "$d/train-images-idx3-ubyte.gz" "IDX image header truncated (6 bytes, need 16)" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-label; { be32 2049; be32 1200; bytes 3 8 10; printf '\014'; bytes 1196 9 10; } | gzput train-labels-idx1-ubyte.gz
expect "IDX label 12" 1 "$d/train-labels-idx1-ubyte.gz" "label 12 of record 3 is outside 0-9" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-empty; : >"$d/train-images-idx3-ubyte.gz"
expect "IDX empty file" 1 "$d/train-images-idx3-ubyte.gz" "empty file" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-emptygz; printf '' | gzput t10k-labels-idx1-ubyte.gz
expect "IDX gzip of nothing" 1 "$d/t10k-labels-idx1-ubyte.gz" "empty file" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-count; idx_labels 1100 | gzput train-labels-idx1-ubyte.gz
expect "IDX label count differs" 1 "$d/train-labels-idx1-ubyte.gz" "1100 labels for 1200 images" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-size; idx_images 100 3 3 | gzput t10k-images-idx3-ubyte.gz
expect "IDX test image size differs" 1 "$d/t10k-images-idx3-ubyte.gz" "images have 9 pixels, the training images 4" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-dir; rm "$d/t10k-images-idx3-ubyte.gz"; mkdir "$d/t10k-images-idx3-ubyte.gz"
expect "IDX file is a folder" 1 "$d/t10k-images-idx3-ubyte.gz" "not a regular file" -- "$B" $FSPLITS --fashion-mnist "$d" sweep
fmcase f-unreadable; chmod 000 "$d/train-labels-idx1-ubyte.gz"
if [ "$NOBODY" = none ]; then newdir; skipped "IDX unreadable file" "running as root without setpriv"
else
  newdir; chmod 777 "$W"; W_READY=1
  expect "IDX unreadable file" 1 "$d/train-labels-idx1-ubyte.gz" "Permission denied" -- $NOBODY "$B" $FSPLITS --fashion-mnist "$d" sweep
fi
expect "IDX too few records" 1 "dataset $fm: 1200 training records, need 1300" -- "$B" --train-records 1200 --val-records 100 --test-records 100 --num-train 100 --fashion-mnist "$fm" sweep

echo "== output faults (exit 1, one line naming the folder or file; no partial or temporary file)"
newdir; : >"$W/afile"; W_READY=1
expect "out below a file" 1 "cannot create folder $W/afile/run" "Not a directory" -- "$B" -q --out "$W/afile/run" checks
newdir; : >"$W/afile"; W_READY=1
expect "out is a file" 1 "output folder $W/afile is not a folder" -- "$B" -q --out "$W/afile" checks
if [ "$NOBODY" = none ]; then newdir; skipped "out folder read-only (permissions)" "running as root without setpriv"
else
  newdir; mkdir "$W/ro"; chmod 555 "$W/ro"; W_READY=1
  expect "out folder read-only (permissions)" 1 "output folder $W/ro is not writable" "Permission denied" -- $NOBODY "$B" -q --out "$W/ro" checks
  newdir; mkdir "$W/ro"; chmod 555 "$W/ro"; W_READY=1
  expect "out folder cannot be created" 1 "cannot create folder $W/ro/run" "Permission denied" -- $NOBODY "$B" -q --out "$W/ro/run" checks
fi
# a read-only and a full file system need a mount, so only as root
rotry=""
if [ "$(id -u)" -eq 0 ]; then
  newdir; mkdir "$W/m"
  if mount -t tmpfs -o ro,size=64k bnlab-ro "$W/m" 2>/dev/null; then
    mounts="$mounts $W/m"; W_READY=1; rotry=1
    expect "out on a read-only file system" 1 "output folder $W/m is not writable" "Read-only file system" -- "$B" -q --out "$W/m" checks
    umount "$W/m"
  fi
fi
[ -n "$rotry" ] || skipped "out on a read-only file system" "needs root and a tmpfs mount"
newdir; mkdir -p "$W/r/exp1_forward_train.tsv"; W_READY=1; WRITES=partial
expect "result name taken by a folder" 1 "cannot write $W/r/exp1_forward_train.tsv" "folder of that name is in the way" -- "$B" -q --out "$W/r" forward-train
newdir; W_READY=1; WRITES=partial; ABSENT="$W/r/exp1_forward_train.tsv"
expect "file-size limit (SIGXFSZ ignored)" 1 "cannot write $W/r/checks.info.tsv" "File too large" -- limited 0 "$B" -q --out "$W/r" checks
newdir; W_READY=1; WRITES=partial; ABSENT="$W/r/exp1_forward_train.tsv"
expect "file-size limit (default SIGXFSZ)" 1 "cannot write $W/r/checks.info.tsv" "File too large" -- limited 0 nosigtrap "$B" -q --out "$W/r" checks
newdir; W_READY=1; WRITES=partial; ABSENT="$W/r/exp6_sweep_loss.tsv
$W/r/exp6_sweep.tsv"
expect "file-size limit during the sweep" 1 "cannot write $W/r/exp6_sweep_loss.tsv" "File too large" -- limited 2 "$B" -q -j 1 --data "$good" --out "$W/r" --train-records 200 --val-records 50 --test-records 50 --num-train 200 --batch-size 1 --points 2 --epochs 2 sweep
fulltry=""
if [ "$(id -u)" -eq 0 ]; then
  newdir; mkdir "$W/m"
  if mount -t tmpfs -o size=8k bnlab-full "$W/m" 2>/dev/null; then
    mounts="$mounts $W/m"; W_READY=1; fulltry=1; WRITES=partial; ABSENT="$W/m/r/exp6_sweep.tsv"
    expect "full disk during the sweep" 1 "cannot write $W/m/r/exp6_sweep" "No space left on device" -- "$B" -q -j 1 --data "$good" --out "$W/m/r" --train-records 200 --val-records 50 --test-records 50 --num-train 200 --batch-size 1 --points 2 --epochs 2 sweep
    umount "$W/m"
  fi
fi
[ -n "$fulltry" ] || skipped "full disk during the sweep" "needs root and a tmpfs mount"
if [ -w /dev/full ]; then
  expect "standard output full" 1 "cannot write standard output" "No space left on device" -- sh -c 'exec "$0" info >/dev/full' "$B"
else skipped "standard output full" "no /dev/full"; fi

echo "== results never corrupted, nothing written outside the run, no hangs"
# A small finished run R (seed 0) and a second seed r1, on the generated CIFAR-10 set, made once
# through make as a user would; the cases below break copies of them.
RBN="--speed-reps 1 --epochs 1 --points 2 --num-train 100 --train-records 200 --val-records 50 --test-records 50"
runs=$sb/runs; R=$runs/R; R1=$runs/r1
mkdir -p "$runs"
CIFAR10_DIR=$good $MK run RUN="$R" SEED=0 JOBS=1 QUIET=1 "BNFLAGS=$RBN" >"$log/out" 2>"$log/err" &&
  CIFAR10_DIR=$good $MK train RUN="$R1" SEED=1 JOBS=1 QUIET=1 "BNFLAGS=$RBN" >"$log/out" 2>>"$log/err" ||
  { echo "badinput: could not make the small runs: $(tail -c 500 "$log/err")" >&2; exit 2; }
# copy_run SRC NAME: a copy of a run folder to break, in the sandbox.
copy_run() { rm -rf "${runs:?}/$2"; cp -r "$1" "$runs/$2"; echo "$runs/$2"; }
AGG=${BNAGG:-$root/build/bnagg}; REP=${BNREPORT:-$root/build/bnreport}
# a template that reads one data file, and a stylesheet
printf '# T\n\nThe folder: {{dataset.info.tsv:value:key=folder}}\n' >"$tmp/t-ds.md"; : >"$tmp/s.css"
[ -x "$AGG" ] && [ -x "$REP" ] || { echo "badinput: build/bnagg and build/bnreport are needed (make all)" >&2; exit 2; }

# -- case 1 and its class: closed standard descriptors never become a result file
newdir
( cd "$W" && "$B" --speed-reps 1 --out ok net-gradcheck 2>/dev/null && "$B" --speed-reps 1 --out ok layernorm-checks 2>/dev/null )
( cd "$W" && "$B" --speed-reps 1 --out r net-gradcheck 2>&- && "$B" --speed-reps 1 --out r layernorm-checks <&- >&- 2>&- ); rc=$?
if [ "$rc" -ne 0 ]; then bad "closed stderr (case 1)" "exit status $rc"
elif cmp -s "$W/ok/exp4_net_gradcheck.tsv" "$W/r/exp4_net_gradcheck.tsv" && cmp -s "$W/ok/exp7_net_gradcheck_norms.tsv" "$W/r/exp7_net_gradcheck_norms.tsv"
then ok "closed stderr (case 1)" "exp4_net_gradcheck.tsv and exp7_net_gradcheck_norms.tsv identical to a run with stderr open"
else bad "closed stderr (case 1)" "result files differ from a run with stderr open: $(head -c 120 "$W/r/exp4_net_gradcheck.tsv" | tr '\n\t' '| ')"; fi
newdir
( cd "$W" && CIFAR10_DIR=$good $MK checks RUN="$W/r" "BNFLAGS=--speed-reps 1" 2>&- >&- ); rc=$?
if [ "$rc" -ne 0 ]; then bad "make checks with stdout and stderr closed" "exit status $rc"
elif [ "$(head -c 4 "$W/r/exp4_net_gradcheck.tsv")" != "$(head -c 4 "$R/exp4_net_gradcheck.tsv")" ]; then bad "make checks with stdout and stderr closed" "exp4_net_gradcheck.tsv does not start with its header"
else ok "make checks with stdout and stderr closed" "result files start with their header"; fi
newdir
( "$REP" --run "$R" --template "$tmp/t-ds.md" --style "$tmp/s.css" --out "$W/page/index.html" >&- 2>&- <&- ); rc=$?
if [ "$rc" -ne 0 ]; then bad "bnreport with descriptors closed" "exit status $rc"
elif grep -q 'bnreport: wrote' "$W/page/index.html"; then bad "bnreport with descriptors closed" "its progress line went into the page"
else ok "bnreport with descriptors closed" "the page holds no message"; fi
( "$AGG" seeds --out "$W/S" "$R" "$R1" >&- 2>&- ); rc=$?
if [ "$rc" -ne 0 ]; then bad "bnagg with descriptors closed" "exit status $rc"
elif grep -l 'bnagg:' "$W"/S/*.tsv >/dev/null 2>&1; then bad "bnagg with descriptors closed" "a message went into a data file"
else ok "bnagg with descriptors closed" "every data file clean"; fi

newdir; cp -r "$R" "$W/fig-open"; cp -r "$R" "$W/fig-closed"
( $MK figures RUN="$W/fig-open" >/dev/null 2>&1 && $MK figures RUN="$W/fig-closed" >&- 2>&- ); rc=$?
if [ "$rc" -ne 0 ]; then bad "make figures with stdout and stderr closed" "exit status $rc"
elif cmp -s "$W/fig-open/report/exp6_sweep.svg" "$W/fig-closed/report/exp6_sweep.svg" && cmp -s "$W/fig-open/report/exp5_deepnet.svg" "$W/fig-closed/report/exp5_deepnet.svg"
then ok "make figures with stdout and stderr closed" "the figures are the same as with them open"
else bad "make figures with stdout and stderr closed" "the figures differ from those drawn with stderr open"; fi

# -- case 2 and the class: temporary folders that cannot be made stop the script
rm -rf /log.bnlab-canary; : >"$log/before-root"; ls -a / >"$log/before-root"
WRITES=partial
expect "make verify with a missing TMPDIR (case 2)" nz "temporary folder" "TMPDIR=$sb/nonexistent" -- env TMPDIR="$sb/nonexistent" $MK verify RUN="$R"
ls -a / >"$log/after-root"
n=$((n + 1))
if cmp -s "$log/before-root" "$log/after-root"; then ok "verify wrote nothing in /" "/ unchanged"
else bad "verify wrote nothing in /" "new in /: $(comm -13 "$log/before-root" "$log/after-root" | tr '\n' ' ')"; fi
expect "TMPDIR with a quote" nz "TMPDIR=" "quote" -- env "TMPDIR=$sb/it's" $MK -n verify RUN="$R"
WRITES=partial
expect "apt-install with a missing TMPDIR" 1 "temporary file" "TMPDIR=$sb/nonexistent" -- env TMPDIR="$sb/nonexistent" "$root/scripts/apt-install.sh" bnlab-no-such-package

# -- case 3 and the class: make variables that become paths
expect "COMPARE_ROOT empty (case 3)" nz "COMPARE_ROOT=''" "is empty" -- $MK -n compare A="$R" B="$R1" COMPARE_ROOT=
expect "COMPARE_ROOT with a space" nz "COMPARE_ROOT=" "space" -- $MK -n compare A="$R" B="$R1" "COMPARE_ROOT=$sb/a b"
expect "RUNS_ROOT empty" nz "RUNS_ROOT=''" -- $MK -n compare A=0 B=1 RUNS_ROOT=
expect "compare A with a quote" nz "A=" "quote" -- $MK compare "A=$sb/it's" B="$R1"
expect "compare B with a control character" nz "B=" "control character" -- $MK compare A="$R" "B=$sb/$(printf 'x\033y')"
expect "CIFAR10_DIR with a space" nz "CIFAR10_DIR=" "space" -- env "CIFAR10_DIR=$sb/a b" $MK -n train RUN="$sb/w$((n + 1))/r"
expect "CIFAR10_DIR with a quote" nz "CIFAR10_DIR=" "quote" -- env "CIFAR10_DIR=$sb/it's" $MK -n train RUN="$sb/w$((n + 1))/r"

# -- case 4 and the class: a manifest must list every result file
d=$(copy_run "$R" m-empty); printf 'file\tbytes\tsha256\n' >"$d/manifest.tsv"
expect "verify a header-only manifest (case 4)" nz "$d/manifest.tsv lists no result files" -- $MK verify RUN="$d"
d=$(copy_run "$R" m-short); grep -v '^exp6_sweep.tsv' "$R/manifest.tsv" >"$d/manifest.tsv"
expect "verify a manifest missing a result file" nz "$d/manifest.tsv does not list exp6_sweep.tsv" -- $MK verify RUN="$d"
d=$(copy_run "$R" m-verdict); grep -v '^exp6_sweep_verdict.tsv' "$R/manifest.tsv" >"$d/manifest.tsv"
expect "verify a manifest missing a file of the folder" nz "$d/manifest.tsv does not list exp6_sweep_verdict.tsv" -- $MK verify RUN="$d"

# -- case 5 and the class: completion files removed first, written last
S=$W/S
newdir; S=$W/S
"$AGG" seeds -q --out "$S" "$R" "$R1" 2>"$log/err" || bad "bnagg seeds R r1" "$(cat "$log/err")"
r2=$(copy_run "$R1" r2); sed -i '$d' "$r2/exp7_batchsize.tsv"
W_READY=1; WRITES=partial; ABSENT="$S/runs.info.tsv"
expect "bnagg seeds leaves no stale completion file (case 5)" 1 "bnagg: " "rows" -- "$AGG" seeds -q --out "$S" "$R" "$r2"
newdir; C=$W/C
"$AGG" compare -q --out "$C" "$R" "$R1" 2>"$log/err" || bad "bnagg compare R r1" "$(cat "$log/err")"
r3=$(copy_run "$R1" r3); printf 'x\ty\n1\n' >"$r3/exp5_deepnet.tsv"
W_READY=1; WRITES=partial; ABSENT="$C/compare.info.tsv"
expect "bnagg compare leaves no stale completion file" 1 "$r3/exp5_deepnet.tsv" "fields" -- "$AGG" compare -q --out "$C" "$R" "$r3"

# -- case 6 and the class: out of memory is an error within seconds, never a spin
if grep -qa __asan_init "$B" || { ldd "$B" 2>/dev/null | grep -q libasan; }; then
  newdir; skipped "out of memory (case 6)" "an AddressSanitizer build cannot run under ulimit -v (its shadow memory)"
else
  # Haswell's kernels take OpenBLAS's 128 MB buffer at the first GEMM (SkylakeX's small ones do not)
  for core in "" Haswell; do
    newdir
    ( cd "$W" && ulimit -v 150000 && OPENBLAS_CORETYPE=$core exec timeout 60 "$B" -q --out r forward-train ) >"$log/out" 2>"$log/err"; rc=$?
    msg=$(cat "$log/err")
    case $rc:$msg in
      1:"bnlab: out of memory: OpenBLAS needs a 128 MB work buffer, but the address-space limit (ulimit -v 150000 kB) leaves"*" MB")
        [ -e "$W/r/exp1_forward_train.tsv" ] && bad "out of memory${core:+ on $core} (case 6)" "a result file was written" ||
          ok "out of memory${core:+ on $core} (case 6)" "$msg" ;;
      124:*) bad "out of memory${core:+ on $core} (case 6)" "still running after 60 s: $msg" ;;
      *) bad "out of memory${core:+ on $core} (case 6)" "status $rc: $(printf '%s' "$msg" | head -c 300 | tr '\n' '|')" ;;
    esac
  done
  newdir
  ( cd "$W" && ulimit -v 400000 && OPENBLAS_CORETYPE=Haswell exec timeout 120 "$B" -q -j 2 --data "$good" --out r --train-records 200 --val-records 50 --test-records 50 --num-train 200 --points 2 --epochs 1 --batch-size 10000 sweep ) >"$log/out" 2>"$log/err"; rc=$?
  # a net for batches of 10000 needs about 600 MB: refused before it is allocated, naming the limit
  if [ "$rc" -eq 124 ]; then bad "sweep under a 400 MB limit" "still running after 120 s"
  elif [ "$rc" -eq 1 ] && [ "$(grep -c . "$log/err")" -eq 1 ] && grep -q '^bnlab: out of memory allocating [0-9]* bytes at src/.*ulimit -v 400000 kB' "$log/err" &&
       [ ! -e "$W/r/exp6_sweep.tsv" ]; then ok "sweep under a 400 MB limit" "$(cat "$log/err")"
  else bad "sweep under a 400 MB limit" "status $rc: $(head -c 300 "$log/err" | tr '\n' '|')"; fi
fi

# -- case 7 and the class: counts bounded before they are expanded
expect "SEEDS=4294967295 (case 7)" nz "SEEDS='4294967295'" "from 1 to 10000" -- timeout 30 $MK -n report SEEDS=4294967295
expect "SEEDS=0" nz "SEEDS='0'" "from 1 to 10000" -- timeout 30 $MK -n report SEEDS=0

# -- case 8 and the class: readers refuse what is not a regular file, without blocking on it
d=$(copy_run "$R" fifo-ds); rm "$d/dataset.info.tsv"; mkfifo "$d/dataset.info.tsv"
newdir; W_READY=1; WRITES=partial; ABSENT="$W/page/index.html"
expect "bnreport data file is a FIFO (case 8)" 1 "$d/dataset.info.tsv: not a regular file" -- timeout 60 "$REP" --run "$d" --template "$tmp/t-ds.md" --style "$tmp/s.css" --out "$W/page/index.html"
mkfifo "$sb/t.fifo"
expect "bnreport template is a FIFO" 1 "$sb/t.fifo: not a regular file" -- timeout 60 "$REP" --run "$R" --template "$sb/t.fifo" --style "$tmp/s.css" --out "$sb/w$((n + 1))/index.html"
d=$(copy_run "$R1" fifo-res); mkfifo "$d/exp9_fifo.tsv"
expect "bnagg compare with a FIFO result" 1 "$d/exp9_fifo.tsv: not a regular file" -- timeout 60 "$AGG" compare --out "$sb/w$((n + 1))/C" "$R" "$d"
expect "bnagg seeds with a FIFO info file" 1 "not a regular file" -- timeout 60 sh -c 'rm "$1/config.info.tsv"; mkfifo "$1/config.info.tsv"; exec "$0" seeds --out "$2" "$3" "$1"' "$AGG" "$(copy_run "$R1" fifo-cfg)" "$sb/w$((n + 1))/S" "$R"
WRITES=partial
d=$(copy_run "$R1" fifo-man); rm "$d/exp5_deepnet_loss.tsv"; mkfifo "$d/exp5_deepnet_loss.tsv"
expect "manifest of a run with a FIFO" 1 "exp5_deepnet_loss.tsv: not a regular file" -- timeout 60 "$root/scripts/manifest.sh" "$d" exp5_deepnet.tsv exp5_deepnet_loss.tsv
d=$(copy_of "$good" c-fifo); rm "$d/data_batch_2.bin"; mkfifo "$d/data_batch_2.bin"
expect "CIFAR batch is a FIFO" 1 "$d/data_batch_2.bin" "not a regular file" -- timeout 60 "$B" $SPLITS --data "$d" sweep

# -- case 9: a quote in RUN
expect "RUN with a quote (case 9)" nz "RUN=" "is not a run folder" "quote" -- $MK checks "RUN=$sb/w$((n + 1))/bob's-run"
expect "RUN with a carriage return" nz "RUN=" "is not a run folder" -- $MK -n checks "RUN=$sb/w$((n + 1))/$(printf 'a\rb')"
expect "RUN with an escape character" nz "RUN=" "control character" -- $MK -n checks "RUN=$sb/w$((n + 1))/$(printf 'a\033b')"

# -- case 10 and the class: files whose size cannot be right are named as such
d=$(copy_of "$good" c-huge); rm "$d/data_batch_1.bin"
if truncate -s 307300000000 "$d/data_batch_1.bin" 2>/dev/null; then
  expect "CIFAR batch of 307 GB (case 10)" 1 "$d/data_batch_1.bin" "307300000000 bytes, too large for a CIFAR-10 batch" -- timeout 60 "$B" $SPLITS --data "$d" sweep
else newdir; skipped "CIFAR batch of 307 GB (case 10)" "no sparse files here"; fi
d=$(copy_run "$R" huge-tsv); truncate -s 2000000000 "$d/dataset.info.tsv"
newdir; W_READY=1; WRITES=partial; ABSENT="$W/page/index.html"
expect "bnreport data file of 2 GB" 1 "$d/dataset.info.tsv: 2000000000 bytes, too large" -- timeout 60 "$REP" --run "$d" --template "$tmp/t-ds.md" --style "$tmp/s.css" --out "$W/page/index.html"

# -- case 11 and the class: no value is cut short
d=$(copy_run "$R" long-value)
{ printf 'key\tvalue\nfolder\t'; head -c 10000000 /dev/zero | tr '\0' 'a'; printf '\n'; } >"$d/dataset.info.tsv"
newdir
printf '# T\n\nA {{dataset.info.tsv:value:key=folder}} B\n\nL {{list(dataset.info.tsv:value:key=folder)}} E\n\n{{table(dataset.info.tsv:value)}}\n' >"$W/t.md"; : >"$W/s.css"
( cd "$W" && "$REP" --run "$d" --template t.md --style s.css --out page/index.html ) >"$log/out" 2>"$log/err"; rc=$?
na=$(tr -cd a <"$W/page/index.html" 2>/dev/null | wc -c)
if [ "$rc" -ne 0 ]; then bad "a 10 MB value in a data file (case 11)" "status $rc: $(head -c 300 "$log/err")"
elif [ "$na" -ge 30000000 ]; then ok "a 10 MB value in a data file (case 11)" "shown whole in the value, list() and table() ($na characters a)"
else bad "a 10 MB value in a data file (case 11)" "cut short: $na characters a on the page, want 30000000"; fi
d=$(copy_run "$R1" long-flags); awk -F'\t' 'BEGIN { OFS = "\t" } $1 == "bnflags" { $2 = sprintf("%01200d", 0) } { print }' "$R1/config.info.tsv" >"$d/config.info.tsv"
newdir; W_READY=1; WRITES=partial; ABSENT="$W/S/runs.info.tsv"
expect "bnagg run info longer than it keeps" 1 "$d/config.info.tsv: the value of bnflags is longer than" -- "$AGG" seeds -q --out "$W/S" "$R" "$d"

d=$(copy_run "$R" long-key-a); e=$(copy_run "$R" long-key-b)
for x in "$d" "$e"; do awk -F'\t' 'BEGIN { OFS = "\t" } NR == 2 { $1 = sprintf("k%01100d", 0) } { print }' "$R/exp5_deepnet.tsv" >"$x/exp5_deepnet.tsv"; done
newdir; W_READY=1; WRITES=partial; ABSENT="$W/C/compare.info.tsv"
expect "bnagg compare row key longer than it keeps" 1 "exp5_deepnet.tsv row 1: its key cells are longer than" -- "$AGG" compare -q --out "$W/C" "$d" "$e"

# -- case 12: an option without its value
expect "bnagg --out without a value (case 12)" 2 "option --out needs a value" -- "$AGG" seeds "$R" "$R1" --out
expect "bnagg --out followed by an option" 2 "option --out needs a value" -- "$AGG" seeds --out -q "$R" "$R1"
expect "bnreport --out without a value" 2 "option --out needs a value" -- "$REP" --run "$R" --template t --style s --out

# -- case 13 and the class: control characters echoed escaped
for prog in bnlab bnagg bnreport; do
  case $prog in
    bnlab) set -- "$B" --seed "$(printf '5\r')" checks; want="'5\\r'" ;;
    bnagg) set -- "$AGG" seeds --out "$sb/x" "$(printf 'run\033[2Jx')"; want='run\x1b[2Jx' ;;
    bnreport) set -- "$REP" "$(printf '%s\r%s' --x y)"; want='--x\ry' ;;
  esac
  newdir
  ( cd "$W" && "$@" ) >"$log/out" 2>"$log/err"; rc=$?
  if [ "$rc" -eq 0 ]; then bad "$prog echoes control characters escaped (case 13)" "exit status 0"
  elif LC_ALL=C grep -q "$(printf '[\001-\011\013-\037]')" "$log/err"; then bad "$prog echoes control characters escaped (case 13)" "raw control character on stderr: $(od -c "$log/err" | head -2 | tr '\n' ' ')"
  elif ! grep -qF -- "$want" "$log/err"; then bad "$prog echoes control characters escaped (case 13)" "message lacks $want: $(cat "$log/err")"
  else ok "$prog echoes control characters escaped (case 13)" "$(cat "$log/err")"; fi
done

# -- installing dependencies: apt's errors shown, a held lock waited for, one update on an unknown package
# A stand-in apt-get (and dpkg-query and id) on PATH records its calls and plays the failure.
fake=$tmp/fakebin; mkdir -p "$fake"
cat >"$fake/apt-get" <<'FAKE'
#!/bin/sh
echo "$*" >>"$FAKE_LOG"
case "$*:$FAKE_MODE" in
  update*) exit 0 ;;
  *:lock) echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2; exit 100 ;;
  *:unknown) grep -q '^update' "$FAKE_LOG" && exit 0; echo "E: Unable to locate package $4" >&2; exit 100 ;;
esac
exit 1
FAKE
printf '#!/bin/sh\nexit 1\n' >"$fake/dpkg-query"
printf '#!/bin/sh\necho 0\n' >"$fake/id"
chmod +x "$fake/apt-get" "$fake/dpkg-query" "$fake/id"
for mode in unknown lock; do
  n=$((n + 1)); : >"$log/apt"
  FAKE_LOG=$log/apt FAKE_MODE=$mode PATH="$fake:$PATH" "$root/scripts/deps.sh" build >"$log/out" 2>"$log/err"; rc=$?
  calls=$(sed 's/ .*//' "$log/apt" | tr '\n' ' ')
  if [ $mode = unknown ]; then
    if [ "$rc" -eq 0 ] && [ "$calls" = "install update install " ] && grep -q 'DPkg::Lock::Timeout=' "$log/apt"
    then ok "deps.sh: unknown package, one update and a retry" "apt-get calls: $calls"
    else bad "deps.sh: unknown package, one update and a retry" "status $rc, apt-get calls: $calls; $(tail -c 300 "$log/err" | tr '\n' '|')"; fi
  else
    if [ "$rc" -ne 0 ] && grep -q 'Could not get lock /var/lib/dpkg/lock-frontend' "$log/err" && grep -q 'DPkg::Lock::Timeout=' "$log/apt"
    then ok "deps.sh: held dpkg lock waited for, apt's error shown" "$(grep 'Could not get lock' "$log/err")"
    else bad "deps.sh: held dpkg lock waited for, apt's error shown" "status $rc; stderr: $(tail -c 300 "$log/err" | tr '\n' '|'); calls: $(cat "$log/apt")"; fi
  fi
done
# the Fashion-MNIST fallback of scripts/dataset.sh, in a copy of the scripts with no CIFAR-10 anywhere
n=$((n + 1)); : >"$log/apt"
repo=$tmp/repo; mkdir -p "$repo/scripts"
cp "$root/scripts/dataset.sh" "$root/scripts/apt-install.sh" "$repo/scripts/"
printf '#!/bin/sh\necho "bnlab: download failed (offline)" >&2\nexit 1\n' >"$repo/scripts/fetch-cifar10.sh"; chmod +x "$repo/scripts/fetch-cifar10.sh"
# (its Fashion-MNIST folder is one the stand-in apt-get never fills, whatever this machine has)
env -u CIFAR10_DIR -u BNLAB_DATASET_ARGS BNLAB_FASHION_MNIST_DIR="$tmp/no-fashion-mnist" FAKE_LOG=$log/apt FAKE_MODE=lock \
  PATH="$fake:$PATH" "$repo/scripts/dataset.sh" >"$log/out" 2>"$log/err"; rc=$?
if [ "$rc" -ne 0 ] && grep -q 'Could not get lock' "$log/err" && grep -q 'DPkg::Lock::Timeout=' "$log/apt" && grep -q '^bnlab: no dataset' "$log/err"
then ok "dataset.sh fallback shows apt's errors" "$(grep 'Could not get lock' "$log/err")"
else bad "dataset.sh fallback shows apt's errors" "status $rc; stderr: $(tail -c 300 "$log/err" | tr '\n' '|')"; fi

echo "== numerical faults (diverging trainings are counted, nothing crashes)"
newdir
( cd "$W" && "$B" -j 1 --data "$good" --out r --train-records 200 --val-records 50 --test-records 50 --num-train 100 \
    --points 2 --epochs 2 --ws-min 10 --ws-max 100 --lr 10 --update-rule sgd sweep ) >"$log/out" 2>"$log/err"
rc=$?
nf=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /_nonfinite$/) c[i] = 1; next }
                 { for (i in c) s += $i } END { print s + 0 }' "$W/r/exp6_sweep.tsv" 2>/dev/null)
said=$(sed -n 's/^sweep: done.*; \([0-9]*\) non-finite losses recorded$/\1/p' "$log/err")
if [ "$rc" -ne 0 ]; then bad "diverging sweep" "exit status $rc: $(tail -2 "$log/err" | tr '\n' '|')"
elif [ "${nf:-0}" -gt 0 ] && [ "${said:-0}" = "$nf" ]; then ok "diverging sweep" "exit 0, $nf non-finite losses in exp6_sweep.tsv and on stderr"
else bad "diverging sweep" "non-finite count: table ${nf:-none}, stderr ${said:-none}"; fi

echo "== interrupted runs (no exp6_sweep.tsv and no temporary file; the next run completes)"
# Every interruption waits for an event, never for a fixed time: a progress message that says the
# training is under way, or the run's first bytes in a results file held open on a FIFO.
# The sweep on 2x2 images: seconds of training, then a loss table of about 1 MB.
KSWEEP="-v -j 1 --fashion-mnist $fm --train-records 1000 --val-records 100 --test-records 100 --num-train 1000 --batch-size 1 --points 2 --epochs 20"
# wait_for PID GLOB: poll until GLOB exists (0) or PID has ended (1).
wait_for() {
  while kill -0 "$1" 2>/dev/null; do
    for f in $2; do [ -e "$f" ] && return 0; done
    sleep 0.005
  done
  return 1
}
# wait_msg PID FILE PATTERN: poll until FILE has a line matching PATTERN (0) or PID has ended (1).
wait_msg() {
  while kill -0 "$1" 2>/dev/null; do
    grep -q "$3" "$2" 2>/dev/null && return 0
    sleep 0.005
  done
  grep -q "$3" "$2" 2>/dev/null
}
# A training's first epoch is done (its progress line, printed with -v): the sweep is surely training.
TRAINING='epoch 1/'
# interrupt NAME SIGNAL PHASE: start the sweep, send SIGNAL once training is under way
# (PHASE=train) or while it writes its first result file (PHASE=write), then check what was left.
# For PHASE=write, that file's temporary name (known from the pid) is made a FIFO beforehand and
# held open: the sweep's first bytes arrive there, it blocks once the pipe is full, and is
# signalled in the middle of writing, every time.
interrupt() {
  newdir; r=$W/r; mkdir -p "$r"
  : >"$log/err"   # emptied before the start: no earlier case's progress line can be taken as this one's
  "$B" $KSWEEP --out "$r" sweep 2>"$log/err" &
  pid=$!
  if [ "$3" = write ]; then
    fifo="$r/exp6_sweep_loss.tsv.tmp.$pid"
    mkfifo "$fifo"; exec 8<>"$fifo"
    timeout 300 head -c 1 <&8 >/dev/null; got=$?
  else
    wait_msg "$pid" "$log/err" "$TRAINING"; got=$?
  fi
  if [ "$got" -ne 0 ] || ! kill -0 "$pid" 2>/dev/null; then
    [ "$3" = write ] && exec 8<&-
    kill "$pid" 2>/dev/null; wait "$pid"; rc=$?; pid=""
    bad "$1" "the run ended (status $rc) before it could be interrupted: $(tail -c 300 "$log/err" | tr '\n' '|')"; return
  fi
  kill -"$2" "$pid"; wait "$pid" 2>/dev/null; rc=$?; krc=$rc; pid=""
  [ "$3" = write ] && exec 8<&-
  why=""
  case $2 in TERM) [ "$rc" -eq 143 ] || why="exit status $rc, want 143 (killed by SIGTERM)" ;;
             KILL) [ "$rc" -eq 137 ] || why="exit status $rc, want 137" ;; esac
  [ -z "$why" ] && [ -e "$r/exp6_sweep.tsv" ] && why="exp6_sweep.tsv exists after the kill"
  [ -z "$why" ] && [ -e "$r/exp6_sweep_loss.tsv" ] && why="exp6_sweep_loss.tsv exists after the kill"
  if [ -z "$why" ] && [ "$2" != KILL ]; then
    t=$(tmpfiles "$r")
    [ -z "$t" ] || why="temporary files left: $t"
  fi
  left=$(find "$r" -name '*.tmp.*' | wc -l)
  if [ -z "$why" ]; then
    # the next run completes the work (and removes what a SIGKILL left)
    "$B" -q $KSWEEP --out "$r" sweep 2>"$log/err"; rc=$?
    lines=$(wc -l <"$r/exp6_sweep.tsv" 2>/dev/null || echo 0)
    [ "$rc" -eq 0 ] && [ "$lines" -eq 3 ] || why="rerun: exit status $rc, exp6_sweep.tsv has $lines lines, want 3"
    t=$(tmpfiles "$r")
    [ -n "$why" ] || [ -z "$t" ] || why="rerun left temporary files: $t"
  fi
  [ -z "$why" ] && ok "$1" "status $krc; no exp6_sweep.tsv$( [ "$2" = KILL ] && echo ", $left stale temporary file(s) not taken as results and removed by the rerun"); rerun completed" || bad "$1" "$why"
}
interrupt "SIGTERM during training" TERM train
interrupt "SIGTERM while writing results" TERM write
interrupt "SIGKILL while writing results" KILL write

# workers PID: the pids of PID's worker processes, once they exist (empty if PID ended first).
workers_of() {
  while kill -0 "$1" 2>/dev/null; do
    w=$(ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' ' | tr '\n' ' ')
    [ -n "$w" ] && { echo "$w"; return; }
    sleep 0.005
  done
}
# gone PID...: wait until none of them runs (at most 20 s, a bound for a failure, not a delay).
gone() { i=0; while [ -n "$(alive "$@")" ] && [ $i -lt 4000 ]; do sleep 0.005; i=$((i + 1)); done; alive "$@"; }

# Parallel workers must stop with their parent, not train on as orphans.
newdir; r=$W/r; : >"$log/err"
"$B" -v -j 2 --fashion-mnist "$fm" --train-records 1000 --val-records 100 --test-records 100 --num-train 1000 \
  --batch-size 1 --points 4 --epochs 200 --out "$r" sweep 2>"$log/err" &
pid=$!
if wait_msg "$pid" "$log/err" "$TRAINING" && workers=$(workers_of "$pid") && [ -n "$workers" ]; then
  kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=""
  left=$(gone $workers)
  if [ -n "$left" ]; then bad "workers stop with their parent" "orphaned workers still running after 20 s:$left"; for w in $left; do kill "$w"; done
  else ok "workers stop with their parent" "workers $workers ended with the parent"; fi
else kill "$pid" 2>/dev/null; wait "$pid"; pid=""; bad "workers stop with their parent" "the run ended before it could be interrupted"; fi

# A worker killed from outside: the run fails, naming the worker and its signal.
newdir; r=$W/r; : >"$log/err"
"$B" -v -j 2 --fashion-mnist "$fm" --train-records 1000 --val-records 100 --test-records 100 --num-train 1000 \
  --batch-size 1 --points 4 --epochs 200 --out "$r" sweep 2>"$log/err" &
pid=$!
if wait_msg "$pid" "$log/err" "$TRAINING" && workers=$(workers_of "$pid") && [ -n "$workers" ]; then
  victim=${workers%% *}
  kill -KILL "$victim"; wait "$pid"; rc=$?; pid=""
  msg=$(grep '^bnlab: .*training worker' "$log/err")
  left=$(gone $workers)
  case $msg in
    *"worker $victim killed by signal 9 (SIGKILL)"*)
      if [ "$rc" -ne 1 ]; then bad "worker killed by a signal" "exit status $rc, want 1"
      elif [ -e "$r/exp6_sweep.tsv" ]; then bad "worker killed by a signal" "exp6_sweep.tsv written"
      elif [ -n "$left" ]; then bad "worker killed by a signal" "other workers still running:$left"
      else ok "worker killed by a signal" "$msg"; fi ;;
    *) bad "worker killed by a signal" "message does not name worker $victim and SIGKILL: $msg" ;;
  esac
else kill "$pid" 2>/dev/null; wait "$pid"; pid=""; bad "worker killed by a signal" "the run ended before a worker could be killed"; fi

# Through make, as a user would: the whole make process group is terminated mid-sweep, then
# the same make command is run again and must redo exactly the unfinished experiment.
newdir; r=$W/r
MBN="-v --train-records 200 --val-records 50 --test-records 50 --num-train 200 --batch-size 1 --points 2 --epochs 10"
: >"$log/err"
CIFAR10_DIR=$good setsid $MK "$r/exp6_sweep.tsv" RUN="$r" JOBS=1 "BNFLAGS=$MBN" >"$log/out" 2>"$log/err" &
pid=$!
if wait_msg "$pid" "$log/err" "$TRAINING"; then
  # the whole group (dash's kill needs "-s TERM" before "--"): make, its shell, bnlab
  kill -s TERM -- "-$pid"; wait "$pid" 2>/dev/null; rc=$?
  why=""
  i=0; while kill -s 0 -- "-$pid" 2>/dev/null && [ $i -lt 4000 ]; do sleep 0.005; i=$((i + 1)); done
  ! kill -s 0 -- "-$pid" 2>/dev/null || { why="a process of the killed make still runs after 20 s"; kill -s KILL -- "-$pid"; }
  pid=""
  [ -n "$why" ] || [ "$rc" -ne 0 ] || why="make exited 0 after SIGTERM"
  [ -z "$why" ] && [ -e "$r/exp6_sweep.tsv" ] && why="exp6_sweep.tsv exists after the kill"
  t=$(tmpfiles "$r")
  [ -z "$why" ] && [ -n "$t" ] && why="temporary files left: $t"
  if [ -z "$why" ]; then
    CIFAR10_DIR=$good $MK "$r/exp6_sweep.tsv" RUN="$r" JOBS=1 "BNFLAGS=$MBN" QUIET=1 >"$log/out" 2>"$log/err"; rc=$?
    lines=$(wc -l <"$r/exp6_sweep.tsv" 2>/dev/null || echo 0)
    [ "$rc" -eq 0 ] && [ "$lines" -eq 3 ] || why="make rerun: exit status $rc, exp6_sweep.tsv has $lines lines: $(head -c 300 "$log/err")"
  fi
  if [ -z "$why" ]; then
    # a third make must take the rerun's result as done and leave it alone
    t0=$(stat -c %y "$r/exp6_sweep.tsv")
    CIFAR10_DIR=$good $MK "$r/exp6_sweep.tsv" RUN="$r" JOBS=1 "BNFLAGS=$MBN" QUIET=1 >"$log/out" 2>"$log/err"; rc=$?
    [ "$rc" -eq 0 ] && [ "$(stat -c %y "$r/exp6_sweep.tsv")" = "$t0" ] ||
      why="make after the rerun: status $rc, exp6_sweep.tsv remade: $(head -c 300 "$log/err" | tr '\n' '|')"
  fi
  [ -z "$why" ] && ok "make killed during the sweep, then rerun" "make status after kill non-zero; no exp6_sweep.tsv; rerun completed and is up to date" || bad "make killed during the sweep, then rerun" "$why"
else wait "$pid"; pid=""; bad "make killed during the sweep, then rerun" "the run ended before it could be interrupted: $(head -c 300 "$log/err")"; fi

# A reader of stderr that goes away (`make train 2>&1 | head`) ends the run cleanly.
newdir; r=$W/r
( "$B" -j 1 --fashion-mnist "$fm" --train-records 1000 --val-records 100 --test-records 100 --num-train 1000 \
    --batch-size 1 --points 2 --epochs 50 --out "$r" sweep 2>&1; echo "$?" >"$log/rc" ) | head -n 1 >/dev/null
rc=$(cat "$log/rc")
t=$(tmpfiles "$W")
if [ "$rc" -ne 141 ]; then bad "stderr reader gone (SIGPIPE)" "exit status $rc, want 141 (SIGPIPE)"
elif [ -n "$t" ]; then bad "stderr reader gone (SIGPIPE)" "temporary files left: $t"
elif [ -e "$r/exp6_sweep.tsv" ]; then bad "stderr reader gone (SIGPIPE)" "exp6_sweep.tsv written"
else ok "stderr reader gone (SIGPIPE)" "status 141, no temporary or result file"; fi

[ "$skip" -eq 0 ] || echo "($skip case(s) skipped: see 'skip' lines above)"
echo "bad-input: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
