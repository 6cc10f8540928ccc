#!/bin/sh
# tests/deps_noroot.sh: the build on a machine without dpkg and apt where a library comes from a
# prefix of the user's (a cluster's module, ~/.local), not from the system's folders.
# The machine is simulated: a compiler whose system root (--sysroot) is this one's without GSL
# (symbolic links to every header and library folder entry but GSL's), GSL's headers and
# libraries copied into a prefix, pkg-config finding nothing (PKG_CONFIG_LIBDIR), and a PATH
# without dpkg-query, dpkg or apt-get. Checks:
#   1. scripts/deps.sh build fails, naming GSL's header and library with its Debian package and
#      how to provide it without root, and offers no apt-get command (there is no dpkg);
#   2. with CPATH and LIBRARY_PATH naming the prefix (what `module load gsl` sets) it passes;
#   3. make builds bnlab in a copy of the tree that way, and bnlab runs with LD_LIBRARY_PATH.
set -eu
cd "$(dirname "$0")/.."
. tests/test-lib.sh
test_begin deps-noroot tmp

command -v gcc >/dev/null 2>&1 || skip "no gcc"
[ -f /usr/include/gsl/gsl_rng.h ] || skip "GSL's headers are not in /usr/include (scripts/deps.sh build)"
libdir=$(gcc -print-multiarch 2>/dev/null) && [ -n "$libdir" ] && libdir=/usr/lib/$libdir || libdir=/usr/lib
ls "$libdir"/libgsl.so >/dev/null 2>&1 || skip "no libgsl.so in $libdir"

# the system root without GSL
R=$tmp/sysroot
mkdir -p "$R/usr/include" "$R$libdir" "$R/usr/lib"
for f in /usr/include/*; do case ${f##*/} in gsl) ;; *) ln -s "$f" "$R/usr/include/" ;; esac; done
for f in "$libdir"/*; do case ${f##*/} in libgsl*) ;; *) ln -s "$f" "$R$libdir/" ;; esac; done
for f in /usr/lib/*; do [ -e "$R/usr/lib/${f##*/}" ] || ln -s "$f" "$R/usr/lib/"; done
ln -s /lib "$R/lib"
[ ! -e /lib64 ] || ln -s /lib64 "$R/lib64"
# the user's prefix with GSL
P=$tmp/prefix
mkdir -p "$P/include" "$P/lib"
cp -a /usr/include/gsl "$P/include/"
cp -a "$libdir"/libgsl* "$P/lib/"
# the compiler, and a PATH without dpkg and apt
mkdir -p "$tmp/bin"
printf '#!/bin/sh\nexec gcc --sysroot=%s "$@"\n' "$R" > "$tmp/bin/cc-user"
chmod 755 "$tmp/bin/cc-user"
for d in /usr/local/bin /usr/bin /bin; do
  for f in "$d"/*; do
    case ${f##*/} in dpkg|dpkg-query|apt|apt-get) continue ;; esac
    [ -e "$tmp/bin/${f##*/}" ] || ln -s "$f" "$tmp/bin/"
  done
done
u() { env PATH="$tmp/bin" CC="$tmp/bin/cc-user" PKG_CONFIG_LIBDIR=/nonexistent "$@"; }

# 1. not found, named, with the way to provide it
if u scripts/deps.sh build > "$tmp/out1" 2>&1; then cat "$tmp/out1" >&2; fail "deps.sh build passed without GSL"; fi
grep -q 'gsl/gsl_rng.h and -lgsl .*\[Debian: libgsl-dev\]' "$tmp/out1" || { cat "$tmp/out1" >&2; fail "deps.sh does not name GSL's header, library and package"; }
grep -q 'without root.*CPATH and LIBRARY_PATH' "$tmp/out1" || { cat "$tmp/out1" >&2; fail "deps.sh does not say how to provide it without root"; }
if grep -q 'apt-get' "$tmp/out1"; then cat "$tmp/out1" >&2; fail "deps.sh offers apt-get where there is no dpkg"; fi
[ "$(grep -c 'Debian:' "$tmp/out1")" -eq 1 ] || { cat "$tmp/out1" >&2; fail "deps.sh names more than GSL as missing"; }
say "without GSL: $(sed -n 2p "$tmp/out1" | sed 's/^ *//')"

# 2. found as the compiler finds it
u CPATH="$P/include" LIBRARY_PATH="$P/lib" scripts/deps.sh build > "$tmp/out2" 2>&1 ||
  { cat "$tmp/out2" >&2; fail "deps.sh build did not find GSL through CPATH and LIBRARY_PATH"; }
say "with CPATH and LIBRARY_PATH naming the prefix: found"

# 3. the build
mkdir -p "$tmp/tree"
cp -a Makefile src scripts report tests "$tmp/tree/"
u CPATH="$P/include" LIBRARY_PATH="$P/lib" nice $MAKE -C "$tmp/tree" --no-print-directory -j2 build/bnlab > "$tmp/build.log" 2>&1 ||
  { tail -20 "$tmp/build.log" >&2; fail "make build/bnlab failed with GSL from the prefix"; }
LD_LIBRARY_PATH="$P/lib" "$tmp/tree/build/bnlab" --version > "$tmp/version" 2>&1 || { cat "$tmp/version" >&2; fail "bnlab does not run with LD_LIBRARY_PATH naming the prefix"; }
say "make build/bnlab with GSL from the prefix, no dpkg, no pkg-config answer: built; runs with LD_LIBRARY_PATH ($(($(date +%s) - start)) s): PASS"
