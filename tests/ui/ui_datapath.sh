# ui_datapath.sh — the console watches the lab's datapath (issue 8 §1): a
# SIGKILL to it shows "datapath died (signal 9)" at once and it is
# restarted (the VLANs forward again); after the fourth death within a
# minute the title bar says "datapath dead", an experiment fails at once with
# the reason, and quitting leaves nothing.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local s = lab:switch("s")
local h1, h2 = lab:host("h1"), lab:host("h2")
lab:link(h1, s, { ip = { "10.5.1.1/24", false }, vlan = 10 })
lab:link(h2, s, { ip = { "10.5.1.2/24", false }, vlan = 10 })
experiment("vlan", function() check(h1:ping("10.5.1.2"), "h1 reaches h2") end)
LUA
start 100 30
"$BIN" doctor "$TMP/lab.lua" | grep -q "datapath process: yes" || { echo "SKIP: the kernel does this lab's VLANs"; exit 77; }
dp_pid() { awk '/^datapath/ {p = $2} END {print p}' "/run/netlab/$LAB/journal"; }
kill_dp() {
  local p
  p=$(dp_pid)
  kill -9 "$p" || fail "no datapath to kill"
  for i in $(seq 50); do [ "$(dp_pid)" != "$p" ] && return 0; grep -q 'not restarted' "$TMP/state/netlab/console.log" 2>/dev/null && return 0; sleep 0.1; done
}
kill_dp
wait_for "datapath died \(signal 9\)" 5
cmd "exp run vlan"
wait_for "vlan: 1 passed, 0 failed" 20
kill_dp; kill_dp; kill_dp
wait_for " datapath dead " 5
wait_log "datapath died \(signal 9\); not restarted: it died 4 times within 60 s"
cmd "exp run vlan"
wait_for "the datapath is dead: datapath died \(signal 9\); not restarted" 10
cmd "quit"
wait_for "NETLAB-EXIT=" 20
ip netns list | grep -q "^$LAB\." && fail "namespaces of $LAB left"
pgrep -f "netlab datapath $LAB\$" >/dev/null && fail "a datapath of $LAB left"
echo PASS
