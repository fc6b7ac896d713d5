# ui_lua_stop.sh — Lua typed at the console that never yields does not
# freeze it: `lua while true do end` leaves the screen answering, `exp stop`
# stops it; `lua os.exit(3)` quits, tears the lab down, and exits 3.
. "$(dirname "$0")/lib.sh"
start 80 24
cmd "lua while true do end"
sleep 0.3
cmd "nodes"
wait_for 'available nodes are: h1 s1 h2 s2'
cmd "exp stop"
cmd "lua 6 * 7"
wait_for '^42' 10
cmd "lua os.exit(3)"
wait_for 'NETLAB-EXIT=3' 30
ip netns list | grep -q "^$LAB\." && fail "namespaces left: $(ip netns list | grep "^$LAB\.")"
[ -e "/run/netlab/$LAB" ] && fail "run directory left: /run/netlab/$LAB"
echo "ok"
