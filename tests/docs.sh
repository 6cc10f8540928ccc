#!/bin/sh
# tests/docs.sh - the README and docs/ against the code (make docs):
#   - the README is a front door: at most 200 lines;
#   - every relative link in README.md and docs/*.md names a file that exists, and every
#     #anchor a heading of that file (GitHub's heading ids);
#   - every make target `make help` names, every make variable it names and every option of
#     `bnlab --help` appears in the README or docs/;
#   - every result file `bnlab list-files` names is described in docs/experiments.md;
#   - every test suite of tests/suites.sh is described in docs/tests.md.
set -u
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin docs tmp
n=$(wc -l < README.md)
[ "$n" -le 200 ] || fail "README.md has $n lines (at most 200: the reference goes in docs/)"
say "README.md: $n lines"

python3 - README.md docs/*.md <<'PY' || fail "broken links (above)"
import os, re, sys
def slug(h):
    h = re.sub(r'[`*_]', '', h.strip().lower())
    h = re.sub(r'[^\w\- ]', '', h)
    return h.replace(' ', '-')
heads = {}
for f in sys.argv[1:]:
    heads[f] = {slug(m.group(1)) for m in re.finditer(r'^#+ (.*)$', open(f).read(), re.M)}
bad = 0
for f in sys.argv[1:]:
    for m in re.finditer(r'\]\(([^)\s]+)\)', open(f).read()):
        t = m.group(1)
        if re.match(r'[a-z]+:', t): continue
        path, _, anchor = t.partition('#')
        target = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        if not os.path.exists(target):
            print(f"docs: {f}: link to {t}: no file {target}"); bad += 1
        elif anchor and target.endswith('.md') and anchor not in heads.get(target, set()):
            print(f"docs: {f}: link to {t}: {target} has no heading with id '{anchor}'"); bad += 1
sys.exit(1 if bad else 0)
PY
say "every link resolves"

cat README.md docs/*.md > "$tmp/all.md"
missing=""
# make targets and variables named by make help
make --no-print-directory help > "$tmp/help.txt" 2>&1 || fail "make help failed"
for t in $(grep -o 'make [a-z][a-z0-9-]*' "$tmp/help.txt" | sort -u | sed 's/^make //'); do
  grep -q "make $t\b" "$tmp/all.md" || missing="$missing target:$t"
done
for v in $(grep -o '\b[A-Z][A-Z0-9_]*=' "$tmp/help.txt" | sort -u | tr -d = | grep -vx VAR); do
  grep -q "\b$v\b" "$tmp/all.md" || missing="$missing variable:$v"
done
build/bnlab --help > "$tmp/bnlab.txt" || fail "bnlab --help failed"
for o in $(grep -o -- '--[a-z][a-z-]*' "$tmp/bnlab.txt" | sort -u); do
  grep -q -- "$o\b" "$tmp/all.md" || missing="$missing option:$o"
done
build/bnlab list-files > "$tmp/files.txt" || fail "bnlab list-files failed"
for f in $(awk -F '\t' 'NR > 1 { print $3 }' "$tmp/files.txt" | sort -u); do
  grep -q -F "$f" docs/experiments.md || missing="$missing file:$f"
done
for s in $(tests/suites.sh --list); do
  grep -q "\b$s\b" docs/tests.md || missing="$missing suite:$s"
done
[ -z "$missing" ] || fail "not in the README or docs/:$missing"
say "every make target and variable, bnlab option, result file and test suite is documented"
say "passed in $(( $(date +%s) - start )) s"
