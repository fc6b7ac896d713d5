# ui_mininet.sh — the Mininet commands (issue 9 §1): pingall's matrix has
# one column per destination in node order, X in the failed cells, whatever
# order the pings ended in; pingallfull adds RTTs; pingpair, intfs, ports,
# sh (on the host), time, lua (lab and nodes in scope), source FILE (lines
# one after the other), xterm/x (term's aliases), iperfudp.
. "$(dirname "$0")/lib.sh"
command -v ping >/dev/null || { echo "SKIP: no ping"; exit 77; }
write_lab 3
start 120 50
cmd "link s2 h2 down"
cmd "pingall"
wait_for '^\*\*\* Results: 66% dropped \(2/6 received\)' 30
wait_for '^h1 -> X  h3 *(│|$)'
wait_for '^h2 -> X  X *(│|$)'
wait_for '^h3 -> h1 X *(│|$)'
cmd "link s2 h2 up"
cmd "pingallfull"
wait_for '^\*\*\* 0% dropped \(6/6 received\)' 30
wait_for '^ h3->h2: 1/1, rtt min/avg/max/mdev [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms'
wait_for 'pingallfull: 0% dropped \(6/6 received\)'
cmd "pingpair"
wait_for 'pingpair: 0% dropped \(2/2 received\)' 20
wait_for '^ h2->h1: 1/1, rtt'
cmd "intfs"
wait_for '^s2: p1,p2,p3 *(│|$)'
cmd "ports"
wait_for '^s1 p1:1\(h1:eth0\) p2:2\(s2:p2\) *(│|$)'
hostns=$(readlink /proc/self/ns/net | tr -dc 0-9)
cmd "sh echo on-the-host \$(readlink /proc/self/ns/net)"
wait_for "^on-the-host net:\\[$hostns\\]"
cmd "time h1 sleep 0.6"
wait_for '^\*\*\* Elapsed time: 0\.[6-9][0-9]* secs'
cmd "lua #lab:nodes(), h2:ip(), h3:cmd('hostname')"
wait_for '^6	10\.0\.0\.2	h3 *(│|$)|^6 +10\.0\.0\.2 +h3'
cmd "lua x = h1"
cmd "lua x.name .. ' kept'"
wait_for '^h1 kept *(│|$)'
printf 'h1 sleep 0.5\nh2 echo second-line\nnodes\nlink s1 s2 show\n' >"$TMP/cmds"
cmd "source $TMP/cmds"
wait_for '^netlab> h1 sleep 0\.5'
# The second line waits for the first.
screen | grep -q '^second-line' && fail "source ran line 2 before line 1 ended"
wait_for '^second-line *(│|$)'
wait_for "source $TMP/cmds: 4 lines"
# A one-line answer (the message line's) is in the output pane too, under
# its line: the message line keeps only the last one.
screen | grep -A2 '^netlab> link s1 s2 show' | grep -Eq '^link s[12]-s[12]: ' ||
  fail "source: the answer to 'link s1 s2 show' is not in the output pane"
# clear: the output pane's screen emptied (a shell's habit; "clean" is
# something else), its lines kept for copy mode.
cmd "clear"
wait_for 'Output cleared \(Ctrl-b \[ scrolls back to it\)'
screen | grep -q '^second-line' && fail "clear left the output pane's text on the screen"
# Other habits get netlab's way: a bare node name, a node the lab lacks,
# Mininet's py.
cmd "h2"
wait_for 'h2 selected: h2 CMD runs CMD in it, term h2 opens a shell'
cmd "h9 ping h1"
wait_for 'No node "h9" in lab .* nor a command \(try help\)'
cmd "py h1.IP()"
wait_for 'py: netlab has no Python; lua CODE runs Lua'
cmd "xterm h2"
wait_for 'h2: shell'
cmd "x h3"
wait_for 'h3: shell'
if command -v iperf3 >/dev/null; then
  cmd "iperf"   # Mininet's: the first and the last host
  wait_for 'iperf h1 -> h3: [0-9.]+ [GMK]bits/sec' 30
  cmd "iperfudp 5M h1 h3"
  wait_for 'iperfudp h1 -> h3: [0-9.]+ Mbits/sec, lost [0-9]+/[0-9]+ \(' 30
fi
echo "ok"
