#!/bin/bash
# Control plane: check/apply of N-rule configs, one changed rule from SIGHUP
# to the new verdict, memory, and nft -f / ipset restore of the same sources.
# usage: bench/control.sh REPS N...   Prints CSV:
#   check,N,REP,S  apply,N,REP,S,LOGGED_MS  mem,N,RSS_KB,HWM_KB,MEMLOCK_B
#   reload,N,REP,TO,MS  nft,N,REP,S  ipset,N,REP,S  map,N,NAME,MEMLOCK_B (largest N)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build/bench
XDPFW=$ROOT/build/xdpfw
REPS=$1
shift
WORK=$(mktemp -d /tmp/xfb-ctl.XXXXXX)
NS=xfbc-$$
DAEMON=
cleanup() {
	[ -n "$DAEMON" ] && kill "$DAEMON" 2>/dev/null && wait "$DAEMON" 2>/dev/null
	for p in "$WORK"/bpffs/*/; do [ -d "$p" ] && "$XDPFW" --pin-dir "$p" down >/dev/null 2>&1; done
	ip netns del "$NS" 2>/dev/null || true
	umount "$WORK/bpffs" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
mkdir "$WORK/bpffs"
mount -t bpf bpf "$WORK/bpffs"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.4f", b - a}'; }

# "NAME BYTES" of every map pinned under a pin dir (memlock).
map_memlock() {
	local m v
	for m in "$1"/fw_*; do
		v=$(bpftool -j map show pinned "$m" 2>/dev/null | grep -o '"bytes_memlock":[0-9]*' | grep -o '[0-9]*$')
		echo "$(basename "$m") ${v:-0}"
	done
}
memlock() { map_memlock "$1" | awk '{s += $2} END {print s + 0}'; }

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
	"$XDPFW" --pin-dir "$pin" run "$WORK/live.yaml" 2>"$WORK/daemon.log" &
	DAEMON=$!
	for _ in $(seq 1 600); do
		grep -q running "$WORK/daemon.log" && break
		sleep 0.1
	done
	echo "mem,$n,$(awk '/VmRSS/ {print $2}' /proc/$DAEMON/status),$(awk '/VmHWM/ {print $2}' /proc/$DAEMON/status),$(memlock "$pin")"
	[ "$n" = "${!#}" ] && map_memlock "$pin" | while read -r name bytes; do echo "map,$n,$name,$bytes"; done
	if [ "$n" -le 10000 ] || [ "$n" -ge 1000000 ]; then
		"$ROOT/bench/mkconf.sh" "$n" "" native 7 >"$WORK/changed.yaml"
		for rep in $(seq 1 "$REPS"); do
			for to in pass drop; do
				if [ $to = pass ]; then cp "$WORK/changed.yaml" "$WORK/live.yaml.new"; else cp "$conf" "$WORK/live.yaml.new"; fi
				mv "$WORK/live.yaml.new" "$WORK/live.yaml"
				done_before=$(grep -c 'rules in force' "$WORK/daemon.log" || true)
				ms=$("$B/verdictwait" "$pin/xdpfw_prog" "$DAEMON" "$to" 60000 | cut -d, -f2)
				echo "reload,$n,$rep,$to,$ms"
				# let the daemon finish its reload (old set deletion) before the next one
				for _ in $(seq 1 600); do
					[ "$(grep -c 'rules in force' "$WORK/daemon.log" || true)" -gt "$done_before" ] && break
					sleep 0.05
				done
			done
		done
	fi
	kill "$DAEMON"
	wait "$DAEMON" 2>/dev/null || true
	DAEMON=
	"$XDPFW" --pin-dir "$pin" down >/dev/null 2>&1
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
