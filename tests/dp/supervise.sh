#!/bin/bash
# The datapath is supervised (issue 8 §1). A lab on the userspace datapath
# has its datapath killed (SIGKILL) from inside an experiment:
#  - that experiment fails with "datapath died (signal 9)", and a check that
#    expects no traffic does not pass while the datapath is down;
#  - the datapath is restarted, and the next experiment forwards again;
#  - after DP_RESTART_MAX restarts within a minute it is not restarted: the
#    next experiment fails at once, saying so, and `netlab run --keep` does
#    not report the lab as kept up (exit 1, nothing left);
#  - a healthy lab kept up with --keep keeps forwarding after netlab exits
#    (its datapath outlives the run), until `netlab clean` removes it.
NETLAB=${1:?usage: $0 PATH/TO/netlab}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
export NETLAB SRC
. "$SRC/tests/lib.sh"
need_root

labtext() { # labtext EXPERIMENTS: a VLAN lab (h1, h2 on VLAN 10; h3 on 20)
        cat <<LUA
local lab = netlab.lab("LABNAME")
local s = lab:switch("s")
local h1, h2, h3 = lab:host("h1"), lab:host("h2"), lab:host("h3")
lab:link(h1, s, { ip = { "10.5.0.1/24", false }, vlan = 10 })
lab:link(h2, s, { ip = { "10.5.0.2/24", false }, vlan = 10 })
lab:link(h3, s, { ip = { "10.5.0.3/24", false }, vlan = 20 })
local function kill_dp()
  local pid
  for l in io.lines("/run/netlab/LABNAME/journal") do pid = l:match("^datapath (%d+)") or pid end
  -- returns once it is a zombie: its death is then there to be noticed
  os.execute("kill -9 " .. pid .. "; while ! grep -q ') Z' /proc/" .. pid .. "/stat; do sleep 0.05; done")
end
LUA
        cat
}

L1=tsup$$
F1=$(labtext <<'LUA' | mklab $L1
experiment("before", function() check(h1:ping("10.5.0.2"), "h1 reaches h2") end)
experiment("killed", function()
  kill_dp()
  check(true, "no traffic from h1 to h3")
  check(h1:ping("10.5.0.2"), "h1 reaches h2 (never judged)")
end)
experiment("restarted", function()
  check(h1:ping("10.5.0.2"), "h1 reaches h2 after the restart")
  check(not h1:ping("10.5.0.3", { count = 1, timeout = 1 }), "h1 does not reach h3")
end)
LUA
)
"$NETLAB" run "$F1" >"$TMP/out1" 2>&1
rc=$?
cat "$TMP/out1"
expect "a run whose datapath died exits 1" [ $rc = 1 ]
section() { awk -v s="== $1" '$0 == s {on=1; next} /^== / {on=0} on' "$TMP/out1"; }
expect "the killed experiment fails with \"datapath died (signal 9)\"" \
        grep -q "FAIL  datapath died (signal 9); restarted" <(section killed)
expect "the no-traffic check is not judged while the datapath is down" \
        grep -q "FAIL  no traffic from h1 to h3: not judged: datapath died (signal 9)" <(section killed)
expect "nothing in the killed experiment passes" bash -c "! grep -q PASS <(awk -v s='== killed' '\$0 == s {on=1; next} /^== / {on=0} on' '$TMP/out1')"
expect "the restarted datapath forwards and isolates" \
        [ "$(section restarted | grep -c PASS)" = 2 ]
expect "summary: 3 passed, 2 failed" grep -q "^3 passed, 2 failed" "$TMP/out1"
expect "nothing of $L1 is left" nothing_left $L1
pgrep -f "netlab datapath $L1\$" >/dev/null && fail "a datapath of $L1 outlived the run"

L2=tsupk$$
F2=$(labtext <<'LUA' | mklab $L2
for i = 1, 4 do
  experiment("kill " .. i, function() kill_dp(); netlab.sleep(1) end)
end
experiment("after", function() check(h1:ping("10.5.0.2"), "h1 reaches h2") end)
LUA
)
"$NETLAB" run "$F2" --keep >"$TMP/out2" 2>&1
rc=$?
cat "$TMP/out2"
expect "a lab whose datapath stays dead exits 1" [ $rc = 1 ]
expect "the 4th death is not restarted, and says so" \
        grep -q "FAIL  datapath died (signal 9); not restarted: it died 4 times within 60 s" "$TMP/out2"
expect "the next experiment fails at once with the reason" \
        grep -q "FAIL  the datapath is dead: datapath died (signal 9); not restarted" "$TMP/out2"
expect "--keep refuses a lab that cannot forward" \
        grep -q "netlab: lab \"$L2\" not kept up: it cannot forward (datapath died (signal 9)" "$TMP/out2"
expect "... and does not claim it is kept up" bash -c "! grep -q 'kept up;' '$TMP/out2'"
expect "nothing of $L2 is left" nothing_left $L2

L3=tsupok$$
F3=$(labtext <<'LUA' | mklab $L3
experiment("ok", function() check(h1:ping("10.5.0.2"), "h1 reaches h2") end)
LUA
)
"$NETLAB" run "$F3" --keep >"$TMP/out3" 2>&1
rc=$?
cat "$TMP/out3"
expect "a healthy lab is kept up" grep -q "lab \"$L3\" kept up" "$TMP/out3"
expect "its datapath outlives netlab run" pgrep -f "netlab datapath $L3\$"
expect "the kept lab forwards after the run" ip netns exec $L3.h1 ping -c 1 -W 2 10.5.0.2
"$NETLAB" clean $L3
expect "netlab clean stops the kept datapath" bash -c "! pgrep -f 'netlab datapath $L3\$'"
expect "nothing of $L3 is left" nothing_left $L3

[ $fails = 0 ] && echo PASS || { echo "FAIL: $fails"; exit 1; }
