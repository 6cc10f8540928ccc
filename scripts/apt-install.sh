#!/bin/sh
# Install Debian packages as root, for scripts/deps.sh and the dataset fallback of
# scripts/dataset.sh. usage: scripts/apt-install.sh PACKAGE...
#  - a dpkg lock held by another install is waited for (BNLAB_APT_LOCK_TIMEOUT seconds, default
#    300) instead of failing at once;
#  - a package apt does not know (a fresh container ships with empty package lists) triggers one
#    `apt-get update` and one retry;
#  - apt's own error lines are shown when the install fails, never hidden.
set -u
[ $# -gt 0 ] || { echo "usage: scripts/apt-install.sh PACKAGE..." >&2; exit 2; }
lock=${BNLAB_APT_LOCK_TIMEOUT:-300}
export DEBIAN_FRONTEND=noninteractive
err=$(mktemp "${TMPDIR:-/tmp}/bnlab-apt.XXXXXX" 2>/dev/null) && [ -n "$err" ] ||
  { echo "bnlab: cannot create a temporary file in TMPDIR=${TMPDIR:-/tmp}: $([ -d "${TMPDIR:-/tmp}" ] && echo "not writable" || echo "no such folder")" >&2; exit 1; }
trap 'rm -f "$err"' EXIT
trap 'exit 130' INT TERM HUP

# apt's progress goes nowhere; its errors are kept for the message
install() { apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout="$lock" "$@" >/dev/null 2>"$err"; }

install "$@" && exit 0
if grep -q -e 'Unable to locate package' -e 'has no installation candidate' -e 'is not available' \
     -e 'Failed to fetch' -e 'Unable to fetch' "$err"; then
  echo "bnlab: apt-get does not have $* in its package lists: running apt-get update once, then retrying" >&2
  if ! apt-get update -q -o DPkg::Lock::Timeout="$lock" >/dev/null 2>"$err"; then
    sed 's/^/bnlab: apt-get update: /' "$err" >&2
  fi
  install "$@" && exit 0
fi
sed 's/^/bnlab: apt-get: /' "$err" >&2
echo "bnlab: could not install $* (apt-get's errors above)" >&2
exit 1
