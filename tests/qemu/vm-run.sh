#!/bin/bash
# vm-run.sh — runs one command inside a stock distribution kernel booted in
# qemu (TCG, no KVM needed), so netlab's kernel datapath can be tested on a
# kernel that has what the host's lacks (bridge vlan_filtering, 802.1Q, netem).
#
#   vm-run.sh [--add HOSTPATH[:VMPATH]]... [--cwd DIR] -- CMD [ARGS]...
#
# The VM boots from an initramfs that holds busybox (static) as /bin/sh and
# its applets, every --add'ed file or directory (at VMPATH, default: the same
# path as on the host), iproute2 (ip, bridge, tc), ping, nft, iperf3, the
# shared libraries all of them need (found with ldd, the loader included),
# and the kernel modules netlab uses (with their modules.dep closure,
# decompressed). The archive is cached under $QMT_CACHE (default
# ${TMPDIR:-/tmp}/qmt-cache), keyed by the content of everything in it; the
# command itself travels in a tiny second cpio appended per run.
#
# /init mounts proc, sys, devtmpfs, devpts, tmpfs on /run and /tmp, loads the
# modules, brings lo up, runs CMD (stdin /dev/null, stderr into stdout)
# between unique markers on the serial console, prints its status and
# reboots (qemu runs with -no-reboot, so it exits).
#
# This script prints CMD's output and exits with CMD's status. Its own
# failures: 77 when qemu, the kernel or busybox is missing (ctest's skip
# code), 124 on timeout ($QMT_TIMEOUT seconds, default 180), 125 when the VM
# did not boot or did not report a status; each with a message on stderr.
#
# Environment: QMT_KERNEL (vmlinuz path; default the newest /boot/vmlinuz-*
# with modules installed), QMT_QEMU, QMT_BUSYBOX, QMT_CACHE, QMT_TIMEOUT,
# QMT_MEM (MiB, default 1024), QMT_SMP (default 1), QMT_ACCEL (default tcg),
# QMT_VERBOSE=1 (copy the whole console to stderr), QMT_TIMING=1 (print
# boot and run times to stderr).
set -euo pipefail

me=${0##*/}
die() { # status message...
        local st=$1
        shift
        echo "$me: $*" >&2
        exit "$st"
}
usage() {
        echo "usage: $me [--add HOSTPATH[:VMPATH]]... [--cwd DIR] -- CMD [ARGS]..." >&2
        exit 2
}

adds=()
cwd=/
while [ $# -gt 0 ]; do
        case $1 in
        --add)
                [ $# -ge 2 ] || usage
                adds+=("$2")
                shift 2
                ;;
        --add=*)
                adds+=("${1#--add=}")
                shift
                ;;
        --cwd)
                [ $# -ge 2 ] || usage
                cwd=$2
                shift 2
                ;;
        --)
                shift
                break
                ;;
        -h | --help) usage ;;
        *) usage ;;
        esac
done
[ $# -ge 1 ] || usage

# --- what we need on the host ----------------------------------------------
qemu=${QMT_QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null 2>&1 || die 77 "$qemu not found (apt-get install qemu-system-x86)"
bios=/usr/share/qemu/qboot.rom
[ -r "$bios" ] || bios=
kernel=${QMT_KERNEL:-}
if [ -z "$kernel" ]; then
        for k in $(ls -v /boot/vmlinuz-* 2>/dev/null); do
                [ -d "/lib/modules/${k#/boot/vmlinuz-}/kernel" ] && kernel=$k
        done
fi
[ -n "$kernel" ] || die 77 "no kernel: no /boot/vmlinuz-* with /lib/modules (apt-get install linux-image-amd64)"
[ -r "$kernel" ] || die 77 "cannot read kernel $kernel"
kver=${QMT_KVER:-${kernel##*/vmlinuz-}}
moddir=/lib/modules/$kver
[ -r "$moddir/modules.dep" ] || die 77 "no $moddir/modules.dep for kernel $kernel"
busybox=${QMT_BUSYBOX:-$(command -v busybox || true)}
[ -n "$busybox" ] || die 77 "busybox not found (apt-get install busybox-static)"
if ldd "$busybox" >/dev/null 2>&1; then
        die 77 "$busybox is not static (apt-get install busybox-static)"
fi
timeout_s=${QMT_TIMEOUT:-180}
cache=${QMT_CACHE:-${TMPDIR:-/tmp}/qmt-cache}
mkdir -p "$cache"

# Tools every VM gets (found on the host's PATH; a missing one is skipped
# with a note, and the command that needs it will say so).
tools=(ip bridge tc ping nft iperf3)
# Wrappers that exec another program: busybox's would exec its own applets
# (its ping, its ip) first, so the host's are taken when it has them.
optional=(dash timeout env nice setsid nsenter unshare xargs tcpdump)
dash=$(command -v dash || true)
# Modules loaded at boot (with their dependencies); the other modules copied
# load on demand through modprobe and modules.alias.
preload=(veth bridge 8021q sch_netem sch_tbf sch_htb sch_ingress af_packet
        nf_tables nft_meta_bridge nft_reject_bridge)
ondemand=(nft_chain_nat nft_nat nft_masq nft_ct nft_reject nft_reject_inet
        nft_limit nft_log nft_counter nft_fib_inet nft_fib_ipv4 nft_redir nft_numgen
        nft_hash nft_quota nft_objref nf_conntrack_bridge nf_reject_ipv4 sch_prio
        sch_fq_codel sch_red cls_u32 cls_matchall cls_flower act_mirred act_gact
        dummy macvlan ipvlan vxlan)

work=$(mktemp -d "${TMPDIR:-/tmp}/qmt-run.XXXXXX")
qpid=
cleanup() {
        [ -n "$qpid" ] && kill "$qpid" 2>/dev/null || true
        rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { echo "$EPOCHREALTIME"; }
t0=$(now)

# --- the manifests: "VMPATH<TAB>HOSTPATH" per file ---------------------------
# Two layers: the base (tools, their libraries, modules: cached, the same
# for every run) and the --add'ed files with the libraries only they need
# (small, packed per run with the command, so a new netlab binary or a lab
# in a temporary directory does not make a new 20 MB base).
manifest=$work/manifest
added=$work/added
: >"$manifest"
: >"$added"
layer=$manifest
declare -A seen=()
addfile() { # hostpath vmpath
        [ -n "${seen[$2]:-}" ] && return 0
        seen[$2]=1
        printf '%s\t%s\n' "$2" "$1" >>"$layer"
}
elfs=()
addpath() { # hostpath vmpath: a file or a whole directory
        local h=$1 v=$2 f
        [ -e "$h" ] || die 2 "--add $h: No such file or directory"
        if [ -d "$h" ]; then
                while IFS= read -r -d '' f; do
                        addpath "$f" "$v${f#"$h"}"
                done < <(find -L "$h" -type f -print0)
                return 0
        fi
        addfile "$h" "$v"
        # (no forks per file: this runs for every file of every --add)
        if [ -x "$h" ]; then
                local magic=
                LC_ALL=C read -r -N 4 magic <"$h" 2>/dev/null || true
                if [ "$magic" = $'\x7fELF' ]; then elfs+=("$h"); fi
        fi
        return 0
}
for t in "${tools[@]}"; do
        p=$(command -v "$t" || true)
        if [ -z "$p" ]; then
                echo "$me: note: $t not found on the host, the VM will not have it" >&2
                continue
        fi
        addpath "$p" "$p"
done
for t in "${optional[@]}"; do
        p=$(command -v "$t" || true)
        [ -n "$p" ] && [ "${p#/}" != "$p" ] && addpath "$p" "$p"
done
# iproute2's tc reads netem's delay distributions from here.
for d in /usr/lib/x86_64-linux-gnu/tc /usr/lib/tc /lib/terminfo/d /lib/terminfo/l \
        /lib/terminfo/v /lib/terminfo/x /etc/iproute2; do
        [ -d "$d" ] && addpath "$d" "$d"
done
# Shared libraries (and the loader) of every ELF, resolved by ldd on the host.
for e in "${elfs[@]+"${elfs[@]}"}"; do
        while read -r lib; do
                addfile "$lib" "$lib"
        done < <(ldd "$e" 2>/dev/null | sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' \
                -e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p')
done

# Kernel modules: the closure of preload+ondemand through modules.dep.
declare -A modpath=() moddeps=()
while IFS= read -r line; do
        m=${line%%:*}
        n=${m##*/}
        n=${n%%.ko*}
        n=${n//-/_}
        modpath[$n]=$m
        moddeps[$n]=${line#*:}
done <"$moddir/modules.dep"
# Soft dependencies ("softdep libcrc32c pre: crc32c") name aliases; busybox
# modprobe ignores them, so their modules are copied and loaded first.
declare -A softpre=()
while read -r _ m rest; do
        m=${m//-/_}
        rest=${rest#pre: }
        softpre[$m]=${rest%%post:*}
done < <(grep '^softdep .* pre:' "$moddir/modules.softdep" 2>/dev/null || true)
modalias() { # alias: the module names it stands for
        awk -v a="$1" '$1 == "alias" && $2 == a { m = $3; gsub("-", "_", m); print m }' \
                "$moddir/modules.alias"
}
declare -A want=()
first=()
wantmod() { # name
        local n=${1//-/_} d
        [ -n "${want[$n]:-}" ] && return 0
        if [ -z "${modpath[$n]:-}" ]; then
                # built into the kernel, or absent: nothing to copy
                return 0
        fi
        want[$n]=1
        for d in ${moddeps[$n]}; do
                d=${d##*/}
                wantmod "${d%%.ko*}"
        done
        for d in ${softpre[$n]:-}; do
                for d in ${modpath[${d//-/_}]:+${d//-/_}} $(modalias "$d"); do
                        wantmod "$d"
                        first+=("$d")
                done
        done
}
for m in "${preload[@]}" "${ondemand[@]}"; do wantmod "$m"; done
preload=("${first[@]+"${first[@]}"}" "${preload[@]}")
for n in "${!want[@]}"; do
        addfile "$moddir/${modpath[$n]}" "$moddir/${modpath[$n]%%.ko*}.ko"
done

# The --add'ed layer.
layer=$added
elfs=()
for a in "${adds[@]+"${adds[@]}"}"; do
        h=${a%%:*}
        v=${a#*:}
        [ "$a" = "$h" ] && v=$(readlink -f "$h")
        case $v in /*) ;; *) die 2 "--add $a: VMPATH must be absolute" ;; esac
        addpath "$h" "$v"
done
for e in "${elfs[@]+"${elfs[@]}"}"; do
        while read -r lib; do
                addfile "$lib" "$lib"
        done < <(ldd "$e" 2>/dev/null | sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' \
                -e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p')
done

# --- the cache key: this script, the kernel, every file's content -----------
sort -o "$manifest" "$manifest"
key=$({
        sha256sum "$0" | cut -d' ' -f1
        echo "$kernel $kver ${preload[*]}"
        cut -f1 "$manifest"
        cut -f2 "$manifest" | tr '\n' '\0' | xargs -0 sha256sum | cut -d' ' -f1
} | sha256sum | cut -c1-16)
base=$cache/base-$key.cpio
t1=$(now)

# --- build the base initramfs if it is not cached ---------------------------
if [ ! -s "$base" ]; then
        root=$work/root
        mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib64,usr/lib/x86_64-linux-gnu,proc,sys,dev,run,tmp,etc,root,mnt,var}
        for d in bin sbin lib lib64; do ln -s "usr/$d" "$root/$d"; done
        ln -s ../run "$root/var/run"
        while IFS=$'\t' read -r v h; do
                mkdir -p "$root$(dirname "$v")"
                case $h in
                *.ko.xz) xz -dc "$h" >"$root$v" ;;
                *.ko.zst) zstd -qdc "$h" >"$root$v" ;;
                *.ko.gz) gzip -dc "$h" >"$root$v" ;;
                *) cp -L "$h" "$root$v" ;;
                esac
        done <"$manifest"
        cp "$busybox" "$root/usr/bin/busybox"
        # /bin/sh: Debian's busybox-static is built with SH_STANDALONE, so
        # its sh runs its own applets (ip, ping, tc...) before anything on
        # PATH; commands and netlab's own `sh -c` must get iproute2 and
        # iputils as on the host. So dash (Essential on Debian) is /bin/sh
        # when the host has it, busybox sh otherwise.
        if [ -n "$dash" ]; then
                ln -s dash "$root/usr/bin/sh"
        fi
        for a in $("$busybox" --list); do
                [ -e "$root/usr/bin/$a" ] || [ -e "$root/usr/sbin/$a" ] || ln -s busybox "$root/usr/bin/$a"
        done
        # A small modules.dep and modules.alias of just the modules copied,
        # for busybox modprobe (at boot and when the kernel asks for one).
        for n in "${!want[@]}"; do
                p=${modpath[$n]%%.ko*}.ko
                deps=
                for d in ${moddeps[$n]}; do deps="$deps ${d%%.ko*}.ko"; done
                echo "$p:$deps"
        done | sort >"$root$moddir/modules.dep"
        awk -v list="${!want[*]}" 'BEGIN { n = split(list, a, " "); for (i = 1; i <= n; i++) w[a[i]] = 1 }
                $1 == "alias" { m = $3; gsub("-", "_", m); if (m in w) print }' \
                "$moddir/modules.alias" >"$root$moddir/modules.alias"
        : >"$root$moddir/modules.builtin"
        [ -r "$moddir/modules.builtin" ] && cp "$moddir/modules.builtin" "$root$moddir/"
        for m in "${preload[@]}"; do
                [ -n "${want[$m]:-}" ] && echo "$m"
        done >"$root/etc/qmt-modules"
        echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
        echo "root:x:0:" >"$root/etc/group"
        echo "qmt" >"$root/etc/hostname"
        cat >"$root/init" <<'EOF'
#!/bin/busybox sh
# /init of the qmt VM: mount, load modules, run /qmt/cmd, report, reboot.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb
mount -t proc proc /proc
read qmt_t0 qmt_x </proc/uptime
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
# (a tmpfs would hide files --add'ed under /run or /tmp: the rootfs, itself
# a writable tmpfs, serves then)
for d in /run /tmp; do [ -z "$(ls -A $d)" ] && mount -t tmpfs tmpfs $d; done
mount -t tmpfs tmpfs /dev/shm
dmesg -n 1
echo /usr/bin/modprobe >/proc/sys/kernel/modprobe
hostname qmt
for m in $(cat /etc/qmt-modules); do modprobe "$m" 2>/dev/null; done
ip link set lo up
. /qmt/cmd
read qmt_t1 qmt_x </proc/uptime
echo "@@QMT-$qmt_nonce-TIMES $qmt_t0 $qmt_t1@@"
echo "@@QMT-$qmt_nonce-BEGIN@@"
cd "$qmt_cwd" && /bin/sh -c '"$@"' qmt "$@" </dev/null 2>&1
qmt_st=$?
echo
echo "@@QMT-$qmt_nonce-END $qmt_st@@"
reboot -f
EOF
        chmod 755 "$root/init"
        (cd "$root" && find . | LC_ALL=C sort | "$busybox" cpio -o -H newc 2>/dev/null) >"$base.tmp.$$"
        mv "$base.tmp.$$" "$base"
        # keep the cache bounded: archives unused for a day go
        find "$cache" -maxdepth 1 -name 'base-*.cpio' -mtime +0 -delete 2>/dev/null || true
fi
touch "$base"

# --- the kernel: bzImage, or its vmlinux booted through PVH -------------------
# Under TCG the bzImage's own decompressor (xz on Debian) takes seconds; a
# kernel built with CONFIG_PVH boots straight from the ELF vmlinux, which
# we unpack once on the host (cached by the kernel's checksum).
boot=$kernel
if [ "${QMT_PVH:-1}" = 1 ] && grep -qs '^CONFIG_PVH=y' "/boot/config-$kver"; then
        kkey=$(sha256sum "$kernel" | cut -c1-16)
        vml=$cache/vmlinux-$kkey
        if [ ! -s "$vml" ]; then
                for fmt in 'xz:\xfd7zXZ\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08'; do
                        tool=${fmt%%:*}
                        command -v "$tool" >/dev/null 2>&1 || continue
                        for off in $(LC_ALL=C grep -obUaP "${fmt#*:}" "$kernel" | cut -d: -f1 | head -n 4); do
                                tail -c +$((off + 1)) "$kernel" | "$tool" -dcq >"$vml.tmp.$$" 2>/dev/null || true
                                if [ "$(head -c 4 "$vml.tmp.$$" | od -An -c | tr -d ' ')" = '177ELF' ]; then
                                        mv "$vml.tmp.$$" "$vml"
                                        break 2
                                fi
                        done
                done
                rm -f "$vml.tmp.$$"
        fi
        [ -s "$vml" ] && boot=$vml
fi
t2=$(now)

# --- the per-run part: the command, quoted for sh ---------------------------
nonce=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
mkdir -p "$work/run/qmt"
# the --add'ed layer; /bin, /sbin, /lib, /lib64 are symlinks into /usr in
# the base, so paths through them are written under /usr (a directory entry
# in this layer must not meet a symlink of the base)
while IFS=$'\t' read -r v h; do
        case $v in
        /bin/* | /sbin/* | /lib/* | /lib64/*) v=/usr$v ;;
        esac
        mkdir -p "$work/run$(dirname "$v")"
        cp -L "$h" "$work/run$v"
done <"$added"
{
        echo "qmt_nonce=$nonce"
        echo "qmt_cwd=$(q "$cwd")"
        printf 'set --'
        for a in "$@"; do printf ' %s' "$(q "$a")"; done
        echo
} >"$work/run/qmt/cmd"
(cd "$work/run" && find . | "$busybox" cpio -o -H newc 2>/dev/null) >"$work/run.cpio"
cat "$base" "$work/run.cpio" >"$work/initrd"

# --- boot ---------------------------------------------------------------------
log=$work/console
append="console=ttyS0 quiet panic=-1 rdinit=/init mitigations=off"
append="$append tsc=reliable no_timer_check i8042.noaux i8042.nomux i8042.nopnp i8042.dumbkbd"
qargs=(-nodefaults -no-user-config -no-reboot -display none -nic none
        -accel "${QMT_ACCEL:-tcg}" -m "${QMT_MEM:-1024}" -smp "${QMT_SMP:-1}"
        -serial stdio -kernel "$boot" -initrd "$work/initrd" -append "$append")
[ -n "$bios" ] && qargs+=(-bios "$bios")
# The console goes to $log line by line; the markers' arrival is timed.
# (timeout runs in the background so that a signal to us can end it.)
console() {
        local l
        : >"$log"
        while IFS= read -r l || [ -n "$l" ]; do
                l=${l%$'\r'}
                case $l in
                "@@QMT-$nonce-BEGIN@@") echo "$EPOCHREALTIME" >"$work/t-begin" ;;
                "@@QMT-$nonce-END "*) echo "$EPOCHREALTIME" >"$work/t-end" ;;
                esac
                printf '%s\n' "$l" >>"$log"
                [ "${QMT_VERBOSE:-0}" = 1 ] && printf '%s\n' "$l" >&2
        done
        return 0
}
t3=$(now)
timeout -k 5 "$timeout_s" "$qemu" "${qargs[@]}" </dev/null > >(console) 2>&1 &
qpid=$!
set +e
wait "$qpid"
qst=$?
set -e
qpid=
t4=$(now)
# wait for the console reader (a process substitution) to drain
for _ in 1 2 3 4 5 6 7 8 9 10; do
        if grep -q "^@@QMT-$nonce-END " "$log" 2>/dev/null || [ $qst -ne 0 ]; then break; fi
        sleep 0.05
done
sleep 0.05

st=$(sed -n "s/^@@QMT-$nonce-END \([0-9]*\)@@\$/\1/p" "$log" | tail -n 1)
awk -v b="@@QMT-$nonce-BEGIN@@" -v e="^@@QMT-$nonce-END " '
        $0 == b { on = 1; n = 0; next }
        on && $0 ~ e { on = 0; done = 1; exit }
        on { l[++n] = $0 }
        END { for (i = 1; i < n; i++) print l[i]; if (n > 0) printf "%s", l[n]; if (!done && n > 0) print "" }
' "$log"
if [ "${QMT_TIMING:-0}" = 1 ]; then
        ktimes=$(sed -n "s/^@@QMT-$nonce-TIMES \(.*\)@@\$/\1/p" "$log")
        awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" -v k="$key" -v kt="${ktimes:-? ?}" \
                -v bt="$(cat "$work/t-begin" 2>/dev/null || echo 0)" \
                -v ee="$(cat "$work/t-end" 2>/dev/null || echo 0)" -v kn="${boot##*/}" 'BEGIN {
                split(kt, x, " ")
                printf "qmt: manifest %.2fs, initramfs+kernel %.2fs (%s, %s); vm %.2fs: " \
                        "boot-to-command %.2fs (kernel uptime at /init %ss, at command %ss), " \
                        "command %.2fs, poweroff %.2fs\n", b - a, c - b, k, kn, e - d,
                        bt - d, x[1], x[2], ee - bt, e - ee }' >&2
fi
if [ -z "$st" ]; then
        if [ $qst -eq 124 ] || [ $qst -eq 137 ]; then
                echo "$me: timeout: the VM did not finish in ${timeout_s}s (QMT_TIMEOUT); last console lines:" >&2
                tail -n 20 "$log" >&2
                exit 124
        fi
        if ! grep -q "^@@QMT-$nonce-BEGIN@@" "$log"; then
                echo "$me: the VM did not boot to the command (qemu status $qst); last console lines:" >&2
        else
                echo "$me: the VM ended without reporting the command's status (qemu status $qst); last console lines:" >&2
        fi
        tail -n 30 "$log" >&2
        exit 125
fi
exit "$st"
