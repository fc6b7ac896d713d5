# ui_reload_loop.sh — `reload` of a file whose top level never ends (a
# `while true do end`, or a long netlab.sleep) must not hold the console for
# good: it is stopped after the reload limit with the file's line, the lab
# stays as it was, and the console answers again. A newcomer's console froze
# for good (Ctrl-C, help, detach: nothing) and only `netlab down` got out.
. "$(dirname "$0")/lib.sh"
start 80 24
cp "$TMP/lab.lua" "$TMP/good.lua"
printf 'while true do end\n' >>"$TMP/lab.lua"
cmd "reload"
wait_log "reload: .*lab\.lua:[0-9]+: stopped: the top level ran over 10 s \(endless loop\?\) \(lab $LAB stays as it was\)" 30
cmd "h1 ping -c1 -W2 h2"
wait_log "h1\\$ ping -c1 -W2 10\.0\.0\.2: exit 0" 20
# A top level that waits (a sleep) is stopped at the limit too.
cp "$TMP/good.lua" "$TMP/lab.lua"
printf 'netlab.sleep(3600)\n' >>"$TMP/lab.lua"
cmd "reload"
wait_log "reload: .*lab\.lua:[0-9]+: stopped: the top level ran over 10 s" 30
# The file fixed: reload works again.
cp "$TMP/good.lua" "$TMP/lab.lua"
cmd "reload"
wait_log "reload: lab $LAB is up again" 30
echo "PASS ($TEST)"
