#!/bin/bash
# `make test` on a clean clone of HEAD, as CI runs it: its wall time, its
# counts, and the executions per second of each fuzzer's smoke run.
# usage: bench/suite.sh   Prints CSV:  suite,WALL_S,PASSED,FAILED  fuzz,NAME,EXEC_PER_S
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/xfb-suite.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

git clone -q "$ROOT" "$WORK/clone"
t0=$(date +%s.%N)
(cd "$WORK/clone" && XDPFW_TEST_LOGS=$WORK/logs make test) >"$WORK/out" 2>&1 || true
wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
counts=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1,\2/p' "$WORK/out" | tail -n 1)
echo "suite,$wall,${counts:-0,0}"
for log in "$WORK"/logs/fuzz/test_fuzz_*.log; do
	[ -f "$log" ] || continue
	name=$(basename "$log" .log)
	echo "fuzz,${name#test_fuzz_},$(sed -n 's/^# exec\/s \([0-9.]*\)$/\1/p' "$log")"
done
