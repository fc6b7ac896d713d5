#!/bin/bash
# ui_ls.sh — netlab ls (issue 9, newcomer surprise 9): NODES is the lab's
# node count (not its namespaces: the userspace datapath has one too) and
# AGE is the time since the lab came up (not the run directory's mtime,
# which every file written there moves).
. "$(dirname "$0")/lib.sh"
ship_lab labs/vlan.lua
"$BIN" up "$TMP/lab.lua" >"$TMP/up" 2>&1 || fail "netlab up: $(cat "$TMP/up")"
want=$("$BIN" graph "$TMP/lab.lua" --format dot | grep -cE '^ *"[^"]+" \[label=')
[ "$want" -gt 0 ] || fail "cannot count the lab's nodes"
sleep 2.2
touch -m "/run/netlab/$LAB" # as a file written in the run directory would
line=$("$BIN" ls | grep -E "^$LAB ")
echo "$line" | grep -Eq "^$LAB +running +server +$want +[2-9]s " || fail "netlab ls: $line (want $want nodes, age >= 2 s)"
"$BIN" ls --json | python3 -c "
import json, sys
l = [x for x in json.load(sys.stdin) if x['lab'] == '$LAB'][0]
sys.exit(0 if l['nodes'] == $want and l['age_s'] >= 2 else 1)" || fail "netlab ls --json: $("$BIN" ls --json)"
"$BIN" down "$LAB" >/dev/null || fail "netlab down"
echo "ok"
