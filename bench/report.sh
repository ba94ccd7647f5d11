#!/bin/bash
# Writes bench/RESULTS.md from the CSVs in RESULTS_DIR (default build/bench/results).
# A section whose CSV is missing says so; nothing is invented.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2034 # R is read by the report_*.sh sourced below
R=${RESULTS_DIR:-$ROOT/build/bench/results}
OUT=${RESULTS_MD:-$ROOT/bench/RESULTS.md}
for lib in "$ROOT"/bench/report_*.sh; do
	# shellcheck source=/dev/null
	. "$lib"
done
call() { if declare -F "$1" >/dev/null; then "$1"; fi; }
{
	report_header
	report_targets
	call report_issue9_targets
	call report_issue10_targets
	call report_issue11_targets
	call report_issue12_targets
	call report_suite_targets
	report_pktcost
	call report_wire
	call report_control
	call report_pktset
	call report_sets
	call report_issue10
	call report_issue11
	call report_issue12
	[ -f "$ROOT/bench/ANALYSIS.md" ] && cat "$ROOT/bench/ANALYSIS.md"
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "  REPORT   $OUT"
