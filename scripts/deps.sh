#!/bin/sh
# Install the Debian 12 packages bnlab needs, if any are missing.
# usage: scripts/deps.sh build|report|test|cluster|bench|portability|all
#   build: compile bnlab; report: build + gnuplot, cmark-gfm, fonts, and for the literate page
#   KaTeX (nodejs, katex, fonts-katex), GNU source-highlight and Universal Ctags (make report);
#   test: what the tests add (cmocka, valgrind, clang for the fuzzers, headless Chromium with
#   Selenium and pdftotext for the browser test);
#   cluster: Slurm, munge and GNU parallel (make test-slurm, test-parallel); bench: NumPy for the
#   NumPy side of make bench-numpy (scripts/numpy-study.py) and perf for make bench's time
#   budget (scripts/bench-report.sh); portability: QEMU's user-mode
#   emulation, to run bnlab as other CPUs (make portability); all: everything
# As root it runs apt-get; otherwise it prints the exact command to run and exits 1.
set -eu

build="gcc make pkg-config libc6-dev libgsl-dev libopenblas-dev libxsmm-dev zlib1g-dev"
testpk="libcmocka-dev valgrind clang libclang-rt-14-dev chromium chromium-driver python3-selenium poppler-utils"
cluster="slurm-wlm munge parallel"
bench="python3-numpy linux-perf"
portability="qemu-user"
report="gnuplot-nox libcmark-gfm-dev libcmark-gfm-extensions-dev fonts-dejavu-core nodejs katex fonts-katex source-highlight universal-ctags"

case "${1:-all}" in
  build)  want="$build" ;;
  test)   want="$testpk" ;;
  report) want="$build $report" ;;
  cluster) want="$cluster" ;;
  bench)  want="$bench" ;;
  portability) want="$portability" ;;
  all)    want="$build $testpk $report $cluster $bench $portability" ;;
  *) echo "scripts/deps.sh: unknown group '$1' (accepted: build, test, report, cluster, bench, portability, all)" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "bnlab: missing Debian packages:$missing" >&2
  echo "bnlab: install them as root with:  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "bnlab: installing missing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Installing slurm-wlm or munge must not start their system daemons (the tests start their own):
# Debian's policy-rc.d hook says no to every service start during this install, if none is set.
prc=/usr/sbin/policy-rc.d
if [ ! -e $prc ]; then
  printf '#!/bin/sh\nexit 101\n' > $prc && chmod 755 $prc
  trap 'rm -f $prc' EXIT INT TERM
fi
# scripts/apt-install.sh waits for a held dpkg lock, updates the package lists once if a package
# is unknown, and shows apt's errors
# shellcheck disable=SC2086
"$(dirname "$0")/apt-install.sh" $missing
