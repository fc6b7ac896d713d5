# lib_ovs.sh — for the OVS tests: skip with the reason when Open vSwitch is
# not installed; say whether any OVS daemon of lab $1 survived it.
need_ovs() {
        local p
        for p in ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl ovsdb-tool ovs-testcontroller; do
                if ! PATH=$PATH:/usr/sbin command -v $p >/dev/null; then
                        echo "SKIP: Open vSwitch is not installed (no $p): apt-get install openvswitch-switch openvswitch-testcontroller"
                        exit 77
                fi
        done
}

# No ovsdb-server, ovs-vswitchd or ovs-testcontroller of lab $1 runs.
no_ovs_daemons() {
        local left
        left=$(pgrep -af "(ovsdb-server|ovs-vswitchd|ovs-testcontroller).*/run/netlab/$1/" | grep -v pgrep)
        [ -z "$left" ] && return 0
        echo "  left: $left"
        return 1
}
