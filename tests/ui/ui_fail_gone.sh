#!/bin/bash
# A console whose build failed keeps no lab: once its terminal is gone, the
# console and its server go too (the server held the terminal's own end of
# the client socket, so it never saw the client leave, and both lived on).
# Also: a lab that is up, its terminal killed, has no client left that could
# hold a size or swallow output (checked through the server's descriptors).
. "$(dirname "$0")/lib.sh"
write_lab
ip netns add "$LAB.h2" || fail "cannot make the conflicting namespace"
trap 'ip netns del "$LAB.h2" 2>/dev/null; cleanup' EXIT
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 100 -y 30 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN $TMP/lab.lua; echo NETLAB-EXIT=\$?; sleep 600" ||
  fail "cannot start tmux"
wait_for "Build failed: .*$LAB.h2" 30
pgrep -f "$BIN $TMP/lab.lua" >/dev/null || fail "no console before the terminal closed"
tmux -L "$SOCK" kill-server
for _ in $(seq 50); do
  pgrep -f "$BIN $TMP/lab.lua" >/dev/null || break
  sleep 0.1
done
pgrep -af "$BIN $TMP/lab.lua" && fail "the console of a failed build outlived its terminal"
ip netns del "$LAB.h2"

# An up lab whose terminal is killed: the server holds no client socket.
start 100 30
srv=$(pgrep -f "$BIN $TMP/lab.lua" | head -1)
tmux -L "$SOCK" kill-server
sleep 1
pgrep -f "$BIN $TMP/lab.lua" >/dev/null || fail "the lab went with its terminal"
# The server is the console's parent; its sockets: the console's control
# pair and the listening socket only.
con=$(pgrep -f "$BIN $TMP/lab.lua" | while read -r p; do
  pp=$(awk '/^PPid/{print $2}' /proc/$p/status)
  pgrep -f "$BIN $TMP/lab.lua" | grep -qx "$pp" && echo "$pp"
done | head -1)
[ -n "$con" ] || fail "no server process found"
n=$(ls -l /proc/$con/fd | grep -c 'socket:')
[ "$n" -le 2 ] || fail "the server still holds $n sockets after its only client left (pid $con, was $srv)"
"$BIN" down "$LAB" >/dev/null 2>&1 || fail "netlab down $LAB failed"

# A terminal closed while the lab still builds detaches it: the build goes
# on and the lab stays up (only a failed build is let go).
sed -i '1a os.execute("sleep 2")' "$TMP/lab.lua"
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 100 -y 30 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN $TMP/lab.lua; sleep 600" || fail "cannot start tmux"
sleep 0.5
tmux -L "$SOCK" kill-server
for _ in $(seq 100); do
  "$BIN" ls 2>/dev/null | grep -q "^$LAB .*running" && break
  sleep 0.1
done
"$BIN" ls 2>/dev/null | grep -q "^$LAB .*running" || fail "a lab whose terminal closed during its build did not come up"
"$BIN" down "$LAB" >/dev/null 2>&1 || fail "netlab down $LAB failed"
echo "ok ($TEST)"
