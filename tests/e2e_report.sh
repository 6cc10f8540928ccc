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
#      missing data) stops with a one-line error naming it, and no page is written;
#   6. several seeds (`make report SEEDS=2`, in a copy of the tree so that data/runs is its own):
#      both seeds' pages and the page over the seeds, every number on it recomputed, its links to
#      the seeds' pages resolve, a second call changes nothing; bnagg refuses two runs of one seed;
#      a study of 1,000 seeds fabricated from those two: its page under 5 MB, long tables folded;
#   7. comparing runs (`make compare`): two seeds (made by a sub-make), a run with itself (every
#      file flagged identical) and two folders of which one lacks experiment 7, as a run of an
#      older version of the code would; every number recomputed; a second call changes nothing;
#      a missing A or B, or a folder that is not a run, is a one-line error and writes nothing;
#   8. `make verify`: passes on an unchanged run (its manifest, then a fresh rerun), and fails,
#      naming the file, when one byte of a result file is altered; refuses a manifest with no
#      entries or without a result file the registry names.
# With --quick (make check), part 1 only: a complete report on the reduced configuration, every
# number on its page recomputed.
# Dataset: a small generated folder in CIFAR-10's format (tests/make-cifar.sh); tests/realdata.sh
# runs the real dataset where one is found.
set -eu
cd "$(dirname "$0")/.."
quick=0
case ${1:-} in --quick) quick=1 ;; "") ;; *) echo "usage: tests/e2e_report.sh [--quick]" >&2; exit 2 ;; esac
# (test_begin: the caller's make variables, e.g. `make test RUN=...`, do not leak into the runs)
. tests/test-lib.sh
test_begin e2e-report tmp

# --- dataset: small, generated, in CIFAR-10's format (no suite needs the real one or a network) ---
data=$tmp/cifar
tests/make-cifar.sh "$data" || fail "could not generate the test dataset"

flags="--epochs 2 --points 4 --train-records 1000 --val-records 200 --test-records 100 --speed-reps 5"
src=$tmp/src
mkdir -p "$src"
cp report/*.md report/*.tsv report/style.css report/*.gp "$src/"
# mk RUN_FOLDER TARGET...: make on the reduced configuration, with the copied report sources
mk() {
  r=$1; shift
  $MAKE --no-print-directory RUN="$r" SEED=3 JOBS=2 QUIET=1 BNFLAGS="$flags" CIFAR10_DIR="$data" \
    REPORT_SRC="$src" "$@"
}
# stamp DIR: every file's modification time and size, to tell what a command rewrote
stamp() { find "$1" -type f -printf '%P %T@ %s\n' | sort; }

$MAKE --no-print-directory build/bnlab build/bnreport build/bnagg build/experiments.mk >/dev/null
# The experiments' files and figures, from the registry (src/study/registry.c, as make sees it).
mkvar() { sed -n "s/^$1 := *//p" build/experiments.mk | tr -s ' ' | sed 's/^ //; s/ $//'; }
svgs() { for f in $1; do printf '%s.svg ' "$f"; done | sed 's/ $//'; }
REPORT_FILES=$(mkvar BN_REPORT_FILES)
FIGS=$(svgs "$(mkvar BN_FIGURES)")
SEEDS_FILES=$(mkvar BN_SEEDS_FILES)
SEEDS_FIGS=$(svgs "$(mkvar BN_SEEDS_FIGURES)")
COMPARE_FIGS=$(svgs "$(mkvar BN_COMPARE_FIGURES)")

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
function term(t,    fn, inner, F, nf, i, f, c, n, x, best, at, sum, cnt, nfin, mean, ss, jd, jt) {
  t = trim(t)
  # judge(DIFFERENCE ; THRESHOLD): -1, 0 or +1 (bn_verdict_compare)
  if (substr(t, 1, 6) == "judge(") {
    inner = substr(t, 7, length(t) - 7); i = index(inner, " ; ")
    if (i == 0) die(t ": no ' ; '")
    query(substr(inner, 1, i - 1))
    # a difference that diverged is beyond any threshold
    if (K == "text" && (T == "inf" || T == "-inf")) jd = (T == "inf") ? 1e308 * 10 : -1e308 * 10; else jd = numeric(t)
    query(substr(inner, i + 3)); jt = numeric(t)
    K = "num"; V = jd > jt ? 1 : jd < -jt ? -1 : 0; return
  }
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
  else if (fn == "std" || fn == "sd") {
    mean = sum / nfin; ss = 0
    for (i = 1; i <= n; i++) { x = cell[f, S[i], c]; if (!nonfin(x)) ss += (x - mean) ^ 2 }
    V = sqrt(ss / (fn == "sd" ? nfin - 1 : nfin))
  } else if (fn == "argmax" || fn == "argmin") {
    if (!((f, F[4]) in col)) die("no column " F[4] " in " f)
    settext(cell[f, at, col[f, F[4]]])
  } else die("unknown function " fn)
}
# the position of the first top-level " - ", " + " or " / " in q (0 if none)
function topop(q,    i, d, ch) {
  d = 0
  for (i = 1; i <= length(q); i++) {
    ch = substr(q, i, 1)
    if (ch == "(") d++; else if (ch == ")") d--
    else if (d == 0 && ch == " " && (substr(q, i + 1, 2) == "- " || substr(q, i + 1, 2) == "+ " || substr(q, i + 1, 2) == "/ ")) return i
  }
  return 0
}
function numeric(what) { if (K == "num" || (K == "text" && isnum(T))) return V; die(what " is not a number") }
# terms joined by + and - from left to right, or two terms divided
function query(q,    p, op, acc, b, rest, n) {
  p = topop(q)
  if (p == 0) { term(q); return }
  term(substr(q, 1, p - 1)); acc = numeric(q); rest = substr(q, p); n = 1
  while (rest != "") {
    op = substr(rest, 2, 1); rest = substr(rest, 4)
    p = topop(rest)
    term(p ? substr(rest, 1, p - 1) : rest); b = numeric(q); n++
    rest = p ? substr(rest, p) : ""
    if (op == "/") { if (b == 0) die(q ": division by zero"); acc = acc / b }
    else acc = (op == "-") ? acc - b : acc + b
  }
  K = "num"; V = acc
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
function check(q, fmt, shown,    i, n, parts, href, label) {
  query(q)
  if (substr(fmt, 1, 4) == "link") {
    # a link: <a href="VALUE">TEXT</a>, TEXT the format's words or the value itself
    if (!match(shown, /^<a href="[^"]*">[^<]*<\/a>$/)) bad(q, shown, "a link")
    href = shown; sub(/^<a href="/, "", href); sub(/">.*$/, "", href)
    label = shown; sub(/^<a href="[^"]*">/, "", label); sub(/<\/a>$/, "", label)
    if (K != "text" || href != T) bad(q, href, T)
    if (label != (fmt == "link" ? T : substr(fmt, 6))) bad(q, label, fmt == "link" ? T : substr(fmt, 6))
    return
  }
  if (K != "list") { one(q, fmt, shown); return }
  if (LN == 0) { if (shown != "none") bad(q, shown, "none"); return }
  n = split(shown, parts, ", ")
  if (n != LN) die(q ": " n " values shown, " LN " in the data")
  for (i = 1; i <= n; i++) { settext(L[i]); one(q, fmt, parts[i]) }
}
{
  line = $0
  while (match(line, /<span class="v( wrap)?" title="[^"]*"( data-f="[^"]*")?( tabindex="0")?>(<a href="[^"]*">[^<]*<\/a>|[^<]*)<\/span>/)) {
    s = substr(line, RSTART, RLENGTH); line = substr(line, RSTART + RLENGTH)
    title = s; sub(/^<span class="v( wrap)?" title="/, "", title); sub(/".*$/, "", title)
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

# check_html PAGE DATA_FOLDER MIN_VALUES FIGURES DATA_FILES SECTION_IDS: the page is complete (no
# placeholder left; every figure it shows, and each of FIGURES, a non-empty SVG beside it; a
# contents entry and a section for each of SECTION_IDS; every relative link resolves) and each
# of its numbers (at least MIN_VALUES) equals the value recomputed from DATA_FOLDER, with some
# drawn from each of DATA_FILES
check_html() {
  page=$1 r=$2 min=$3 figs=$4 files=$5 ids=$6
  dir=$(dirname "$page")
  [ -s "$page" ] || fail "$page was not written"
  if grep -n '{{' "$page" >/dev/null; then fail "$page has an unfilled placeholder"; fi
  imgs=$(grep -o '<img src="[^"]*"' "$page" | sed 's/^<img src="//; s/"$//')
  [ -n "$imgs" ] || [ "$figs" = none ] || fail "$page shows no figure"
  [ "$figs" != none ] || [ -z "$imgs" ] || fail "$page shows figures ($imgs), expected none"
  [ "$figs" != none ] || figs=
  for i in $imgs; do
    [ -s "$dir/$i" ] || fail "$page shows $i, which is missing or empty"
    head -c 2048 "$dir/$i" | grep -q '<svg' || fail "$dir/$i is not an SVG"
  done
  for i in $figs; do
    echo "$imgs" | grep -qx "$i" || fail "$page does not show $i"
  done
  # the narrow drawings for phones (<picture><source srcset=...>)
  for i in $(grep -o 'srcset="[^"]*"' "$page" | sed 's/^srcset="//; s/"$//'); do
    head -c 2048 "$dir/$i" 2>/dev/null | grep -q '<svg' || fail "$page offers $i for narrow screens, which is missing or not an SVG"
  done
  # relative links (to figures, data files and the code excerpts' source files) resolve; links
  # to other sites (the references) are not followed
  for l in $(grep -o '<a [^>]*href="[^"#][^"]*"' "$page" | sed 's/^.*href="//; s/"$//' | grep -v '^https\{0,1\}://'); do
    # a link to a section of a run's own page (made by make report, not by make compare):
    # the run folder must exist
    case $l in *'/report/index.html#sec-'*) [ -d "$dir/${l%%/report/index.html#*}" ] || fail "$page links to $l, whose run folder does not exist"; continue ;; esac
    [ -s "$dir/${l%%#*}" ] || fail "$page links to $l, which does not exist"
  done
  # in-page links (#id) name an element of the page
  for l in $(grep -o 'href="#[^"]*"' "$page" | sed 's/^href="#//; s/"$//' | sort -u); do
    grep -q "id=\"$l\"" "$page" || fail "$page links to #$l, which is not on the page"
  done
  res=$(awk -v run="$r" -f "$tmp/oracle.awk" "$page") || fail "$page: a number differs from the data (above)"
  n=${res%% *}
  [ "$n" -ge "$min" ] || fail "$page: only $n annotated values (expected at least $min)"
  # (a verdict file may only decide which sentences the page keeps: {{if}} shows no value)
  for f in $files; do
    case $f in *_verdict.tsv) continue ;; esac
    case " ${res#* } " in *" $f "*) ;; *) fail "$page shows nothing from $f" ;; esac
  done
  for id in $ids; do
    grep -q "<li><a href=\"#$id\">" "$page" || fail "$page: no contents entry for section $id"
    grep -q "id=\"$id\"" "$page" || fail "$page: no section $id"
  done
  # every table has a numbered caption that links its data file
  nt=$(grep -o '<table' "$page" | wc -l)
  nc=$(grep -o '<p class="tab-cap" id="[^"]*">\(<strong>\)\{0,1\}Table [0-9][0-9.]*[ (][^<]*\(<[^a][^>]*>[^<]*\|<a href="#[^"]*">[^<]*</a>[^<]*\)*[Dd]ata: <a href="[^"]*\.tsv"' "$page" | wc -l)
  [ "$nt" -le "$nc" ] || fail "$page: $nt tables but only $nc numbered captions with a data link"
  say "$page: $n values match the data files; figures present; $nt tables, each captioned"
}

# title_names_runs PAGE: a compare page's title names A and B (their folders, as
# compare_runs.info.tsv beside it records them)
title_names_runs() {
  want=$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["item"] == "folder" { printf "Comparing %s (A) with %s (B)", $c["a"], $c["b"] }' "$(dirname "$1")/compare_runs.info.tsv")
  got=$(sed -n 's/.*<h1>\(.*\)<\/h1>.*/\1/p' "$1" | sed 's/<[^>]*>//g')
  [ -n "$want" ] && [ "$got" = "$want" ] || fail "$1: the title is '$got', not '$want'"
}

# in_order PAGE ID...: the sections come in this order (the answer first)
in_order() {
  page=$1; shift; last=-1
  for id in "$@"; do
    at=$(grep -bo "id=\"$id\"" "$page" | head -n 1 | cut -d: -f1)
    [ -n "$at" ] || fail "$page: no section $id"
    [ "$at" -gt "$last" ] || fail "$page: section $id is not in its place (expected order: $*)"
    last=$at
  done
}

# check_page RUN_FOLDER MIN_VALUES: the single-run page, every section of it
check_page() {
  check_html "$1/report/index.html" "$1" "$2" "$FIGS" \
    "dataset.info.tsv config.info.tsv provenance.info.tsv params.info.tsv $REPORT_FILES" \
    "sec-data sec-forward-train sec-forward-test sec-backward sec-checks sec-deepnet sec-sweep sec-findings
     sec-layernorm sec-batchsize sec-references sec-provenance"
  # the literate parts: code excerpts with file:line links, equations rendered (when made by make)
  grep -q '<details class="code-excerpt"' "$1/report/index.html" || fail "$1: no code excerpt"
  grep -q 'class="src" href="[^"]*src/nn/layers[a-z_]*\.[ch]#L[0-9]' "$1/report/index.html" || fail "$1: no file:line link in the excerpts"
}

# --- 1. a complete report ---
a=$tmp/a
t=$(date +%s)
mk "$a" report > "$tmp/a.log" 2>&1 || { cat "$tmp/a.log"; fail "make report failed"; }
say "make report (reduced configuration): $(( $(date +%s) - t )) s"
check_page "$a" 150
# the provenance's dataset hashes come from the stamps' cache: each must be the file's own sha256
n=0
while IFS="$(printf '\t')" read -r k v; do
  case $k in "sha256 "*) ;; *) continue ;; esac
  f=$data/${k#sha256 }
  [ "$v" = "$(sha256sum < "$f" | cut -d' ' -f1)" ] || fail "provenance.info.tsv: $k is $v, not the sha256 of $f"
  n=$((n + 1))
done < "$a/provenance.info.tsv"
[ "$n" -ge 2 ] || fail "provenance.info.tsv: $n dataset hashes (expected a training batch and the test batch at least)"
if [ "$quick" = 1 ]; then say "quick: passed in $(( $(date +%s) - start )) s"; exit 0; fi

# --- 2. incremental ---
stamp "$a" > "$tmp/s1"
mk "$a" report > "$tmp/again.log" 2>&1 || { cat "$tmp/again.log"; fail "second make report failed"; }
stamp "$a" > "$tmp/s2"
cmp -s "$tmp/s1" "$tmp/s2" || { diff "$tmp/s1" "$tmp/s2" || true; fail "a second make report rewrote files"; }
# the one line a make report always prints: where its page is
[ "$(cat "$tmp/again.log")" = "page: $a/report/index.html" ] || { cat "$tmp/again.log"; fail "a second make report ran commands (or did not name its page)"; }
say "second make report: did nothing"

sleep 1
touch "$src/exp6_sweep.gp"
mk "$a" report > "$tmp/gp.log" 2>&1 || { cat "$tmp/gp.log"; fail "make report after editing a script failed"; }
stamp "$a" > "$tmp/s3"
changed=$(diff "$tmp/s2" "$tmp/s3" | sed -n 's/^> \([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
[ "$changed" = "report/exp6_sweep-narrow.svg report/exp6_sweep.svg report/index.html " ] || fail "editing exp6_sweep.gp rewrote: $changed"
grep -q 'class="katex' "$a/report/index.html" || fail "make report: no equation rendered by KaTeX"
if sed 's/<[^>]*>//g' "$a/report/index.html" | grep -q '\\frac\|\\hat\|\$\\'; then fail "make report: raw TeX left on the page"; fi
[ -s "$a/report/katex/katex.min.css" ] || fail "make report: KaTeX's stylesheet is not beside the page"
say "editing exp6_sweep.gp: redrew that figure and the page only"

# Data older than the program: `make report` would rerun the experiments, `make figures` must not.
old=$(( $(stat -c %Y build/bnlab) - 100 ))
find "$a" -name '*.tsv' -exec touch -d "@$old" {} +
touch -d "@$((old - 100))" "$a"/report/*.svg
stamp "$a" > "$tmp/s4"
mk "$a" figures > "$tmp/fig.log" 2>&1 || { cat "$tmp/fig.log"; fail "make figures failed"; }
stamp "$a" > "$tmp/s5"
changed=$(diff "$tmp/s4" "$tmp/s5" | sed -n 's/^> \([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
expect=$(for f in $FIGS; do echo "report/$f"; echo "report/${f%.svg}-narrow.svg"; done | sort | tr '\n' ' ')
[ "$changed" = "$expect" ] || fail "make figures rewrote: $changed (expected $expect)"
# Nor does `make report`: experiments are reused by content, not by time (tests/reuse.sh tests
# each case); it redoes the provenance and the page, which name the program.
mk "$a" report > "$tmp/rerun.log" 2>&1 || { cat "$tmp/rerun.log"; fail "make report after make figures failed"; }
stamp "$a" > "$tmp/s6"
if diff "$tmp/s5" "$tmp/s6" | grep '^> exp[^ ]*\.tsv '; then fail "make report reran an experiment because its data was older than the program"; fi
say "make figures: redrew every figure (wide and narrow), ran no experiment (nor did make report: data unchanged)"

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
mask() { sed 's|<span class="v[^"]*" title="[^"]*\.timing\.tsv[^"]*"[^>]*>[^<]*</span>|TIMING|g' "$1"; }
mask "$a/report/index.html" > "$tmp/a.html"
mask "$b/report/index.html" > "$tmp/b.html"
cmp -s "$tmp/a.html" "$tmp/b.html" || { diff "$tmp/a.html" "$tmp/b.html" | head || true; fail "the page differs between two runs with the same seed"; }
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
setcol "$c/exp7_batchsize_acc.tsv" val 3 nan
setcol "$c/exp7_batchsize_acc.tsv" train 4 inf
setcol "$c/exp7_batchsize.tsv" final_loss 0 inf
rm -f "$c"/report/*.svg "$c/report/index.html"
mk "$c" figures > "$tmp/c.log" 2>&1 || { cat "$tmp/c.log"; fail "make figures on non-finite data failed"; }
for i in exp5_deepnet exp6_sweep exp7_batchsize; do
  head -c 2048 "$c/report/$i.svg" | grep -q '<svg' || fail "$i.svg with non-finite data is not an SVG"
done
grep -q 'no finite values' "$c/report/exp6_sweep.svg" || fail "exp6_sweep.svg: the all-nan panel is not marked"
build/bnreport --run "$c" --template "$src/report.md" --style "$src/style.css" --src-url "$(scripts/source-url.sh "$c/report")" \
  --out "$c/report/index.html" 2> "$tmp/c.err" ||
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
# a code excerpt whose function was renamed or deleted stops the render, naming it
cp "$a/report/exp6_sweep.svg" "$d/report/exp6_sweep.svg"
cp "$src/report.md" "$tmp/bad3.md"
printf '\n{{code(bn_no_such_function)}}\n' >> "$tmp/bad3.md"
expect_error "excerpt of a missing function" "code(bn_no_such_function): no function bn_no_such_function" \
  build/bnreport --run "$d" --template "$tmp/bad3.md" --style "$src/style.css" --out "$d/report/index.html"
[ "$(cat "$d/report/index.html")" = "previous page" ] || fail "a failed excerpt replaced the page"
say "bad input: one-line errors naming the placeholder, file or figure; no page written"

# --- 6. several seeds: make report SEEDS=2 ---
# In a copy of the tree (sources, Makefile, report and the programs already built, with their
# time stamps), whose data/runs/seed-N and data/compare are its own.
tree=$tmp/tree
mkdir -p "$tree/build"
cp -a Makefile report scripts src "$tree/"
cp -a build/bnlab build/bnagg build/bnreport build/obj build/.deps-ok build/experiments.mk build/compile.args build/link.args \
  build/version.args "$tree/build/"
mkt() { $MAKE --no-print-directory -C "$tree" SEED=0 JOBS=2 QUIET=1 BNFLAGS="$flags" CIFAR10_DIR="$data" "$@"; }
runs=$tree/data/runs
t=$(date +%s)
mkt report SEEDS=2 > "$tmp/seeds.log" 2>&1 || { cat "$tmp/seeds.log"; fail "make report SEEDS=2 failed"; }
say "make report SEEDS=2 (reduced configuration, two seeds): $(( $(date +%s) - t )) s"
sr=$runs/seeds-0-1
check_html "$sr/report/index.html" "$sr" 200 "$SEEDS_FIGS" "runs.info.tsv $SEEDS_FILES claims_seeds.tsv ablations_seeds.tsv ledger_seeds.tsv" \
  "the-runs a-deep-net-with-and-without-batchnorm sweep-of-the-weight-initialisation-scale
   batch-size-and-normalization findings provenance references"
# the findings first, then how they are judged, the runs, the experiments
in_order "$sr/report/index.html" findings how-the-seeds-are-combined the-runs a-deep-net-with-and-without-batchnorm \
  sweep-of-the-weight-initialisation-scale batch-size-and-normalization the-signal-inside-the-nets \
  what-each-seed-s-page-claims against-the-reference-notebook provenance references
for s in 0 1; do
  check_page "$runs/seed-$s" 150
  grep -q "href=\"../../seed-$s/report/index.html\"" "$sr/report/index.html" || fail "the seeds' page does not link to seed $s's page"
done
# The statistics themselves, recomputed here from the two runs' sweep files: per scale, each
# net's mean and sample sd of the best validation accuracy, and the paired difference's mean,
# standard error, 95% interval (Student's t with 1 degree of freedom: 12.7062047361747) and wins.
awk -F '\t' '
  function near(x, y) { d = x - y; if (d < 0) d = -d; return d <= 1e-12 * (x < 0 ? -x : x) + 1e-15 }
  FNR == 1 { f++; for (i = 1; i <= NF; i++) c[f, $i] = i; next }
  f < 3 { bn[f, FNR] = $c[f, "batchnorm_best_val"]; bl[f, FNR] = $c[f, "baseline_best_val"]; next }
  {
    m = (bn[1, FNR] + bn[2, FNR]) / 2; sd = sqrt((bn[1, FNR] - m) ^ 2 + (bn[2, FNR] - m) ^ 2)
    d1 = bn[1, FNR] - bl[1, FNR]; d2 = bn[2, FNR] - bl[2, FNR]; dm = (d1 + d2) / 2
    se = sqrt((d1 - dm) ^ 2 + (d2 - dm) ^ 2) / sqrt(2); w = (d1 > 0) + (d2 > 0); lo = dm - 12.7062047361747 * se
    # the 95% interval of batchnorm'"'"'s mean, and its 10% and 90% quantiles (linear between the two seeds)
    mlo = m - 12.7062047361747 * sd / sqrt(2); a = bn[1, FNR] < bn[2, FNR] ? bn[1, FNR] : bn[2, FNR]
    b = bn[1, FNR] < bn[2, FNR] ? bn[2, FNR] : bn[1, FNR]; q1 = a + 0.1 * (b - a); q9 = a + 0.9 * (b - a)
    if (!near($c[3, "batchnorm_best_val_mean"], m) || !near($c[3, "batchnorm_best_val_sd"], sd) ||
        !near($c[3, "best_val_diff_mean"], dm) || !near($c[3, "best_val_diff_se"], se) || $c[3, "best_val_wins"] != w ||
        (se > 0 && !near($c[3, "best_val_diff_lo"], lo)) || (sd > 0 && !near($c[3, "batchnorm_best_val_mean_lo"], mlo)) ||
        !near($c[3, "batchnorm_best_val_q10"], q1) || !near($c[3, "batchnorm_best_val_q90"], q9)) {
      printf "e2e-report: FAIL: exp6_sweep_seeds.tsv row %d: %s %s %s %s %s, recomputed %.17g %.17g %.17g %.17g %d\n", FNR - 1,
        $c[3, "batchnorm_best_val_mean"], $c[3, "batchnorm_best_val_sd"], $c[3, "best_val_diff_mean"],
        $c[3, "best_val_diff_se"], $c[3, "best_val_wins"], m, sd, dm, se, w > "/dev/stderr"; bad = 1
    }
    rows++
  }
  END { if (bad || rows == 0) exit 1 }' "$runs/seed-0/exp6_sweep.tsv" "$runs/seed-1/exp6_sweep.tsv" "$sr/exp6_sweep_seeds.tsv" ||
  fail "bnagg seeds: the statistics differ from those recomputed from the runs"
# Seed by seed, each net's spread across the scales is the sample sd (divisor scales - 1), as
# every sd on these pages: recomputed from seed 0's sweep file.
awk -F '\t' '
  function near(x, y) { d = x - y; if (d < 0) d = -d; return d <= 1e-12 * (x < 0 ? -x : x) + 1e-15 }
  FNR == 1 { f++; for (i = 1; i <= NF; i++) c[f, $i] = i; next }
  f == 1 { v[++n] = $c[1, "batchnorm_best_val"]; s += v[n]; next }
  $c[2, "seed"] == 0 {
    m = s / n; for (i = 1; i <= n; i++) ss += (v[i] - m) ^ 2; sd = sqrt(ss / (n - 1))
    if (!near($c[2, "batchnorm_best_val_scale_sd"], sd)) {
      printf "e2e-report: FAIL: exp6_sweep_by_seed.tsv seed 0: sd %s, recomputed %.17g (n - 1)\n", $c[2, "batchnorm_best_val_scale_sd"], sd > "/dev/stderr"; bad = 1 }
    rows++
  }
  END { if (bad || rows != 1) exit 1 }' "$runs/seed-0/exp6_sweep.tsv" "$sr/exp6_sweep_by_seed.tsv" ||
  fail "bnagg seeds: the spread across the scales is not the sample sd"
# The per-scale paired t-test: with two seeds t has 1 degree of freedom (Cauchy), so its two-sided
# p-value is 1 - 2 atan(|t|) / pi; Holm's adjusted p-value is never below it.
awk -F '\t' '
  function near(x, y) { d = x - y; if (d < 0) d = -d; return d <= 1e-9 * (x < 0 ? -x : x) + 1e-12 }
  FNR == 1 { f++; for (i = 1; i <= NF; i++) c[f, $i] = i; next }
  f == 1 { m[FNR] = $c[1, "best_val_diff_mean"]; e[FNR] = $c[1, "best_val_diff_se"]; next }
  e[FNR] > 0 {
    t = m[FNR] / e[FNR]; if (t < 0) t = -t; p = 1 - 2 * atan2(t, 1) / 3.141592653589793
    if (!near($c[2, "best_val_p"], p) || $c[2, "best_val_p_holm"] + 0 < p - 1e-12) {
      printf "e2e-report: FAIL: exp6_sweep_seeds_verdict.tsv row %d: p %s (Holm %s), recomputed %.17g\n", FNR - 1,
        $c[2, "best_val_p"], $c[2, "best_val_p_holm"], p > "/dev/stderr"; bad = 1 }
    rows++
  }
  END { if (bad || rows == 0) exit 1 }' "$sr/exp6_sweep_seeds.tsv" "$sr/exp6_sweep_seeds_verdict.tsv" ||
  fail "bnagg seeds: the per-scale p-values differ from those recomputed"
# "Does batchnorm depend more on the batch size?": per seed, each net's sample SD of its best
# validation accuracy across its batch sizes; the paired difference over the two seeds.
awk -F '\t' '
  function near(x, y) { d = x - y; if (d < 0) d = -d; return d <= 1e-9 * (x < 0 ? -x : x) + 1e-12 }
  function sd(k,    i, m, ss) { m = 0; for (i = 1; i <= n[k]; i++) m += v[k, i]; m /= n[k]
    ss = 0; for (i = 1; i <= n[k]; i++) ss += (v[k, i] - m) ^ 2; return sqrt(ss / (n[k] - 1)) }
  FNR == 1 { f++; for (i = 1; i <= NF; i++) c[f, $i] = i; next }
  f < 3 && ($c[f, "norm"] == "batchnorm" || $c[f, "norm"] == "layernorm") { k = f SUBSEP $c[f, "norm"]; v[k, ++n[k]] = $c[f, "best_val"]; next }
  f == 3 {
    b1 = sd(1 SUBSEP "batchnorm"); b2 = sd(2 SUBSEP "batchnorm"); l1 = sd(1 SUBSEP "layernorm"); l2 = sd(2 SUBSEP "layernorm")
    dm = ((b1 - l1) + (b2 - l2)) / 2; w = (b1 > l1) + (b2 > l2)
    if (!near($c[3, "batchnorm_mean"], (b1 + b2) / 2) || !near($c[3, "diff_mean"], dm) || $c[3, "wins"] != w) {
      printf "e2e-report: FAIL: exp7_dependence_seeds.tsv: %s %s %s, recomputed %.17g %.17g %d\n", $c[3, "batchnorm_mean"],
        $c[3, "diff_mean"], $c[3, "wins"], (b1 + b2) / 2, dm, w > "/dev/stderr"; bad = 1 }
    rows++
  }
  END { if (bad || rows != 1) exit 1 }' "$runs/seed-0/exp7_batchsize.tsv" "$runs/seed-1/exp7_batchsize.tsv" "$sr/exp7_dependence_seeds.tsv" ||
  fail "bnagg seeds: the batch-size dependence test differs from the one recomputed"
say "the statistics over the seeds match those recomputed from the two runs"

stamp "$tree/data" > "$tmp/t1"
mkt report SEEDS=2 > "$tmp/seeds2.log" 2>&1 || { cat "$tmp/seeds2.log"; fail "second make report SEEDS=2 failed"; }
stamp "$tree/data" > "$tmp/t2"
# (A bare `.SECONDARY:` in the Makefile has this effect: GNU make 4.3 then remakes whatever
# depends on a target with a FORCE'd recipe, such as the per-seed sub-makes, on every call.)
hint=""
if grep -qx '.SECONDARY:' Makefile; then hint=" (the Makefile's bare .SECONDARY: makes make 4.3 remake the dependents of FORCE'd sub-make targets every time)"; fi
cmp -s "$tmp/t1" "$tmp/t2" || { diff "$tmp/t1" "$tmp/t2" || true; fail "a second make report SEEDS=2 rewrote files$hint"; }
if grep -v -e "Nothing to be done" -e '^page: ' "$tmp/seeds2.log"; then fail "a second make report SEEDS=2 ran commands (above)"; fi
say "second make report SEEDS=2: changed nothing"

expect_error "bnagg: one seed twice" "both have seed 0" \
  "$tree/build/bnagg" seeds --out "$tmp/dup" "$runs/seed-0" "$runs/seed-0"
[ ! -e "$tmp/dup" ] || fail "bnagg seeds wrote $tmp/dup for runs it refused"
cp -a "$runs/seed-1" "$tmp/other"
sed -i 's/^epochs\t.*/epochs\t99/' "$tmp/other/params.info.tsv"
expect_error "bnagg: runs of two configurations" "not of one configuration: params.info.tsv: epochs" \
  "$tree/build/bnagg" seeds --out "$tmp/dup" "$runs/seed-0" "$tmp/other"
[ ! -e "$tmp/dup" ] || fail "bnagg seeds wrote $tmp/dup for runs it refused"
say "bnagg seeds: refuses one seed twice, and runs of two configurations"

# --- 6b. a thousand seeds, fabricated: the page stays small and readable ---
# Training 1,000 seeds takes hours, so the study is made from the two seeds above: 1,000 run
# folders of hard links to them (odd seeds to seed 1), each with its own seed and with the best
# accuracies of its summaries (deep net, sweep, batch sizes) moved by a deterministic amount of
# at most 0.025, so that the seeds differ. bnagg seeds and bnagg claims aggregate them, gnuplot
# draws the figures and bnreport renders the page, which must be under 5 MB, every number on it
# recomputed, every table of more than 100 rows (one row per seed) folded inside <details>, the
# per-seed tables capped at 200 rows (and saying so), and the 95% interval of the mean narrower than the middle
# 80% of the seeds at every scale (at 1,000 seeds the interval of the mean is a small fraction of
# the spread of the seeds; a min-max band would be wider than both).
t=$(date +%s)
big=$tmp/big
nbig=1000
mkdir -p "$big"
k=0
set --
while [ "$k" -lt "$nbig" ]; do
  cp -al "$runs/seed-$((k % 2))" "$big/seed-$k"
  set -- "$@" "$big/seed-$k"
  k=$((k + 1))
done
# the files to rewrite are links into seed 0 and 1: removed first, so those stay as they were
rm -f "$big"/seed-*/params.info.tsv "$big"/seed-*/config.info.tsv "$big"/seed-*/exp5_deepnet.tsv \
  "$big"/seed-*/exp6_sweep.tsv "$big"/seed-*/exp7_batchsize.tsv
for f in params.info.tsv config.info.tsv exp5_deepnet.tsv exp6_sweep.tsv exp7_batchsize.tsv; do
  awk -F '\t' -v n="$nbig" -v big="$big" -v f="$f" '
    FNR == 1 { hdr = $0; for (i = 1; i <= NF; i++) H[i] = $i; next }
    { rows[++nr] = $0 }
    END {
      for (k = 0; k < n; k++) {
        out = big "/seed-" k "/" f
        print hdr > out
        for (r = 1; r <= nr; r++) {
          m = split(rows[r], c, "\t"); line = ""
          for (i = 1; i <= m; i++) {
            v = c[i]
            if (f ~ /^(params|config)\.info\.tsv$/) { if (i == 2 && c[1] == "seed") v = k }
            else if (H[i] ~ /best_(val|train)$/ && v ~ /^0\.[0-9]+$/) {
              v += ((k * 7919 + r * 104729 + i * 1299709) % 201 - 100) / 4000
              v = v < 0 ? 0 : v > 1 ? 1 : v
            }
            line = line (i > 1 ? "\t" : "") v
          }
          print line > out
        }
        close(out)
      }
    }' "$runs/seed-0/$f" || fail "could not fabricate $f of $nbig seeds"
done
bs=$big/seeds-0-999-n1000
"$tree/build/bnagg" seeds -q --out "$bs" "$@" || fail "bnagg seeds failed on $nbig seeds"
"$tree/build/bnagg" claims -q --out "$bs" "$@" || fail "bnagg claims failed on $nbig seeds"
set --
mkdir -p "$bs/report"
for g in $SEEDS_FIGS; do
  gnuplot -c "$tree/report/${g%.svg}.gp" "$bs" "$bs/report/$g" 2>"$tmp/big-gnuplot.log" ||
    { cat "$tmp/big-gnuplot.log"; fail "gnuplot could not draw $g of $nbig seeds"; }
done
"$tree/build/bnreport" --run "$bs" --template "$tree/report/seeds.md" --style "$tree/report/style.css" \
  --out "$bs/report/index.html" -q >/dev/null || fail "bnreport failed on $nbig seeds"
page=$bs/report/index.html
size=$(wc -c < "$page")
[ "$size" -lt 5000000 ] || fail "the page over $nbig seeds is $size bytes, not under 5 MB"
grep -q "over <span class=\"v\" title=\"count(runs.info.tsv:\*)\"[^>]*>$nbig</span> seeds" "$page" ||
  fail "the page over $nbig seeds does not say $nbig seeds in its title"
check_html "$page" "$bs" 200 "$SEEDS_FIGS" "runs.info.tsv $SEEDS_FILES claims_seeds.tsv ablations_seeds.tsv ledger_seeds.tsv" \
  "the-runs findings"
# every table of more than 100 rows inside <details>, and none of more than 200 body rows (the
# tables whose rows do not grow with the seeds, such as the ledger's, have fewer)
awk '
  /<details/ { d++ } /<\/details>/ { d-- }
  /<table/ { rows = 0; intable = 1 } intable && /<tr/ { rows++ }
  /<\/table>/ { intable = 0; n++; if (rows > 101 && d <= 0) { print "e2e-report: FAIL: table " n " has " rows " rows and is not folded" > "/dev/stderr"; bad = 1 }
    if (rows > 201) { print "e2e-report: FAIL: table " n " shows " rows " rows" > "/dev/stderr"; bad = 1 } }
  END { if (bad || n == 0) exit 1 }' "$page" || fail "the page over $nbig seeds has a long table that is not folded, or longer than 200 rows"
grep -q "200</span> of <span class=\"v\" title=\"count(exp5_deepnet_by_seed.tsv:\*)\"[^>]*>$nbig</span> rows" "$page" ||
  fail "the page over $nbig seeds does not say its per-seed table shows 200 of $nbig rows"
awk -F '\t' '
  FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { for (k = 1; k <= 2; k++) { p = (k == 1) ? "batchnorm_best_val" : "baseline_best_val"
      w = $c[p "_mean_hi"] - $c[p "_mean_lo"]; q = $c[p "_q90"] - $c[p "_q10"]
      if (!($c[p "_n"] == 1000 && w > 0 && w < q / 4)) { printf "e2e-report: FAIL: exp6_sweep_seeds.tsv row %d, %s: 95%% interval of the mean %.3g wide, middle 80%% of seeds %.3g, n %s\n", FNR - 1, p, w, q, $c[p "_n"] > "/dev/stderr"; bad = 1 } }
    rows++ }
  END { if (bad || rows == 0) exit 1 }' "$bs/exp6_sweep_seeds.tsv" || fail "the bands over $nbig seeds do not mean what the page says"
say "a page over $nbig fabricated seeds: $size bytes, long tables folded and capped, bands as stated: $(( $(date +%s) - t )) s"

# --- 7. comparing runs: make compare A=... B=... ---
t=$(date +%s)
mkt compare A=0 B=1 > "$tmp/cmp.log" 2>&1 || { cat "$tmp/cmp.log"; fail "make compare A=0 B=1 failed"; }
say "make compare A=0 B=1: $(( $(date +%s) - t )) s"
cmpids="the-answer how-the-differences-are-judged the-runs what-changed both-runs-overlaid every-value-cell-by-cell references"
cmpfiles="compare.info.tsv compare_files.tsv compare_values.tsv compare_runs.info.tsv"
cd01=$tree/data/compare/seed-0-vs-seed-1
check_html "$cd01/index.html" "$cd01" 300 "$COMPARE_FIGS" "$cmpfiles" "$cmpids"
title_names_runs "$cd01/index.html"
# what differs beyond noise first, then how it is judged, then the runs, the figures, every value
in_order "$cd01/index.html" the-answer how-the-differences-are-judged what-changed the-runs both-runs-overlaid \
  every-value-cell-by-cell references
grep -q "exp6_sweep.tsv</span>: different" "$cd01/index.html" || grep -q "exp6_sweep.tsv</code>: different" "$cd01/index.html" ||
  fail "$cd01/index.html: the sweep of two seeds is not marked different"
stamp "$tree/data" > "$tmp/t3"
mkt compare A=0 B=1 > "$tmp/cmp2.log" 2>&1 || { cat "$tmp/cmp2.log"; fail "second make compare failed"; }
stamp "$tree/data" > "$tmp/t4"
cmp -s "$tmp/t3" "$tmp/t4" || { diff "$tmp/t3" "$tmp/t4" || true; fail "a second make compare rewrote files$hint"; }
[ ! -s "$tmp/cmp2.log" ] || { cat "$tmp/cmp2.log"; fail "a second make compare ran commands"; }
say "second make compare: did nothing"

# a run with a copy of itself: every result file identical, and the page says so
cp -a "$runs/seed-1" "$tmp/same"
mkt compare A=1 B="$tmp/same" > "$tmp/cmp3.log" 2>&1 || { cat "$tmp/cmp3.log"; fail "make compare of a run with its copy failed"; }
cds=$tree/data/compare/seed-1-vs-$(printf '%s' "$tmp/same" | tr -c 'A-Za-z0-9._-' '_' | sed 's/^[._]*//')
check_html "$cds/index.html" "$cds" 20 none "compare.info.tsv compare_runs.info.tsv" "the-runs what-changed"
title_names_runs "$cds/index.html"
in_order "$cds/index.html" the-answer what-changed the-runs
awk -F '\t' 'NR > 1 && $2 != "identical" { exit 1 }' "$cds/compare_files.tsv" || fail "a run and its copy: not every file is identical"
grep -q "The two runs gave identical results" "$cds/index.html" || fail "$cds/index.html does not say the runs are identical"
if grep -q "exp6_sweep.tsv" "$cds/index.html"; then fail "$cds/index.html lists files of identical runs (one line is enough)"; fi

# a run of an older version of the code, without experiment 7: the page says what is missing
cp -a "$runs/seed-0" "$tmp/old"
rm -f "$tmp/old"/exp7_*
mkt compare A="$tmp/old" B=0 > "$tmp/cmp4.log" 2>&1 || { cat "$tmp/cmp4.log"; fail "make compare with a run lacking experiment 7 failed"; }
cdo=$tree/data/compare/$(printf '%s' "$tmp/old" | tr -c 'A-Za-z0-9._-' '_' | sed 's/^[._]*//')-vs-seed-0
check_html "$cdo/index.html" "$cdo" 20 "compare_deepnet.svg compare_sweep.svg" "compare.info.tsv compare_files.tsv" "$cmpids"
grep -q "exp7_batchsize.tsv.only in B" "$cdo/compare_files.tsv" || fail "compare_files.tsv does not list exp7_batchsize.tsv as only in B"
grep -q "only in B</span></strong>, so it is not compared" "$cdo/index.html" || fail "$cdo/index.html does not say experiment 7 is in B only"
grep -q "no batch-size data in A" "$cdo/compare_batchsize.svg" || fail "compare_batchsize.svg does not say A has no batch-size data"
say "make compare: two seeds, a run with its copy (all identical), a run without experiment 7"

stamp "$tree/data" > "$tmp/t5"
expect_make_error() {
  what=$1 line=$2; shift 2
  if mkt "$@" > /dev/null 2> "$tmp/err"; then fail "$what: succeeded"; fi
  [ "$(head -n 1 "$tmp/err")" = "$line" ] || { cat "$tmp/err"; fail "$what: the first line is not '$line'"; }
  if grep -v "^make: \*\*\* " "$tmp/err" | tail -n +2 | grep .; then fail "$what: more than one error line"; fi
}
expect_make_error "make compare without A and B" "bnlab: make compare needs A=... and B=... (a seed number or a run folder)" compare
expect_make_error "make compare without B" "bnlab: make compare needs A=... and B=... (a seed number or a run folder)" compare A=0
expect_make_error "make compare, a missing folder" "bnlab: make compare B=$tmp/nowhere: no such folder (give a seed number or a run folder)" compare A=0 B="$tmp/nowhere"
expect_make_error "make compare, not a run folder" "bnlab: make compare A=$tree/src is not a run folder (it holds no exp*.tsv data file)" compare A="$tree/src" B=0
set +e; mkt compare > /dev/null 2>&1; rc=$?; set -e
[ "$rc" -eq 2 ] || fail "make compare without A and B: exit status $rc, not 2"
stamp "$tree/data" > "$tmp/t6"
cmp -s "$tmp/t5" "$tmp/t6" || { diff "$tmp/t5" "$tmp/t6" || true; fail "a refused make compare wrote files"; }
say "make compare: a missing A or B, or a folder that is not a run, is a one-line error; nothing written"

# --- 8. make verify ---
[ -s "$runs/seed-0/manifest.tsv" ] || fail "$runs/seed-0/manifest.tsv: make report wrote no manifest"
mkt verify SEED=0 > "$tmp/verify.log" 2>&1 || { cat "$tmp/verify.log"; fail "make verify SEED=0 failed on an unchanged run"; }
grep -q "^verify: OK" "$tmp/verify.log" || { cat "$tmp/verify.log"; fail "make verify SEED=0 did not say OK"; }
cp -a "$runs/seed-0" "$tmp/altered"
# one digit of the first data row changes: 0 becomes 1 or anything else becomes 0
awk -F'\t' -v OFS='\t' 'NR == 2 { $NF = ($NF ~ /^0/ ? "1" : "0") substr($NF, 2) } { print }' \
  "$runs/seed-0/exp5_deepnet.tsv" > "$tmp/altered/exp5_deepnet.tsv"
cmp -s "$runs/seed-0/exp5_deepnet.tsv" "$tmp/altered/exp5_deepnet.tsv" && fail "the alteration changed nothing"
if mkt verify RUN="$tmp/altered" > "$tmp/verify2.log" 2>&1; then cat "$tmp/verify2.log"; fail "make verify passed on an altered file"; fi
grep -q "CHANGED *exp5_deepnet.tsv" "$tmp/verify2.log" || { cat "$tmp/verify2.log"; fail "make verify did not name the altered exp5_deepnet.tsv"; }
[ "$(grep -c 'CHANGED\|DIFFERENT\|MISSING' "$tmp/verify2.log")" -eq 1 ] || { cat "$tmp/verify2.log"; fail "make verify flagged more than the altered file"; }
say "make verify: an unchanged run passes; one altered byte fails, naming exp5_deepnet.tsv"
# A manifest that proves nothing is refused: no entries, or one result file of the registry left out.
head -n 1 "$runs/seed-0/manifest.tsv" > "$tmp/altered/manifest.tsv"
if mkt verify RUN="$tmp/altered" > "$tmp/verify3.log" 2>&1; then cat "$tmp/verify3.log"; fail "make verify passed a header-only manifest"; fi
grep -q "manifest.tsv lists no result files" "$tmp/verify3.log" || { cat "$tmp/verify3.log"; fail "make verify: no message for a header-only manifest"; }
grep -v '^exp1_forward_train.tsv' "$runs/seed-0/manifest.tsv" > "$tmp/altered/manifest.tsv"
if mkt verify RUN="$tmp/altered" > "$tmp/verify4.log" 2>&1; then cat "$tmp/verify4.log"; fail "make verify passed a manifest without exp1_forward_train.tsv"; fi
grep -q "does not list exp1_forward_train.tsv" "$tmp/verify4.log" || { cat "$tmp/verify4.log"; fail "make verify did not name the file missing from the manifest"; }
say "make verify: refuses a manifest with no entries, and one that leaves out a result file"

say "passed in $(( $(date +%s) - start )) s"
