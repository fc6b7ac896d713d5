#!/usr/bin/env bash
# limits.sh — resource errors name the resource (issue 16 §5): a lab that
# runs into the kernel's limit of network namespaces fails at the lab
# file's line with the limit's name, its value and the sysctl that raises it,
# and leaves nothing behind. The limit is lowered only inside a sandbox (a
# user namespace of its own, where user.max_net_namespaces is its own):
# the machine's sysctls are never touched.
. "$(dirname "$0")/../lib.sh"
need_root
command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
unshare -U -r -n -m -u --propagation private true 2>/dev/null ||
        { echo "SKIP: no user namespaces here"; exit 77; }
name=tlim$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
netlab.topo.linear(lab, 5)
LAB
)
out=$(unshare -U -r -n -m -u --propagation private sh -c \
        'echo 4 >/proc/sys/user/max_net_namespaces && exec "$0" run "$1"' "$NETLAB" "$f" 2>&1)
rc=$?
echo "$out"
expect "the build fails (exit 1)" [ $rc -eq 1 ]
expect "at the lab file's line, naming the limit, its value and the fix" grep -qE \
        "$name\\.lua:2: Cannot create namespace .*: No space left on device \\(the kernel's limit of network namespaces, user\\.max_net_namespaces = 4, is reached; the lab needs [0-9]+ more: as root, sysctl -w user\\.max_net_namespaces=[0-9]+\\)" <<<"$out"
expect "nothing left" nothing_left $name
finish
