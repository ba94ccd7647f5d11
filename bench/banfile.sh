#!/bin/bash
# `xdpfw ban --file` of N IPv4 addresses (bench/mkbans.sh) into the pin dir
# of an applied 1000-rule config, each repetition on a fresh pin dir, and
# `ipset restore` of the same addresses (hash:ip) in a fresh namespace.
# usage: bench/banfile.sh REPS N   Prints CSV:
#   ban,N,REP,S   banned,N,COUNT (`bans --json` after the first)   ipset,N,REP,S
#   banparts,N,REP,READ_MS,STATE_MS,MAPS_MS (where `ban -v` says the time went)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build/bench
XDPFW=${XDPFW:-$ROOT/build/xdpfw}
REPS=$1 N=$2
WORK=$(mktemp -d /tmp/xfb-ban.XXXXXX)
NS=xfbb-$$
# shellcheck source=ctl_lib.sh
. "$ROOT/bench/ctl_lib.sh"
ctl_setup

"$ROOT/bench/mkbans.sh" "$N" list >"$WORK/bans.txt"
"$ROOT/bench/mkbans.sh" "$N" ipset >"$WORK/bans.ipset"
"$ROOT/bench/mkconf.sh" 1000 >"$WORK/rules.yaml"

for rep in $(seq 1 "$REPS"); do
	pin=$WORK/bpffs/b$rep
	"$XDPFW" --pin-dir "$pin" apply "$WORK/rules.yaml" 2>/dev/null
	t=$(now)
	"$XDPFW" --pin-dir "$pin" -v ban --file "$WORK/bans.txt" >/dev/null 2>"$WORK/log" ||
		{ echo "bench: ban --file failed: $(tail -n 1 "$WORK/log")" >&2; exit 1; }
	echo "ban,$N,$rep,$(since "$t")"
	sed -n "s/.*ban: read \([0-9.]*\) ms, state \([0-9.]*\) ms, maps \([0-9.]*\) ms.*/banparts,$N,$rep,\1,\2,\3/p" "$WORK/log"
	[ "$rep" = 1 ] && echo "banned,$N,$("$XDPFW" --pin-dir "$pin" --json bans | jq length)"
	"$XDPFW" --pin-dir "$pin" down >/dev/null 2>&1
done
for rep in $(seq 1 "$REPS"); do
	ip netns add "$NS"
	t=$(now)
	ip netns exec "$NS" ipset restore <"$WORK/bans.ipset"
	echo "ipset,$N,$rep,$(since "$t")"
	ip netns del "$NS"
done
