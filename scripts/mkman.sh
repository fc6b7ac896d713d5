#!/bin/sh
# mkman.sh NETLAB IN OUT — netlab(1) from its template and the binary's own
# tables: `netlab --help` replaces @USAGE@, and `netlab --help-keys` (Markdown
# tables of keys and commands) replaces @KEYS@ as troff, so the manual lists
# exactly what the program has.
set -eu
netlab=$1 in=$2 out=$3
"$netlab" --help-keys | awk '
function esc(s) {
        gsub(/\\\|/, "|", s); gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s)
        gsub(/`/, "", s); gsub(/"/, "\\(dq", s); sub(/^[.'"'"']/, "\\\\\\&&", s)
        return s
}
/^\| *[^|`]+ *\| *\| *$/ {            # a table heading: | after the prefix | |
        h = $0; sub(/^\| */, "", h); sub(/ *\| *\| *$/, "", h)
        printf ".SS %s\n", esc(h); next
}
/^\|---/ { next }
/^\|/ {
        line = $0; sub(/^\| */, "", line); sub(/ *\| *$/, "", line)
        key = line; note = ""
        for (i = 1; i <= length(line); i++) {   # the first | not escaped
                c = substr(line, i, 1)
                if (c == "|" && substr(line, i - 1, 1) != "\\") {
                        key = substr(line, 1, i - 1); note = substr(line, i + 1); break
                }
        }
        sub(/ +$/, "", key); sub(/^ +/, "", note)
        printf ".TP\n.B %s\n%s\n", esc(key), esc(note); next
}' >"$out.keys"
"$netlab" --help | sed 's/^Usage: //; s/^       //; s/\\/\\e/g; s/-/\\-/g' >"$out.usage"
awk -v kf="$out.keys" -v uf="$out.usage" '
$0 == "@KEYS@" { while ((getline l < kf) > 0) print l; next }
$0 == "@USAGE@" { while ((getline l < uf) > 0) print l; next }
{ print }' "$in" >"$out.tmp"
mv "$out.tmp" "$out"
rm -f "$out.keys" "$out.usage"
