# ui_live_edit.sh — live edits a newcomer tripped on: `add host` with an
# address another node has is refused at once (it was accepted, and the node
# was unusable at its first link); after `del node r1`, `links` counts the
# links that are left; `reset` says which deleted node it cannot bring back
# (it failed with 'Cannot set "h1:#0" up: No such device'); reload does.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local h1 = lab:host("h1", { ip = "10.0.1.10/24", gw = "10.0.1.1" })
local h2 = lab:host("h2", { ip = "10.0.2.10/24", gw = "10.0.2.1" })
local r1 = lab:router("r1")
lab:link(h1, r1, { ip = { false, "10.0.1.1/24" } })
lab:link(h2, r1, { ip = { false, "10.0.2.1/24" } })
LUA
start 120 30
cmd "add host h10 ip=10.0.1.10/24"
wait_log "error: add host h10: h1:eth0 already has address 10.0.1.10/24 \(give another\)" 15
[ -e "/run/netns/$LAB.h10" ] && fail "h10 was made"
cmd "links"
wait_log "^.* 2 links, 0 down" 15
cmd "del node r1"
wait_log "r1.*(deleted|removed)" 20
cmd "links"
wait_log "^.* 0 links, 0 down" 15
cmd "reset"
wait_log "error: reset: lab $LAB is as its file says but for a deleted node \(r1\): reload rebuilds the whole lab" 20
cmd "reload"
wait_log "reload: lab $LAB is up again" 30
cmd "links"
for i in $(seq 150); do
  [ "$(grep -c ' 2 links, 0 down' "$TMP/state/netlab/console.log")" = 2 ] && break
  sleep 0.1
done
[ "$(grep -c ' 2 links, 0 down' "$TMP/state/netlab/console.log")" = 2 ] ||
  fail "after reload, links does not count 2: $(grep ' links, ' "$TMP/state/netlab/console.log" | tail -1)"
echo "PASS ($TEST)"
