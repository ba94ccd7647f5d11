#!/bin/bash
# `run --watch`: from a write of the config to the pinned program dropping
# the source the write bans (bench/enforcewait starts the write, then runs
# the program on a frame from that source every millisecond). Writes take
# turns: a rename-on-save (mv of a file written beside it) and an edit in
# place (cp over the file: same inode). Each write turns one more of the
# first REPS rules from pass to drop; the next write waits for the daemon
# to have logged the reload before it.
# usage: bench/watch.sh REPS N...   Prints CSV:
#   watch,N,REP,rename|inplace,MS,WRITE_MS,PARSE_MS,KERNEL_MS
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build/bench
XDPFW=${XDPFW:-$ROOT/build/xdpfw}
REPS=$1
shift
WORK=$(mktemp -d /tmp/xfb-watch.XXXXXX)
NS=xfbw-$$
# shellcheck source=ctl_lib.sh
. "$ROOT/bench/ctl_lib.sh"
ctl_setup

# config N DROPPED: mkconf's N drop rules, with rules DROPPED..REPS-1 passing instead.
config() {
	"$ROOT/bench/mkconf.sh" "$1" | awk -v from="$2" -v to="$REPS" '
	/^  - name: r[0-9]+$/ {i = substr($3, 2) + 0}
	/^    action: drop$/ && i >= from && i < to {$0 = "    action: pass"}
	{print}'
}
in_force() { grep -c 'rules in force' "$WORK/daemon.log" || true; }

for n in "$@"; do
	[ "$n" -gt "$REPS" ] || missing "N ($n) must be more than REPS ($REPS)"
	pin=$WORK/bpffs/w$n
	live=$WORK/etc/xdpfw.yaml
	mkdir -p "$WORK/etc"
	config "$n" 0 >"$live"
	"$XDPFW" --pin-dir "$pin" run --watch "$live" 2>"$WORK/daemon.log" &
	DAEMON=$!
	for _ in $(seq 1 600); do
		grep -q running "$WORK/daemon.log" && break
		kill -0 "$DAEMON" 2>/dev/null || missing "the daemon did not start: $(tail -1 "$WORK/daemon.log")"
		sleep 0.1
	done
	for rep in $(seq 1 "$REPS"); do
		i=$((rep - 1))
		config "$n" "$rep" >"$WORK/etc/.xdpfw.yaml.new"
		before=$(in_force)
		if [ $((rep % 2)) = 1 ]; then
			kind=rename
			write=(mv "$WORK/etc/.xdpfw.yaml.new" "$live")
		else
			kind=inplace
			write=(cp "$WORK/etc/.xdpfw.yaml.new" "$live")
		fi
		out=$("$B/enforcewait" "$pin/xdpfw_prog" "198.18.$((i / 256)).$((i % 256))" 10000 "${write[@]}") ||
			missing "write $rep ($kind) was not enforced within 10 s: $(tail -1 "$WORK/daemon.log")"
		for _ in $(seq 1 600); do
			[ "$(in_force)" -gt "$before" ] && break
			sleep 0.01
		done
		times=$(grep 'rules in force' "$WORK/daemon.log" | tail -n 1 |
			sed -n 's/.*(parse \([0-9.]*\) ms, kernel \([0-9.]*\) ms).*/\1,\2/p')
		echo "watch,$n,$rep,$kind,$(echo "$out" | cut -d, -f2,3),$times"
	done
	grep -c '^xdpfw: reloading' "$WORK/daemon.log" | sed "s/^/reloads,$n,/"
	daemon_stop "$pin"
done
