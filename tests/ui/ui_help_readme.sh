# ui_help_readme.sh — README's console tables are the ones `netlab
# --help-keys` prints from the key and command tables (no hand-listed key
# or command), and that dump fails when an entry lacks its help line.
set -u
BIN=${1:?usage: $0 NETLAB_BINARY}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$("$BIN" --help-keys) || { echo "FAIL: netlab --help-keys exit $?"; exit 1; }
echo "$out" | grep -q '^| `help \[COMMAND\]` | ' || { echo "FAIL: no help command in the dump"; exit 1; }
echo "$out" | grep -q '^| `Up Down Left Right` | ' || { echo "FAIL: no arrow keys in the dump"; exit 1; }
"$top/scripts/readme-help.sh" --check "$BIN" || { echo "FAIL: README.md is out of date"; exit 1; }
echo "ok"
