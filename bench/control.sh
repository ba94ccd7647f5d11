#!/bin/bash
# Control plane: check/apply of N-rule configs, one changed rule from SIGHUP
# to the new verdict, memory, and nft -f / ipset restore of the same sources.
# usage: bench/control.sh REPS N...   Prints CSV:
#   check,N,REP,S  apply,N,REP,S,LOGGED_MS  mem,N,RSS_KB,HWM_KB,MEMLOCK_B
#   reload,N,REP,TO,MS,PARSE_MS,KERNEL_MS  nft,N,REP,S  ipset,N,REP,S  map,N,NAME,MEMLOCK_B (largest N)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build/bench
XDPFW=$ROOT/build/xdpfw
REPS=$1
shift
WORK=$(mktemp -d /tmp/xfb-ctl.XXXXXX)
NS=xfbc-$$
# shellcheck source=ctl_lib.sh
. "$ROOT/bench/ctl_lib.sh"
ctl_setup

for n in "$@"; do
	conf=$WORK/c$n.yaml
	"$ROOT/bench/mkconf.sh" "$n" >"$conf"
	for rep in $(seq 1 "$REPS"); do
		t=$(now)
		"$XDPFW" check "$conf" >/dev/null
		echo "check,$n,$rep,$(since "$t")"
	done
	for rep in $(seq 1 "$REPS"); do
		pin=$WORK/bpffs/a$n-$rep
		t=$(now)
		"$XDPFW" --pin-dir "$pin" apply "$conf" 2>"$WORK/log"
		s=$(since "$t")
		echo "apply,$n,$rep,$s,$(grep -o 'in [0-9.]* ms' "$WORK/log" | grep -o '[0-9.]*')"
		"$XDPFW" --pin-dir "$pin" down >/dev/null 2>&1
	done
	# The daemon: memory once enforcing, then one changed rule per SIGHUP.
	pin=$WORK/bpffs/d$n
	cp "$conf" "$WORK/live.yaml"
	daemon_start "$pin" "$WORK/live.yaml"
	echo "mem,$n,$(awk '/VmRSS/ {print $2}' /proc/$DAEMON/status),$(awk '/VmHWM/ {print $2}' /proc/$DAEMON/status),$(memlock "$pin")"
	[ "$n" = "${!#}" ] && map_memlock "$pin" | while read -r name bytes; do echo "map,$n,$name,$bytes"; done
	if [ "$n" -le 10000 ] || [ "$n" -ge 1000000 ]; then
		"$ROOT/bench/mkconf.sh" "$n" "" native 7 >"$WORK/changed.yaml"
		for rep in $(seq 1 "$REPS"); do
			for to in pass drop; do
				if [ $to = pass ]; then cp "$WORK/changed.yaml" "$WORK/live.yaml.new"; else cp "$conf" "$WORK/live.yaml.new"; fi
				mv "$WORK/live.yaml.new" "$WORK/live.yaml"
				echo "reload,$n,$rep,$to,$(daemon_reload "$pin" "$to")"
			done
		done
	fi
	daemon_stop "$pin"
	# The same sources with nftables and ipset, each in a fresh namespace.
	"$ROOT/bench/mkset.sh" nft "$n" >"$WORK/set.nft"
	"$ROOT/bench/mkset.sh" ipset "$n" >"$WORK/set.ipset"
	for rep in $(seq 1 "$REPS"); do
		ip netns add "$NS"
		t=$(now)
		ip netns exec "$NS" nft -f "$WORK/set.nft"
		echo "nft,$n,$rep,$(since "$t")"
		t=$(now)
		ip netns exec "$NS" ipset restore <"$WORK/set.ipset"
		echo "ipset,$n,$rep,$(since "$t")"
		ip netns del "$NS"
	done
	rm -f "$conf" "$WORK/set.nft" "$WORK/set.ipset"
done
