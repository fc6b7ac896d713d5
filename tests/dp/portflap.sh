#!/bin/bash
# Ports going down and up, and an interface deleted and made again (a new
# ifindex), do not stop the datapath: traffic resumes by itself.
TAG=flp
. "$(dirname "$0")/lib.sh"
ns s1; ns h1; ns h2
link h1 eth0 s1 p1
link h2 eth0 s1 p2 02:00:00:00:06:02
addr h1 eth0 10.9.3.1/24
addr h2 eth0 10.9.3.2/24
S1=$(nspath s1)
printf 'switch s1\nport %s p1 10pu\nport %s p2 10pu\n' "$S1" "$S1" >"$WORK/conf"
engine "$WORK/conf"
must_ping h1 10.9.3.2
ip -n dpt-$TAG-s1 link set p2 down
must_not_ping h1 10.9.3.2
ip -n dpt-$TAG-s1 link set p2 up
must_ping h1 10.9.3.2 3
ip -n dpt-$TAG-h1 link set eth0 down; ip -n dpt-$TAG-h1 link set eth0 up
must_ping h1 10.9.3.2 3
ip -n dpt-$TAG-s1 link del p2
must_not_ping h1 10.9.3.2
link h2 eth0 s1 p2 02:00:00:00:06:02
addr h2 eth0 10.9.3.2/24
sleep 1.2 # the datapath looks for returning interfaces once a second
must_ping h1 10.9.3.2 3
kill -0 $ENGINE_PID || fail "the datapath died"
ok "datapath alive after down/up and delete/re-create"
echo PASS
