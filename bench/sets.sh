#!/bin/bash
# Issue 9's control plane: a synthetic N-element list-file set (bench/synth.h)
# applied end to end, its kernel memory, ipset restore (hash:net) and nft -f
# (an interval set) of the same elements, one changed element from SIGHUP
# to the new verdict, and a BIG-element IPv4 set loaded once (0: skipped).
# usage: bench/sets.sh REPS N BIG   Prints CSV:
#   check,FAMILY,N,REP,S   apply,FAMILY,N,REP,S,PARSE_MS,KERNEL_MS
#   mem,FAMILY,N,MEMLOCK_B,EMPTY_MEMLOCK_B   map,FAMILY,N,MAP,MEMLOCK_B
#   ipset,FAMILY,N,REP,S   ipsetmem,FAMILY,N,BYTES   nft,FAMILY,N,REP,S
#   reload,N,REP,TO,MS,PARSE_MS,KERNEL_MS (the daemon's log of that reload)
#   big,N,APPLY_S,MEMLOCK_B,EMPTY_MEMLOCK_B,MAX_RSS_KB,AVAIL_KB
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build/bench
XDPFW=${XDPFW:-$ROOT/build/xdpfw}
REPS=$1 N=$2 BIG=$3
WORK=$(mktemp -d /tmp/xfb-sets.XXXXXX)
NS=xfbs-$$
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

# map_memlock PIN_DIR: "NAME BYTES" for every map pinned there.
map_memlock() {
	local m
	for m in "$1"/fw_*; do
		echo "$(basename "$m") $(bpftool -j map show pinned "$m" | grep -o '"bytes_memlock":[0-9]*' | grep -o '[0-9]*$')"
	done
}
memlock() { map_memlock "$1" | awk '{s += $2} END {print s + 0}'; }

# config LIST_FILE: one drop rule on a set read from the list file.
config() {
	printf 'sets:\n  big:\n    file: %s\nrules:\n  - name: big\n    src: "@big"\n    action: drop\n' "$1"
}

printf 'rules: []\n' >"$WORK/empty.yaml"
"$XDPFW" --pin-dir "$WORK/bpffs/empty" apply "$WORK/empty.yaml" 2>/dev/null
EMPTY=$(memlock "$WORK/bpffs/empty")
"$XDPFW" --pin-dir "$WORK/bpffs/empty" down >/dev/null 2>&1

for fam in v4 v6; do
	"$B/mksynth" "$fam" "$N" list >"$WORK/$fam.txt"
	config "$fam.txt" >"$WORK/$fam.yaml"
	reps=$REPS
	[ "$fam" = v6 ] && reps=1 # IPv6: its memory; the timing targets are IPv4's
	oreps=$((reps < 3 ? reps : 3)) # nft -f takes ~10 s
	for rep in $(seq 1 "$reps"); do
		t=$(now)
		"$XDPFW" check "$WORK/$fam.yaml" >/dev/null
		echo "check,$fam,$N,$rep,$(since "$t")"
	done
	for rep in $(seq 1 "$reps"); do
		pin=$WORK/bpffs/$fam-$rep
		t=$(now)
		"$XDPFW" --pin-dir "$pin" apply "$WORK/$fam.yaml" 2>"$WORK/log"
		s=$(since "$t")
		echo "apply,$fam,$N,$rep,$s,$(sed -n 's/.*(parse \([0-9.]*\) ms, kernel \([0-9.]*\) ms).*/\1,\2/p' "$WORK/log")"
		if [ "$rep" = 1 ]; then
			echo "mem,$fam,$N,$(memlock "$pin"),$EMPTY"
			map_memlock "$pin" | while read -r name bytes; do echo "map,$fam,$N,$name,$bytes"; done
		fi
		"$XDPFW" --pin-dir "$pin" down >/dev/null 2>&1
	done
	# The same elements with ipset (hash:net) and nftables (an interval set), in a fresh namespace.
	"$B/mksynth" "$fam" "$N" ipset >"$WORK/set.ipset"
	[ "$fam" = v4 ] && "$B/mksynth" "$fam" "$N" nft >"$WORK/set.nft"
	for rep in $(seq 1 "$oreps"); do
		ip netns add "$NS"
		t=$(now)
		ip netns exec "$NS" ipset restore <"$WORK/set.ipset"
		echo "ipset,$fam,$N,$rep,$(since "$t")"
		[ "$rep" = 1 ] && echo "ipsetmem,$fam,$N,$(ip netns exec "$NS" ipset list -t xfb | awk -F': ' '/Size in memory/ {print $2}')"
		if [ "$fam" = v4 ]; then
			t=$(now)
			ip netns exec "$NS" nft -f "$WORK/set.nft"
			echo "nft,$fam,$N,$rep,$(since "$t")"
		fi
		ip netns del "$NS"
	done
	rm -f "$WORK/set.ipset" "$WORK/set.nft"
done

# The daemon on the IPv4 set: the list file loses 198.18.0.0/24 (198.18.0.7 passes), then gets it back.
grep -v '^198\.18\.0\.0/24$' "$WORK/v4.txt" >"$WORK/changed.txt"
cp "$WORK/v4.txt" "$WORK/live.txt"
config live.txt >"$WORK/live.yaml"
pin=$WORK/bpffs/daemon
"$XDPFW" --pin-dir "$pin" run "$WORK/live.yaml" 2>"$WORK/daemon.log" &
DAEMON=$!
for _ in $(seq 1 600); do
	grep -q running "$WORK/daemon.log" && break
	sleep 0.1
done
for rep in $(seq 1 "$REPS"); do
	for to in pass drop; do
		if [ $to = pass ]; then cp "$WORK/changed.txt" "$WORK/live.txt.new"; else cp "$WORK/v4.txt" "$WORK/live.txt.new"; fi
		mv "$WORK/live.txt.new" "$WORK/live.txt"
		done_before=$(grep -c 'rules in force' "$WORK/daemon.log" || true)
		ms=$("$B/verdictwait" "$pin/xdpfw_prog" "$DAEMON" "$to" 60000 | cut -d, -f2)
		# let the daemon finish its reload before the next one
		for _ in $(seq 1 600); do
			[ "$(grep -c 'rules in force' "$WORK/daemon.log" || true)" -gt "$done_before" ] && break
			sleep 0.05
		done
		echo "reload,$N,$rep,$to,$ms,$(grep 'rules in force' "$WORK/daemon.log" | tail -n 1 |
			sed -n 's/.*(parse \([0-9.]*\) ms, kernel \([0-9.]*\) ms).*/\1,\2/p')"
	done
done
kill "$DAEMON"
wait "$DAEMON" 2>/dev/null || true
DAEMON=
"$XDPFW" --pin-dir "$pin" down >/dev/null 2>&1
rm -f "$WORK"/v4.txt "$WORK"/v6.txt "$WORK"/live.txt "$WORK"/changed.txt

# BIG IPv4 elements, once: time, kernel memory and the apply's peak RSS.
if [ "$BIG" -gt 0 ]; then
	avail=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
	"$B/mksynth" v4 "$BIG" list >"$WORK/bigset.txt"
	config bigset.txt >"$WORK/bigset.yaml"
	pin=$WORK/bpffs/big
	t=$(now)
	if /usr/bin/time -f '%M' -o "$WORK/rss" "$XDPFW" --pin-dir "$pin" apply "$WORK/bigset.yaml" 2>"$WORK/log"; then
		s=$(since "$t")
		echo "big,$BIG,$s,$(memlock "$pin"),$EMPTY,$(tail -n 1 "$WORK/rss"),$avail"
	else
		echo "bench: apply of $BIG elements failed: $(tail -n 1 "$WORK/log")" >&2
		echo "big,$BIG,failed,,$EMPTY,,$avail"
	fi
	"$XDPFW" --pin-dir "$pin" down >/dev/null 2>&1 || true
	rm -f "$WORK/bigset.txt"
fi
