# ui_restore.sh — the lab stays what its file says (issue 9 §2): `link r1 h1
# down` then `up` gives h1 back its default route and static route (in the
# kernel), and h1 reaches h2 across the router again; `reset` puts back a
# link and a route changed behind the lab's back.
. "$(dirname "$0")/lib.sh"
command -v ping >/dev/null || { echo "SKIP: no ping"; exit 77; }
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local h1 = lab:host("h1", { ip = "10.0.1.10/24", gw = "10.0.1.1",
                            routes = { { "10.9.0.0/16", "10.0.1.1" } } })
local h2 = lab:host("h2", { ip = "10.0.2.10/24", gw = "10.0.2.1" })
local r1 = lab:router("r1")
lab:link(h1, r1, { ip = { false, "10.0.1.1/24" } })
lab:link(h2, r1, { ip = { false, "10.0.2.1/24" } })
LUA
start
cmd "link r1 h1 down"
wait_for 'link r1 h1 down'
ip -n "$LAB.h1" route | grep -q default && fail "h1 kept its default route with the link down"
cmd "link r1 h1 up"
wait_for 'link r1 h1 up'
ip -n "$LAB.h1" route show default | grep -q 'via 10.0.1.1 dev eth0' ||
  fail "link up did not restore h1's default route: $(ip -n "$LAB.h1" route)"
ip -n "$LAB.h1" route | grep -q '10.9.0.0/16 via 10.0.1.1' || fail "h1's static route is gone"
cmd "h1 ping -c1 -W2 h2"
wait_for 'h1\$ ping -c1 -W2 10\.0\.2\.10: exit 0'
# Behind the lab's back: the link down from inside, the route deleted.
ip -n "$LAB.h2" link set eth0 down
ip -n "$LAB.h1" route del 10.9.0.0/16
cmd "reset"
wait_for "reset: lab $LAB is as its file says"
ip -n "$LAB.h2" -br link show eth0 | grep -q ' UP ' || fail "reset left h2:eth0 down"
ip -n "$LAB.h1" route | grep -q '10.9.0.0/16 via 10.0.1.1' || fail "reset did not restore the route"
ip -n "$LAB.h2" route show default | grep -q 'via 10.0.2.1' || fail "reset did not restore h2's gateway"
cmd "h2 ping -c1 -W2 h1"
wait_for 'h2\$ ping -c1 -W2 10\.0\.1\.10: exit 0'
echo "ok"
