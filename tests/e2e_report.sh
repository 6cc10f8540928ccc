#!/bin/sh
# tests/e2e_report.sh - end-to-end test of `make report`, on a reduced configuration (2 epochs,
# 4 sweep points, 1,200 training and validation records) in temporary run folders:
#   1. a complete report renders; no placeholder is left; every figure it shows is a non-empty
#      SVG beside it; every number on the page equals the value recomputed here, by an
#      independent awk reading of the data files (each value's span names its query);
#   2. a second `make report` does nothing; editing one gnuplot script redraws that figure only
#      (and the page); `make figures` redraws from the data without running an experiment,
#      even when the program is newer than the data;
#   3. a second run with the same seed gives byte-identical data files, figures and page,
#      apart from the timings (*.timing.tsv and the values read from them);
#   4. non-finite values in the data leave gaps in the figures, and the page still renders;
#   5. bad input (a placeholder that finds no value, a malformed data file, a missing figure or
#      missing data) stops with a one-line error naming it, and no page is written.
# Dataset: $CIFAR10_DIR, else ../shared/data/cifar-10-batches-bin beside the repository, else
# (or with E2E_SYNTHETIC=1) a small random CIFAR-10-format folder made here.
set -eu
cd "$(dirname "$0")/.."
start=$(date +%s)
MAKE=${MAKE:-make}
# The caller's make variables (e.g. `make test RUN=...`) must not leak into the runs below.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES || true
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "e2e-report: FAIL: $*" >&2; exit 1; }
say() { echo "e2e-report: $*"; }

# --- dataset ---
if [ "${E2E_SYNTHETIC:-0}" = 1 ]; then
  data=""
elif [ -n "${CIFAR10_DIR:-}" ]; then
  data=$CIFAR10_DIR
elif [ -f ../shared/data/cifar-10-batches-bin/data_batch_1.bin ]; then
  data=$(cd ../shared/data/cifar-10-batches-bin && pwd)
else
  data=""
fi
if [ -z "$data" ]; then
  # CIFAR-10 records are a label byte and 3072 pixel bytes; mapping every byte to 0-9 keeps the
  # labels valid (the pixels are noise either way).
  data=$tmp/cifar
  mkdir -p "$data"
  map=$(awk 'BEGIN { for (i = 0; i < 256; i++) printf "\\%03o", i % 10 }')
  head -c $((1300 * 3073)) /dev/urandom | tr '\000-\377' "$map" > "$data/data_batch_1.bin"
  head -c $((100 * 3073)) /dev/urandom | tr '\000-\377' "$map" > "$data/test_batch.bin"
  say "dataset: a generated random CIFAR-10-format folder"
else
  say "dataset: $data"
fi

flags="--epochs 2 --points 4 --train-records 1000 --val-records 200 --test-records 100 --speed-reps 5"
src=$tmp/src
mkdir -p "$src"
cp report/report.md report/style.css report/*.gp "$src/"
# mk RUN_FOLDER TARGET...: make on the reduced configuration, with the copied report sources
mk() {
  r=$1; shift
  $MAKE --no-print-directory RUN="$r" SEED=3 JOBS=2 QUIET=1 BNFLAGS="$flags" CIFAR10_DIR="$data" \
    REPORT_SRC="$src" "$@"
}
# stamp DIR: every file's modification time and size, to tell what a command rewrote
stamp() { find "$1" -type f -printf '%P %T@ %s\n' | sort; }

$MAKE --no-print-directory build/bnlab build/bnreport >/dev/null

# --- the oracle: every annotated value on the page, recomputed from the data files ---
cat > "$tmp/oracle.awk" <<'AWK'
# usage: awk -v run=RUN_FOLDER -f oracle.awk index.html; prints the number of values checked.
function die(msg) { printf "e2e-report: FAIL: %s\n", msg > "/dev/stderr"; failed = 1; exit 1 }
function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
function unent(s) {
  gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
  gsub(/&#124;/, "|", s); gsub(/&#92;/, "\\", s); gsub(/&amp;/, "\\&", s); return s
}
function isnum(s) { return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
function nonfin(s) { return s == "nan" || s == "-nan" || s == "inf" || s == "-inf" }
function absd(x) { return x < 0 ? -x : x }
function load(f,    path, line, nf, a, i, r) {
  if (f in nrows) return
  path = run "/" f; r = -1
  while ((getline line < path) > 0) {
    nf = split(line, a, "\t")
    if (r < 0) { for (i = 1; i <= nf; i++) col[f, a[i]] = i }
    else for (i = 1; i <= nf; i++) cell[f, r, i] = a[i]
    r++
  }
  close(path)
  if (r < 0) die("cannot read " path)
  nrows[f] = r
}
function cmp(a, op, b,    x, y) {
  if ((isnum(a) || nonfin(a)) && isnum(b)) {
    if (a == "nan" || a == "-nan") return op == "!="
    x = (a == "inf") ? 1e308 * 10 : (a == "-inf") ? -1e308 * 10 : a + 0; y = b + 0
    if (op == "=") return x == y; if (op == "!=") return x != y
    if (op == "<") return x < y; if (op == "<=") return x <= y
    if (op == ">") return x > y; return x >= y
  }
  if (op == "=") return (a "") == (b ""); if (op == "!=") return (a "") != (b "")
  die("cannot compare '" a "' " op " '" b "'")
}
function select(f, sel,    n, r, k, nc, conds, c, op, l, rt, ok, rv) {
  n = 0
  if (sel == "") { for (r = 0; r < nrows[f]; r++) S[++n] = r; return n }
  if (substr(sel, 1, 1) == "#") { r = substr(sel, 2) + 0; if (r < 0) r += nrows[f]; S[1] = r; return 1 }
  nc = split(sel, conds, ",")
  for (r = 0; r < nrows[f]; r++) {
    ok = 1
    for (k = 1; k <= nc && ok; k++) {
      c = conds[k]
      if (!match(c, /<=|>=|!=|=|<|>/)) die("bad selector " c)
      op = substr(c, RSTART, RLENGTH); l = trim(substr(c, 1, RSTART - 1)); rt = trim(substr(c, RSTART + RLENGTH))
      if (!((f, l) in col)) die("no column " l " in " f)
      if (isnum(rt)) rv = rt; else if ((f, rt) in col) rv = cell[f, r, col[f, rt]]; else rv = rt
      ok = cmp(cell[f, r, col[f, l]], op, rv)
    }
    if (ok) S[++n] = r
  }
  return n
}
function settext(s) { K = "text"; T = s; if (isnum(s)) V = s + 0 }
# term(t): sets K (num, text or list) and V, T or L[1..LN]
function term(t,    fn, inner, F, nf, i, f, c, n, x, best, at, sum, cnt, nfin, mean, ss) {
  t = trim(t)
  if (match(t, /^[a-z]+\(/)) { fn = substr(t, 1, RLENGTH - 1); inner = substr(t, RLENGTH + 1); inner = substr(inner, 1, length(inner) - 1) }
  else { fn = ""; inner = t }
  nf = split(inner, F, ":")
  for (i = 1; i <= nf; i++) F[i] = trim(F[i])
  f = F[1]; load(f)
  if (!(fn == "count" && F[2] == "*") && !((f, F[2]) in col)) die("no column " F[2] " in " f)
  c = col[f, F[2]]
  n = select(f, nf >= 3 ? F[3] : "")
  if (fn == "") { if (n != 1) die(t " selects " n " rows"); settext(cell[f, S[1], c]); return }
  if (fn == "count") { K = "num"; V = n; return }
  if (fn == "list") { K = "list"; LN = n; for (i = 1; i <= n; i++) L[i] = cell[f, S[i], c]; return }
  nfin = 0; cnt = 0; sum = 0; at = -1
  for (i = 1; i <= n; i++) {
    x = cell[f, S[i], c]
    if (nonfin(x)) { cnt++; continue }
    if (!isnum(x)) die(t ": '" x "' is not a number")
    x += 0
    if (at < 0 || ((fn == "max" || fn == "argmax") ? x > best : x < best)) { best = x; at = S[i] }
    sum += x; nfin++
  }
  if (fn == "nonfinite") { K = "num"; V = cnt; return }
  if (nfin == 0) die(t ": no finite values")
  K = "num"
  if (fn == "min" || fn == "max") V = best
  else if (fn == "sum") V = sum
  else if (fn == "mean") V = sum / nfin
  else if (fn == "std") {
    mean = sum / nfin; ss = 0
    for (i = 1; i <= n; i++) { x = cell[f, S[i], c]; if (!nonfin(x)) ss += (x - mean) ^ 2 }
    V = sqrt(ss / nfin)
  } else if (fn == "argmax" || fn == "argmin") {
    if (!((f, F[4]) in col)) die("no column " F[4] " in " f)
    settext(cell[f, at, col[f, F[4]]])
  } else die("unknown function " fn)
}
function topop(q,    i, d, ch) {
  d = 0
  for (i = 1; i <= length(q); i++) {
    ch = substr(q, i, 1)
    if (ch == "(") d++; else if (ch == ")") d--
    else if (d == 0 && ch == " " && (substr(q, i + 1, 2) == "- " || substr(q, i + 1, 2) == "/ ")) return i
  }
  return 0
}
function numeric(what) { if (K == "num" || (K == "text" && isnum(T))) return V; die(what " is not a number") }
function query(q,    p, op, a, b) {
  p = topop(q)
  if (p == 0) { term(q); return }
  op = substr(q, p + 1, 1)
  term(substr(q, 1, p - 1)); a = numeric(q)
  term(substr(q, p + 3)); b = numeric(q)
  if (op == "/" && b == 0) die(q ": division by zero")
  K = "num"; V = (op == "-") ? a - b : a / b
}
# the number inside a shown text, and one unit of its last printed digit
function num(s) { if (match(s, /[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?/)) return substr(s, RSTART, RLENGTH) + 0; return "x" }
function ulp(s,    m, d, e, p) {
  if (!match(s, /[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?/)) return 0
  m = substr(s, RSTART, RLENGTH); e = 0
  if ((p = index(tolower(m), "e")) > 0) { e = substr(m, p + 1) + 0; m = substr(m, 1, p - 1) }
  d = (p = index(m, ".")) > 0 ? length(m) - p : 0
  return 10 ^ (e - d)
}
function bad(q, shown, want) { die("value of " q " is shown as '" shown "', the data give '" want "'") }
function one(q, fmt, shown,    w, want, u) {
  if (fmt == "" || fmt == "%s") {
    if (K == "text") { if (shown != T) bad(q, shown, T); return }
    if (num(shown) == "x" || absd(num(shown) - V) > 1e-12 * absd(V) + 1e-300) bad(q, shown, V)
    return
  }
  if (K == "text") {
    if (nonfin(T)) { want = (T == "-nan") ? "nan" : T; if (shown != want) bad(q, shown, want); return }
    if (!isnum(T)) die(q ": '" T "' is not a number")
    V = T + 0
  }
  if (substr(fmt, 1, 5) == "sign:") {
    split(substr(fmt, 6), w, ":")
    want = trim(V < 0 ? w[1] : V == 0 ? w[2] : w[3])
    if (shown != want) bad(q, shown, want)
    return
  }
  want = sprintf(fmt, V)
  if (shown == want) return
  # Where this program sums in another order than the renderer, a value within rounding of a
  # half-way point may round the other way: the shown text must still be within half a unit
  # of its last digit of the value computed here.
  u = ulp(shown)
  if (u > 0 && num(shown) != "x" && absd(num(shown) - V) <= 0.5 * u + 1e-12 * absd(V)) return
  bad(q, shown, want)
}
function check(q, fmt, shown,    i, n, parts) {
  query(q)
  if (K != "list") { one(q, fmt, shown); return }
  if (LN == 0) { if (shown != "none") bad(q, shown, "none"); return }
  n = split(shown, parts, ", ")
  if (n != LN) die(q ": " n " values shown, " LN " in the data")
  for (i = 1; i <= n; i++) { settext(L[i]); one(q, fmt, parts[i]) }
}
{
  line = $0
  while (match(line, /<span class="v" title="[^"]*"( data-f="[^"]*")?>[^<]*<\/span>/)) {
    s = substr(line, RSTART, RLENGTH); line = substr(line, RSTART + RLENGTH)
    title = s; sub(/^<span class="v" title="/, "", title); sub(/".*$/, "", title)
    fmt = ""
    if (index(s, "data-f=\"")) { fmt = s; sub(/^.*data-f="/, "", fmt); sub(/".*$/, "", fmt) }
    text = s; sub(/^[^>]*>/, "", text); sub(/<\/span>$/, "", text)
    if (match(title, /[A-Za-z0-9_.-]+\.tsv/)) used[substr(title, RSTART, RLENGTH)] = 1
    nv++
    check(unent(title), unent(fmt), unent(text))
  }
}
END {
  if (failed) exit 1
  for (f in used) files = files " " f
  print nv, files
}
AWK

# check_page RUN_FOLDER MIN_VALUES: the page is complete and every number on it is right
check_page() {
  r=$1 page=$1/report/index.html
  [ -s "$page" ] || fail "$page was not written"
  if grep -n '{{' "$page" >/dev/null; then fail "$page has an unfilled placeholder"; fi
  imgs=$(grep -o '<img src="[^"]*"' "$page" | sed 's/^<img src="//; s/"$//')
  [ -n "$imgs" ] || fail "$page shows no figure"
  for i in $imgs; do
    [ -s "$r/report/$i" ] || fail "$page shows $i, which is missing or empty"
    head -c 2048 "$r/report/$i" | grep -q '<svg' || fail "$r/report/$i is not an SVG"
  done
  for i in exp5_deepnet.svg exp6_sweep.svg; do
    echo "$imgs" | grep -qx "$i" || fail "$page does not show $i"
  done
  res=$(awk -v run="$r" -f "$tmp/oracle.awk" "$page") || fail "$page: a number differs from the data (above)"
  n=${res%% *}
  [ "$n" -ge "$2" ] || fail "$page: only $n annotated values (expected at least $2)"
  for f in dataset.info.tsv config.info.tsv provenance.info.tsv exp1_forward_train.tsv exp2_forward_test.tsv \
           exp3_bn_gradcheck.tsv exp4_net_gradcheck.tsv exp4_initial_loss.tsv exp5_deepnet.tsv \
           exp5_deepnet_acc.tsv exp6_sweep.tsv; do
    case " ${res#* } " in *" $f "*) ;; *) fail "$page shows nothing from $f" ;; esac
  done
  for id in 1-data 2-batchnorm-forward-pass-training-mode 3-batchnorm-forward-pass-test-mode \
            4-batchnorm-backward-pass-gradient-check 5-gradient-check-of-a-net-with-batchnorm \
            6-a-deep-net-with-and-without-batchnorm 7-sweep-of-the-weight-initialisation-scale 8-findings provenance; do
    grep -q "<li><a href=\"#$id\">" "$page" || fail "$page: no contents entry for section $id"
    grep -q "id=\"$id\"" "$page" || fail "$page: no section $id"
  done
  say "$page: $n values match the data files; figures present"
}

# --- 1. a complete report ---
a=$tmp/a
t=$(date +%s)
mk "$a" report > "$tmp/a.log" 2>&1 || { cat "$tmp/a.log"; fail "make report failed"; }
say "make report (reduced configuration): $(( $(date +%s) - t )) s"
check_page "$a" 150

# --- 2. incremental ---
stamp "$a" > "$tmp/s1"
mk "$a" report > "$tmp/again.log" 2>&1 || { cat "$tmp/again.log"; fail "second make report failed"; }
stamp "$a" > "$tmp/s2"
cmp -s "$tmp/s1" "$tmp/s2" || { diff "$tmp/s1" "$tmp/s2"; fail "a second make report rewrote files"; }
[ ! -s "$tmp/again.log" ] || { cat "$tmp/again.log"; fail "a second make report ran commands"; }
say "second make report: did nothing"

sleep 1
touch "$src/exp6_sweep.gp"
mk "$a" report > "$tmp/gp.log" 2>&1 || { cat "$tmp/gp.log"; fail "make report after editing a script failed"; }
stamp "$a" > "$tmp/s3"
changed=$(diff "$tmp/s2" "$tmp/s3" | sed -n 's/^> \([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
[ "$changed" = "report/exp6_sweep.svg report/index.html " ] || fail "editing exp6_sweep.gp rewrote: $changed"
say "editing exp6_sweep.gp: redrew that figure and the page only"

# Data older than the program: `make report` would rerun the experiments, `make figures` must not.
old=$(( $(stat -c %Y build/bnlab) - 100 ))
find "$a" -name '*.tsv' -exec touch -d "@$old" {} +
touch -d "@$((old - 100))" "$a"/report/*.svg
stamp "$a" > "$tmp/s4"
mk "$a" figures > "$tmp/fig.log" 2>&1 || { cat "$tmp/fig.log"; fail "make figures failed"; }
stamp "$a" > "$tmp/s5"
changed=$(diff "$tmp/s4" "$tmp/s5" | sed -n 's/^> \([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
[ "$changed" = "report/exp5_deepnet.svg report/exp6_sweep.svg " ] || fail "make figures rewrote: $changed"
# the control: with the same files, `make report` does rerun the experiments
mk "$a" report > "$tmp/rerun.log" 2>&1 || { cat "$tmp/rerun.log"; fail "make report after make figures failed"; }
stamp "$a" > "$tmp/s6"
diff "$tmp/s5" "$tmp/s6" | grep -q '^> exp5_deepnet.tsv ' || fail "test set-up: make report did not rerun experiment 5"
say "make figures: redrew both figures, ran no experiment (make report then did)"

# --- 3. the same seed again: same bytes ---
b=$tmp/b
mk "$b" report > "$tmp/b.log" 2>&1 || { cat "$tmp/b.log"; fail "make report (second run) failed"; }
n=0
for f in "$a"/*.tsv "$a"/report/*.svg; do
  rel=${f#"$a"/}
  case "$rel" in *.timing.tsv) continue ;; esac
  cmp -s "$f" "$b/$rel" || fail "$rel differs between two runs with the same seed"
  n=$((n + 1))
done
# values read from timing files are the only ones allowed to differ
mask() { sed 's|<span class="v" title="[^"]*\.timing\.tsv[^"]*"[^>]*>[^<]*</span>|TIMING|g' "$1"; }
mask "$a/report/index.html" > "$tmp/a.html"
mask "$b/report/index.html" > "$tmp/b.html"
cmp -s "$tmp/a.html" "$tmp/b.html" || { diff "$tmp/a.html" "$tmp/b.html" | head; fail "the page differs between two runs with the same seed"; }
say "same seed twice: $n data files and figures and the page identical (timings aside)"

# --- 4. non-finite values ---
c=$tmp/c
cp -r "$a" "$c"
# setcol FILE COLUMN ROW VALUE (ROW 0-based; -1 for every row)
setcol() {
  awk -F '\t' -v OFS='\t' -v col="$2" -v row="$3" -v val="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) k = i; if (!k) exit 1 }
    NR > 1 && (row < 0 || NR - 2 == row) { $k = val } { print }' "$1" > "$1.new" && mv "$1.new" "$1"
}
setcol "$c/exp6_sweep.tsv" baseline_final_loss 1 inf
setcol "$c/exp6_sweep.tsv" baseline_final_loss 2 nan
setcol "$c/exp6_sweep.tsv" batchnorm_best_val 0 nan
setcol "$c/exp6_sweep.tsv" batchnorm_best_train -1 nan
setcol "$c/exp6_sweep.tsv" baseline_best_train -1 -inf
setcol "$c/exp5_deepnet_loss.tsv" baseline 3 inf
setcol "$c/exp5_deepnet_loss.tsv" batchnorm 5 -inf
setcol "$c/exp5_deepnet_acc.tsv" baseline_val -1 nan
rm -f "$c"/report/*.svg "$c/report/index.html"
mk "$c" figures > "$tmp/c.log" 2>&1 || { cat "$tmp/c.log"; fail "make figures on non-finite data failed"; }
for i in exp5_deepnet exp6_sweep; do
  head -c 2048 "$c/report/$i.svg" | grep -q '<svg' || fail "$i.svg with non-finite data is not an SVG"
done
grep -q 'no finite values' "$c/report/exp6_sweep.svg" || fail "exp6_sweep.svg: the all-nan panel is not marked"
build/bnreport --run "$c" --template "$src/report.md" --style "$src/style.css" --out "$c/report/index.html" 2> "$tmp/c.err" ||
  { cat "$tmp/c.err"; fail "the page does not render from data with non-finite values"; }
check_page "$c" 150
say "non-finite data: figures drawn with gaps, page rendered"

# --- 5. bad input: a one-line error naming the problem, no page ---
# expect_error WHAT PATTERN COMMAND...: the command fails with one stderr line matching PATTERN
expect_error() {
  what=$1 pat=$2; shift 2
  if "$@" > /dev/null 2> "$tmp/err"; then fail "$what: succeeded"; fi
  [ "$(wc -l < "$tmp/err")" -eq 1 ] || { cat "$tmp/err"; fail "$what: not a one-line error"; }
  grep -q -- "$pat" "$tmp/err" || { cat "$tmp/err"; fail "$what: the error does not name '$pat'"; }
}
d=$tmp/d
cp -r "$a" "$d"
echo "previous page" > "$d/report/index.html"
cp "$src/report.md" "$tmp/bad.md"
printf 'Extra: {{exp6_sweep.tsv:no_such_column:#0|%%.3f}}\n' >> "$tmp/bad.md"
expect_error "unknown column" "bad.md: line [0-9]*: {{exp6_sweep.tsv:no_such_column:#0|%.3f}}: exp6_sweep.tsv has no column 'no_such_column'" \
  build/bnreport --run "$d" --template "$tmp/bad.md" --style "$src/style.css" --out "$d/report/index.html"
[ "$(cat "$d/report/index.html")" = "previous page" ] || fail "a failed render replaced the page"
for f in "$d"/report/*.tmp.*; do [ -e "$f" ] && fail "a failed render left $f behind"; done
printf 'Extra: {{exp6_sweep.tsv:baseline_best_val:point=99}}\n' > "$tmp/bad2.md"
expect_error "selector matching nothing" "selects 0 rows" \
  build/bnreport --run "$d" --template "$tmp/bad2.md" --style "$src/style.css" --out "$d/report/index.html"
awk -F '\t' -v OFS='\t' 'NR == 2 { NF = NF - 1 } { print }' "$a/exp5_deepnet.tsv" > "$d/exp5_deepnet.tsv"
expect_error "malformed data file" "exp5_deepnet.tsv: line 2: 9 fields, the header has 10" \
  build/bnreport --run "$d" --template "$src/report.md" --style "$src/style.css" --out "$d/report/index.html"
cp "$a/exp5_deepnet.tsv" "$d/exp5_deepnet.tsv"
rm "$d/report/exp6_sweep.svg"
expect_error "missing figure" "exp6_sweep.svg" \
  build/bnreport --run "$d" --template "$src/report.md" --style "$src/style.css" --out "$d/report/index.html"
[ "$(cat "$d/report/index.html")" = "previous page" ] || fail "a failed render replaced the page"
mkdir "$tmp/empty"
# make adds its own line after the recipe's message, so only the message is checked here
if mk "$tmp/empty" figures > /dev/null 2> "$tmp/err"; then fail "make figures without data: succeeded"; fi
grep -q "exp5_deepnet.tsv is missing" "$tmp/err" || { cat "$tmp/err"; fail "make figures without data: no message naming the file"; }
expect_error "unknown option" "unknown argument" build/bnreport --bogus
say "bad input: one-line errors naming the placeholder, file or figure; no page written"

say "passed in $(( $(date +%s) - start )) s"
