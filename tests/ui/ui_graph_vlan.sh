# ui_graph_vlan.sh — labs/vlan.lua at 120x40: each link is drawn as its own
# (one link down marks only its own cells, with the ✗ right above its
# node), each access link has its VLAN's colour (VLAN 20's too), parallel
# links and the direct veth are drawn, `vlan N` highlights one VLAN's
# ports and links, and `legend` shows the glyphs and colours.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
ship_lab labs/vlan.lua
start 120 40

# pos TEXT: "ROW COL" (0-based cells) of TEXT's first appearance on the screen.
pos() {
  local r=0 line pre
  while IFS= read -r line; do
    if [[ $line == *"$1"* ]]; then
      pre=${line%%"$1"*}
      echo "$r ${#pre}"
      return 0
    fi
    r=$((r + 1))
  done < <(screen)
  return 1
}
# cell ROW COL: the character in that cell.
cell() {
  local line
  line=$(screen | sed -n "$(($1 + 1))p")
  echo "${line:$2:1}"
}

screen | grep -q '✗' && fail "a link is down before we started"
screen | grep -q 'also:' && fail "a link is listed instead of drawn"
screen | grep -q '\[netns1\]──\[netns2\]' || fail "the direct veth netns1-netns2 is not drawn"

# One access link down: its own drop is dashed with a ✗ right above netns4;
# its neighbours' drops stay solid.
cmd "link brx netns4 down"
wait_for '✗' 3
ip netns exec "$LAB.netns4" ip -br link show eth0 | grep -Eq 'DOWN' ||
  fail "netns4:eth0 is not down in the kernel"
[ "$(screen | grep -o '✗' | wc -l)" = 1 ] || fail "more than one ✗ for one link down"
read -r r4 c4 < <(pos '[netns4]') || fail "no [netns4] on the screen"
read -r r5 c5 < <(pos '[netns5]') || fail "no [netns5] on the screen"
read -r r2 c2 < <(pos '[netns2]') || fail "no [netns2] on the screen"
[ "$(cell $((r4 - 1)) $((c4 + 4)))" = '✗' ] || fail "the ✗ is not right above netns4"
[ "$(cell $((r5 - 1)) $((c5 + 4)))" = '│' ] || fail "netns5's link is not drawn up (solid)"
[ "$(cell $((r2 - 1)) $((c2 + 4)))" = '│' ] || fail "netns2's link is not drawn up (solid)"
cmd "link brx netns4 up"
wait_gone '✗' 3

# VLAN colours: the legend row's colour of each VLAN paints a link of it.
E=$'\x1b'
SGR="($E\\[[0-9;]*m)*" # any run of attribute changes
colour_of() { # the 256-colour index the legend row gives VLAN $1
  screen_e | grep -oE "38;5;[0-9]+m$SGR━━$SGR$1 " | head -1 | sed -E 's/38;5;([0-9]+)m.*/\1/'
}
c10=$(colour_of 10) c20=$(colour_of 20)
[ -n "$c10" ] && [ -n "$c20" ] || fail "the legend row lacks VLAN 10 or 20 ($c10/$c20)"
[ "$c10" != "$c20" ] || fail "VLANs 10 and 20 share colour $c10"
graph_rows=$(screen_e | sed -n '3,12p')
echo "$graph_rows" | grep -qE "38;5;${c20}m$SGR│" || fail "no link is drawn in VLAN 20's colour ($c20)"
echo "$graph_rows" | grep -qE "38;5;${c10}m$SGR│" || fail "no link is drawn in VLAN 10's colour ($c10)"

# netns9's two links to bry: two lines end on its label.
cmd "select netns9"
wait_for 'inspector: netns9'
read -r r9 c9 < <(pos '(netns9)') || fail "no (netns9) after selecting it"
above=$(screen | sed -n "${r9}p")
above=${above:$c9:8}
n=$(echo -n "$above" | grep -o '│' | wc -l)
[ "$n" = 2 ] || fail "netns9 has $n links drawn above it, not 2: '$above'"

# vlan N: VLAN 20's members bold, the others dim; a VLAN nobody has is refused.
cmd "vlan 20"
wait_for 'VLAN 20 highlighted: [0-9]+ links'
screen_e | grep -qE "$E\\[1m$SGR\\[netns4\\]" || fail "netns4 is not bold in VLAN 20"
screen_e | grep -qE "$E\\[2m$SGR\\[netns1t\\]" || fail "netns1t is not dimmed in VLAN 20"
cmd "vlan 99"
wait_for 'No port of lab .* is in VLAN 99 \(its VLANs: 9, 10, 20\)'
cmd "vlan off"
wait_for 'No VLAN highlighted'
screen_e | grep -qE "$E\\[2m$SGR\\[netns1t\\]" && fail "netns1t still dimmed after vlan off"

cmd "legend"
wait_for 'VLAN 20 \(access\)'
screen | grep -q 'trunk (tagged)' || fail "the legend lacks the trunk colour"
cmd "legend"
wait_gone 'VLAN 20 \(access\)'

# The same truth at 80x24, where the graph pans to the selected node.
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
cmd "select netns5"
wait_for 'inspector: netns5 '
cmd "link brx netns5 down"
wait_for '✗' 3
[ "$(screen | grep -o '✗' | wc -l)" = 1 ] || fail "80x24: more than one ✗ for one link down"
read -r r5 c5 < <(pos '[netns5]') || fail "80x24: no [netns5] on the screen"
[ "$(cell $((r5 - 1)) $((c5 + 4)))" = '✗' ] || fail "80x24: the ✗ is not right above netns5"
read -r r4 c4 < <(pos '[netns4]') || fail "80x24: no [netns4] on the screen"
[ "$(cell $((r4 - 1)) $((c4 + 4)))" = '│' ] || fail "80x24: netns4's link is not drawn up"
cmd "link brx netns5 up"
wait_gone '✗' 3
cmd "vlan 10"
wait_for 'VLAN 10 highlighted: [0-9]+ links'
screen_e | grep -qE "$E\\[2m$SGR\\[netns4\\]" || fail "80x24: netns4 is not dimmed in VLAN 10"
cmd "legend"
wait_for 'VLAN 10 \(access\)'
cmd "legend"
cmd "vlan off"
wait_gone 'VLAN 10 \(access\)'
echo "ok"
