# ui_services_many.sh — a node with 20 services at 80x24 (issue 12): the
# inspector lists every one, and scrolling it reaches the last (it stopped
# at 16 with "... 4 more"). The services start with the lab (lab:on_up).
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
lab:on_up(function()
  for i = 1, 20 do
    local ok, err = h1:service(("s%02d"):format(i), "exec sleep 1004.$$", { ready = "true" })
    if not ok then return nil, err end
  end
  return true
end)
LUA
start 80 24
wait_for 'on_up started its services' 90
cmd "select h1"
wait_for 'services \(20\)' 40
keys C-b g
keys C-b Right # the inspector
for _ in $(seq 1 25); do keys Down; done
wait_for '│ s20 +running pid [0-9]+' 20
screen | grep -q 'more (logs NODE)' && fail "the list still stops short"
pgrep -f "sleep 1004\\.$$\$" >/dev/null || fail "no service process"
echo "ok"
