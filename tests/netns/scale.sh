#!/usr/bin/env bash
# scale.sh — no descriptor wall (issue 16 §1): a 3,000-node lab builds and
# pings end to end under `ulimit -n 1024` (soft and hard), and netlab holds
# no descriptor per idle node once it is built.
. "$(dirname "$0")/../lib.sh"
need_root
name=tsc$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
netlab.topo.linear(lab, 1500) -- 1,500 switches and 1,500 hosts
experiment("end to end", function()
  local a, b = lab:node("h1"), lab:node("h1500")
  check(a:ping(b, { count = 2, timeout = 5 }), "h1 reaches h1500 across 1,500 switches")
  -- $PPID of the shell is netlab itself.
  local n = tonumber(a:cmd("ls /proc/$PPID/fd | wc -l"):match("%d+"))
  print("netlab holds " .. tostring(n) .. " descriptors")
  check(n and n < 200, "netlab holds few descriptors once built (" .. tostring(n) .. ")")
end)
LAB
)
out=$( (ulimit -Sn 1024 && ulimit -Hn 1024 && exec "$NETLAB" run "$f" --keep) 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "^2 passed, 0 failed$" <<<"$out"; then
        pass "3,000 nodes under ulimit -n 1024: $(grep descriptors <<<"$out")"
else
        fail "3,000 nodes under ulimit -n 1024 (rc=$rc):"
        tail -20 <<<"$out" | sed 's/^/    /'
fi
n=$(ip netns list 2>/dev/null | grep -c "^$name\.")
expect "the kernel has its 3,000 namespaces ($n)" [ "$n" -eq 3000 ]
expect "h1500 answers h1 in the kept lab" \
        ip netns exec $name.h1 ping -c1 -W5 10.0.5.220
"$NETLAB" clean --force $name >/dev/null 2>&1
expect "nothing left" nothing_left $name
finish
