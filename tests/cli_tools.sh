#!/bin/sh
# tests/cli_tools.sh - the report tools' command lines (getopt_long): bnagg and bnreport accept
# --opt=value, unambiguous prefixes, -q, -- and print --help and --version on stdout; a missing
# or empty value, an unknown option and a stray argument are one-line errors with status 2 that
# write nothing; bnreport refuses a data file that is a FIFO instead of blocking on it.
# usage: tests/cli_tools.sh        (run from the repository; needs build/bnagg and build/bnreport)
set -u
cd "$(dirname "$0")/.."
AGG=${BNAGG:-build/bnagg} REP=${BNREPORT:-build/bnreport}
. tests/test-lib.sh
test_begin cli-tools tmp

# expect NAME STATUS NEEDLE -- COMMAND...: the status, one stderr line holding NEEDLE, empty stdout
# and no new file under $tmp/out
expect() {
  name=$1 want=$2 needle=$3; shift 4
  before=$(find "$tmp/out" 2>/dev/null | sort)
  "$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
  rc=$?
  after=$(find "$tmp/out" 2>/dev/null | sort)
  if [ "$rc" -ne "$want" ]; then bad "$name" "exit status $rc, want $want: $(head -c 200 "$tmp/stderr")"
  elif [ "$(wc -l < "$tmp/stderr")" -ne 1 ] || ! grep -qF -- "$needle" "$tmp/stderr"; then
    bad "$name" "stderr is not one line with '$needle': $(head -c 300 "$tmp/stderr" | tr '\n' '|')"
  elif [ -s "$tmp/stdout" ]; then bad "$name" "stdout not empty"
  elif [ "$before" != "$after" ]; then bad "$name" "wrote files"
  else ok "$name"; fi
}
# succeeds NAME STDOUT_NEEDLE -- COMMAND...: status 0, nothing on stderr, stdout holds the needle
succeeds() {
  name=$1 needle=$2; shift 3
  "$@" >"$tmp/stdout" 2>"$tmp/stderr" </dev/null
  rc=$?
  if [ "$rc" -ne 0 ]; then bad "$name" "exit status $rc: $(head -c 300 "$tmp/stderr")"
  elif [ -s "$tmp/stderr" ]; then bad "$name" "stderr not empty: $(head -c 300 "$tmp/stderr")"
  elif [ -n "$needle" ] && ! grep -qF -- "$needle" "$tmp/stdout"; then bad "$name" "stdout lacks '$needle'"
  else ok "$name"; fi
}

# two tiny runs of one configuration, seeds 1 and 2, with experiment 7's summary only
for s in 1 2; do
  r=$tmp/r$s
  mkdir -p "$r"
  printf 'key\tvalue\nseed\t%s\nbnflags\t\n' "$s" > "$r/config.info.tsv"
  printf 'norm\tbatch_size\tbest_train\tbest_val\tfinal_loss\tnonfinite\n' > "$r/exp7_batchsize.tsv"
  printf 'batchnorm\t5\t0.5\t0.3%s\t1.5\t0\nnone\t5\t0.4\t0.2\t1.8\t0\n' "$s" >> "$r/exp7_batchsize.tsv"
done
mkdir -p "$tmp/out"

echo "== bnagg"
expect "seeds: --out at the end without a value" 2 "option --out needs a value" -- "$AGG" seeds "$tmp/r1" "$tmp/r2" --out
expect "seeds: --out= empty" 2 "option --out needs a value" -- "$AGG" seeds --out= "$tmp/r1" "$tmp/r2"
expect "seeds: unknown option" 2 "unknown option --bogus" -- "$AGG" seeds --bogus --out "$tmp/out/x" "$tmp/r1"
expect "seeds: unknown letter in a cluster" 2 "unknown option -x" -- "$AGG" seeds -qx --out "$tmp/out/x" "$tmp/r1"
expect "seeds: a value for --quiet" 2 "option --quiet takes no value" -- "$AGG" seeds --quiet=1 --out "$tmp/out/x" "$tmp/r1"
expect "compare: one run" 2 "compare needs exactly two run folders, got 1" -- "$AGG" compare --out "$tmp/out/x" "$tmp/r1"
expect "no tool" 2 "usage: bnagg" -- "$AGG" frobnicate
expect "seeds: a run folder that does not exist" 1 "run folder $tmp/nope: no such folder" -- "$AGG" seeds --out "$tmp/out/x" "$tmp/nope"
succeeds "--help" "usage: bnagg seeds" -- "$AGG" --help
succeeds "seeds --help" "usage: bnagg seeds" -- "$AGG" seeds -h
succeeds "--version" "bnagg (bnlab) " -- "$AGG" --version
grep -q "commit [0-9a-f]\{7,\}\|commit unknown" "$tmp/stdout" && ok "--version names the commit" || bad "--version names the commit" "$(cat "$tmp/stdout")"
succeeds "seeds: a prefix with =, -q, options after the runs" "" -- "$AGG" seeds "$tmp/r1" -q "$tmp/r2" --ou="$tmp/out/s1"
[ -s "$tmp/out/s1/runs.info.tsv" ] && ok "seeds: wrote its completion file" || bad "seeds: wrote its completion file" "no runs.info.tsv"
succeeds "seeds: -o and -- before the runs" "" -- "$AGG" seeds -q -o "$tmp/out/s2" -- "$tmp/r1" "$tmp/r2"
cmp -s "$tmp/out/s1/exp7_gap_seeds.tsv" "$tmp/out/s2/exp7_gap_seeds.tsv" && ok "seeds: same result however spelled" ||
  bad "seeds: same result however spelled" "exp7_gap_seeds.tsv differs"
"$AGG" seeds --out "$tmp/out/s3" "$tmp/r1" "$tmp/r2" 2>"$tmp/stderr" >/dev/null
grep -q "2 runs aggregated" "$tmp/stderr" && ok "seeds: progress without -q" || bad "seeds: progress without -q" "no progress line"
# claims: the findings of each run's page (RUN/report/claims.tsv), over the runs. Both pages say
# "higher" (+0.10 and +0.12), but the 95% interval of the mean over two seeds (t on 1 degree of
# freedom: 0.11 -/+ 12.71 x 0.01) contains zero: over the seeds "within" (with and without Holm's
# correction), higher on average, which holds in both seeds (both differences are positive).
expect "claims: no run folder" 2 "claims needs at least one run folder" -- "$AGG" claims --out "$tmp/out/x"
succeeds "claims: runs without pages" "" -- "$AGG" claims -q --out "$tmp/out/c0" "$tmp/r1" "$tmp/r2"
[ "$(wc -l < "$tmp/out/c0/claims_seeds.tsv")" -eq 1 ] && [ "$(wc -l < "$tmp/out/c0/ledger_seeds.tsv")" -eq 1 ] &&
  ok "claims: runs without pages give headers only" || bad "claims: runs without pages give headers only" "rows written"
for s in 1 2; do
  mkdir -p "$tmp/r$s/report"
  printf 'claim\tnorm\tweight_scale\tmetric\tat_a\tat_b\ta\tb\tdiff\tthreshold\tverdict\n' > "$tmp/r$s/report/claims.tsv"
  printf 'largest_minus_smallest_batch\tbatchnorm\t\tbest_val\t5\t50\t0.5\t0.%s\t0.%s\t0.05\thigher\n' "$((58 + 2 * s))" "$((8 + 2 * s))" >> "$tmp/r$s/report/claims.tsv"
done
succeeds "claims: two pages" "" -- "$AGG" claims -q --out "$tmp/out/c1" "$tmp/r1" "$tmp/r2"
awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { if ($c["verdict"] == "within" && $c["verdict_holm"] == "within" && $c["side"] == "higher" && $c["holds"] == 2 && $c["pages_higher"] == 2 && $c["seeds"] == 2 && $c["diff_mean"] + 0 > 0.1099 && $c["diff_mean"] + 0 < 0.1101) good++ }
  END { exit !(NR == 2 && good == 1) }' "$tmp/out/c1/claims_seeds.tsv" &&
  ok "claims: the statement over the seeds and the seeds it holds in" || bad "claims: the statement over the seeds and the seeds it holds in" "$(cat "$tmp/out/c1/claims_seeds.tsv")"
printf 'largest_minus_smallest_batch\tlayernorm\t\tbest_val\t5\t50\t0.5\t0.6\t0.1\t0.05\thigher\n' >> "$tmp/r2/report/claims.tsv"
expect "claims: pages of two configurations" 1 "not of one configuration" -- "$AGG" claims -q --out "$tmp/out/c2" "$tmp/r1" "$tmp/r2"
rm -r "$tmp/r1/report" "$tmp/r2/report"

echo "== bnreport"
d=$tmp/run
mkdir -p "$d"
printf 'a\tb\n5\tx\n' > "$d/x.tsv"
printf '# T\n\nValue {{x.tsv:a:#0}}.\n' > "$tmp/t.md"
: > "$tmp/s.css"
expect "missing value" 2 "option --run needs a value" -- "$REP" --template "$tmp/t.md" --run
expect "empty value" 2 "option --out needs a value" -- "$REP" --run "$d" --template "$tmp/t.md" --style "$tmp/s.css" --out=
expect "unknown option" 2 "unknown argument '--bogus'" -- "$REP" --bogus
expect "stray argument after --" 2 "unknown argument 'extra'" -- "$REP" --run "$d" -- extra
expect "options missing" 2 "--run, --template, --style and --out are all required" -- "$REP" --run "$d"
succeeds "--help" "usage: bnreport" -- "$REP" --help
succeeds "--version" "bnreport (bnlab) " -- "$REP" --version
succeeds "prefixes, = and -q" "" -- "$REP" -q --ru="$d" --te "$tmp/t.md" --st="$tmp/s.css" --o "$tmp/out/page.html"
grep -q ">5<" "$tmp/out/page.html" && ok "prefixes: the page holds the value" || bad "prefixes: the page holds the value" "no 5 on the page"
rm "$d/x.tsv"
mkfifo "$d/x.tsv"
if command -v timeout >/dev/null; then
  expect "data file is a FIFO" 1 "not a regular file" -- timeout 10 "$REP" -q --run "$d" --template "$tmp/t.md" --style "$tmp/s.css" --out "$tmp/out/page2.html"
fi

cases_end
