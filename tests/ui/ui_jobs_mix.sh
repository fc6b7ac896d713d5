#!/bin/bash
# ui_jobs_mix.sh — two node commands printing at once (issue 9, newcomer
# surprise 10): once a second job prints, each job's lines go out whole
# with its node's name before them ("h1| A2"), never mixed within a line;
# a job alone prints as it always did (no prefix).
. "$(dirname "$0")/lib.sh"
start 120 40
cmd "h1 echo alone"
wait_for '^alone *(│|$)' 10
screen | grep -q 'h1| alone' && fail "a job alone got a prefix"
# Partial lines (printf without a newline, then the rest) must not mix.
cmd "h1 for i in 1 2 3 4; do printf 'A%s-' \$i; sleep 0.2; echo end; done"
cmd "h2 for i in 1 2 3 4; do printf 'B%s-' \$i; sleep 0.3; echo end; done"
wait_for '^h2\| \[exit 0\]' 20
wait_for '^h1\| \[exit 0\]' 20
for i in 2 3 4; do
  screen | grep -Eq "^h1\| A$i-end *(│|$)" || fail "h1's line A$i is not whole with its name"
  screen | grep -Eq "^h2\| B$i-end *(│|$)" || fail "h2's line B$i is not whole with its name"
done
screen | grep -Eq 'A[0-9]-[^e ]|B[0-9]-[^e ]|A[0-9]-end.*B|B[0-9]-end.*A' && fail "lines of the two jobs mixed"
echo "ok"
