#!/usr/bin/env bash
# ui_host_fds.sh — `netlab host` on a machine with 1,000 namespaces under a
# descriptor limit of 256 (issue 16): the view holds no descriptor per
# namespace (it held two, and its scan one more: with 10,000 namespaces and
# a hard limit of 20,000 it failed with "Too many open files"). It still
# shows everything: every namespace, a veth's peer in another namespace (the
# inspector), and a pane enters a namespace it opens again by its path.
. "$(dirname "$0")/lib.sh"
W=${UIT_W:-200} H=${UIT_H:-60}
N=1000 P=uhf$$
cleanup_fds() {
  tmux -L "$SOCK" kill-server 2>/dev/null
  for i in $(seq $N); do echo "netns delete $P-$i"; done | ip -force -batch - 2>/dev/null
  cleanup
}
trap cleanup_fds EXIT

for i in $(seq $N); do echo "netns add $P-$i"; done | ip -batch - || fail "cannot make $N namespaces"
ip link add fa$$ netns $P-1 type veth peer name fb$$ netns $P-2 || fail "cannot make the test's veth"

tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x "$W" -y "$H" \
  "env LANG=C.UTF-8 TERM=screen-256color NETLAB_NO_SERVER=1 prlimit --nofile=256:256 $BIN host; echo NETLAB-EXIT=\$?; sleep 600" ||
  fail "cannot start tmux"
wait_for "The machine: [0-9]+ namespaces|NETLAB-EXIT" 60
screen | grep -q "Too many open files" && fail "the view ran out of descriptors"
n=$(screen | grep -Eo "The machine: [0-9]+ namespaces" | grep -Eo "[0-9]+")
[ "${n:-0}" -gt $N ] || fail "the view shows ${n:-no} namespaces, want more than $N"
pid=$(tmux -L "$SOCK" list-panes -t "$SESSION" -F "#{pane_pid}")
pid=$(pgrep -P "$pid" -f "host$" | head -1)
[ -n "$pid" ] && grep -q "^Max open files *256 *256" /proc/$pid/limits ||
  fail "netlab host does not run under the limit of 256 descriptors"

# The veth's peer, found in the other namespace (the inspector, zoomed).
cmd "select $P-2"
keys C-b o
keys C-b z
wait_for "fb$$ peer fa$$ in $P-1"
keys C-b z
keys C-b g

# A pane: a shell in $P-1, the namespace opened again when asked.
cmd "term $P-1"
keys C-b z
keys -l "ip -br link show fa$$ | sed 's/^/IN-/'"
keys Enter
wait_for "IN-fa$$@"
keys -l "exit"
keys Enter
wait_for "shell exited"

# One of ours goes: it leaves the view; the others stay.
ip netns delete $P-3
cmd "select $P-4"
wait_for "inspector: $P-4"
for i in $(seq 100); do
  cmd "select $P-3"
  sleep 0.3
  screen | grep -qF "No node \"$P-3\"" && break
done
screen | grep -qF "No node \"$P-3\"" || fail "a deleted namespace is still in the view after 30 s"
nfd=$(ls /proc/$pid/fd | wc -l)
[ "$nfd" -lt 200 ] || fail "netlab host holds $nfd descriptors with $N namespaces up"

cmd "quit"
wait_for "NETLAB-EXIT=0" 20
echo "ok"
