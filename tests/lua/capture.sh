#!/usr/bin/env bash
# Capture on a link: link:capture from Lua (frames a check can read, a pcap
# file tcpdump reads), on a plain link and on a VLAN trunk (the tag shown on
# either datapath); the console's capture A B FILE / capture stop.
. "$(dirname "$0")/../lib.sh"
need_root

f=$(mklab "tcap$$" <<'EOF2'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
local s1 = lab:switch("s1")
local s2 = lab:switch("s2")
lab:link(h1, s1, { vlan = 10 })
lab:link(h2, s2, { vlan = 10 })
local trunk = lab:link(s1, s2, { trunk = { 10 } })
local h3 = lab:host("h3", { ip = "10.0.1.3/24" })
local h4 = lab:host("h4", { ip = "10.0.1.4/24" })
local plain = lab:link(h3, h4)

experiment("capture", function()
  local cap = trunk:capture { file = os.getenv("PCAP") }
  check(h1:ping(h2), "h1 reaches h2 over the trunk")
  local frames = cap:stop()
  local tagged = 0
  for _, fr in ipairs(frames) do
    if fr.vlan == 10 and fr.line:find("ICMP echo request", 1, true) then tagged = tagged + 1 end
  end
  check(tagged > 0, "the echo requests cross the trunk tagged 10 (" .. #frames .. " frames)")

  local c2 = plain:capture { at = h4 }
  check(h3:ping(h4), "h3 reaches h4")
  local out = 0
  for _, fr in ipairs(c2:frames()) do
    if fr.out and fr.line:find("ICMP echo reply", 1, true) then out = out + 1 end
  end
  check(out > 0, "at h4, its echo replies are outgoing")
  c2:stop()
  local ok, err = pcall(function() plain:capture { at = h1 } end)
  check(not ok and err:find("node 'h1' is not on this link", 1, true), "a node not on the link is refused: " .. tostring(err))
end)
EOF2
)
PCAP=$TMP/trunk.pcap "$NETLAB" run "$f" >"$TMP/out" 2>&1
expect "link:capture: every check passes" grep -q "^5 passed, 0 failed" "$TMP/out" || cat "$TMP/out"
expect "tcpdump reads the pcap, tags included" sh -c "tcpdump -e -nn -r '$TMP/trunk.pcap' 2>/dev/null | grep -q 'vlan 10, .*ICMP echo request'"

# Before the build: a message at the lab's line.
f2=$(mklab "tcaq$$" <<'EOF2'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
local l = lab:link(h1, h2)
l:capture()
EOF2
)
out=$("$NETLAB" run "$f2" 2>&1)
expect "capture before the build is refused at the line" sh -c "echo '$out' | grep -q 'tcaq$$.lua:5: link:capture: the lab is not built'"
expect "and leaves nothing" nothing_left "tcaq$$"

# The console's capture.
if command -v tmux >/dev/null; then
        f3=$(mklab "tcac$$" <<'EOF2'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
EOF2
)
        tmux -L "tcac$$" -f /dev/null new-session -d -s t -x 150 -y 40 \
                "env HOME=$TMP LANG=C.UTF-8 TERM=screen-256color '$NETLAB' '$f3'; sleep 60"
        wait_for "tmux -L tcac$$ capture-pane -p -t t | grep -q 'Lab tcac$$ is up'" 30 || fail "console up"
        tmux -L "tcac$$" send-keys -t t "capture h1 h2 $TMP/console.pcap" Enter
        wait_for "tmux -L tcac$$ capture-pane -p -t t | grep -q 'capturing on h1:eth0'" 10 || fail "capture started"
        tmux -L "tcac$$" send-keys -t t "h1 ping -c2 h2" Enter
        expect "the console shows decoded frames" wait_for "tmux -L tcac$$ capture-pane -p -t t | grep -q 'IP 10.0.0.1 > 10.0.0.2: ICMP echo request'" 10
        wait_for "tmux -L tcac$$ capture-pane -p -t t | grep -q '2 packets transmitted, 2 received'" 10 || fail "the ping ended"
        tmux -L "tcac$$" send-keys -t t "capture stop" Enter
        expect "capture stop says how many frames" wait_for "tmux -L tcac$$ capture-pane -p -t t | grep -Eq 'capture on h1:eth0 stopped: [0-9]+ frames'" 10
        expect "tcpdump reads the console's pcap" sh -c "tcpdump -nn -r '$TMP/console.pcap' 2>/dev/null | grep -c 'ICMP echo' | grep -q '^[4-9]'"
        tmux -L "tcac$$" kill-server
        "$NETLAB" down "tcac$$" >/dev/null 2>&1
fi
finish
