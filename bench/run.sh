#!/bin/bash
# `make bench`: per-packet cost, wire drop rate, control plane, the test
# suite on a clean clone (issue 8), prefix sets (issue 9), bans, limits and
# CrowdSec (issue 10), events and metrics (issue 11), watched configs and
# `make deb` (issue 12); then
# bench/RESULTS.md and bench/results.png. Needs root. BENCH_QUICK=1: a shorter run.
# Each section writes its CSV under build/bench/results and the report is
# regenerated after each, so a failing section leaves the others' results.
# BENCH_ONLY="NAME..." runs only those sections (issue 11's: pktlog
# pktlogcost wirelog scrape events; issue 12's: watch deb), keeps the others' CSVs, and writes the report to
# build/bench/RESULTS.md unless RESULTS_MD says where.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
R=$ROOT/build/bench/results
QUICK=${BENCH_QUICK:-0}
ONLY=${BENCH_ONLY:-}
export BENCH_QUICK=$QUICK
[ -z "$ONLY" ] || export RESULTS_MD=${RESULTS_MD:-$ROOT/build/bench/RESULTS.md}

tests/install-deps.sh xdp-tools nftables iptables ipset gnuplot-nox time
make --no-print-directory bench-bins
mkdir -p "$R"
if [ -z "$ONLY" ]; then
	rm -f "$R"/*.csv
else
	for name in $ONLY; do rm -f "$R/$name.csv"; done
fi

# PS_REPEAT: issue 9's cases run up to 2 µs a packet; BIG: the set loaded once (0: not).
# PB_REPS: issue 10's ratios are timed in turn, calls of each program alternating.
# SCRAPES: scrapes of /metrics; EV_REPS, EV_SECS: runs of 100k events/s and their length.
# WATCH_REPS: writes of a watched config timed to enforcement, for each size.
if [ "$QUICK" = 1 ]; then
	PC_REPEAT=300000 PC_REPS=5 WIRE_SECS=0.5 WIRE_REPS=5 CTL_REPS=3 PS_REPEAT=100000 BIG=0
	PB_REPS=11 CS_REPS=5 SCRAPES=5 EV_REPS=2 EV_SECS=1 WATCH_REPS=10
else
	PC_REPEAT=2000000 PC_REPS=7 WIRE_SECS=2 WIRE_REPS=5 CTL_REPS=5 PS_REPEAT=500000 BIG=10000000
	PB_REPS=31 CS_REPS=20 SCRAPES=10 EV_REPS=3 EV_SECS=3 WATCH_REPS=20
fi

section() { # NAME CMD...: runs one section into $R/NAME.csv, then the report
	local name=$1 t0
	shift
	[ -z "$ONLY" ] || [[ " $ONLY " == *" $name "* ]] || return 0
	t0=$(date +%s)
	echo "  BENCH    $name"
	if "$@" >"$R/$name.csv.tmp"; then
		mv "$R/$name.csv.tmp" "$R/$name.csv"
	else
		echo "bench: section $name failed; its partial output is in $R/$name.csv.tmp" >&2
	fi
	echo "  BENCH    $name done in $(($(date +%s) - t0)) s"
	bench/report.sh
}

section pktcost bench/holdns.sh pktcost "$PC_REPEAT" "$PC_REPS" 1000 100000 1000000
section pktset bench/holdns.sh pktset "$PS_REPEAT" "$PC_REPS" set 1000000
section pktexact bench/holdns.sh pktset "$PS_REPEAT" "$PC_REPS" exact 1000000
section wire bench/wire.sh "$WIRE_SECS" "$WIRE_REPS" 1000
section control bench/control.sh "$CTL_REPS" 10000 100000 1000000
section sets bench/sets.sh "$CTL_REPS" 1000000 "$BIG"
section pktbase bench/pktbase.sh "$PC_REPEAT" "$PB_REPS" 1000 1000000
section pktban bench/holdns.sh pktban "$PC_REPEAT" "$PB_REPS" ban 1000000 1000
section pktlimit bench/holdns.sh pktban "$PC_REPEAT" "$PB_REPS" limit 1000
section wireban bench/wireban.sh "$WIRE_SECS" "$WIRE_REPS" 1000
section banfile bench/banfile.sh "$CTL_REPS" 1000000
section crowdsec bench/crowdsec.sh "$CS_REPS" 1000
section pktlog env BASELINE=issue10 bench/pktbase.sh "$PC_REPEAT" "$PB_REPS" 1000 1000000
section pktlogcost bench/holdns.sh pktban "$PC_REPEAT" 11 log 1000
section wirelog bench/wireban.sh "$WIRE_SECS" "$WIRE_REPS" 1000 xdpfw_native xdpfw_log
section scrape bench/scrape.sh "$SCRAPES" 100000
section events bench/events.sh "$EV_REPS" 100000 "$EV_SECS"
section watch bench/watch.sh "$WATCH_REPS" 1000 100000
section deb bench/deb.sh 3
section suite bench/suite.sh
[ -n "$ONLY" ] || bench/plot.sh
bench/report.sh
