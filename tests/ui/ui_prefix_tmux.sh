# ui_prefix_tmux.sh — netlab inside tmux (whose prefix is Ctrl-b too): the
# banner says how to reach netlab's prefix; `netlab attach` from tmux says
# it too; NETLAB_PREFIX given to `netlab attach` is that attach's prefix
# when it is the only terminal, and is refused with the reason when another
# terminal shows the console. At 80x24 and 200x60.
. "$(dirname "$0")/lib.sh"
unset NETLAB_PREFIX
# attach NAME [ENV...]: a second tmux session running netlab attach.
attach() {
  local s=$1
  shift
  tmux -u -L "$SOCK" new-session -d -s "$s" -x "$W" -y "$H" \
    "env $* LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; sleep 600" || fail "cannot attach"
}
shot() { tmux -L "$SOCK" capture-pane -p -t "$1"; }
wait_in() {
  local s=$1 re=$2 i=0
  while [ $i -lt 150 ]; do
    shot "$s" | grep -Eq -- "$re" && return 0
    sleep 0.1
    i=$((i + 1))
  done
  echo "---- $s ----"; shot "$s"
  fail "${W}x$H: timed out waiting for /$re/ in $s"
}
for size in "80 24" "200 60"; do
  set -- $size
  W=$1 H=$2
  start "$W" "$H" # tmux sets $TMUX in the console's environment
  wait_for "^Lab $LAB is up: 4 nodes, 3 links. In tmux: Ctrl-b Ctrl-b \\? for keys"
  [ "$W" = 200 ] && wait_for 'In tmux: Ctrl-b Ctrl-b \? for keys \(or NETLAB_PREFIX=C-a netlab attach\)'
  # The log has the whole banner.
  grep -q "In tmux" "$TMP/state/netlab/console.log" || fail "no tmux hint in the log"
  # A second terminal from tmux with NETLAB_PREFIX=C-a: refused, two terminals.
  attach two NETLAB_PREFIX=C-a
  wait_in two "The prefix stays Ctrl-b, not C-a: 2 terminals"
  tmux -L "$SOCK" kill-session -t two
  # The first terminal detaches (prefix d); C-a attach alone: its prefix.
  keys C-b d
  sleep 0.5
  attach three NETLAB_PREFIX=C-a
  wait_in three "^Prefix Ctrl-a \(NETLAB_PREFIX of this netlab attach\)"
  wait_in three "Ctrl-a \? help"
  tmux -L "$SOCK" send-keys -t three C-a '?'
  wait_in three "prefix C-a"
  tmux -L "$SOCK" send-keys -t three q
  tmux -L "$SOCK" send-keys -t three C-a d
  sleep 0.5
  tmux -L "$SOCK" kill-session -t three
  # A plain attach from tmux: the lab's prefix again, and the tmux hint.
  attach four
  wait_in four "^Prefix Ctrl-b \(the lab's\)\. In tmux: Ctrl-b Ctrl-b \? for keys"
  wait_in four "Ctrl-b \? help"
  tmux -L "$SOCK" send-keys -t four C-b d
  sleep 0.5
  # Outside tmux (no $TMUX): no new hint, the prefix as it was.
  before=$(grep -c "In tmux" "$TMP/state/netlab/console.log")
  attach five -u TMUX
  wait_in five "Ctrl-b \? help"
  sleep 0.5
  [ "$(grep -c "In tmux" "$TMP/state/netlab/console.log")" = "$before" ] ||
    fail "${W}x$H: tmux hint to an attach without tmux"
  "$BIN" down "$LAB" >/dev/null 2>&1 || fail "netlab down $LAB failed"
  tmux -L "$SOCK" kill-server 2>/dev/null
  i=0
  while "$BIN" ls 2>/dev/null | grep -q "$LAB"; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "lab $LAB still listed after down"; sleep 0.1
  done
  sleep 0.3
done
# A lab put up outside tmux (banner "Type help, or Ctrl-b ? for keys."),
# attached from tmux: the banner still shown gets the tmux ending.
W=80 H=24
env -u TMUX -u NETLAB_PREFIX "$BIN" up "$TMP/lab.lua" >"$TMP/up.out" 2>&1 || fail "netlab up: $(cat "$TMP/up.out")"
attach six
wait_in six "^Lab $LAB is up: 4 nodes, 3 links. In tmux: Ctrl-b Ctrl-b \? for keys"
"$BIN" down "$LAB" >/dev/null 2>&1 || fail "netlab down $LAB failed"
echo PASS
