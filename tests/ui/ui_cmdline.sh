# ui_cmdline.sh — the command line (issue 9 §1): no limit on what goes to a
# node's shell (40 words, 3000 characters reach it unchanged); experiment
# names complete and run without quotes; a typo is not taken for a prefix
# (pingal), a long name is (pingallf).
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, 2)
experiment("a link down cuts the chain", function()
  check(true, "ran without quotes")
end)
LUA
start 200 60
words=$(seq -s ' ' 1 40)
cmd "h1 echo $words | wc -w"
wait_for '^40 *(│|$)'
long=$(head -c 3000 /dev/zero | tr '\0' 'y')
cmd "h1 echo ${long}END | wc -c"
wait_for '^3004 *(│|$)'
screen | grep -q 'Line too long' && fail "Line too long"
cmd "exp run a link down cuts the chain"
wait_for 'exp a link down cuts the chain: 1 passed, 0 failed'
# Tab completes the whole name, several words long.
keys C-b :
keys -l "exp run a li"
keys Tab
wait_for 'netlab> exp run a link down cuts the chain'
keys Enter
wait_for 'exp a link down cuts the chain: 1 passed, 0 failed'
cmd "pingal"
wait_for 'Unknown command "pingal" \(did you mean pingall, pingallfull\?\)'
cmd "pingallf"
wait_for 'pingallfull: 0% dropped' 30
echo "ok"
