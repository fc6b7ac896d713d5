#!/usr/bin/env bash
# ui_host_small.sh — ui_host.sh at 80x24: the host view's graph, inspector
# (zoomed), refusals and panes on the smallest screen.
UIT_W=80 UIT_H=24 exec bash "$(dirname "$0")/ui_host.sh" "$@"
