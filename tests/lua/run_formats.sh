#!/usr/bin/env bash
# run_formats.sh — results CI systems read (issue 10 §6): `netlab run --tap`
# is TAP that prove accepts (and fails on a failing check), --junit FILE is
# JUnit XML an XML parser reads with the right counts, several labs run in
# parallel with -j N, each report whole and in order, one summary; a
# SIGTERM stops them all and leaves nothing.
. "$(dirname "$0")/../lib.sh"
need_root
command -v prove >/dev/null || { echo "SKIP: no prove"; exit 77; }

mk() { # mk NAME SLEEP CHECK-EXPR
        mklab "$1" <<LAB
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
experiment("reach", function()
  netlab.sleep($2)
  check(h1:ping(h2), "h1 reaches h2")
  print("a <print> & more")
  check($3, "the second check")
end)
LAB
}
good=tfg$$ bad=tfb$$ slow1=tfs1$$ slow2=tfs2$$ slow3=tfs3$$
fg=$(mk $good 0 true)
fb=$(mk $bad 0 false)
fs1=$(mk $slow1 1.5 true)
fs2=$(mk $slow2 1.5 true)
fs3=$(mk $slow3 1.5 true)

out=$(cd "$TMP" && prove -e "$NETLAB run --tap" "$fg" 2>&1)
expect "prove accepts a passing lab's TAP" grep -q "^Result: PASS" <<<"$out"
out=$(cd "$TMP" && prove -e "$NETLAB run --tap" "$fg" "$fb" 2>&1)
expect "prove fails on a failing check" grep -q "^Result: FAIL" <<<"$out"
expect "  ... naming the failed test point" grep -qE "$bad.lua .*Failed: 1" <<<"$out"
tap=$("$NETLAB" run --tap "$fb" 2>/dev/null)
expect "a failing check is 'not ok' with the experiment, message and line" \
        grep -qE "^not ok 2 - reach: the second check$" <<<"$tap"
expect "  ... its place as a diagnostic" grep -qE "^#   at .*$bad.lua:9$" <<<"$tap"
expect "  ... prints are comments, the plan comes last" \
        bash -c "grep -q '^# a <print> & more$' <<<'$tap' && [ \"\$(tail -1 <<<'$tap')\" = 1..2 ]"

# JUnit: what an XML parser reads.
"$NETLAB" run --junit "$TMP/j.xml" "$fg" "$fb" >/dev/null 2>&1
rc=$?
expect "several labs, one failing: exit 1 (got $rc)" [ $rc -eq 1 ]
counts=$(python3 - "$TMP/j.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r.findall("testsuite")
fails = [c.get("classname") + "/" + c.get("name") for c in r.iter("testcase") if c.find("failure") is not None]
print(r.tag, r.get("tests"), r.get("failures"), len(s), s[0].get("name"), ";".join(fails),
      "print" if "a <print> & more" in s[0].find("system-out").text else "noprint")
PY
)
expect "JUnit XML parses with the right counts: $counts" \
        [ "$counts" = "testsuites 4 1 2 $good $bad.reach/the second check print" ]

# Several labs in parallel: -j 3 takes about one lab's time, not three.
t0=$(date +%s%N)
out=$("$NETLAB" run -j 3 "$fs1" "$fs2" "$fs3" 2>&1)
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
expect "-j 3: three 1.5 s labs in ${ms} ms (< 4000), exit $rc" [ $rc -eq 0 -a $ms -lt 4000 ]
expect "  ... each lab's report whole and in order" \
        bash -c "grep -E '^(==== |lab |1 passed|2 passed)' <<<'$out' | tr '\n' ' ' | grep -qE '$slow1.lua lab $slow1: .*2 passed, 0 failed ==== .*$slow2.lua lab $slow2: .*==== .*$slow3.lua lab $slow3'"
expect "  ... one summary" grep -qx "3 labs: 3 passed, 0 failed; checks: 6 passed, 0 failed" <<<"$out"
tap=$("$NETLAB" run --tap -j 2 "$fg" "$fb" 2>/dev/null)
echo "$tap" >"$TMP/multi.tap"
out=$(cd "$TMP" && prove -e cat multi.tap 2>&1)
expect "several labs as one TAP stream, numbered across labs" \
        bash -c "grep -q '^not ok 4 - reach: the second check' '$TMP/multi.tap' && grep -qx '1..4' '$TMP/multi.tap'"
expect "  ... that prove reads (and fails)" grep -qE "Failed: 1|Failed test: +4" <<<"$out"

# A stop signal stops them all.
"$NETLAB" run -j 3 "$fs1" "$fs2" "$fs3" >"$TMP/out" 2>&1 &
pid=$!
wait_for "ip netns list | grep -q '^$slow3\.'" 20
kill -TERM $pid
wait $pid
rc=$?
expect "SIGTERM to several labs: exit 143 (got $rc)" [ $rc -eq 143 ]
for l in $slow1 $slow2 $slow3; do expect "  ... nothing of $l left" nothing_left $l; done
finish
