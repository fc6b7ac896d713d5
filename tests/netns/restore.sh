#!/usr/bin/env bash
# restore.sh — a link brought back up is the link the lab file describes
# (issue 9 §2): the kernel drops the routes (and IPv6 addresses) through a
# link set down, and link:up() / `link A B up` / lab:reset() put back
# addresses, default gateways, static routes and parameters on both ends.
. "$(dirname "$0")/../lib.sh"
need_root

name=trst$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = { "10.0.1.10/24", "fd01::10/64" }, gw = "10.0.1.1",
                            routes = { { "10.9.0.0/16", "10.0.1.1" } } })
local h2 = lab:host("h2", { ip = "10.0.2.10/24", gw = "10.0.2.1" })
local r1 = lab:router("r1", { routes = { { "10.8.0.0/16", "10.0.2.10" } } })
local l1 = lab:link(h1, r1, { ip = { false, "10.0.1.1/24" }, bw = "10mbit" })
local l2 = lab:link(h2, r1, { ip = { false, "10.0.2.1/24" } })

local function routes(n) return (n:cmd("ip route; ip -6 addr show dev eth0 scope global")) end

experiment("down then up restores h1's routes and the path through r1", function()
  check(l1:down(), "link h1 r1 down")
  local rt = routes(h1)
  check(not rt:match("default"), "down: the kernel dropped h1's default route:\n" .. rt)
  check(l1:up(), "link h1 r1 up")
  rt = routes(h1)
  check(rt:match("default via 10%.0%.1%.1 dev eth0"), "up: h1's default route is back:\n" .. rt)
  check(rt:match("10%.9%.0%.0/16 via 10%.0%.1%.1"), "up: h1's static route is back")
  check(rt:match("fd01::10/64"), "up: h1's IPv6 address is back")
  check(h1:ping(h2, { count = 1, timeout = 3 }), "h1 reaches h2 through r1 again")
end)

experiment("the other end's routes come back too", function()
  check(l2:down() and l2:up(), "link h2 r1 down and up")
  check(routes(r1):match("10%.8%.0%.0/16 via 10%.0%.2%.10"), "r1's static route via h2 is back")
  check(routes(h2):match("default via 10%.0%.2%.1"), "h2's default route is back")
end)

experiment("reset puts back what the file says", function()
  check(l1:down() and l2:down(), "both links down")
  h1:cmd("ip addr flush dev eth0; ip link set eth0 down")
  r1:cmd("echo 0 > /proc/sys/net/ipv4/ip_forward")
  check(lab:reset(), "lab:reset()")
  check(l1.is_up and l2.is_up, "both links are up again")
  check(r1:cmd("cat /proc/sys/net/ipv4/ip_forward") == "1\n", "r1 forwards again")
  local rt = routes(h1)
  check(rt:match("default via 10%.0%.1%.1") and rt:match("10%.0%.1%.0/24 dev eth0"),
        "h1's address and routes are back:\n" .. rt)
  check(h1:ping(h2, { count = 1, timeout = 3 }), "h1 reaches h2 after reset")
end)
LAB
)
out=$("$NETLAB" run "$f" --keep 2>&1)
rc=$?
if [ $rc -eq 0 ]; then pass "link down/up and reset experiments: $(grep -E "passed, " <<<"$out")"; else
        fail "link down/up and reset experiments (rc=$rc):"
        echo "$out" | sed 's/^/    /'
fi
# The kernel's state after the run, seen from outside.
expect "h1's default route is in the kernel" \
        bash -c "ip -n $name.h1 route show default | grep -q 'via 10.0.1.1 dev eth0'"
expect "h1's static route is in the kernel" \
        bash -c "ip -n $name.h1 route | grep -q '10.9.0.0/16 via 10.0.1.1'"
expect "h1:eth0's bandwidth limit is in place" \
        bash -c "tc -n $name.h1 qdisc show dev eth0 | grep -qE 'tbf|htb'"
expect "h1 pings h2 across r1" ip netns exec $name.h1 ping -c1 -W2 10.0.2.10
"$NETLAB" clean $name
expect "nothing left" nothing_left $name
finish
