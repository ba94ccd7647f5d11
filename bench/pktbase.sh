#!/bin/bash
# Issue 10's "no bans, no limits: the miss costs what it costs today":
# builds the datapath as issue 9 left it from git (mk/bench10.mk) and times
# it beside the current one, same rules, same run (bench/pktban base).
# usage: bench/pktbase.sh REPEAT REPS N...   Prints CSV: baseline,COMMIT and
# pktban's lines; or only baseline,missing,REASON when it cannot be built.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OBJ=build/bench/issue9/xdpfw.bpf.o
REPEAT=$1 REPS=$2
shift 2
if ! err=$(make -C "$ROOT" --no-print-directory "$OBJ" 2>&1 >/dev/null); then
	echo "baseline,missing,$(grep -v '^make' <<<"$err" | head -n 1 | tr , ' ')"
	exit 0
fi
echo "baseline,$(cat "$ROOT/build/bench/issue9/commit")"
exec "$ROOT/bench/holdns.sh" pktban "$REPEAT" "$REPS" base "$ROOT/$OBJ" "$@"
