#!/bin/sh
# readme-help.sh — README's console tables (keys and commands) are printed
# by `netlab --help-keys` from the tables in ui/keys.c and ui/commands.c;
# this rewrites the part of README.md between the two markers with them.
#   scripts/readme-help.sh [--check] [NETLAB_BINARY]   (default: build/netlab)
# --check changes nothing: it shows the difference and exits 1 when README
# is out of date (tests/ui/ui_help_readme.sh runs it).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
check=0
if [ "${1:-}" = --check ]; then
  check=1
  shift
fi
bin=${1:-$top/build/netlab}
readme=$top/README.md
begin='<!-- BEGIN netlab --help-keys (scripts/readme-help.sh writes this part) -->'
end='<!-- END netlab --help-keys -->'
grep -qxF "$begin" "$readme" && grep -qxF "$end" "$readme" || {
  echo "readme-help.sh: $readme has no \"$begin\" ... \"$end\" markers" >&2
  exit 2
}
tmp=$(mktemp)
tables=$(mktemp)
trap 'rm -f "$tmp" "$tables"' EXIT
"$bin" --help-keys >"$tables" || {
  echo "readme-help.sh: $bin --help-keys failed (an entry lacks its help line?)" >&2
  exit 1
}
awk -v b="$begin" -v e="$end" -v t="$tables" '
  $0 == b { print; while ((getline l < t) > 0) print l; skip = 1; next }
  $0 == e { skip = 0 }
  !skip { print }
' "$readme" >"$tmp"
if [ "$check" = 1 ]; then
  if ! diff -u "$readme" "$tmp"; then
    echo "README.md's console tables are out of date: run scripts/readme-help.sh" >&2
    exit 1
  fi
  exit 0
fi
cat "$tmp" >"$readme"
