# ui_busy.sh — an experiment that never yields (while true do end) does not
# freeze the console: commands still answer, `exp stop` stops it, and a
# SIGTERM while it spins tears the lab down with exit status 143.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
lab:link(h1, h2)
experiment("spin", function()
  check(true, "spinning now")
  while true do end
end)
LUA
start 80 24
cmd "exp run spin"
wait_for '✓ spinning now'
cmd "nodes"
wait_for 'available nodes are: h1 h2'
cmd "exp stop"
wait_for 'exp spin: stopped'
cmd "exp run spin"
wait_for 'exp spin: running'
sleep 0.5
# The lab's owner (the lab server the console runs under) is in the journal.
pid=$(awk '/^owner/ {print $2; exit}' "/run/netlab/$LAB/journal")
[ -n "$pid" ] || fail "no owner in the journal"
kill -TERM "$pid"
wait_for 'NETLAB-EXIT=143' 30
ip netns list | grep -q "^$LAB\." && fail "namespaces left: $(ip netns list | grep "^$LAB\.")"
[ -e "/run/netlab/$LAB" ] && fail "run directory left: /run/netlab/$LAB"
echo "ok"
