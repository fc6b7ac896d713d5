# ui_exp_changed.sh — an experiment that fails on a lab changed live says
# so: `link s1 s2 down`, then `exp run reach` fails with "link s1-s2 now
# differs from the file: reset puts it back"; after `reset` it passes, and
# a failure on an unchanged lab carries no such note.
. "$(dirname "$0")/lib.sh"
start 200 50
cmd "link s1 s2 down"
wait_log "link s1-s2.*down|s1:p2 down" 15
cmd "exp run reach"
wait_log "exp reach: 0 passed, 1 failed; FAIL h1 reaches h2.*\(link s[12]-s[12] now differs from the file: reset puts it back\)" 30
cmd "reset"
wait_log "reset: lab $LAB is as its file says" 15
cmd "exp run reach"
wait_log "exp reach: 1 passed, 0 failed" 30
echo "PASS ($TEST)"
