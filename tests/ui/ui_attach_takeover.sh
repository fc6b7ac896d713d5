# ui_attach_takeover.sh — `netlab attach` of a lab left up with no console
# takes that lab over, as netlab's own messages promise:
#  - a lab built under --name NAME (its file names another lab) is taken
#    over as NAME, not built again under the file's name;
#  - a lab whose console was killed (kill -9) gets its userspace datapath
#    back: the link made a datapath wire live forwards again, and can be
#    changed live (before, the datapath died with the console, pings were
#    lost, and a live change failed on "namespace ... File exists").
. "$(dirname "$0")/lib.sh"
OTHER="${LAB}f" # the name the file gives
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$OTHER")
topo.linear(lab, 2)
experiment("reach", function()
  check(lab:node("h1"):ping(lab:node("h2")), "h1 reaches h2")
end)
LUA
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; "$BIN" clean --force "$OTHER" >/dev/null 2>&1; cleanup' EXIT

out=$("$BIN" run --keep --name "$LAB" "$TMP/lab.lua" 2>&1) || fail "netlab run --keep --name: $out"
echo "$out" | grep -q "netlab attach $LAB" || fail "run --keep said: $out"

attach() { # attach WINDOW
  tmux -u -L "$SOCK" new-window -d -t "$SESSION" -n "$1" \
    "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
  tmux -L "$SOCK" select-window -t "$SESSION:$1"
}
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -n w0 -x 120 -y 40 "sleep 600"
attach w1
wait_for "Lab $LAB is up: 4 nodes, 3 links" 30
ip netns list | grep -q "^$OTHER\." && fail "attach built the file's lab $OTHER instead of taking over $LAB"
"$BIN" ls | grep -Eq "^$LAB +running +server" || fail "netlab ls: $("$BIN" ls)"

# A link made a datapath wire live, then the console killed.
cmd "link h1 s1 set delay 5ms"
wait_for "link h1-s1: delay 5ms" 20
pid=$("$BIN" ls --json | grep "\"lab\": \"$LAB\"" | sed -n 's/.*"owner": "netlab pid \([0-9]*\).*/\1/p')
[ -n "$pid" ] || fail "no console pid for $LAB in netlab ls"
kill -9 "$pid"
wait_for "ATTACH-EXIT=137" 15
i=0
while pgrep -f "^netlab datapath $LAB\$" >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pgrep -f "^netlab datapath $LAB\$" >/dev/null && fail "the datapath outlived its killed console"
"$BIN" ls | grep -Eq "^$LAB +left up" || fail "not left up: $("$BIN" ls)"

attach w2
wait_for "Lab $LAB is up: 4 nodes, 3 links" 30
pgrep -f "^netlab datapath $LAB\$" >/dev/null || fail "no datapath runs for the taken-over lab"
cmd "pingall"
wait_for "pingall: 0% dropped \(2/2 received\)" 40
cmd "link h1 s1 set delay 20ms"
wait_for "link h1-s1: delay 20ms" 20
cmd "h1 ping -c 3 -i 0.3 h2"
wait_for 'time=4[0-9](\.[0-9]+)? ms' 20
"$BIN" down "$LAB" >/dev/null 2>&1 || fail "netlab down $LAB"
echo "PASS ($TEST)"
