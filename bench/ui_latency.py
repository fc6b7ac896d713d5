#!/usr/bin/env python3
"""ui_latency.py — keystroke-to-screen and pane-output-to-screen latency of
the console, read on the terminal's own byte stream (see ui_latency.sh).

The console runs on a pty this script owns (no tmux between): the time of a
sample is from the write of its cause to the read of the bytes that put it
on the screen. Keystroke: one 'Z' to the command line, until a 'Z' arrives.
Pane output: a shell pane in h1 runs `cat FIFO`; a token (8 letters, every
one different from the previous token's at each position, so curses sends
it whole) goes into the FIFO, until the token arrives. The cost of the probe
is a write, a poll and a read: microseconds.

    ui_latency.py NETLAB LAB.lua FIFO COLS ROWS SECONDS [LOAD_CMD]
prints one Markdown row per sample kind (idle, then under load when
LOAD_CMD is given), and the load average."""
import fcntl, os, pty, re, select, signal, struct, subprocess, sys, termios, time

binary, labfile, fifo = sys.argv[1], sys.argv[2], sys.argv[3]
cols, rows, secs = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
load_cmd = sys.argv[7] if len(sys.argv) > 7 else None

ESC = re.compile(rb"\x1b\[[0-9;?>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()*+][0-9A-Za-z]|\x1b[=>78DEHMNOc]|[\x00-\x1f]")

pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "screen"
    os.environ["LANG"] = "C.UTF-8"
    os.execv(binary, [binary, labfile])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
os.kill(pid, signal.SIGWINCH)

buf = b""  # the stream since the last reset, escape sequences removed
done = False


def pump(timeout):
    """Reads what the console wrote within timeout; returns when it was read."""
    global buf
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return None
    try:
        data = os.read(fd, 65536)
    except OSError:
        raise SystemExit(0 if done else "the console exited")
    now = time.monotonic()
    buf += ESC.sub(b"", data)
    if len(buf) > 1 << 16:
        buf = buf[-4096:]
    return now


def wait_text(pat, limit):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        pump(0.05)
        if re.search(pat, buf):
            return True
    return False


def send(b):
    os.write(fd, b)


if not wait_text(rb"is up", 120):
    sys.exit("the lab did not come up")
send(b"\x02:term h1\r")
wait_text(rb"h1#", 20)
send(b"cat " + fifo.encode() + b"\r")
time.sleep(1)
fw = os.open(fifo, os.O_WRONLY)  # cat holds the other end
send(b"\x02:")
time.sleep(0.3)
while pump(0.1):
    pass

tok_n = 0


def token():
    global tok_n
    tok_n += 1
    k = tok_n
    return bytes(97 + (k * 7 + i * 3 + k // 26) % 26 for i in range(8))


def sample(duration):
    global buf
    keys, panes = [], []
    typed = 0
    end = time.monotonic() + duration
    while time.monotonic() < end:
        if typed >= 40:  # Ctrl-U: an empty command line again
            send(b"\x15")
            time.sleep(0.05)
            while pump(0.02):
                pass
            typed = 0
        # a key
        buf = b""
        t0 = time.monotonic()
        send(b"Z")
        typed += 1
        got = None
        while got is None and time.monotonic() - t0 < 30:
            t = pump(1.0)
            if t and b"Z" in buf:
                got = t
        keys.append(((got or time.monotonic()) - t0) * 1000)
        time.sleep(0.02)
        # a line in the pane
        tok = token()
        buf = b""
        t0 = time.monotonic()
        os.write(fw, tok + b"\n")
        got = None
        while got is None and time.monotonic() - t0 < 30:
            t = pump(1.0)
            if t and tok in buf:
                got = t
        panes.append(((got or time.monotonic()) - t0) * 1000)
        time.sleep(0.02)
    return keys, panes


def row(name, v):
    if not v:
        return "| %-34s | %5d | %8s | %8s | %8s |" % (name, 0, "-", "-", "-")
    v = sorted(v)
    p = lambda q: v[min(len(v) - 1, int(q * len(v)))]
    return "| %-34s | %5d | %8.1f | %8.1f | %8.1f |" % (name, len(v), p(0.5), p(0.99), v[-1])


out = []
la0 = os.getloadavg()[0]
idle_k, idle_p = sample(min(secs, 15))
la1 = os.getloadavg()[0]
out.append(row("keystroke, idle", idle_k))
out.append(row("pane output, idle", idle_p))
if load_cmd:
    lp = subprocess.Popen(["sh", "-c", load_cmd], start_new_session=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    busy_k, busy_p = sample(secs)
    la2 = os.getloadavg()[0]
    os.killpg(lp.pid, signal.SIGTERM)
    lp.wait()
    out.append(row("keystroke, under load", busy_k))
    out.append(row("pane output, under load", busy_p))
print("| sample (ms)                        |     n |      p50 |      p99 |      max |")
print("|------------------------------------|-------|----------|----------|----------|")
print("\n".join(out))
print("\nload average (1 min): %.1f before, %.1f after idle%s" %
      (la0, la1, (", %.1f after load" % la2) if load_cmd else ""))
os.close(fw)
done = True
send(b"\x15quit\r")
time.sleep(0.5)
send(b"quit\r")
t = time.monotonic() + 30
while time.monotonic() < t:
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            break
    except ChildProcessError:
        break
    pump(0.2)
