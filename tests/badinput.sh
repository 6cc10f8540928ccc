#!/bin/sh
# tests/badinput.sh - the robustness suite of issue 6: every bad option and make variable, dataset
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
  errline='^bnlab: \|^[^ ]*Makefile:[0-9]*: \*\*\* '
  msg=$(grep "$errline" "$log/err" | head -1)
  why=""
  if [ "$want" = nz ]; then [ "$rc" -ne 0 ] || why="exit status 0, want non-zero"
  elif [ "$rc" -ne "$want" ]; then why="exit status $rc, want $want"; fi
  nb=$(grep -c "$errline" "$log/err")
  other=$(grep -v "$errline" "$log/err" | grep -cv '^make\(\[[0-9]*\]\)\{0,1\}: \*\*\* ')
  [ -n "$why" ] || [ "$nb" -eq 1 ] || why="$nb error lines on stderr, want 1: $(head -c 300 "$log/err" | tr '\n' '|')"
  [ -n "$why" ] || [ "$other" -eq 0 ] || why="stderr has other lines: $(head -c 300 "$log/err" | tr '\n' '|')"
  [ -n "$why" ] || [ ! -s "$log/out" ] || why="stdout not empty: $(head -c 200 "$log/out" | tr '\n' '|')"
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
# The sweep on 2x2 images: seconds of training, then a loss table that takes ~0.1 s to write.
KSWEEP="-q -j 1 --fashion-mnist $fm --train-records 1000 --val-records 100 --test-records 100 --num-train 1000 --batch-size 1 --points 2 --epochs 20"
# wait_for PID GLOB: poll until GLOB exists (0) or PID has ended (1).
wait_for() {
  while kill -0 "$1" 2>/dev/null; do
    for f in $2; do [ -e "$f" ] && return 0; done
    sleep 0.005
  done
  return 1
}
# interrupt NAME SIGNAL PHASE: start the sweep, send SIGNAL once training started (PHASE=train)
# or once a temporary result file exists (PHASE=write), then check what was left.
interrupt() {
  newdir; r=$W/r
  "$B" $KSWEEP --out "$r" sweep 2>"$log/err" &
  pid=$!
  # dataset.info.tsv passes through a temporary file too: wait for the sweep's own
  if [ "$3" = write ]; then glob="$r/exp6_*.tmp.*"; else glob="$r/dataset.info.tsv"; fi
  if ! wait_for "$pid" "$glob"; then
    wait "$pid"; rc=$?; pid=""; bad "$1" "the run ended (status $rc) before it could be interrupted"; return
  fi
  [ "$3" = train ] && sleep 0.2
  kill -"$2" "$pid"; wait "$pid" 2>/dev/null; rc=$?; krc=$rc; pid=""
  why=""
  case $2 in TERM) [ "$rc" -eq 143 ] || why="exit status $rc, want 143 (killed by SIGTERM)" ;;
             KILL) [ "$rc" -eq 137 ] || why="exit status $rc, want 137" ;; esac
  [ -z "$why" ] && [ -e "$r/exp6_sweep.tsv" ] && why="exp6_sweep.tsv exists after the kill"
  if [ -z "$why" ] && [ "$2" != KILL ]; then
    t=$(tmpfiles "$r")
    [ -z "$t" ] || why="temporary files left: $t"
  fi
  if [ -z "$why" ]; then
    # the next run completes the work
    "$B" $KSWEEP --out "$r" sweep 2>"$log/err"; rc=$?
    lines=$(wc -l <"$r/exp6_sweep.tsv" 2>/dev/null || echo 0)
    [ "$rc" -eq 0 ] && [ "$lines" -eq 3 ] || why="rerun: exit status $rc, exp6_sweep.tsv has $lines lines, want 3"
  fi
  left=$(find "$r" -name '*.tmp.*' | wc -l)
  [ -z "$why" ] && ok "$1" "status $krc; no exp6_sweep.tsv$( [ "$2" = KILL ] && echo ", $left stale temporary file(s) not taken as results"); rerun completed" || bad "$1" "$why"
}
interrupt "SIGTERM during training" TERM train
interrupt "SIGTERM while writing results" TERM write
interrupt "SIGKILL while writing results" KILL write

# Parallel workers must stop with their parent, not train on as orphans.
newdir; r=$W/r
"$B" -q -j 2 --fashion-mnist "$fm" --train-records 1000 --val-records 100 --test-records 100 --num-train 1000 \
  --batch-size 1 --points 4 --epochs 200 --out "$r" sweep 2>"$log/err" &
pid=$!
workers=""
if wait_for "$pid" "$r/dataset.info.tsv"; then
  i=0
  while [ -z "$workers" ] && [ $i -lt 1000 ] && kill -0 "$pid" 2>/dev/null; do
    workers=$(ps -o pid= --ppid "$pid" 2>/dev/null | tr -d ' ' | tr '\n' ' '); i=$((i + 1)); sleep 0.01
  done
  sleep 0.2
  kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=""
  i=0; left=$(alive $workers)
  while [ -n "$left" ] && [ $i -lt 100 ]; do sleep 0.01; i=$((i + 1)); left=$(alive $workers); done
  if [ -z "$workers" ]; then bad "workers stop with their parent" "no worker processes seen"
  elif [ -n "$left" ]; then bad "workers stop with their parent" "orphaned workers still running after 1 s:$left"; for w in $left; do kill "$w"; done
  else ok "workers stop with their parent" "workers $workers ended with the parent"; fi
else wait "$pid"; pid=""; bad "workers stop with their parent" "the run ended before it could be interrupted"; fi

# Through make, as a user would: the whole make process group is terminated mid-sweep, then
# the same make command is run again and must redo exactly the unfinished experiment.
newdir; r=$W/r
MBN="-q --train-records 200 --val-records 50 --test-records 50 --num-train 200 --batch-size 1 --points 2 --epochs 10"
CIFAR10_DIR=$good setsid $MK "$r/exp6_sweep.tsv" RUN="$r" JOBS=1 "BNFLAGS=$MBN" >"$log/out" 2>"$log/err" &
pid=$!
if wait_for "$pid" "$r/dataset.info.tsv"; then
  sleep 0.2
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"; wait "$pid" 2>/dev/null; rc=$?; pid=""
  why=""
  [ "$rc" -ne 0 ] || why="make exited 0 after SIGTERM"
  [ -z "$why" ] && [ -e "$r/exp6_sweep.tsv" ] && why="exp6_sweep.tsv exists after the kill"
  t=$(tmpfiles "$r")
  [ -z "$why" ] && [ -n "$t" ] && why="temporary files left: $t"
  if [ -z "$why" ]; then
    CIFAR10_DIR=$good $MK "$r/exp6_sweep.tsv" RUN="$r" JOBS=1 "BNFLAGS=$MBN" >"$log/out" 2>"$log/err"; rc=$?
    lines=$(wc -l <"$r/exp6_sweep.tsv" 2>/dev/null || echo 0)
    [ "$rc" -eq 0 ] && [ "$lines" -eq 3 ] || why="make rerun: exit status $rc, exp6_sweep.tsv has $lines lines: $(head -c 300 "$log/err")"
  fi
  if [ -z "$why" ]; then
    # a third make must take the rerun's result as done and leave it alone
    t0=$(stat -c %y "$r/exp6_sweep.tsv")
    CIFAR10_DIR=$good $MK "$r/exp6_sweep.tsv" RUN="$r" JOBS=1 "BNFLAGS=$MBN" >"$log/out" 2>"$log/err"; rc=$?
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
