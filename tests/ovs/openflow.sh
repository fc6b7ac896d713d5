#!/usr/bin/env bash
# openflow.sh — labs/openflow.lua under netlab run, with a unique name:
# pingall through the reference controller, flows in dpctl dump-flows,
# secure vs standalone without the controller; nothing left behind, and
# the machine's own Open vSwitch directories untouched.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib_ovs.sh"
need_root
need_ovs
name=tof$$
f=$(copylab labs/openflow.lua $name)
before=$(ls -A /var/run/openvswitch /var/log/openvswitch /etc/openvswitch 2>/dev/null | md5sum)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "netlab run labs/openflow.lua passes (rc $rc)" [ $rc -eq 0 ]
expect "11 checks pass, none fails" grep -q "^11 passed, 0 failed" <<<"$out"
expect "no warning at the build (both switches connect)" bash -c "! grep -q warning <<<'$out'"
expect "the flows are the controller's (actions=output)" grep -q "flows c0 installed in s1 ([1-9]" <<<"$out"
expect "nothing left" nothing_left $name
expect "no OVS daemon of the lab left" no_ovs_daemons $name
after=$(ls -A /var/run/openvswitch /var/log/openvswitch /etc/openvswitch 2>/dev/null | md5sum)
expect "the machine's Open vSwitch directories are untouched" [ "$before" = "$after" ]
finish
