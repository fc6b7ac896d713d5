# ui_reload.sh — `reload` rebuilds the lab after its file was edited,
# without leaving the console (issue 9 §2): a node added to the file is in
# the kernel and on the graph, one removed is gone; a file that no longer
# loads is reported at its line and the lab stays as it was; the lab can
# still be attached to afterwards; nothing is left at the end.
. "$(dirname "$0")/lib.sh"
write_lab 2
start
cmd "h1 echo before-reload"
wait_for '^before-reload'
cmd "term h2"
wait_for 'h2: shell'
# The edit: linear,3 (h3 and s3 appear).
sed -i 's/topo.linear(lab, 2)/topo.linear(lab, 3)/' "$TMP/lab.lua"
cmd "reload"
wait_for "reload: lab $LAB is up again from .*: 6 nodes, 5 links" 30
ip netns list | grep -q "^$LAB\.h3" || fail "reload did not build h3"
wait_for '\[h3\]'
cmd "h3 ping -c1 -W2 h1"
wait_for 'h3\$ ping -c1 -W2 10\.0\.0\.1: exit 0'
# A file that no longer loads: the error names its line, the lab stays.
echo 'lab:host("h9", { ip = "10.0.0.300/8" })' >>"$TMP/lab.lua"
cmd "reload"
wait_log "reload: .*lab\.lua:[0-9]+: .*\(lab $LAB stays as it was\)"
ip netns list | grep -q "^$LAB\.h3" || fail "a failed reload took the lab down"
cmd "h3 echo still-here"
wait_for '^still-here'
# Back to two hosts: h3 is gone from the kernel.
sed -i '$d' "$TMP/lab.lua"
sed -i 's/topo.linear(lab, 3)/topo.linear(lab, 2)/' "$TMP/lab.lua"
cmd "reload"
wait_for "reload: lab $LAB is up again from .*: 4 nodes, 3 links" 30
ip netns list | grep -q "^$LAB\.h3" && fail "h3 is still there after reload"
[ -e /etc/netns/$LAB.h3 ] && fail "h3's /etc/netns directory is left"
# The lab server listens again: ls sees it, attach works.
if "$BIN" ls 2>/dev/null | grep -q "^$LAB "; then
  "$BIN" ls | grep -Eq "^$LAB +running +server" || fail "netlab ls after reload: $("$BIN" ls)"
  tmux -u -L "$SOCK" new-window -d -t "$SESSION" -n att \
    "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
  for i in $(seq 50); do
    tmux -L "$SOCK" capture-pane -p -t "$SESSION:att" | grep -q "netlab>" && break
    sleep 0.1
  done
  tmux -L "$SOCK" capture-pane -p -t "$SESSION:att" | grep -q "netlab>" ||
    fail "attach after reload: $(tmux -L "$SOCK" capture-pane -p -t "$SESSION:att" | tail -3)"
fi
cmd "quit"
cmd "quit"
wait_for 'NETLAB-EXIT=0' 30
ip netns list | grep -q "^$LAB\." && fail "namespaces left: $(ip netns list | grep "^$LAB\.")"
ls -d /etc/netns/$LAB.* >/dev/null 2>&1 && fail "/etc/netns left: $(ls -d /etc/netns/$LAB.*)"
echo "ok"
