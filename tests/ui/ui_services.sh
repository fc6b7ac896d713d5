# ui_services.sh — a node's services in the console (issue 12): the
# inspector lists each with its state, pid, restarts and last status, as its
# supervisor wrote them; `logs NODE SERVICE` opens a pane that follows the
# log (new lines keep arriving while the console takes commands); `logs
# NODE` follows all of them; a stop shows in both; a service that does not
# exist gets a message naming it.
# (The inspector reads on the kernel worker, behind netlink dumps that wait
# for the rtnl lock while other labs build: its waits are long.)
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
experiment("services", function()
  h1:service("tick", "i=0; while :; do i=\$((i+1)); echo tick \$i; sleep 0.3; done")
  h1:service("flap", "echo flapping; exit 2", { restart = "on-failure", ready = "false", timeout = 1 })
  h1:service("done", "echo bye; exit 0")
end)
LUA
start 120 40
cmd "exp run services"
wait_for 'exp services: 0 passed, 0 failed' 60

# The inspector: every service with its state.
cmd "select h1"
wait_for 'services \(3\)' 40
wait_for '│ tick +running pid [0-9]+' 30
wait_for 'flap +gave-up 5 restarts status 2' 30
wait_for 'done +exited status 0' 10
pid=$(awk '{print $2}' /run/netlab/$LAB/svc/h1.tick)
screen | grep -q "tick *running pid $pid\b" || fail "the inspector's pid is not the supervisor's ($pid)"
[ "$(ip netns identify "$pid")" = "$LAB.h1" ] || fail "pid $pid is not in h1"

# logs h1 tick: a pane that follows the log.
cmd "logs h1 tick"
wait_for 'h1: logs tick' 10
wait_for '^tick [0-9]+ ' 10
last() { screen | sed -n 's/^tick \([0-9]*\) .*/\1/p' | sort -n | tail -1; }
n1=$(last)
# The console still takes commands while the pane follows.
cmd "select h2"
wait_for 'inspector: h2 ' 10
cmd "select h1"
wait_for 'inspector: h1 ' 10
i=0
while [ "$(last)" -le $((n1 + 3)) ]; do
  i=$((i + 1))
  [ $i -gt 100 ] && fail "the logs pane did not follow: still at tick $(last) (was $n1)"
  sleep 0.1
done
[ "$(tail -1 /run/netlab/$LAB/log/h1/tick.log | cut -d' ' -f2)" -ge "$(last)" ] ||
  fail "the pane shows a tick the log does not have"

# A stop: the supervisor's line arrives in the pane, the inspector says so.
cmd "service h1 tick stop"
wait_for 'netlab: service tick stopped' 15
wait_for '│ tick +stopped' 30
[ "$(awk '{print $1}' /run/netlab/$LAB/svc/h1.tick)" = stopped ] || fail "h1.tick is not stopped"

# A log with little in it: the pane says what it follows first.
cmd "logs h1 done"
wait_for "netlab: following done.log in /run/net" 10
wait_for '│bye' 10

# logs h1: all of h1's logs, headed by their names.
cmd "logs h1"
wait_for 'h1: logs ' 10
wait_for '==> done.log <==' 10
wait_for 'given up' 10

cmd "logs h1 nosuch"
wait_for 'logs: h1 runs no service nosuch yet' 10
# A node with no service says where services come from (a routing lab
# starts them in an experiment; a newcomer was sent to node:service).
cmd "restart h2"
wait_log 'restart: h2 runs no service yet \(a lab starts them with node:service, in lab:on_up or an experiment: exp run NAME\)' 10
cmd "logs nosuch"
wait_for 'No node "nosuch"' 10
echo "ok"
