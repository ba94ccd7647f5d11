#!/bin/bash
# Wire drop rate of a banned source against the same source dropped by an
# exact rule (bench/wire.sh cases xdpfw_ban and xdpfw_native), one
# repetition of each in turn, so that drift reaches both alike.
# usage: bench/wireban.sh SECONDS REPS RULES   Prints bench/wire.sh's CSV.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=$1 REPS=$2 RULES=$3
for _ in $(seq 1 "$REPS"); do
	"$ROOT/bench/wire.sh" "$SECS" 1 "$RULES" xdpfw_native xdpfw_ban
done
