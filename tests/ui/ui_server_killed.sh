# ui_server_killed.sh — kill -9 of the lab server (the console's parent,
# which holds its pty): the terminal gets its screen back and a line naming
# the lab (it named the lab file's base, "lab lab", before the server told
# the terminal the lab's name), and the console, its pty gone, takes the
# lab down: nothing is left.
. "$(dirname "$0")/lib.sh"
start 80 24
pid=$("$BIN" ls --json | grep "\"lab\": \"$LAB\"" | sed -n 's/.*"owner": "netlab pid \([0-9]*\).*/\1/p')
[ -n "$pid" ] || fail "no console pid for $LAB in netlab ls"
server=$(ps -o ppid= -p "$pid" | tr -d ' ')
[ -n "$server" ] && [ "$server" != 1 ] || fail "no server above console $pid"
kill -9 "$server"
wait_for "NETLAB-EXIT=" 15
tmux -L "$SOCK" capture-pane -p -J -t "$SESSION" | grep -q "\[lost the lab server: lab $LAB\]" ||
  fail "the line does not name lab $LAB"
i=0
while ip netns list | grep -q "^$LAB\." && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
ip netns list | grep -q "^$LAB\." && fail "namespaces left after the server was killed"
echo "PASS ($TEST)"
