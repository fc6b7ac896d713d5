# ui_graph_mesh.sh — a full mesh of 10 routers (45 links) at 120x40: the
# links the layout finds no way for are named on the graph's last row
# ("not drawn: r2─r7 ..."), with their state, so no link is silently lost.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local r = {}
for i = 1, 10 do r[i] = lab:router("r" .. i) end
for i = 1, 10 do
  for j = i + 1, 10 do lab:link(r[i], r[j]) end
end
LUA
start 120 40
for i in $(seq 10); do
  screen | grep -Eq "\(r$i\)" || fail "(r$i) is not on the graph"
done
wait_for 'not drawn: r[0-9]+─r[0-9]+' 3
pair=$(screen | grep -oE 'not drawn: r[0-9]+─r[0-9]+' | head -1 | sed 's/not drawn: //')
a=${pair%─*} b=${pair#*─}
cmd "link $a $b down"
wait_for "not drawn:.* $a─$b✗" 3
cmd "link $a $b up"
wait_gone "$a─$b✗" 3
echo "ok"
