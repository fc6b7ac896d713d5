# ui_names.sh — node names work where a Mininet user types them (issue 9
# §1): `h1 ping -c1 h2` (README's example) pings h2's address (the name is
# replaced, as Mininet does, and shows in the job's header), and `ping h2`
# typed in h1's shell resolves through the lab's hosts file.
. "$(dirname "$0")/lib.sh"
command -v ping >/dev/null || { echo "SKIP: no ping"; exit 77; }
start
cmd "h1 ping -c1 h2"
wait_for '^h1\$ ping -c1 10\.0\.0\.2 '
wait_for '1 packets transmitted, 1 received'
wait_for 'h1\$ ping -c1 10\.0\.0\.2: exit 0'
# A name inside quotes is the user's text, not a node.
cmd "h1 echo 'h2 stays' h2"
wait_for "^h2 stays 10\.0\.0\.2 "
# In a shell inside h1 the names resolve (/etc/hosts is the lab's).
cmd "term h1"
wait_for 'h1: shell'
keys -l 'ping -c1 -W2 h2 | head -2; getent hosts h1'
keys Enter
wait_for 'PING h2 \(10\.0\.0\.2\)'
wait_for '64 bytes from h2 \(10\.0\.0\.2\)'
wait_for '│10\.0\.0\.1 +h1'
# ... and the host's own /etc/hosts is untouched.
grep -q "$LAB" /etc/hosts && fail "the host's /etc/hosts names the lab"
echo "ok"
