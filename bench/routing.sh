#!/usr/bin/env bash
# routing.sh — issue 12's routing benchmark: build + convergence time,
# memory (PSS of the FRR daemons and their supervisors) and processes per
# router, as a table:
#   OSPF on a ring of 50 routers and a 10x10 grid, hellos of 1 s;
#   BGP with 20 ASes in a chain.
# Usage: bench/routing.sh [NETLAB] [ring=50] [grid=10] [chain=20]
set -u
NETLAB=${1:-build/netlab}
RING=${2:-50} GRID=${3:-10} CHAIN=${4:-20}
TMP=$(mktemp -d /tmp/netlab-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# A lab file: routers and links from a Lua snippet; one experiment waits
# for convergence and prints "converged S", then measures in the nodes.
mk() { # mk NAME TOPO-LUA
        cat >"$TMP/$1.lua" <<LAB
local lab = netlab.lab("$1")
local frr = netlab.frr
local R = {}
local function r(i, o) R[i] = frr.router(lab, "r" .. i, o) return R[i] end
local nlinks = 0
local function link(a, b, o)
  nlinks = nlinks + 1
  local n = nlinks
  return frr.link(lab, R[a], R[b], { ip = { ("10.%d.%d.1/30"):format(n // 256, n % 256),
    ("10.%d.%d.2/30"):format(n // 256, n % 256) } })
end
$2
experiment("bench", function()
  local t0 = os.time()
  local c0 = os.clock()
  local ok, err = frr.converged(lab, { timeout = 600 })
  print(("converged %s %d"):format(tostring(ok), os.time() - t0))
  if not ok then print(err) end
  -- PSS and processes of everything in the routers' namespaces.
  local pss, procs = 0, 0
  for i = 1, #R do
    local out = R[i]:cmd("me=\$\$; for p in \$(ls /proc | grep '^[0-9]*\$'); do [ \$p = \$me ] && continue; " ..
      "[ \"\$(readlink /proc/\$p/ns/net 2>/dev/null)\" = \"\$(readlink /proc/self/ns/net)\" ] || continue; " ..
      "case \"\$(cat /proc/\$p/comm)\" in sh|cat|grep|ls|readlink|awk) continue;; esac; " ..
      "echo P \$(awk '/^Pss:/ {print \$2}' /proc/\$p/smaps_rollup 2>/dev/null); done") or ""
    for kb in out:gmatch("P (%d+)") do pss = pss + tonumber(kb) procs = procs + 1 end
  end
  print(("per_router %.1f MB %.1f procs"):format(pss / 1024 / #R, procs / #R))
end)
LAB
        echo "$TMP/$1.lua"
}

row() { # row LABEL NAME TOPO-LUA ROUTERS
        local f t0 t1 out
        f=$(mk "$2" "$3")
        t0=$(date +%s.%N)
        out=$("$NETLAB" run "$f" 2>&1)
        t1=$(date +%s.%N)
        local build conv mem procs
        build=$(echo "$out" | sed -n 's/.*up in \([0-9.]*\) s.*/\1/p')
        conv=$(echo "$out" | awk '/^converged/ {print ($2 == "true") ? $3 " s" : "no (" $3 " s)"}')
        mem=$(echo "$out" | awk '/^per_router/ {print $2 " MB"}')
        procs=$(echo "$out" | awk '/^per_router/ {print $4}')
        printf '| %-28s | %7s | %8s s | %-12s | %9s | %5s | %6.0f s |\n' "$1" "$4" "${build:-?}" \
                "${conv:-?}" "${mem:-?}" "${procs:-?}" "$(echo "$t1 - $t0" | bc)"
        echo "$out" | grep -E "^frr:|FAIL" | head -3 >&2
}

echo "| lab                          | routers |    build   | convergence  | PSS/router | procs | total |"
echo "|------------------------------|---------|------------|--------------|-----------|-------|-------|"
O='{ hello = 1, dead = 4 }'
row "OSPF ring of $RING" bring$$ "for i = 1, $RING do r(i, { ospf = $O }) end
for i = 1, $RING do link(i, i % $RING + 1) end" "$RING"
row "OSPF grid ${GRID}x$GRID" bgrid$$ "local G = $GRID
for i = 1, G * G do r(i, { ospf = $O }) end
for y = 0, G - 1 do for x = 0, G - 1 do
  local i = y * G + x + 1
  if x < G - 1 then link(i, i + 1) end
  if y < G - 1 then link(i, i + G) end
end end" "$((GRID * GRID))"
row "BGP chain of $CHAIN ASes" bchain$$ "local N = $CHAIN
-- link k joins r(k) and r(k+1): 10.(k//256).(k%256).1 and .2
local function ip(k, e) return ('10.%d.%d.%d'):format(k // 256, k % 256, e) end
for i = 1, N do
  local nb = {}
  if i > 1 then nb[#nb + 1] = { ip = ip(i - 1, 1), as = 64600 + i - 1 } end
  if i < N then nb[#nb + 1] = { ip = ip(i, 2), as = 64600 + i + 1 } end
  r(i, { bgp = { as = 64600 + i, neighbors = nb, networks = { ('10.200.%d.0/24'):format(i) } } })
end
for i = 1, N - 1 do link(i, i + 1) end" "$CHAIN"
