# ui_build_keys.sh — keys during the console's first build (newcomer s4):
# Ctrl-C stops the build and rolls it back (as netlab up's does: exit 130,
# nothing left, said on the screen), where it used to go on and answer
# "^C: nothing is running" once the lab was up; other keys typed meanwhile
# are said to wait ("your keys run when the lab is up") and run after it.
# quit of a big lab says "Tearing down lab ..." while it goes.
. "$(dirname "$0")/lib.sh"
write_lab 150 # 300 nodes: a build of several steps
launch() {
  tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 80 -y 24 \
    "env LANG=C.UTF-8 TERM=screen-256color $BIN $TMP/lab.lua; echo NETLAB-EXIT=\$?; sleep 600" ||
    fail "cannot start tmux"
}
launch
wait_for "Lab $LAB: namespaces [0-9]+/300" 60
keys C-c
wait_for 'NETLAB-EXIT=130' 60
screen | grep -q "stopped by SIGINT during the build; lab $LAB rolled back" ||
  fail "no word that the build was stopped and rolled back"
wait_log "\^C: stopping the build of lab $LAB: what was built is rolled back"
ip netns list | grep -q "^$LAB\." && fail "namespaces of $LAB left after Ctrl-C"
[ -e "/run/netlab/$LAB" ] && fail "/run/netlab/$LAB left after Ctrl-C"
tmux -L "$SOCK" kill-server 2>/dev/null
sleep 0.2

# Keys typed during the build: said to wait, then run once the lab is up.
launch
wait_for "Lab $LAB: namespaces [0-9]+/300" 60
keys C-b :
keys -l "h1 echo HELD-\$((6*7))"
keys Enter
wait_for 'building: your keys run when the lab is up' 60
# The log, not the screen: the held line runs at once and its answer takes
# the message line ("is up" was gone before a capture in the CI run).
wait_log "Lab $LAB is up" 200
wait_for '^HELD-42' 15
# quit says the teardown while it goes (seconds for a big lab), and then
# that the lab is gone.
cmd quit
wait_log "Tearing down lab $LAB: 300 nodes, 299 links"
wait_for "^Lab $LAB torn down \(300 nodes\)\." 60
wait_for 'NETLAB-EXIT=0'
ip netns list | grep -q "^$LAB\." && fail "namespaces of $LAB left after quit"
echo "ok"
