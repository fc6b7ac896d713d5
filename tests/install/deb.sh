#!/usr/bin/env bash
# The installed tool: a plain build packed by CPack into a .deb, installed
# with apt as a person would, then used from outside the source tree: doctor,
# a shipped lab, the default lab with no argument from /, the man pages and
# the bash completion; finally removed. Skips when a netlab package is
# already installed (never replaces someone's install).
. "$(dirname "$0")/../lib.sh"
need_root
if dpkg-query -W -f='${Status}' netlab 2>/dev/null | grep -q "install ok installed"; then
        echo "SKIP: a netlab package is installed already"
        exit 77
fi
installed=0
remove_pkg() {
        [ $installed = 1 ] && apt-get remove -y -qq netlab >/dev/null 2>&1
        tmux -L "inst$$" kill-server 2>/dev/null
        [ -x /usr/bin/netlab ] && /usr/bin/netlab down linear >/dev/null 2>&1
        cleanup
}
trap remove_pkg EXIT

b=$TMP/build
cmake -S "$SRC" -B "$b" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr >/dev/null &&
        cmake --build "$b" -j2 >"$TMP/build.log" 2>&1 || { tail -20 "$TMP/build.log"; fail "plain build"; finish; }
(cd "$b" && cpack -G DEB >"$TMP/cpack.log" 2>&1) || { tail -20 "$TMP/cpack.log"; fail "cpack -G DEB"; finish; }
deb=$(ls "$b"/netlab_*.deb 2>/dev/null | head -1)
expect "cpack made a .deb" test -f "$deb"
dpkg-deb -c "$deb" >"$TMP/contents"
for f in ./usr/bin/netlab ./usr/share/netlab/labs/linear.lua ./usr/share/netlab/labs/vlan.lua \
        ./usr/share/netlab/lua/netlab/topo.lua ./usr/share/man/man1/netlab.1 \
        ./usr/share/man/man5/netlab-lab.5 ./usr/share/bash-completion/completions/netlab; do
        expect "the package holds $f" grep -q " $f\$" "$TMP/contents"
done
deps=$(dpkg-deb -f "$deb" Depends)
expect "its dependencies name the libraries it links ($deps)" sh -c "echo '$deps' | grep -q libmnl0 && echo '$deps' | grep -q 'liblua5.4' && echo '$deps' | grep -q libvterm"

DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$TMP/apt.log" 2>&1 &&
        installed=1 || { cat "$TMP/apt.log"; fail "apt-get install ./netlab_*.deb"; finish; }
pass "apt-get install ./$(basename "$deb")"
expect "netlab is on the PATH" test "$(command -v netlab)" = /usr/bin/netlab
expect "netlab --version" sh -c "cd / && netlab --version | grep -q '^netlab '"
expect "netlab doctor runs from the package" sh -c "cd / && netlab doctor >'$TMP/doctor' 2>&1"
expect "man netlab shows the console's keys" sh -c "man -P cat netlab 2>/dev/null | grep -q 'copy mode'"
expect "man 5 netlab-lab shows the Lua API" sh -c "man -P cat 5 netlab-lab 2>/dev/null | grep -q 'lab:link'"
expect "bash completion offers the commands" bash -c "source /usr/share/bash-completion/completions/netlab; COMP_WORDS=(netlab d); COMP_CWORD=1; _netlab; [[ \" \${COMPREPLY[*]} \" == *' doctor '* ]]"

# A shipped lab, run from /, under a name of its own.
sed -E "s/netlab\.lab\(\"[^\"]*\"\)/netlab.lab(\"tinst$$\")/" /usr/share/netlab/labs/router.lua >"$TMP/r.lua"
LABS+=("tinst$$")
expect "a shipped lab runs from the installed copy" sh -c "cd / && netlab run '$TMP/r.lua' >'$TMP/run.out' 2>&1"

# No argument, from /: the shipped default lab opens.
if ip netns list | grep -q '^linear\.'; then
        echo "note: a lab named linear runs here already; the no-argument console is not tried"
else
        tmux -L "inst$$" -f /dev/null new-session -d -s t -x 100 -y 30 \
                "cd / && env HOME=$TMP LANG=C.UTF-8 TERM=screen-256color netlab; sleep 60"
        expect "netlab with no argument opens linear.lua from /" wait_for \
                "tmux -L inst$$ capture-pane -p -t t | grep -q 'Lab linear is up'" 30
        tmux -L "inst$$" send-keys -t t C-b ":quit" Enter 2>/dev/null
        tmux -L "inst$$" send-keys -t t C-b q 2>/dev/null
        wait_for "! ip netns list | grep -q '^linear\\.'" 20 || netlab down linear >/dev/null 2>&1
fi

apt-get remove -y -qq netlab >/dev/null 2>&1 && installed=0
expect "apt-get remove takes it away" test ! -e /usr/bin/netlab
finish
