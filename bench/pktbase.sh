#!/bin/bash
# The "costs what it costs today" targets: builds an earlier datapath from
# git (BASELINE=issue9, the default, for issue 10's: mk/bench10.mk; issue10
# for issue 11's: mk/bench11.mk) and times it beside the current one, same
# rules, same run (bench/pktban base).
# usage: [BASELINE=issueK] bench/pktbase.sh REPEAT REPS N...   Prints CSV:
# baseline,COMMIT and pktban's lines; or only baseline,missing,REASON when it
# cannot be built.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=build/bench/${BASELINE:-issue9}
OBJ=$DIR/xdpfw.bpf.o
REPEAT=$1 REPS=$2
shift 2
if ! err=$(make -C "$ROOT" --no-print-directory "$OBJ" 2>&1 >/dev/null); then
	echo "baseline,missing,$(grep -v '^make' <<<"$err" | head -n 1 | tr , ' ')"
	exit 0
fi
echo "baseline,$(cat "$ROOT/$DIR/commit")"
exec "$ROOT/bench/holdns.sh" pktban "$REPEAT" "$REPS" base "$ROOT/$OBJ" "$@"
