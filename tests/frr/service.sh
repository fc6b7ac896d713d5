#!/usr/bin/env bash
# service.sh — supervised services in nodes: env, the per-node log, restart
# on a kill (always), node:restart(), stop and start again, a daemon that
# fails at once (the error carries its log's tail), one that keeps failing
# (given up after 5 restarts); the lab's teardown leaves no process, and an
# idle lab without services has none.
. "$(dirname "$0")/../lib.sh"
need_root

name=tsvc$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
-- Polls f until it is true (10 s at most): the machine may be loaded.
local function until_(f) for _ = 1, 100 do if f() then return end netlab.sleep(0.1) end end
-- The sleeps carry this run's number (sleep 1001.PID): the checks and the
-- pkill find only this run's processes, not another run's of this test.
local T = ("LABNAME"):match("%d+")
experiment("services", function()
  local ok, err = h1:service("web", "echo hello $FOO; exec sleep 1001." .. T, { env = { FOO = "bar" }, restart = "always" })
  check(ok, "started: " .. tostring(err))
  local st = h1:service_state("web")
  check(st.state == "running" and st.pid > 0 and st.restarts == 0, "running: " .. st.state)
  check(h1:service_log("web") == "hello bar\n", "env and log: " .. h1:service_log("web"))
  check(st.log:match("/run/netlab/LABNAME/log/h1/web.log$"), "log path " .. st.log)
  h1:cmd("pkill -f 'sleep 1001\\." .. T .. "$'")
  until_(function() local s = h1:service_state("web") return s.restarts == 1 and s.state == "running" end)
  st = h1:service_state("web")
  check(st.state == "running" and st.restarts == 1, "restarted after a kill: " .. st.state .. " " .. st.restarts)
  local pid = st.pid
  check(h1:restart() == 1, "node:restart restarts one service")
  until_(function() local s = h1:service_state("web") return s.pid ~= pid and s.state == "running" end)
  st = h1:service_state("web")
  check(st.state == "running" and st.pid ~= pid, "a new process after node:restart")
  local pid2 = h1:service_state("web").pid
  check(h1:service_stop("web") == true and h1:service_state("web").state == "stopped", "stopped")
  check(h1:cmd("kill -0 " .. pid2 .. " 2>/dev/null && echo alive || echo gone") == "gone\n", "its process is gone")
  check(h1:service_start("web") == true, "started again")
  local ok2, err2 = h1:service("bad", "echo 'config error on line 3' >&2; exit 3", {ready = "false", timeout = 60})
  check(not ok2 and err2:match("service bad in h1 failed %(status 3%); its log ends:\nconfig error on line 3"), "failure with the log's tail: " .. tostring(err2))
  local ok3, err3 = h2:service("flap", "exit 1", {restart = "on-failure", ready = "false", timeout = 60})
  check(not ok3 and err3:match("gave up") and err3:match("5 restarts within 60 s"), "gives up: " .. tostring(err3))
  local ok4, err4 = h2:service("slow", "sleep 1002." .. T, {ready = "test -e /nonexistent", timeout = 1})
  check(not ok4 and err4:match("not ready after 1 s"), "not ready: " .. tostring(err4))
  local names = {}
  for _, s in ipairs(h1:services()) do names[#names + 1] = s.name .. "=" .. s.state end
  check(table.concat(names, " ") == "web=running bad=failed", "services(): " .. table.concat(names, " "))
  local ok5, err5 = pcall(function() h1:service("x", "true", {restart = "sometimes"}) end)
  check(not ok5 and err5:match("LABNAME.lua:%d+: node:service: restart = sometimes"), "bad restart: " .. tostring(err5))
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out" | grep -E "FAIL|passed"
expect "run passes (rc $rc)" [ $rc -eq 0 ]
expect "15 checks" grep -q "15 passed, 0 failed" <<<"$out"
expect "nothing left" nothing_left $name
expect "no service process left" [ "$(pgrep -c -f "sleep 100[12]\\.$$\$")" = 0 ]
finish
