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
# A node's name: "sleep N (pid P)", the command cut to fit 24 characters.
name() {
  local s="sleep $1" p=" (pid $2)"
  echo "${s:0:$((24 - ${#p}))}$p"
}
# ... and as a regular expression.
rx() { name "$@" | sed 's/[()]/\\&/g'; }
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
wait_for "The machine: [0-9]+ namespaces" 60

# The nodes are the namespaces, named by their first process, drawn in the
# graph; the link is the veth (the inspector, zoomed: each interface's peer
# in the view's model, then the scan's facts: processes, peers).
NA=$(name $A_S $A) NB=$(name $B_S $B) RA=$(rx $A_S $A) RB=$(rx $B_S $B)
cmd "select \"$NA\""
wait_for "[[(<]$RA[])>]"
keys C-b o
keys C-b z
wait_for "^ *$RA \\(host\\)"
wait_for "ha$$ .*-> ?$RB:hb$$"
wait_for "ha$$ peer hb$$ in sleep $B_S \\(pid $B\\)"
wait_for "^ *$A sleep $A_S"
keys C-b z
keys C-b g

# A new namespace appears within a few seconds (a scan a second, each one as
# slow as the kernel's answers: up to ~10 s here while other tests' namespaces
# are torn down, so 30 s is allowed); when its process dies it goes
# (selecting it: the graph draws it, and pans to it).
unshare -n sleep "$C_S" &
C=$!
pids+=($C)
NC=$(name $C_S $C)
for i in $(seq 100); do
  cmd "select \"$NC\""
  sleep 0.3
  screen | grep -qF "[$NC]" && break
done
screen | grep -qF "[$NC]" || fail "the new namespace is not in the view after 30 s"
kill $C
wait $C 2>/dev/null
wait_gone "[[(<]$(rx $C_S $C)[])>]" 30
cmd "select \"$NC\""
wait_for "No node \"$(rx $C_S $C)\""

# A refused command: its message, and the link is still up in the kernel.
cmd "link \"$NA\" \"$NB\" down"
wait_for "link: not on the host view \(read-only"
nsenter -t $A -n ip -br link show ha$$ | grep -q "UP" || fail "a refused command changed the machine"
cmd "reset"
wait_for "reset: not on the host view"

# A pane: a shell inside A (net and uts of its process): its veth is there.
cmd "term \"$NA\""
keys C-b z
wait_for "^$RA#"
keys -l "ip -br link show ha$$ | sed 's/^/IN-/'"
keys Enter
wait_for "IN-ha$$@"
keys -l "exit"
keys Enter
wait_for "shell exited"

cmd "quit"
wait_for "NETLAB-EXIT=0" 20
echo "ok"
