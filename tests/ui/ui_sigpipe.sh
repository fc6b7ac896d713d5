# ui_sigpipe.sh — the console shares netlab run's one stop-signal setup
# (lab_catch_stop_signals): a SIGPIPE is ignored (it used to kill the
# console and leave the lab behind), and SIGTERM still stops it in order,
# saying which signal did it.
. "$(dirname "$0")/lib.sh"
start
owner=$(awk '/^owner/ {print $2; exit}' "/run/netlab/$LAB/journal")
[ -n "$owner" ] || fail "no owner line in the journal"
kill -PIPE "$owner"
cmd "nodes"
wait_for 'available nodes are: h1 s1 h2 s2'
kill -0 "$owner" 2>/dev/null || fail "SIGPIPE killed the console"
ip netns list | grep -q "^$LAB\.h1" || fail "the lab went away after SIGPIPE"
kill -TERM "$owner"
wait_for 'NETLAB-EXIT=143' 30
ip netns list | grep -q "^$LAB\." && fail "namespaces left: $(ip netns list | grep "^$LAB\.")"
[ -e "/run/netlab/$LAB" ] && fail "run directory left: /run/netlab/$LAB"
echo "ok"
