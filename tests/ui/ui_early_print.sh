#!/bin/bash
# What the lab file's top level prints (a warning of the model among it)
# reaches the console's output pane: it was written to the terminal just
# before the screen covered it, and a newcomer never saw it.
. "$(dirname "$0")/lib.sh"
write_lab
sed -i '1a print("early words from the lab file")' "$TMP/lab.lua"
start 100 30
wait_for "early words from the lab file" 10
echo "ok ($TEST)"
