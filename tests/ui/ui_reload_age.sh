# ui_reload_age.sh — a lab's age (netlab ls's AGE, --json's age_s) counts
# from when it first came up, as tmux's session age does: `reload` rebuilds
# the same lab in the same console, and its age goes on. It once restarted
# at 0 (the rebuilt journal's owner line said "since now"), and so did the
# "running since" that a second netlab names.
. "$(dirname "$0")/lib.sh"
write_lab 2
start "${W:-120}" "${H:-40}"
age() {
  "$BIN" ls --json | python3 -c "
import json, sys
print([l for l in json.load(sys.stdin) if l['lab'] == '$LAB'][0]['age_s'])"
}
since() { "$BIN" up "$TMP/lab.lua" 2>&1 | grep -o 'since [0-9: -]*'; }
sleep 3 # the lab grows older (not a synchronisation)
before=$(age)
[ "$before" -ge 3 ] || fail "age $before s after 3 s"
owner=$(since)
[ -n "$owner" ] || fail "a second netlab up does not say since when the lab runs"
sed -i 's/topo.linear(lab, 2)/topo.linear(lab, 3)/' "$TMP/lab.lua"
cmd "reload"
wait_for "reload: lab $LAB is up again from .*: 6 nodes, 5 links" 30
ip netns list | grep -q "^$LAB\.h3" || fail "reload did not build h3"
after=$(age)
[ "$after" -ge "$before" ] || fail "AGE went from $before s to $after s across reload"
"$BIN" ls | grep -Eq "^$LAB +running +server +6 +[0-9]+s " || fail "netlab ls: $("$BIN" ls)"
[ "$(since)" = "$owner" ] || fail "the owner's since changed across reload: $owner, then $(since)"
echo "ok"
