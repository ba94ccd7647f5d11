# shellcheck shell=bash
# What bench/control.sh, sets.sh, crowdsec.sh, scrape.sh and events.sh share:
# a private bpffs in $WORK, cleanup of the daemon, pin dirs and namespace,
# timing, map memory, and the daemon's reloads timed by bench/verdictwait.
# The caller sets ROOT, B, XDPFW, WORK and NS, then calls ctl_setup.

DAEMON=
ctl_cleanup() {
	set +e # every step runs, though one fails under the caller's set -e
	[ -n "$DAEMON" ] && kill "$DAEMON" 2>/dev/null && wait "$DAEMON" 2>/dev/null
	for p in "$WORK"/bpffs/*/; do [ -d "$p" ] && "$XDPFW" --pin-dir "$p" down >/dev/null 2>&1; done
	ip netns del "$NS" 2>/dev/null || true
	umount "$WORK/bpffs" 2>/dev/null || true
	rm -rf "$WORK"
}

ctl_setup() {
	trap ctl_cleanup EXIT
	mkdir "$WORK/bpffs"
	mount -t bpf bpf "$WORK/bpffs"
}

# A section that cannot run says why in its CSV, and succeeds.
missing() {
	echo "missing,$*"
	exit 0
}

# Kills a background process of the caller's; its death is not the caller's failure.
ctl_stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null || true
}

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

# daemon_start PIN CONFIG: `xdpfw run` in the background, logging to
# $WORK/daemon.log, until it enforces (or exits).
daemon_start() {
	"$XDPFW" --pin-dir "$1" run "$2" 2>"$WORK/daemon.log" &
	DAEMON=$!
	for _ in $(seq 1 600); do
		grep -q running "$WORK/daemon.log" && break
		kill -0 "$DAEMON" 2>/dev/null || break
		sleep 0.1
	done
}

daemon_stop() { # PIN
	kill "$DAEMON"
	wait "$DAEMON" 2>/dev/null || true
	DAEMON=
	"$XDPFW" --pin-dir "$1" down >/dev/null 2>&1
}

# daemon_reload PIN pass|drop: SIGHUP until 198.18.0.7 gets that verdict, then
# until the daemon has logged the reload; prints "MS,PARSE_MS,KERNEL_MS".
daemon_reload() {
	local before ms
	before=$(grep -c 'rules in force' "$WORK/daemon.log" || true)
	ms=$("$B/verdictwait" "$1/xdpfw_prog" "$DAEMON" "$2" 60000 | cut -d, -f2)
	for _ in $(seq 1 600); do
		[ "$(grep -c 'rules in force' "$WORK/daemon.log" || true)" -gt "$before" ] && break
		sleep 0.05
	done
	echo "$ms,$(grep 'rules in force' "$WORK/daemon.log" | tail -n 1 |
		sed -n 's/.*(parse \([0-9.]*\) ms, kernel \([0-9.]*\) ms).*/\1,\2/p')"
}
