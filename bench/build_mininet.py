#!/usr/bin/python3
"""build_mininet.py — the Mininet half of bench/build.sh (issue 2, item 13).

Builds what `mn --switch lxbr --controller none --topo linear,N` builds, with
Mininet's own Python API (the objects `mn` uses), starts it, pings h1 -> hN
once, counts the processes Mininet keeps per idle node, and stops it.
Prints one marker line per phase on stdout ("BNL <EVENT> ..."), flushed at
once: bench/build.sh timestamps them as they arrive.

Unlike `mn`, this never calls mininet.clean.cleanup() (`mn -c`), which on a
shared machine kills every ping/mnexec process, deletes /tmp/*.log and
/tmp/*.out, every OVS bridge and every host link named *-ethN.

With `ovs` as a second argument it builds `mn --switch ovs --controller ref
--topo linear,N` instead (OVSSwitch, the reference Controller): that needs the
machine's own Open vSwitch running with its kernel module.

usage: /usr/bin/python3 bench/build_mininet.py N [ovs]     (root)
"""

import os
import signal
import sys


def say(*words):
    try:
        print("BNL", *words, flush=True)
    except BrokenPipeError:  # build.sh is gone: finish the teardown quietly
        sys.stdout = open(os.devnull, "w")


def descendants(root):
    """Processes below ROOT (not ROOT itself), from /proc/*/stat."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, split after ')'
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def on_term(signum, frame):
    # once: the teardown in main's finally must not be cut short in turn
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    raise KeyboardInterrupt


def main():
    if len(sys.argv) not in (2, 3) or not sys.argv[1].isdigit() or sys.argv[2:] not in ([], ["ovs"]):
        sys.stderr.write("usage: build_mininet.py N [ovs]\n")
        return 2
    n = int(sys.argv[1])
    ovs = sys.argv[2:] == ["ovs"]
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_term)
    from mininet.net import Mininet
    from mininet.nodelib import LinuxBridge
    from mininet.topo import LinearTopo

    say("IMPORTED")
    net = None
    try:
        # mn --topo linear,N --switch lxbr --controller none: the same objects
        if ovs:  # mn --topo linear,N --switch ovs --controller ref
            from mininet.node import Controller, OVSSwitch
            net = Mininet(topo=LinearTopo(n), switch=OVSSwitch, controller=Controller,
                          build=False)
        else:
            net = Mininet(topo=LinearTopo(n), switch=LinuxBridge, controller=None, build=False)
        net.build()  # inside the try: a partial network is stopped too
        say("BUILT")
        net.start()
        say("STARTED")
        h1, hn = net.get("h1"), net.get("h%d" % n)
        out = h1.cmd("ping -c1 -W3 " + hn.IP())
        if " 1 received" not in out:
            say("PING_FAIL", out.replace("\n", " | "))
            return 1
        say("PING_OK")
        nodes = len(net.hosts) + len(net.switches)
        say("PROCS", len(descendants(os.getpid())), nodes)
        say("STOP_BEGIN")
        net.stop()
        net = None
        say("STOPPED")
        return 0
    except KeyboardInterrupt:
        say("INTERRUPTED")
        return 130
    finally:
        if net is not None:
            net.stop()


if __name__ == "__main__":
    sys.exit(main())
