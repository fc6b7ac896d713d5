#!/usr/bin/env bash
# restart.sh — frr.restart(lab, router): new daemons (new pids, the
# supervisors counted a restart), the configuration read again, the links
# untouched, OSPF converged again, the static route back; a router
# without static routes runs no staticd; zebra comes back first, so the
# others are its clients at once.
. "$(dirname "$0")/../lib.sh"
need_root
if [ ! -x /usr/lib/frr/zebra ]; then echo "SKIP: FRR is not installed"; exit 77; fi
n=tfr$$
f=$(mklab $n <<'LAB'
local lab = netlab.lab("LABNAME")
local frr = netlab.frr
local r1 = frr.router(lab, "r1", { ospf = { hello = 1, dead = 4 }, static = { { "10.99.0.0/24", "10.0.12.2" } } })
local r2 = frr.router(lab, "r2", { ospf = { hello = 1, dead = 4 } })
local r3 = frr.router(lab, "r3", { ospf = { hello = 1, dead = 4 } })
frr.link(lab, r1, r2, { ip = { "10.0.12.1/30", "10.0.12.2/30" } })
frr.link(lab, r2, r3, { ip = { "10.0.23.1/30", "10.0.23.2/30" } })
experiment("restart", function()
  check(frr.converged(lab, { timeout = 60 }), "converged")
  local before = {}
  for _, d in ipairs({ "zebra", "staticd", "ospfd" }) do before[d] = r1:service_state(d) end
  local t0 = netlab.now()
  local ok, err = frr.restart(lab, r1)
  check(ok, "frr.restart: " .. tostring(err))
  -- zebra restarted first: ospfd and staticd find it at once (a daemon
  -- started before zebra's socket retries only 10 s later)
  local t1, clients = netlab.now(), ""
  while netlab.now() - t1 < 15 do
    clients = r1:vtysh("show zebra client summary") or ""
    if clients:match("ospf") and clients:match("static") then break end
    netlab.sleep(0.2)
  end
  print(("restart %.1f s, zebra's clients back %.1f s later"):format(t1 - t0, netlab.now() - t1))
  check(clients:match("ospf") and clients:match("static") and netlab.now() - t1 < 5,
    "ospfd and staticd are zebra's clients within 5 s of frr.restart: " .. clients)
  for _, d in ipairs({ "zebra", "staticd", "ospfd" }) do
    local st = r1:service_state(d)
    check(st.state == "running" and st.pid ~= before[d].pid and st.restarts == before[d].restarts + 1,
      ("%s: a new daemon (pid %d -> %d, restarts %d)"):format(d, before[d].pid, st.pid, st.restarts))
  end
  local t = r1:vtysh("show running-config")
  check(t and t:match("ip ospf hello%-interval 1"), "ospfd read its configuration again")
  local ok2, err2 = frr.converged(lab, { timeout = 60 })
  check(ok2, "converged again: " .. tostring(err2))
  check(r1:cmd("ip -4 route show 10.0.23.0/30"):match("proto ospf"), "r1 learns r2-r3's subnet again")
  check(r1:cmd("ip -4 route show 10.99.0.0/24"):match("via 10.0.12.2"), "r1's static route is back (staticd)")
  check(r2:service_state("staticd") == nil, "no staticd on a router without static routes")
end)
LAB
)
o=$("$NETLAB" run "$f" 2>&1)
r=$?
echo "$o"
expect "netlab run passes (rc $r)" [ $r -eq 0 ]
expect "no check failed" grep -q "11 passed, 0 failed" <<<"$o"
expect "nothing left" nothing_left $n
finish
