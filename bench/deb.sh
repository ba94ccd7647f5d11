#!/bin/bash
# `make deb` on a clean clone of HEAD, as a release would build it: wall time
# of each of REPS builds (each in a fresh clone, so nothing is reused).
# usage: bench/deb.sh [REPS]   Prints CSV:  deb,REP,WALL_S,OK (OK: 1 if a .deb came out)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=${1:-3}
WORK=$(mktemp -d /tmp/xfb-deb.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

for ((i = 1; i <= REPS; i++)); do
	rm -rf "$WORK/clone"
	git clone -q "$ROOT" "$WORK/clone"
	t0=$(date +%s.%N)
	ok=0
	make -C "$WORK/clone" --no-print-directory deb >"$WORK/out" 2>&1 &&
		compgen -G "$WORK/clone/build/deb/xdpfw_*.deb" >/dev/null && ok=1
	wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
	echo "deb,$i,$wall,$ok"
done
