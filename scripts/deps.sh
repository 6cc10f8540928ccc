#!/bin/sh
# What bnlab needs, found as the compiler and the shell find it; on Debian, as root, the missing
# packages installed.
# usage: scripts/deps.sh build|report|test|cluster|bench|bench-torch|portability|all
#   build: compile bnlab; report: build + gnuplot, cmark-gfm, fonts, and for the literate page
#   KaTeX (nodejs, katex, fonts-katex), GNU source-highlight and Universal Ctags (make report);
#   test: what the tests add (cmocka, valgrind, clang for the fuzzers, headless Chromium with
#   Selenium and pdftotext for the browser test);
#   cluster: Slurm, munge and GNU parallel (make test-slurm, test-parallel); bench: NumPy for the
#   NumPy side of make bench-numpy (scripts/numpy-study.py) and perf for make bench's time
#   budget (scripts/bench-report.sh); bench-torch: PyTorch too, for make bench-torch
#   (scripts/torch-study.py; some 200 packages, so in no other group); portability: QEMU's
#   user-mode emulation, to run bnlab as other CPUs (make portability); all: everything but
#   bench-torch
# Each need is looked for where it is used, not in a package database: a library by pkg-config,
# else by compiling and linking a one-line program against its header and library with $CC and
# the environment's CPPFLAGS, CFLAGS, LDFLAGS, CPATH and LIBRARY_PATH (modules, a user prefix);
# a program on PATH; a Python or Node module by importing it. So a machine without root and
# without dpkg (a cluster's login node, with `module load gsl` ...) passes when its compiler finds
# the libraries. Where something is missing: as root, with apt-get and dpkg present and
# BN_NO_APT unset, apt-get installs the Debian packages that provide it; otherwise this names
# what is missing, the Debian packages, and how to provide them without root, and exits 1.
set -euf

# package   kind   what (lib: pkg-config name, header, link flags; cmd: program; py/node: module;
#                  deb: checked only where dpkg is, e.g. fonts the browser can do without)
needs() {
  case "$1" in
  build) cat <<'EOF'
gcc|cc|
make|cmd|make
libc6-dev|lib|-|math.h|-lm
libgsl-dev|lib|gsl|gsl/gsl_rng.h|-lgsl
libopenblas-dev|lib|openblas|cblas.h|-lopenblas
libxsmm-dev|lib|libxsmm|libxsmm.h|-lxsmm -lpthread -lrt -ldl -lm
zlib1g-dev|lib|zlib|zlib.h|-lz
pkg-config|deb|
EOF
  ;;
  report) needs build; cat <<'EOF'
gnuplot-nox|cmd|gnuplot
libcmark-gfm-dev|lib|libcmark-gfm|cmark-gfm.h|-lcmark-gfm
libcmark-gfm-extensions-dev|lib|libcmark-gfm-extensions|cmark-gfm-core-extensions.h|-lcmark-gfm-extensions -lcmark-gfm
fonts-dejavu-core|deb|
nodejs|cmd|node
katex|node|katex
fonts-katex|deb|
source-highlight|cmd|source-highlight
universal-ctags|cmd|ctags
EOF
  ;;
  test) cat <<'EOF'
libcmocka-dev|lib|cmocka|cmocka.h|-lcmocka
valgrind|cmd|valgrind
clang|cmd|clang
libclang-rt-14-dev|deb|
chromium|cmd|chromium
chromium-driver|cmd|chromedriver
python3-selenium|py|selenium
poppler-utils|cmd|pdftotext
EOF
  ;;
  cluster) cat <<'EOF'
slurm-wlm|cmd|slurmctld
munge|cmd|munged
parallel|cmd|parallel
EOF
  ;;
  bench) printf '%s\n' 'python3-numpy|py|numpy' 'linux-perf|cmd|perf' ;;
  bench-torch) printf '%s\n' 'python3-numpy|py|numpy' 'python3-torch|py|torch' ;;
  portability) echo 'qemu-user|cmd|qemu-x86_64' ;;
  all) for g in report test cluster bench portability; do needs $g; done ;;
  *) echo "scripts/deps.sh: unknown group '$1' (accepted: build, test, report, cluster, bench, bench-torch, portability, all)" >&2; exit 2 ;;
  esac
}
list=$(needs "${1:-all}") || exit 2

have_dpkg=no
command -v dpkg-query >/dev/null 2>&1 && have_dpkg=yes
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || cc=gcc
# the Python the scripts name (#!/usr/bin/python3), where it is
py=/usr/bin/python3
[ -x "$py" ] || py=python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bnlab-deps.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

# a library: its pkg-config file, else a program including HDR and linking LIBS (the compiler
# reads CPATH and LIBRARY_PATH itself; CPPFLAGS, CFLAGS and LDFLAGS split at blanks)
lib_found() {   # PC HDR LIBS
  if [ "$1" != - ] && command -v "${PKG_CONFIG:-pkg-config}" >/dev/null 2>&1 &&
     "${PKG_CONFIG:-pkg-config}" --exists "$1" 2>/dev/null; then return 0; fi
  printf '#include <stdarg.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <setjmp.h>\n#include <%s>\nint main(void) { return 0; }\n' "$2" > "$tmp/t.c"
  # shellcheck disable=SC2086
  $cc ${CPPFLAGS:-} ${CFLAGS:-} "$tmp/t.c" -o "$tmp/t" ${LDFLAGS:-} $3 >/dev/null 2>&1
}
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# (called as an if's condition: a failing test inside is an answer, not an exit under set -e)
found() {   # KIND A B C
  case "$1" in
    cc)   command -v "$cc" ;;
    cmd)  command -v "$2" ;;
    lib)  lib_found "$2" "$3" "$4" ;;
    py)   "$py" -c "import $2" ;;
    node) node -e "require('$2')" || node -e "require('/usr/share/nodejs/$2')" ;;
    deb)  [ $have_dpkg = no ] || deb_installed "$pkg" ;;
  esac
}
missing='' shown=''
while IFS='|' read -r pkg kind a b c; do
  [ -n "$pkg" ] || continue
  if found "$kind" "$a" "$b" "$c" >/dev/null 2>&1; then continue; fi
  case "$kind" in
    cc)   what="a C compiler ($cc)" ;;
    cmd)  what="$a (a program on PATH)" ;;
    lib)  what="$b and $c (pkg-config ${a#-}; or the compiler's CPATH, LIBRARY_PATH, CPPFLAGS, LDFLAGS)" ;;
    py)   what="the Python module $a" ;;
    node) what="the Node.js module $a (NODE_PATH)" ;;
    *)    what="the Debian package $pkg" ;;
  esac
  case " $missing " in *" $pkg "*) continue ;; esac
  missing="$missing $pkg"
  shown="$shown
  $what  [Debian: $pkg]"
done <<EOF
$list
EOF
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ] && [ $have_dpkg = yes ] && command -v apt-get >/dev/null 2>&1 && [ -z "${BN_NO_APT:-}" ]; then
  echo "bnlab: installing missing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Installing slurm-wlm or munge must not start their system daemons (the tests start their own):
  # Debian's policy-rc.d hook says no to every service start during this install, if none is set.
  prc=/usr/sbin/policy-rc.d
  if [ ! -e $prc ]; then
    printf '#!/bin/sh\nexit 101\n' > $prc && chmod 755 $prc
    trap 'rm -f $prc; rm -rf "$tmp"' EXIT
  fi
  # scripts/apt-install.sh waits for a held dpkg lock, updates the package lists once if a package
  # is unknown, and shows apt's errors
  # shellcheck disable=SC2086
  exec "$(dirname "$0")/apt-install.sh" $missing
fi
echo "bnlab: not found:$shown" >&2
if [ $have_dpkg = yes ] && command -v apt-get >/dev/null 2>&1; then
  echo "bnlab: install them as root with:  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
fi
echo "bnlab: without root (a cluster): load the modules that provide them (module load ...), or install them into a prefix and set PKG_CONFIG_PATH, or CPATH and LIBRARY_PATH (LD_LIBRARY_PATH to run), PATH for programs; docs/engines.md: \"Building without root\"" >&2
exit 1
