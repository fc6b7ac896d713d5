#!/bin/bash
# Impaired links on a kernel without netem (issue 10 §2): the plan puts
# them on datapath wires, `netlab doctor LAB` says so, the lab's checks see
# the delay both ways (Mininet's TCLink semantics: delay on the link applies
# in each direction, so the RTT is twice it), a lossless link through a
# switch still works, a link set down and up keeps its delay, and teardown
# leaves nothing. Where the kernel has netem the same lab runs on netem.
NETLAB=${1:?usage: $0 PATH/TO/netlab}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
export NETLAB SRC
. "$SRC/tests/lib.sh"
need_root

L=timp$$
F=$(mklab $L <<'LUA'
local lab = netlab.lab("LABNAME")
local s = lab:switch("s")
local h1 = lab:host("h1", { ip = "10.6.0.1/24" })
local h2 = lab:host("h2", { ip = "10.6.0.2/24" })
local h3 = lab:host("h3", { ip = "10.6.0.3/24" })
lab:link(h1, s, { delay = "15ms" })
lab:link(h2, s)
lab:link(h3, s, { delay = "5ms", jitter = "1ms", bw = "50mbit" })
local h4 = lab:host("h4", { ip = "10.6.0.4/24" })
lab:link(h4, s, { duplicate = 100, delay = "1ms", jitter = "500us", distribution = "normal",
                  reorder = 5, gap = 3, queue = 200 })
experiment("delay", function()
  local ok, st = h1:ping(h2, { count = 5 })
  check(ok and st.rtt_avg >= 30 and st.rtt_avg < 60, "h1-h2 RTT is 2 x 15 ms: " .. tostring(st and st.rtt_avg))
  ok, st = h3:ping(h2, { count = 5 })
  check(ok and st.rtt_avg >= 8 and st.rtt_avg < 30, "h3-h2 RTT is 2 x (5 +- 1) ms: " .. tostring(st and st.rtt_avg))
  ok, st = h1:ping(h3, { count = 3 })
  check(ok and st.rtt_avg >= 38, "h1-h3 RTT adds both links: " .. tostring(st and st.rtt_avg))
end)
experiment("netem's other knobs", function()
  local out = h4:cmd("ping -c 3 -i 0.2 -W 2 10.6.0.2")
  -- both directions double: each request arrives twice, each reply twice: 4 answers a ping
  local dups = tonumber(out:match("%+(%d+) duplicates") or "0")
  check(dups >= 6, "duplicate = 100 doubles every frame both ways (+" .. dups .. " duplicates for 3 pings)")
end)
experiment("down and up", function()
  local l = lab:links()[1]
  l:down()
  check(not h1:ping(h2, { count = 1, timeout = 1 }), "h1 is cut off while its link is down")
  l:up()
  netlab.sleep(0.5)
  local ok, st = h1:ping(h2, { count = 3 })
  check(ok and st.rtt_avg >= 30, "the delay is back with the link: " .. tostring(st and st.rtt_avg))
end)
LUA
)
DOC=$("$NETLAB" doctor "$F")
echo "$DOC" | sed -n '/^plan/,$p'
if grep -qE "^netem qdisc +no" <<<"$DOC"; then
        expect "doctor puts the delayed link on a datapath wire" \
                grep -qE "^  link h1:eth0 -- s:p1 +delay, jitter, loss, ... +userspace datapath \(a wire" <<<"$DOC"
        grep -q "link h2:eth0" <<<"$DOC" && fail "doctor lists the plain link h2 -- s"
        expect "... and says a datapath process runs" grep -q "datapath process: yes" <<<"$DOC"
fi
# bad values: refused at the line, before anything exists
for o in 'reorder = 5' 'duplicate = 101' 'queue = 0' 'distribution = "gauss", delay = "2ms", jitter = "1ms"'; do
        B=$(printf 'local lab = netlab.lab("LABNAME")\nlocal a, b = lab:host("a"), lab:host("b")\nlab:link(a, b, { %s })\n' "$o" | mklab tbad$$)
        out=$("$NETLAB" run "$B" 2>&1)
        rc=$?
        expect "{ $o } is refused at its line: $out" bash -c "[ $rc != 0 ] && grep -q 'tbad$$.lua:3: ' <<<'$out'"
        expect "... and leaves nothing" nothing_left tbad$$
done
"$NETLAB" run "$F" >"$TMP/out" 2>&1
rc=$?
cat "$TMP/out"
expect "the impaired lab's checks pass" [ $rc = 0 ]
expect "nothing of $L is left" nothing_left $L
# netlab.seed(n): the wire's random choices repeat from run to run
S=$(mklab tseed$$ <<'LUA'
local lab = netlab.lab("LABNAME")
netlab.seed(42)
local h1 = lab:host("h1", { ip = "10.7.1.1/24" })
local h2 = lab:host("h2", { ip = "10.7.1.2/24" })
lab:link(h1, h2, { loss = 30, delay = "1ms" })
experiment("seeded loss", function()
  print(h1:cmd("ping -c 40 -i 0.02 -W 1 10.7.1.2 | grep -o 'icmp_seq=[0-9]*' | tr '\\n' ' '"))
end)
LUA
)
A=$("$NETLAB" run "$S" 2>&1 | grep icmp_seq)
B=$("$NETLAB" run "$S" 2>&1 | grep icmp_seq)
echo "seeded run: $A"
expect "netlab.seed(42): the same frames are lost in two runs" [ -n "$A" -a "$A" = "$B" ]
sed -i 's/^netlab.seed(42)$//' "$S"
A=$("$NETLAB" run "$S" 2>&1 | grep icmp_seq)
B=$("$NETLAB" run "$S" 2>&1 | grep icmp_seq)
expect "without a seed, two runs differ" [ "$A" != "$B" ]
sed -i 's/^local lab = netlab.lab("\(.*\)")$/local lab = netlab.lab("\1")\nnetlab.seed("x")/' "$S"
out=$("$NETLAB" run "$S" 2>&1)
expect "netlab.seed(\"x\") is refused at its line" grep -q "tseed$$.lua:2: netlab.seed: expected an integer" <<<"$out"
[ $fails = 0 ] && echo PASS || { echo "FAIL: $fails"; exit 1; }
