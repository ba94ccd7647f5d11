#!/bin/bash
# Wire drop rates of cases that a ratio compares, one repetition of each in
# turn, so that drift reaches them alike: by default a banned source against
# the same source dropped by an exact rule (bench/wire.sh cases xdpfw_native
# and xdpfw_ban); issue 11 passes xdpfw_native xdpfw_log (a logged rule).
# usage: bench/wireban.sh SECONDS REPS RULES [CASE...]   Prints bench/wire.sh's CSV.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=$1 REPS=$2 RULES=$3
shift 3
CASES=(xdpfw_native xdpfw_ban)
[ $# -eq 0 ] || CASES=("$@")
for _ in $(seq 1 "$REPS"); do
	"$ROOT/bench/wire.sh" "$SECS" 1 "$RULES" "${CASES[@]}"
done
