# ui_sync.sh — synchronize-panes: with prefix S (or `sync on`), what is
# typed into a shell goes to every shell; `sync off` ends it.
. "$(dirname "$0")/lib.sh"
start
cmd "term h1"
wait_for '[0-9]+ h1: shell'
cmd "term h2"
wait_for '[0-9]+ h2: shell'
keys C-b S
wait_for 'synchronize-panes on'
wait_for '\[sync\]'
keys -l 'echo SYNC-$(hostname)'
keys Enter
wait_for '^SYNC-h1 '
wait_for 'SYNC-h2 *(│|$)'
cmd "sync off"
wait_for 'synchronize-panes off'
wait_gone '\[sync\]'
n=$(screen | grep -Eo '[0-9]+ h2: shell' | head -1 | awk '{print $1}')
keys C-b q
wait_for "pane $n "
keys "$n"
keys -l 'echo ONLY-$(hostname)'
keys Enter
wait_for 'ONLY-h2 *(│|$)'
screen | grep -q 'ONLY-h1' && fail "typed into h1 after sync off"
echo "ok"
