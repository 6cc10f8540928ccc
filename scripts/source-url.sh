#!/bin/sh
# Print what the report's code excerpts link to: the git remote's page of the commit (GitHub,
# GitLab and similar: .../blob/COMMIT) when a remote "origin" is set, else the path from the
# report folder REPORT_DIR back to this checkout. usage: scripts/source-url.sh REPORT_DIR
set -eu
dir=${1:?usage: scripts/source-url.sh REPORT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
if url=$(git -C "$root" remote get-url origin 2>/dev/null) && commit=$(git -C "$root" rev-parse HEAD 2>/dev/null); then
  case $url in
    git@*:*) host=${url#git@}; url="https://${host%%:*}/${host#*:}" ;;
    ssh://git@*) url="https://${url#ssh://git@}" ;;
  esac
  case $url in
    https://*|http://*) printf '%s/blob/%s\n' "${url%.git}" "$commit"; exit 0 ;;
  esac
fi
realpath -m --relative-to="$dir" "$root"
