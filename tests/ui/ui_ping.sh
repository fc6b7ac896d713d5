# ui_ping.sh — `h1 ping -c1 h2` runs in h1 and its output (one reply) shows;
# `ping A B` and `pingall` report success; a wrong command says what is expected.
. "$(dirname "$0")/lib.sh"
command -v ping >/dev/null || { echo "SKIP: no ping"; exit 77; }
start
cmd "h1 ping -c1 10.0.0.2"
wait_for '1 packets transmitted, 1 received'
wait_for 'exit 0'
cmd "ping h2 h1"
wait_for 'ping h2 -> h1: ok'
cmd "pingall"
wait_for 'pingall: 0% dropped \(2/2 received\)' 30
cmd "ping h1"
wait_for 'Usage: ping A B'
cmd "frobnicate"
wait_for 'Unknown command "frobnicate"'
echo "ok"
