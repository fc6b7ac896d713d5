# ui_quit.sh — quitting asks once when shells run, then leaves nothing
# behind: no namespace, no link, no process, no journal; exit status 0.
. "$(dirname "$0")/lib.sh"
start
cmd "term h1"
wait_for 'h1: shell'
keys -l "sleep 9$$ &"
keys Enter
cmd "quit"
wait_for 'shell is still running: quit again'
ip netns list | grep -q "^$LAB\." || fail "quit without confirmation tore the lab down"
cmd "quit"
wait_for 'NETLAB-EXIT=0' 30
ip netns list | grep -q "^$LAB\." && fail "namespaces left: $(ip netns list | grep "^$LAB\.")"
[ -e "/run/netlab/$LAB" ] && fail "run directory (journal) left: /run/netlab/$LAB"
for p in $(pgrep -f "sleep 9$$"); do
  fail "process $p (sleep 9$$) left behind"
done
for p in $(pgrep -f "$TMP/lab.lua"); do
  grep -q NETLAB-EXIT "/proc/$p/cmdline" 2>/dev/null || fail "netlab process $p left"
done
echo "ok"
