# shellcheck shell=bash
# Sourced by every tests/netns/test_*.sh. Needs root and: iproute2, ethtool,
# iputils-ping, python3-scapy, jq, util-linux (nsenter, mount).
#
# Topology (add_pair N): a firewalled namespace $FW_NS, shared by all pairs,
# and one peer namespace per pair, joined by a veth:
#
#     $PEER_NS [$PEER_DEV 198.18.N.2 .3, 2001:2:0:N::2 ::3]
#        <-- veth -->  [$FW_DEV 198.18.N.1, 2001:2:0:N::1]  $FW_NS
#
# xdpfw attaches to $FW_DEV; traffic goes from the peer to $FW_NS. Native
# XDP on a veth needs nothing on the peer for XDP_PASS frames to be received:
# attaching a program to $FW_DEV enables its NAPI receive path (the peer-side
# XDP/GRO requirement only concerns XDP_REDIRECT/XDP_TX into a veth). GRO is
# off on $FW_DEV so frames reach the packet socket in the order sent, which
# makes the sentinel in send_frames a sound "everything before it has been
# classified" barrier (veths are created with one queue for the same reason).
#
# Names carry the script name and $$, so tests and parallel runs never
# collide; everything is removed by an EXIT trap, even on failure.

set -u

NETNS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$NETNS_DIR/../.." && pwd)
XDPFW=${XDPFW:-$ROOT/build/xdpfw}
PY=/usr/bin/python3 # not the PATH one: it may be a pyenv without scapy
HELPER=$NETNS_DIR/helper.py

T_NAME=$(basename "$0" .sh)
T_NAME=${T_NAME#test_}
T_ID="xf-${T_NAME:0:20}-$$"
T_FAILS=0
T_COUNT=0
WORK=$(mktemp -d "/tmp/xdpfw-${T_NAME:0:20}.XXXXXX")

CLEAN_PIDS=()
CLEAN_NS=()
CLEAN_MOUNTS=()
SEQ=0

# ---------------------------------------------------------------- TAP

# Results go to stdout as it is now, through T_OUT: `check DESC CMD >FILE`
# sends CMD's output to FILE, never the check's own line (three tests once
# lost theirs that way, failures included).
exec {T_OUT}>&1
diag() { echo "# $*"; }
ok() {
	T_COUNT=$((T_COUNT + 1))
	echo "ok - $*" >&"$T_OUT"
}
not_ok() {
	T_COUNT=$((T_COUNT + 1))
	T_FAILS=$((T_FAILS + 1))
	echo "not ok - $*" >&"$T_OUT"
}
# check DESC CMD...: ok if CMD succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# check_fails DESC CMD...: ok if CMD fails.
check_fails() {
	local desc=$1
	shift
	if "$@"; then not_ok "$desc"; else ok "$desc"; fi
}
# check_eq DESC GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "  got:  '$2'"
		diag "  want: '$3'"
	fi
}
# die MSG: a failure the test cannot go on after.
die() {
	not_ok "$*"
	exit 1
}
finish() {
	echo "1..$T_COUNT"
	[ "$T_FAILS" -eq 0 ] && [ "$T_COUNT" -gt 0 ] && exit 0
	exit 1
}

# wait_until TIMEOUT_S CMD...: poll CMD every 50 ms until it succeeds or
# TIMEOUT_S seconds pass; returns CMD's last status.
wait_until() {
	local tries=$(($1 * 20))
	shift
	while :; do
		"$@" && return 0
		tries=$((tries - 1))
		[ "$tries" -le 0 ] && return 1
		sleep 0.05
	done
}

# ---------------------------------------------------------------- cleanup

cleanup() {
	local rc=$?
	set +e
	trap - EXIT
	if [ "$rc" -ne 0 ] && [ "$T_FAILS" -eq 0 ]; then
		echo "not ok - $T_NAME aborted with status $rc"
	fi
	local pid ns m
	for pid in "${CLEAN_PIDS[@]}"; do
		kill -9 "$pid" 2>/dev/null
	done
	for pid in "${CLEAN_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	for ns in "${CLEAN_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	for m in "${CLEAN_MOUNTS[@]}"; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# bg_start LOGFILE CMD...: run CMD in the background, killed at exit.
# Sets BG_PID. CMD must be a program, not a shell function (a function
# would run in a subshell and BG_PID would be that subshell); nsenter execs
# its command, so `bg_start LOG nsenter --net=... PROG` gives PROG's pid.
bg_start() {
	local log=$1
	shift
	if [ "$(type -t "$1")" != file ]; then
		die "bg_start: $1 is not a program"
	fi
	"$@" >"$log" 2>&1 {T_OUT}>&- &
	BG_PID=$!
	CLEAN_PIDS+=("$BG_PID")
}
# bg_kill PID [SIG]: kill a background process and reap it quietly.
bg_kill() {
	kill "-${2:-KILL}" "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# ---------------------------------------------------------------- topology

require_root_tools() {
	[ "$(id -u)" -eq 0 ] || die "netns tests need root"
	local t
	for t in ip ethtool ping jq nsenter mount "$PY"; do
		command -v "$t" >/dev/null || die "missing tool: $t (make deps)"
	done
	"$PY" -c 'import scapy' 2>/dev/null || die "missing python3-scapy for $PY (make deps)"
}

FW_NS=""
declare -A PAIR

# add_pair N: a new peer namespace and a veth from it into $FW_NS (created
# on first use), on 198.18.N.0/24 and 2001:2:0:N::/64; then use_pair N.
add_pair() {
	local n=$1
	local peer_ns="${T_ID}-p$n"
	local fw_dev="xf$$f$n" peer_dev="xf$$p$n"
	if [ -z "$FW_NS" ]; then
		FW_NS="${T_ID}-fw"
		ip netns add "$FW_NS" || die "ip netns add $FW_NS"
		CLEAN_NS+=("$FW_NS")
		ip -n "$FW_NS" link set lo up
	fi
	ip netns add "$peer_ns" || die "ip netns add $peer_ns"
	CLEAN_NS+=("$peer_ns")
	ip -n "$peer_ns" link set lo up
	ip link add "$fw_dev" netns "$FW_NS" numtxqueues 1 numrxqueues 1 type veth \
		peer name "$peer_dev" netns "$peer_ns" numtxqueues 1 numrxqueues 1 ||
		die "ip link add veth $fw_dev/$peer_dev"
	local ns dev
	for ns in "$FW_NS" "$peer_ns"; do
		[ "$ns" = "$FW_NS" ] && dev=$fw_dev || dev=$peer_dev
		# VLAN tags must stay in the frame for XDP to see them.
		nsenter --net="/run/netns/$ns" ethtool -K "$dev" rxvlan off txvlan off >/dev/null 2>&1 ||
			die "ethtool -K $dev rxvlan off txvlan off"
		nsenter --net="/run/netns/$ns" ethtool -K "$dev" rx-vlan-stag-hw-parse off \
			tx-vlan-stag-hw-insert off >/dev/null 2>&1
	done
	nsenter --net="/run/netns/$FW_NS" ethtool -K "$fw_dev" gro off >/dev/null 2>&1
	ip -n "$FW_NS" addr add "198.18.$n.1/24" dev "$fw_dev"
	ip -n "$FW_NS" -6 addr add "2001:2:0:$n::1/64" dev "$fw_dev" nodad
	ip -n "$peer_ns" addr add "198.18.$n.2/24" dev "$peer_dev"
	ip -n "$peer_ns" addr add "198.18.$n.3/24" dev "$peer_dev"
	ip -n "$peer_ns" -6 addr add "2001:2:0:$n::2/64" dev "$peer_dev" nodad
	ip -n "$peer_ns" -6 addr add "2001:2:0:$n::3/64" dev "$peer_dev" nodad
	ip -n "$FW_NS" link set "$fw_dev" up
	ip -n "$peer_ns" link set "$peer_dev" up
	PAIR[$n.fw_dev]=$fw_dev
	PAIR[$n.peer_dev]=$peer_dev
	PAIR[$n.peer_ns]=$peer_ns
	PAIR[$n.fw_mac]=$(mac_of "$FW_NS" "$fw_dev")
	PAIR[$n.peer_mac]=$(mac_of "$peer_ns" "$peer_dev")
	use_pair "$n"
	wait_until 5 link_up "$FW_NS" "$fw_dev" || die "$fw_dev did not come up"
	wait_until 5 link_up "$peer_ns" "$peer_dev" || die "$peer_dev did not come up"
}

mac_of() { ip -n "$1" -o link show dev "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }
link_up() { ip -n "$1" -o link show dev "$2" | grep -q 'state UP'; }

# use_pair N: point FW_DEV, PEER_NS, PEER_DEV, FW4, PEER4, PEER4B, FW6,
# PEER6, PEER6B, FW_MAC, PEER_MAC and the traffic helpers at pair N.
use_pair() {
	local n=$1
	FW_DEV=${PAIR[$n.fw_dev]}
	PEER_DEV=${PAIR[$n.peer_dev]}
	PEER_NS=${PAIR[$n.peer_ns]}
	FW_MAC=${PAIR[$n.fw_mac]}
	PEER_MAC=${PAIR[$n.peer_mac]}
	FW4=198.18.$n.1
	PEER4=198.18.$n.2
	PEER4B=198.18.$n.3
	FW6=2001:2:0:$n::1
	PEER6=2001:2:0:$n::2
	# shellcheck disable=SC2034 # for the scripts
	PEER6B=2001:2:0:$n::3
	SNIFF_OUT=${PAIR[$n.sniff_out]:-}
}

in_fw() { nsenter --net="/run/netns/$FW_NS" "$@"; }
in_peer() { nsenter --net="/run/netns/$PEER_NS" "$@"; }

# setup [N]: the usual start of a test: root tools, pair 0 (and pairs 1..N-1),
# a private bpffs for the pin dir.
setup() {
	require_root_tools
	local i
	for ((i = ${1:-1} - 1; i >= 0; i--)); do add_pair "$i"; done
	bpffs_setup
}

# ---------------------------------------------------------------- xdpfw

# bpffs_setup: a private bpffs for this test; PIN_DIR=<it>/xdpfw.
# (`ip netns exec` would remount /sys and hide it: we use nsenter --net.)
bpffs_setup() {
	BPFFS=$WORK/bpffs
	mkdir -p "$BPFFS"
	mount -t bpf bpf "$BPFFS" || die "mount -t bpf bpf $BPFFS"
	CLEAN_MOUNTS+=("$BPFFS")
	PIN_DIR=$BPFFS/xdpfw
}

require_xdpfw() {
	[ -x "$XDPFW" ] || die "no $XDPFW: run make first"
}

# xdpfw ARGS...: the CLI, in $FW_NS, with this test's pin dir.
xdpfw() { in_fw "$XDPFW" --pin-dir "$PIN_DIR" "$@"; }

# conf NAME < YAML: write a config into $WORK and print its path.
conf() {
	cat >"$WORK/$1"
	echo "$WORK/$1"
}

# install_conf NAME: make $WORK/NAME the daemon's config $CFG, replaced in
# one rename as an editor would, so a reload never reads half a file.
install_conf() { cp "$WORK/$1" "$CFG.tmp" && mv "$CFG.tmp" "$CFG"; }

# ban_conf NAME: the smallest useful config, $FW_DEV with one rule `ban-b`
# dropping $PEER4B; prints its path.
ban_conf() {
	conf "$1" <<YAML
interfaces:
  - name: $FW_DEV
rules:
  - name: ban-b
    src: $PEER4B
YAML
}

# apply FILE: xdpfw apply, output kept in $WORK/apply.log.
apply() {
	xdpfw apply "$1" >"$WORK/apply.log" 2>&1 && return 0
	sed 's/^/#   /' "$WORK/apply.log" | head -20
	return 1
}

# xdp_attached [DEV]: an XDP program sits on DEV (default $FW_DEV).
xdp_attached() { ip -n "$FW_NS" -d link show dev "${1:-$FW_DEV}" | grep -q 'prog/xdp'; }

# xdp_mode [DEV]: the XDP mode attached to DEV: native, generic, offload or none.
xdp_mode() {
	ip -n "$FW_NS" -d -j link show dev "${1:-$FW_DEV}" |
		jq -r '.[0].xdp.mode // 0 | {"0": "none", "1": "native", "2": "generic", "3": "offload"}[tostring] // "multi"'
}

# rules_json / stats_json: the JSON outputs, saved to $WORK/{rules,stats}.json.
rules_json() { xdpfw --json rules >"$WORK/rules.json" 2>"$WORK/rules.err"; }
stats_json() { xdpfw --json stats >"$WORK/stats.json" 2>"$WORK/stats.err"; }

# rule_counter NAME FIELD: packets or bytes of rule NAME ("missing" if it
# is not listed exactly once, "error" if `rules --json` failed).
rule_counter() {
	rules_json || {
		echo error
		return 1
	}
	jq -r --arg n "$1" --arg f "$2" \
		'[.[] | select(.name == $n)] | if length == 1 then .[0][$f] else "missing" end' \
		"$WORK/rules.json" 2>/dev/null || echo error
}
# bans_json: `bans --json`, saved to $WORK/bans.json.
bans_json() { xdpfw --json bans >"$WORK/bans.json" 2>"$WORK/bans.err"; }
# ban_field ADDR FIELD: FIELD of the ban of ADDR (as `bans` prints it) in
# `bans --json` ("missing" if it is not listed once, "error" if `bans` failed).
ban_field() {
	bans_json || {
		echo error
		return 1
	}
	jq -r --arg a "$1" --arg f "$2" \
		'[.[] | select(.address == $a)] | if length == 1 then .[0][$f] else "missing" end' \
		"$WORK/bans.json" 2>/dev/null || echo error
}
# rule_counters FIELD NAME...: "NAME=VALUE ..." for several rules at once.
rule_counters() {
	local f=$1
	shift
	rules_json || {
		echo error
		return 1
	}
	local names
	names=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
	jq -r --arg f "$f" --argjson names "$names" \
		'. as $r | [$names[] as $n | "\($n)=\([$r[] | select(.name == $n)] | if length == 1 then .[0][$f] else "missing" end)"] | join(" ")' \
		"$WORK/rules.json" 2>/dev/null || echo error
}
# rule_names: the sorted names of the rules in force, one line.
rule_names() {
	rules_json || {
		echo error
		return 1
	}
	jq -r '[.[].name] | sort | join(" ")' "$WORK/rules.json" 2>/dev/null || echo error
}
# stat_counter KEY FIELD: one global counter (pass_rule, drop_default, ...).
stat_counter() {
	stats_json || {
		echo error
		return 1
	}
	jq -r --arg k "$1" --arg f "$2" '.[$k][$f] // "missing"' "$WORK/stats.json" 2>/dev/null || echo error
}

# daemon_start FILE: `xdpfw run FILE` in the background (stderr in
# $DAEMON_LOG); waits until the program is attached to $FW_DEV, `rules`
# answers and the daemon has logged.
daemon_start() {
	SEQ=$((SEQ + 1))
	DAEMON_LOG=$WORK/daemon.$SEQ.log
	bg_start "$DAEMON_LOG" nsenter --net="/run/netns/$FW_NS" "$XDPFW" --pin-dir "$PIN_DIR" run "$1"
	DAEMON_PID=$BG_PID
	if ! wait_until 10 daemon_ready; then
		diag "daemon not ready; its log:"
		sed 's/^/#   /' "$DAEMON_LOG" | tail -20
		return 1
	fi
}
daemon_ready() {
	daemon_alive && xdp_attached && xdpfw rules >/dev/null 2>&1 &&
		[ "$(wc -l <"$DAEMON_LOG")" -ge 1 ]
}
daemon_alive() { kill -0 "$DAEMON_PID" 2>/dev/null; }
log_lines() { wc -l <"$DAEMON_LOG"; }
# daemon_reload: SIGHUP, then wait for the daemon's next log line.
# Waits for the reload's last line: one that loads new maps logs that first.
daemon_reload() {
	local before
	before=$(log_lines)
	kill -HUP "$DAEMON_PID" || return 1
	wait_until 10 reload_logged "$before"
}
reload_logged() { tail -n +"$(($1 + 1))" "$DAEMON_LOG" | grep -q 'in force'; }
log_grew() { [ "$(log_lines)" -gt "$1" ]; }

# ---------------------------------------------------------------- traffic

# server_start TCPPORTS UDPPORTS: dual-stack TCP/UDP servers in $FW_NS
# (comma lists, '-' for none); they log "tcp|udp SRC PORT" to $SERVER_LOG.
server_start() {
	SEQ=$((SEQ + 1))
	SERVER_LOG=$WORK/server.$SEQ.log
	local ready=$WORK/server.$SEQ.ready
	bg_start "$WORK/server.$SEQ.err" nsenter --net="/run/netns/$FW_NS" "$PY" "$HELPER" serve "$ready" "$SERVER_LOG" "$1" "$2"
	wait_until 5 test -e "$ready" || die "server did not start: $(cat "$WORK/server.$SEQ.err")"
}

# tcp_ok SRC DST PORT: a connection from SRC (an address of the peer) is
# accepted and answered within 1 s.
tcp_ok() { in_peer "$PY" "$HELPER" tcp "$1" "$2" "$3" 1; }
# udp_ok SRC DST PORT: a datagram from SRC is answered within 1 s.
udp_ok() { in_peer "$PY" "$HELPER" udp "$1" "$2" "$3" 1; }
# udp_send SRC DST PORT N: N datagrams, no answer awaited.
udp_send() { in_peer "$PY" "$HELPER" udpsend "$@"; }
# udp_count SRC PORT: datagrams the server got from SRC on PORT.
udp_count() { grep -cx "udp $1 $2" "$SERVER_LOG"; }
# ping_ok SRC DST: one echo from SRC answered within 1 s (-6 if IPv6).
ping_ok() {
	local six=
	case $2 in *:*) six=-6 ;; esac
	in_peer ping $six -n -q -c 1 -W 1 -I "$1" "$2" >/dev/null 2>&1
}

# tcp_dropped SRC DST PORT, udp_dropped SRC DST PORT, ping_dropped SRC DST:
# the firewall drops a TCP SYN, a UDP datagram or an echo request from SRC
# (an address of the peer). Proven, not waited for: the frame is not seen
# past XDP though the sentinel sent after it is, and the drop counters grew.
tcp_dropped() { probe_dropped tcp "$1" "$2" "$3"; }
udp_dropped() { probe_dropped udp "$1" "$2" "$3"; }
ping_dropped() { probe_dropped icmp "$1" "$2" -; }
# probe_dropped tcp|udp|icmp SRC DST PORT: the same, any kind ('-' for no port).
probe_dropped() {
	local before after
	before=$(drop_count) || {
		diag "$1 from $2 to $3 port $4: no drop counters (is xdpfw attached?)"
		return 1
	}
	probe_blocked "$@" || return 1
	after=$(drop_count)
	[ "$after" -gt "$before" ] 2>/dev/null && return 0
	diag "$1 from $2 to $3 port $4: not seen past XDP, but no drop counted ($before -> $after)"
	return 1
}
# probe_blocked KIND SRC DST PORT: the frame (marker $PROBE_ID) is not seen
# past XDP though the sentinel sent after it is; for where the counters
# cannot be read.
probe_blocked() {
	if [ -z "$SNIFF_OUT" ]; then
		# Started in a subshell, the sniffer would outlive the test.
		[ "$BASHPID" = $$ ] || die "probe on $FW_DEV in a subshell: sniff_start first"
		sniff_start
	fi
	SEQ=$((SEQ + 1))
	# Unique even in a subshell, where SEQ does not advance.
	local tag=$SEQ-$BASHPID-$RANDOM
	local sentinel=sentinel-$tag err=$WORK/probe.$tag.err
	PROBE_ID=probe-$tag
	if ! frame_env "$PY" "$HELPER" probe "$PEER_DEV" "$@" "$PROBE_ID" "$sentinel" >/dev/null 2>"$err"; then
		diag "$1 from $2 to $3 port $4: sending the probe failed: $(tail -1 "$err")"
		return 1
	fi
	if ! wait_until 5 arrived "$sentinel"; then
		diag "$1 from $2 to $3 port $4: sentinel $sentinel never reached $FW_DEV"
		return 1
	fi
	if arrived "$PROBE_ID"; then
		diag "$1 from $2 to $3 port $4: passed the firewall"
		return 1
	fi
}
# drop_count: the packets of every drop_* counter in `stats`, summed.
drop_count() {
	stats_json || return 1
	jq -e '[to_entries[] | select(.key | startswith("drop")) | .value.packets] | add' \
		"$WORK/stats.json" 2>/dev/null
}

# sniff_start: an AF_PACKET receiver on $FW_DEV in $FW_NS; it sees every
# frame XDP passes and records the marker ids they carry.
sniff_start() {
	SEQ=$((SEQ + 1))
	SNIFF_OUT=$WORK/sniff.$SEQ.ids
	local ready=$WORK/sniff.$SEQ.ready
	: >"$SNIFF_OUT"
	bg_start "$WORK/sniff.$SEQ.err" nsenter --net="/run/netns/$FW_NS" "$PY" "$HELPER" sniff "$FW_DEV" "$ready" "$SNIFF_OUT"
	wait_until 5 test -e "$ready" || die "sniffer did not start: $(cat "$WORK/sniff.$SEQ.err")"
	local k
	for k in "${!PAIR[@]}"; do
		[ "${PAIR[$k]}" = "$FW_DEV" ] && PAIR[${k%.fw_dev}.sniff_out]=$SNIFF_OUT
	done
}

# frame_env CMD...: CMD in $PEER_NS with the addresses the scripts use.
frame_env() {
	env FW_MAC="$FW_MAC" PEER_MAC="$PEER_MAC" FW4="$FW4" PEER4="$PEER4" FW6="$FW6" PEER6="$PEER6" \
		nsenter --net="/run/netns/$PEER_NS" "$@"
}

# send_frames < SCRIPT: send_frames_try, and a `not ok` if it fails (so a
# failed send never makes "was dropped" checks pass by default). Call it in
# the test's shell, not at the end of a pipeline (a subshell would lose
# $SENT and the failure count): write the script to a file, then < file.
send_frames() {
	send_frames_try && return 0
	not_ok "send_frames: frames sent and sentinel seen"
	return 1
}
# send_frames_try < SCRIPT: crafted frames from the peer. SCRIPT is python that
# sets `frames` (scapy; FW_MAC, PEER_MAC, FW4, PEER4, FW6, PEER6 and M(id),
# the marker, are defined). After them goes a non-IP sentinel; returns once
# the sentinel has reached the sniffer, so every frame sent before it has
# been through XDP. "ID LEN" per frame is left in $SENT.
send_frames_try() {
	SEQ=$((SEQ + 1))
	# Unique even if called in a subshell (`... | send_frames`), where SEQ
	# would not advance: a reused id would make an old sentinel the barrier.
	local script=$WORK/frames.$SEQ.py sentinel="sentinel-$SEQ-$BASHPID-$RANDOM"
	SENT=$WORK/frames.$SEQ.sent
	SENT_SENTINEL=$sentinel
	cat >"$script"
	if ! frame_env "$PY" "$HELPER" send "$PEER_DEV" "$script" "$sentinel" >"$SENT" 2>"$SENT.err"; then
		diag "sending frames failed:"
		sed 's/^/#   /' "$SENT.err" | tail -5
		return 1
	fi
	if ! wait_until 5 arrived "$sentinel"; then
		diag "sentinel $sentinel never reached $FW_DEV"
		return 1
	fi
}
# sentinel_len: the length of the last sentinel frame (a non-IP frame,
# counted by pass_non_ip).
sentinel_len() { echo $((14 + ${#SENT_SENTINEL} + 7 + 32)); }
# arrived ID: a frame with marker ID reached $FW_DEV past XDP.
arrived() { [ -n "$SNIFF_OUT" ] && grep -qx -- "$1" "$SNIFF_OUT"; }
# arrivals ID: how many frames with marker ID did.
arrivals() { grep -cx -- "$1" "$SNIFF_OUT" 2>/dev/null; }
# sent_len ID: the length of the frame with marker ID in the last send_frames.
sent_len() { awk -v id="$1" '$1 == id { print $2; exit }' "$SENT"; }
# sent_bytes ID...: the total length of those frames.
sent_bytes() {
	local id t=0 l
	for id in "$@"; do
		l=$(sent_len "$id")
		t=$((t + ${l:-0}))
	done
	echo "$t"
}

# stream_start < SCRIPT: send SCRIPT's frames round-robin from the peer, in
# the background, until stream_stop. stream_stop waits for the sender to
# finish, sends a sentinel (so every streamed frame has been through XDP)
# and leaves "ID COUNT" lines (frames sent per marker id) in $STREAM_OUT.
stream_start() {
	SEQ=$((SEQ + 1))
	local script=$WORK/stream.$SEQ.py
	STREAM_STOP=$WORK/stream.$SEQ.stop
	STREAM_OUT=$WORK/stream.$SEQ.out
	STREAM_ERR=$WORK/stream.$SEQ.err
	cat >"$script"
	bg_start "$STREAM_ERR" env FW_MAC="$FW_MAC" PEER_MAC="$PEER_MAC" FW4="$FW4" \
		PEER4="$PEER4" FW6="$FW6" PEER6="$PEER6" nsenter --net="/run/netns/$PEER_NS" \
		"$PY" "$HELPER" stream "$PEER_DEV" "$script" "$STREAM_STOP" "$STREAM_OUT"
	STREAM_PID=$BG_PID
}
stream_stop() {
	touch "$STREAM_STOP"
	if ! wait_until 10 test -e "$STREAM_OUT"; then
		diag "the stream sender did not finish: $(tail -3 "$STREAM_ERR")"
		return 1
	fi
	wait "$STREAM_PID" 2>/dev/null
	send_frames <<<'frames = []'
}
# streamed ID: how many frames with marker ID the stream sent.
streamed() { awk -v id="$1" '$1 == id { print $2; f = 1 } END { if (!f) print 0 }' "$STREAM_OUT"; }
