#!/usr/bin/env bash
# setup.sh — install what netlab needs on Debian/Ubuntu, build it, then either
# open the console on the default lab or run the whole test suite.
#
#   scripts/setup.sh            install, build, open netlab on labs/linear.lua
#   scripts/setup.sh test       install, build (plain + ASan/UBSan), run ctest
#
# Needs root (namespaces); re-runs itself with sudo when it is not root.
set -euo pipefail

mode=${1:-console}
case "$mode" in
console | test) ;;
*)
        echo "usage: scripts/setup.sh [console|test]" >&2
        exit 2
        ;;
esac
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then
                exec sudo -E bash "$0" "$@"
        fi
        echo "netlab needs root (it creates network namespaces): run this as root." >&2
        exit 1
fi

# What the console and the core need to build and run.
pkgs=(build-essential cmake pkg-config libmnl-dev liblua5.4-dev libncurses-dev
        libreadline-dev libvterm-dev iproute2 iputils-ping procps iperf3 nftables)
# What the test suite needs on top: tmux for the console tests, the qemu run
# of a stock Debian kernel (kernel path of the VLAN lab), tcpdump for captures,
# FRR and traceroute for the routing labs (labs/ospf.lua, labs/bgp.lua), Open
# vSwitch and its reference controller for the OVS switch class and
# labs/openflow.lua (netlab runs its own daemons per lab; the machine's are
# left alone).
test_pkgs=(tmux qemu-system-x86 qemu-system-data linux-image-amd64 busybox-static
        cpio xz-utils zstd tcpdump graphviz frr traceroute openvswitch-switch
        openvswitch-testcontroller)
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
                missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
        if ! command -v apt-get >/dev/null; then
                echo "Not a Debian/Ubuntu system: install these packages (or your" \
                        "distribution's equivalents) and run this again:" >&2
                printf '  %s\n' "${missing[@]}" >&2
                exit 1
        fi
        echo "Installing: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

if [ "$mode" = console ]; then
        exec ./build/netlab labs/linear.lua
fi

# The test suite runs on the sanitizer build: every test exercises
# AddressSanitizer and UndefinedBehaviorSanitizer too.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DNETLAB_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build-asan --output-on-failure --timeout 300 -j2
