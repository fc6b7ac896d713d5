#!/usr/bin/env bash
# routing.sh — issue 12's routing benchmark: build + convergence time,
# memory (PSS of the FRR daemons and their supervisors) and processes per
# router, as a table:
#   OSPF on a ring of 50 routers and a 10x10 grid, hellos of 1 s;
#   BGP with 20 ASes in a chain.
# Each row is followed (on stderr) by the PSS per router of each daemon and
# of the supervisors.
# Usage: bench/routing.sh [NETLAB] [ring=50] [grid=10] [chain=20]
#   ROWS="grid" bench/routing.sh ...   runs only some rows (ring grid chain)
set -u
NETLAB=${1:-build/netlab}
RING=${2:-50} GRID=${3:-10} CHAIN=${4:-20}
TMP=$(mktemp -d /tmp/netlab-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# A lab file: routers and links from a Lua snippet; one experiment waits
# for convergence and prints "converged S", then measures in the nodes.
# Kernel memory: /proc/meminfo read when the lab file starts (before the
# build) and after convergence; Slab + KernelStack + PageTables grew by
# "kernel" (namespaces, veths, routes, sockets, the daemons' page tables
# and stacks), MemAvailable fell by "avail" (everything, user pages
# included). Both are the machine's: other work on it adds noise.
mk() { # mk NAME TOPO-LUA
        cat >"$TMP/$1.lua" <<LAB
local function meminfo()
  local m = {}
  for l in io.lines("/proc/meminfo") do
    local k, v = l:match("^(%w+):%s+(%d+)")
    if k then m[k] = tonumber(v) end
  end
  return m
end
local m0 = meminfo()
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
  -- PSS and processes of each router: its daemons (the services' pids)
  -- and their supervisors (each daemon's parent), read from /proc here
  -- (no process per router: scanning /proc from 100 shells took minutes).
  local function pss_of(pid)
    local f = io.open("/proc/" .. pid .. "/smaps_rollup")
    if not f then return 0 end
    local t = f:read("a") f:close()
    return tonumber(t:match("\nPss:%s+(%d+)")) or 0
  end
  local function ppid_of(pid)
    local f = io.open("/proc/" .. pid .. "/stat")
    if not f then return nil end
    local t = f:read("a") f:close()
    return tonumber(t:match("^%d+ %b() %S+ (%d+)"))
  end
  -- The supervisor (the lab's service keeper, every daemon's parent) is
  -- counted once.
  local pss, procs, seen, by = 0, 0, {}, { supervisor = 0 }
  for i = 1, #R do
    for _, st in ipairs(R[i]:services()) do
      if st.pid and st.pid > 0 then
        local p = pss_of(st.pid)
        pss = pss + p procs = procs + 1
        by[st.name] = (by[st.name] or 0) + p
        local sup = ppid_of(st.pid)
        if sup and sup > 1 and not seen[sup] then
          seen[sup] = true
          p = pss_of(sup)
          pss = pss + p procs = procs + 1
          by.supervisor = by.supervisor + p
        end
      end
    end
  end
  -- Each kind's PSS per router (a daemon a router runs, the supervisors).
  local kinds = {}
  for k, v in pairs(by) do kinds[#kinds + 1] = ("%s %.2f"):format(k, v / 1024 / #R) end
  table.sort(kinds)
  print("pss_by " .. table.concat(kinds, ", ") .. " MB")
  local m1 = meminfo()
  local function kern(m) return m.Slab + m.KernelStack + m.PageTables end
  print(("per_router %.1f MB %.1f procs"):format(pss / 1024 / #R, procs / #R))
  print(("kernel_per_router %.1f MB avail %.1f MB"):format((kern(m1) - kern(m0)) / 1024 / #R,
    (m0.MemAvailable - m1.MemAvailable) / 1024 / #R))
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
        kmem=$(echo "$out" | awk '/^kernel_per_router/ {print $2 " MB"}')
        avail=$(echo "$out" | awk '/^kernel_per_router/ {print $5 " MB"}')
        printf '| %-24s | %7s | %8s s | %-12s | %9s | %9s | %9s | %5s | %6.0f s | %s |\n' "$1" "$4" \
                "${build:-?}" "${conv:-?}" "${mem:-?}" "${kmem:-?}" "${avail:-?}" "${procs:-?}" \
                "$(echo "$t1 - $t0" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
        echo "$out" | grep -E "^frr:|FAIL" | head -3 >&2
        echo "$out" | sed -n "s/^pss_by /  $1 PSS per router: /p" >&2
}

echo "| lab                      | routers |    build   | convergence  | PSS/router | kernel/router | MemAvail/router | procs/router | total | load (1, 5, 15 min) |"
echo "|--------------------------|---------|------------|--------------|-----------|-----------|-----------|-------|--------|------|"
O='{ hello = 1, dead = 4 }'
want() { case " ${ROWS:-ring grid chain} " in *" $1 "*) return 0 ;; esac; return 1; }
want ring && row "OSPF ring of $RING" bring$$ "for i = 1, $RING do r(i, { ospf = $O }) end
for i = 1, $RING do link(i, i % $RING + 1) end" "$RING"
want grid && row "OSPF grid ${GRID}x$GRID" bgrid$$ "local G = $GRID
for i = 1, G * G do r(i, { ospf = $O }) end
for y = 0, G - 1 do for x = 0, G - 1 do
  local i = y * G + x + 1
  if x < G - 1 then link(i, i + 1) end
  if y < G - 1 then link(i, i + G) end
end end" "$((GRID * GRID))"
want chain && row "BGP chain of $CHAIN ASes" bchain$$ "local N = $CHAIN
-- link k joins r(k) and r(k+1): 10.(k//256).(k%256).1 and .2
local function ip(k, e) return ('10.%d.%d.%d'):format(k // 256, k % 256, e) end
for i = 1, N do
  local nb = {}
  if i > 1 then nb[#nb + 1] = { ip = ip(i - 1, 1), as = 64600 + i - 1 } end
  if i < N then nb[#nb + 1] = { ip = ip(i, 2), as = 64600 + i + 1 } end
  r(i, { bgp = { as = 64600 + i, neighbors = nb, networks = { ('10.200.%d.0/24'):format(i) } } })
end
for i = 1, N - 1 do link(i, i + 1) end" "$CHAIN"
