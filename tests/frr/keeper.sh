#!/usr/bin/env bash
# keeper.sh — one supervisor per lab (the service keeper), only while
# services run: every service of the lab is its child; once none runs it
# exits (a lab without running services has no such process); a netlab
# killed with -9 leaves no daemon running (the keeper stops them, and calls
# off a restart that was due, as a stop does), and
# `netlab clean` removes the rest; a lab kept up (run --keep) keeps its
# services, and `netlab down` removes them with the keeper.
. "$(dirname "$0")/../lib.sh"
need_root

alive() { [ -n "$1" ] && [ -d /proc/$1 ] && ! grep -q '^State:.*Z' /proc/$1/status 2>/dev/null; }
gone() { ! alive "$1"; }
svcpid() { awk '{print $2}' /run/netlab/$1/svc/$2 2>/dev/null; }
ppid() { awk '{print $4}' /proc/$1/stat 2>/dev/null; }

name=tkp$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
local T = ("LABNAME"):match("%d+")
local function ppid(pid)
  local f = io.open("/proc/" .. pid .. "/stat")
  local t = f and f:read("a")
  if f then f:close() end
  return t and tonumber(t:match("^%d+ %b() %S+ (%d+)"))
end
local function alive(pid)
  local f = io.open("/proc/" .. pid .. "/status")
  local t = f and f:read("a")
  if f then f:close() end
  return t ~= nil and not t:match("State:%s+Z")
end
local function until_(f) for _ = 1, 100 do if f() then return true end netlab.sleep(0.1) end end
experiment("one keeper, only while services run", function()
  check(h1:service("a", "exec sleep 1005." .. T) and h1:service("b", "exec sleep 1005." .. T)
    and h2:service("c", "exec sleep 1005." .. T, { restart = "always" }), "three services")
  local k = ppid(h1:service_state("a").pid)
  check(k and k == ppid(h1:service_state("b").pid) and k == ppid(h2:service_state("c").pid),
    "the three have one parent, the lab's keeper")
  check(h1:service_stop("a") and h1:service_stop("b") and h2:service_stop("c"), "all stopped")
  check(until_(function() h1:services() return not alive(k) end), "the keeper exits when nothing runs")
  check(h2:service_start("c") and until_(function() return h2:service_state("c").state == "running" end),
    "started again")
  local k2 = ppid(h2:service_state("c").pid)
  check(k2 and k2 ~= k and alive(k2), "a new keeper")
end)
experiment("wait", function()
  -- d fails at once; its restart is due a second later.
  check(h1:_service_start("d", "exit 1", "always", {}), "d started")
  netlab.sleep(0.5)
  print("READY")
  netlab.sleep(300)
end)
LAB
)
"$NETLAB" run "$f" >"$TMP/out" 2>&1 &
run=$!
for _ in $(seq 1 600); do grep -q READY "$TMP/out" && break; sleep 0.1; done
cat "$TMP/out"
expect "6 checks passed" grep -q "PASS  a new keeper$" "$TMP/out"
expect "d started" grep -q "PASS  d started$" "$TMP/out"
svc=$(svcpid $name h2.c)
keeper=$(ppid "$svc")
expect "service c runs ($svc, keeper $keeper)" alive "$svc"
kill -9 $run
wait $run 2>/dev/null
for _ in $(seq 1 100); do alive "$svc" || alive "$keeper" || break; sleep 0.1; done
expect "kill -9 of netlab: its service stopped" gone "$svc"
expect "kill -9 of netlab: the keeper exited" gone "$keeper"
# A restart that was due is called off, and the log says so as a stop does.
expect "kill -9 of netlab: d stopped" grep -q '^stopped ' /run/netlab/$name/svc/h1.d
expect "kill -9 of netlab: d's log says stopped" \
  bash -c "tail -1 /run/netlab/$name/log/h1/d.log | grep -q 'netlab: service d stopped$'"
"$NETLAB" clean $name >/dev/null 2>&1
expect "nothing left after clean" nothing_left $name
expect "no service process left" [ "$(pgrep -c -f "sleep 1005\\.$$\$")" = 0 ]

name=tkpk$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local T = ("LABNAME"):match("%d+")
lab:on_up(function() return h1:service("a", "exec sleep 1006." .. T, { restart = "always" }) end)
LAB
)
out=$("$NETLAB" run "$f" --keep 2>&1)
echo "$out"
svc=$(svcpid $name h1.a)
keeper=$(ppid "$svc")
sleep 0.5
expect "--keep: the service runs on ($svc)" alive "$svc"
expect "--keep: its keeper too ($keeper)" alive "$keeper"
"$NETLAB" down $name >/dev/null 2>&1
expect "down: nothing left" nothing_left $name
expect "down: no keeper" gone "$keeper"
expect "down: no service process" [ "$(pgrep -c -f "sleep 1006\\.$$\$")" = 0 ]

# 300 services asked for at once (a 100-router lab's daemons): the
# requests wait for room on the keeper's socket rather than fail.
name=tkpm$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local T = ("LABNAME"):match("%d+")
experiment("many", function()
  for i = 1, 300 do
    local ok, err = h1:_service_start("s" .. i, "exec sleep 1008." .. T, "no", {})
    if not ok then check(false, "start " .. i .. ": " .. tostring(err)) return end
  end
  local n
  for _ = 1, 150 do
    n = 0
    for _, s in ipairs(h1:services()) do if s.state == "running" then n = n + 1 end end
    if n == 300 then break end
    netlab.sleep(0.2)
  end
  check(n == 300, "300 services run: " .. n)
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
echo "$out" | tail -2
expect "300 services at once all run" grep -q "PASS  300 services run: 300" <<<"$out"
expect "nothing left" nothing_left $name
expect "no service process left" [ "$(pgrep -c -f "sleep 1008\\.$$\$")" = 0 ]
finish
