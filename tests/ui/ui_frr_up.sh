# ui_frr_up.sh — FRR is up in the console (issue 12): labs/ospf.lua opened
# in the console starts its routers' daemons once the lab is built
# (lab:on_up), before any experiment: at 80x24, a shell in r1 sees OSPF's
# route to h4's subnet, and `h1 ping h4` answers, with no `exp run`; an
# `exp run` typed meanwhile runs once on_up is done.
. "$(dirname "$0")/lib.sh"
if [ ! -x /usr/lib/frr/zebra ]; then
  echo "SKIP: FRR is not installed (apt-get install frr)"
  exit 77
fi
ship_lab labs/ospf.lua
start 80 24
# An experiment asked for while on_up still starts the daemons runs after
# it (it was refused, and the refusal hidden by on_up's own message).
cmd "exp run 2"
wait_log 'exp OSPF converges: (runs once on_up is done|running)' 30
wait_log 'Lab .* is up; on_up started its services' 90
wait_for '✓ 1 on_up' 10
wait_log 'exp OSPF converges: 3 passed, 0 failed' 90
[ "$(awk '{print $1}' /run/netlab/$LAB/svc/r1.ospfd)" = running ] || fail "r1's ospfd is not running"
cmd "term r1"
wait_for 'r1: shell' 10
keys -l 'r() { ip route show 10.4.0.0/24 proto ospf | grep -o "via [0-9.]*"; }'
keys Enter
keys -l 'until r; do sleep 0.5; done >/dev/null; echo ROUTE $(r)'
keys Enter
wait_for '^ROUTE via 10\.0\.12\.2 ' 60
keys -l 'exit'
keys Enter
wait_for 'r1: shell exited' 10
cmd "h1 ping -c 1 h4"
wait_for '1 received, 0% packet' 20
wait_for 'h1\$ ping -c 1 10\.4\.0\.10: exit 0' 10
echo "ok"
