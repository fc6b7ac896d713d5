#!/usr/bin/env bash
# holes.sh — lab files are root code, and the easy holes are closed (issue 8
# §5): require searches the lab's directory and netlab's library, not the
# current directory; no Lua code makes netlab crash through metatables;
# cmd("x &") returns when its shell exits, the background child runs on
# until teardown; truncated output is said to be truncated.
. "$(dirname "$0")/../lib.sh"
need_root

# require: the lab's directory, never the current one.
name=threq$$
mkdir -p "$TMP/cwd" "$TMP/labdir"
echo 'return "from the lab directory"' >"$TMP/labdir/helper$$.lua"
echo 'return "from the current directory"' >"$TMP/cwd/helper$$.lua"
echo 'return "cwd only"' >"$TMP/cwd/cwdonly$$.lua"
sed "s/LABNAME/$name/g" >"$TMP/labdir/$name.lua" <<LAB
local lab = netlab.lab("LABNAME")
lab:host("h1")
print("helper: " .. require("helper$$"))
print("cwdonly: " .. tostring(pcall(require, "cwdonly$$")))
print("topo: " .. type(require("netlab.topo").linear))
LAB
LABS+=("$name")
out=$(cd "$TMP/cwd" && LUA_PATH="./?.lua" "$NETLAB" run "$TMP/labdir/$name.lua" 2>&1)
expect "require finds the lab directory's module" grep -q "helper: from the lab directory" <<<"$out"
expect "require does not search the current directory (nor LUA_PATH)" \
        grep -q "cwdonly: false" <<<"$out"
expect "require finds netlab's library" grep -q "topo: function" <<<"$out"

# Metatable tricks: every access checks what the userdata really is.
name=thmt$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
local l1 = lab:link(h1, h2)
local nodemt, labmt, linkmt = getmetatable(h1), getmetatable(lab), getmetatable(l1)
local j = h1:spawn("sleep 1")
local jobmt = getmetatable(j)
local tries = {
  function() debug.setmetatable(lab, nodemt); return lab.name end,
  function() return nodemt.__index(lab, "name") end,
  function() return nodemt.methods.cmd(l1, "true") end,
  function() debug.setmetatable(1, nodemt); local ok, e = pcall(function() return (1).name end); debug.setmetatable(1, nil); error(e, 0) end,
  function() return jobmt.__index.wait(h2) end,
  function() local x = h2:spawn("true"); debug.setmetatable(x, nodemt); return x.name, x:cmd("true") end,
  function() debug.setmetatable(l1, nodemt); return l1.name end,
  function() local n = lab:node("h2"); debug.setmetatable(n, jobmt); return n:wait() end,
  function() return linkmt.__index(h1, "a") end,
  function() return labmt.__index(h1, "name") end,
}
local refused = 0
for i, f in ipairs(tries) do
  local ok, e = pcall(f)
  if not ok and tostring(e):match("bad argument #1: expected") then refused = refused + 1
  else print("try " .. i .. ": " .. tostring(ok) .. " " .. tostring(e)) end
end
jobmt.__gc(h2); jobmt.__close(l1)
collectgarbage()
check(refused == #tries, refused .. " of " .. #tries .. " tricks refused with a message")
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out" | grep -E "try|PASS|FAIL|ERROR" | head -12
expect "metatable tricks: no crash, each refused (exit $rc)" [ $rc -eq 0 ]
expect "  ... nothing left" nothing_left $name

# cmd("x &"): returns when the shell exits, with its output; the child runs
# on, in the node, until teardown.
name=thbg$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
experiment("background", function()
  local t = os.time()
  local out, st = h1:cmd("sleep 305 & echo started", { timeout = 20 })
  check(out == "started\n" and st == 0, "the output and status: " .. tostring(out) .. " " .. tostring(st))
  check(os.time() - t < 5, "returned when the shell exited, not at the timeout")
  out = h1:cmd("pgrep -x sleep >/dev/null && echo running")
  check(out == "running\n", "the background child still runs")
  -- a chatty background child is drained, not blocked or killed
  h1:cmd("(yes | head -c 300000; sleep 306) &")
  netlab.sleep(0.5)
  out = h1:cmd("pgrep -f 'sleep 306' >/dev/null && echo alive")
  check(out == "alive\n", "a background child that wrote 300 kB runs on")
  local big, _, cut = h1:cmd("head -c 1100000 /dev/zero | tr '\\0' x")
  check(cut == true and #big == 1048576, "1 MiB kept, the rest said to be cut: " .. #big)
  print(("p"):rep(5000))
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out" | grep -E "PASS|FAIL|truncated" | cut -c1-150
expect "background commands (exit $rc)" [ $rc -eq 0 ]
expect "  ... truncation is said" grep -q "output truncated at 1048576 bytes (51424 more dropped)" <<<"$out"
expect "  ... a 5000-character print is printed whole" grep -qE "^p{5000}$" <<<"$out"
expect "  ... the background children are gone after teardown" \
        bash -c "! pgrep -f '^sleep 30[56]$'"
expect "  ... nothing left" nothing_left $name
finish
