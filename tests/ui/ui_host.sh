#!/usr/bin/env bash
# ui_host.sh — `netlab host`: the console on the machine's namespaces. Two
# unnamed namespaces made with `unshare -n sleep` and a veth between them are
# drawn as nodes labelled by their process, joined by a link; a third that
# comes later appears, and goes when its process dies; a pane opens a shell
# inside one (its veth is there); a command that would change the machine is
# refused and changes nothing. At 200x60 and 80x24 (UIT_SIZE).
. "$(dirname "$0")/lib.sh"
W=${UIT_W:-200} H=${UIT_H:-60}
pids=()
cleanup_host() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  cleanup
}
trap cleanup_host EXIT

A_S=41$$ B_S=42$$ C_S=43$$
unshare -n sleep "$A_S" &
A=$!
pids+=($A)
unshare -n sleep "$B_S" &
B=$!
pids+=($B)
self=$(readlink /proc/self/ns/net)
for i in $(seq 50); do
  [ "$(readlink /proc/$A/ns/net)" != "$self" ] && [ "$(readlink /proc/$B/ns/net)" != "$self" ] && break
  sleep 0.1
done
ip link add ha$$ netns /proc/$A/ns/net type veth peer name hb$$ netns /proc/$B/ns/net ||
  fail "cannot make the test's veth"
nsenter -t $A -n ip link set ha$$ up
nsenter -t $B -n ip link set hb$$ up

tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x "$W" -y "$H" \
  "env LANG=C.UTF-8 TERM=screen-256color NETLAB_NO_SERVER=1 $BIN host; echo NETLAB-EXIT=\$?; sleep 600" ||
  fail "cannot start tmux"
wait_for "The machine: [0-9]+ namespaces" 30

# The nodes are the namespaces, named by their first process; the link is the veth.
cmd "links"
wait_for "sleep $A_S \\(pid $A\\):ha$$<->sleep $B_S \\(pid $B\\):hb$$|sleep $B_S \\(pid $B\\):hb$$<->sleep $A_S \\(pid $A\\):ha$$"
cmd "select \"sleep $A_S (pid $A)\""
wait_for "sleep $A_S \(pid $A\) \(host\)"
wait_for "ha$$ peer hb$$ in sleep $B_S \(pid $B\)"
wait_for "$A sleep $A_S"

# A new namespace appears within a few seconds; when its process dies it goes.
unshare -n sleep "$C_S" &
C=$!
pids+=($C)
cmd "nodes"
for i in $(seq 50); do
  cmd "nodes"
  screen | grep -q "sleep $C_S" && break
  sleep 0.2
done
screen | grep -q "sleep $C_S (pid $C)" || fail "the new namespace is not drawn"
kill $C
wait $C 2>/dev/null
for i in $(seq 50); do
  cmd "nodes"
  sleep 0.2
  screen | grep -q "sleep $C_S" || break
done
screen | grep -q "sleep $C_S" && fail "the gone namespace is still drawn"

# A refused command: its message, and the link is still up in the kernel.
cmd "link \"sleep $A_S (pid $A)\" \"sleep $B_S (pid $B)\" down"
wait_for "link: not on the host view \(read-only"
nsenter -t $A -n ip -br link show ha$$ | grep -q "UP" || fail "a refused command changed the machine"
cmd "reset"
wait_for "reset: not on the host view"

# A pane: a shell inside A (net and uts of its process): its veth is there.
cmd "term \"sleep $A_S (pid $A)\""
wait_for "sleep $A_S \(pid $A\): shell"
keys -l "ip -br link show ha$$ | sed 's/^/IN-/'"
keys Enter
wait_for "IN-ha$$@"
keys -l "exit"
keys Enter
wait_for "shell exited"

cmd "quit"
wait_for "NETLAB-EXIT=0" 20
echo "ok"
