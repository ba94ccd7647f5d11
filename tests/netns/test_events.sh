#!/bin/bash
# Events on real frames: rules with `log: true` (pass and drop, TCP over
# IPv4 and IPv6, ICMP), a limit's excess (limit_log) and a ban's drop
# (ban_log) reach `xdpfw events --json` with the rule or origin, action,
# reason, interface, addresses, ports, protocol and length; an unlogged
# rule makes none. Two readers and the daemon each get every event; a
# reader killed with -9 leaves its slot to the next; a pipe sees each line
# at once. A flood at 100x log_rate delivers at most log_rate x seconds +
# burst events, and `stats` counts the rest as events_suppressed. `down`
# ends a reader; with nothing pinned, `events` says so.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start

CFG=$WORK/xdpfw.yaml
conf events.yaml >/dev/null <<EOF
interfaces:
  - name: $FW_DEV
settings:
  log_rate: 1000/s
  ban_log: true
  limit_log: true
rules:
  - name: ssh-in
    port: 22
    proto: tcp
    action: pass
    log: true
  - name: telnet-drop
    port: 23
    proto: tcp
    action: drop
    log: true
  - name: web-quiet
    port: 80
    proto: tcp
    action: pass
  - name: dns-cap
    port: 53
    proto: udp
    action: drop
    limit: {rate: 1/m, burst: 1, per: rule}
  - name: ping-log
    proto: icmp
    action: pass
    log: true
EOF
install_conf events.yaml

READERS=()
# reader_start NAME: `xdpfw --json events` in $FW_NS, its output in $WORK/NAME.log;
# waits until it follows (has claimed its slot). Sets READER_PID.
reader_start() {
	bg_start "$WORK/$1.log" nsenter --net="/run/netns/$FW_NS" "$XDPFW" --pin-dir "$PIN_DIR" \
		--json events
	READER_PID=$BG_PID
	READERS+=("$BG_PID")
	wait_until 10 grep -qs 'following events' "$WORK/$1.log" && return 0
	diag "reader $1 did not start: $(tail -2 "$WORK/$1.log")"
	return 1
}
# events_of NAME: the JSON lines reader NAME printed.
events_of() { grep '^{' "$WORK/$1.log"; }
event_count() { events_of "$1" | wc -l; }
has_events() { [ "$(event_count "$1")" -ge "$2" ]; }
# event NAME SELECT: the fields of the one event SELECT (a jq condition) picks, compact.
event() {
	events_of "$1" | jq -c "select($2) | [.rule, .origin, .action, .reason, .interface, .proto, .src, .sport, .dst, .dport, .len]"
}
# exited PID: the process is gone, or a zombie (bg_start's children are reaped at the end).
exited() { [ ! -e "/proc/$1" ] || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
# slot_pids: the pids fw_event_readers holds, sorted.
slot_pids() {
	bpftool -j map dump pinned "$PIN_DIR/fw_event_readers" | jq -r '.[].formatted.value.pid | select(. != 0)' | sort -n
}

check "daemon starts with logged rules" daemon_start "$CFG"
check "reader one follows" reader_start one
check "reader two follows" reader_start two
check_eq "the daemon and both readers hold a slot each" "$(slot_pids | wc -l)" 3

check "ban $PEER4B with a reason" xdpfw ban "$PEER4B" --reason "test ban" 2>>"$WORK/cli.log"
cat >"$WORK/frames.py" <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
frames = [
    e / IP(src=PEER4, dst=FW4) / TCP(sport=40000, dport=22, flags="S") / M("ssh"),
    e / IP(src=PEER4, dst=FW4) / TCP(sport=40001, dport=23, flags="S") / M("telnet"),
    e / IP(src=PEER4, dst=FW4) / TCP(sport=40002, dport=80, flags="S") / M("web"),
    e / IP(src=PEER4, dst=FW4) / ICMP() / M("ping"),
    e / IPv6(src=PEER6, dst=FW6) / TCP(sport=40003, dport=22, flags="S") / M("ssh6"),
    e / IP(src=PEER4, dst=FW4) / UDP(sport=5300, dport=53) / M("dns1"),
    e / IP(src=PEER4, dst=FW4) / UDP(sport=5300, dport=53) / M("dns2"),
    e / IP(src=PEER4, dst=FW4) / UDP(sport=5300, dport=53) / M("dns3"),
    e / IP(src="198.18.0.3", dst=FW4) / TCP(sport=40004, dport=80, flags="S") / M("banned"),
]
EOF
sed -i "s/198.18.0.3/$PEER4B/" "$WORK/frames.py"
send_frames <"$WORK/frames.py"
WANT=7 # ssh, telnet, ping, ssh6, two over dns-cap's limit, the ban; not web-quiet
check "reader one got $WANT events" wait_until 5 has_events one "$WANT"
check "reader two got $WANT events" wait_until 5 has_events two "$WANT"
check_eq "no more than $WANT (web-quiet does not log)" "$(event_count one)" "$WANT"
check_eq "both readers got the same events" "$(events_of one)" "$(events_of two)"

check_eq "a logged pass: every field" "$(event one '.rule == "ssh-in" and .src == "'"$PEER4"'"')" \
	"[\"ssh-in\",null,\"pass\",\"pass_rule\",\"$FW_DEV\",\"tcp\",\"$PEER4\",40000,\"$FW4\",22,$(sent_len ssh)]"
check_eq "a logged drop: every field" "$(event one '.rule == "telnet-drop"')" \
	"[\"telnet-drop\",null,\"drop\",\"drop_rule\",\"$FW_DEV\",\"tcp\",\"$PEER4\",40001,\"$FW4\",23,$(sent_len telnet)]"
# IPv6 addresses as inet_ntop writes them.
p6=$("$PY" -c 'import ipaddress, sys; print(ipaddress.ip_address(sys.argv[1]))' "$PEER6")
f6=$("$PY" -c 'import ipaddress, sys; print(ipaddress.ip_address(sys.argv[1]))' "$FW6")
check_eq "IPv6: its addresses" "$(event one '.src == "'"$p6"'"')" \
	"[\"ssh-in\",null,\"pass\",\"pass_rule\",\"$FW_DEV\",\"tcp\",\"$p6\",40003,\"$f6\",22,$(sent_len ssh6)]"
check_eq "ICMP: no ports" "$(event one '.rule == "ping-log"')" \
	"[\"ping-log\",null,\"pass\",\"pass_rule\",\"$FW_DEV\",\"icmp\",\"$PEER4\",null,\"$FW4\",null,$(sent_len ping)]"
check_eq "a limit's excess (limit_log): twice, named by its rule" \
	"$(event one '.rule == "dns-cap"' | sort -u)" \
	"[\"dns-cap\",null,\"drop\",\"drop_limit\",\"$FW_DEV\",\"udp\",\"$PEER4\",5300,\"$FW4\",53,$(sent_len dns2)]"
check_eq "a ban's drop (ban_log): its origin, no rule" "$(event one '.origin != null')" \
	"[null,\"test ban\",\"drop\",\"drop_ban\",\"$FW_DEV\",\"tcp\",\"$PEER4B\",40004,\"$FW4\",80,$(sent_len banned)]"
now=$(date +%s)
check "event times are now, RFC 3339 UTC with ms" test "$(events_of one | jq -r \
	'.time | select(test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")) | sub("\\.[0-9]+Z$"; "Z") | fromdate' |
	awk -v now="$now" '$1 >= now - 60 && $1 <= now + 1' | wc -l)" -eq "$WANT"
if [ -S /run/systemd/journal/socket ]; then
	diag "a journal listens here: the daemon's events go there, not to stderr"
else
	check "with no journal, the daemon writes the events to stderr" \
		grep -q "rule=telnet-drop action=drop reason=drop_rule interface=$FW_DEV proto=tcp src=$PEER4 sport=40001 dst=$FW4 dport=23 len=" "$DAEMON_LOG"
fi
check "the ban is lifted" xdpfw unban "$PEER4B" 2>>"$WORK/cli.log"

# ---- kill -9: the dead reader's slot goes to the next ----
dead=$READER_PID
bg_kill "$dead"
check "a killed reader's pid stays in its slot" grep -qx "$dead" <(slot_pids)
for n in 3 4 5 6 7 8; do
	reader_start "r$n" || not_ok "reader r$n follows with a dead reader's slot free"
done
check_eq "eight slots live: the dead reader's was reclaimed" "$(slot_pids | wc -l)" 8
check_fails "the dead pid holds no slot" grep -qx "$dead" <(slot_pids)
in_fw "$XDPFW" --pin-dir "$PIN_DIR" events >"$WORK/ninth.log" 2>&1
check_eq "a ninth reader is refused" "$?" 1
check "it names the pids that hold the slots" grep -q 'all 8 event readers are taken (pids ' "$WORK/ninth.log"
send_frames <<<'frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src=PEER4, dst=FW4) / TCP(sport=40010, dport=22) / M("again")]'
check "reader r8 got it" wait_until 5 has_events r8 1
for pid in "${READERS[@]}"; do
	[ "$pid" = "$dead" ] || bg_kill "$pid" TERM
done
check_eq "readers stopped by SIGTERM gave their slots back" "$(slot_pids | wc -l)" 1

# ---- a pipe sees each line at once; a closed pipe ends the reader ----
# shellcheck disable=SC2016 # the inner shell expands them
bg_start "$WORK/pipe.err" nsenter --net="/run/netns/$FW_NS" bash -c \
	'"$1" --pin-dir "$2" --json events 2>"$3" | head -n 1 >"$4"' - "$XDPFW" "$PIN_DIR" "$WORK/pipe.log" "$WORK/pipe.out"
PIPE_PID=$BG_PID
wait_until 10 grep -qs 'following events' "$WORK/pipe.log" || diag "the piped reader did not start"
send_frames <<<'frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src=PEER4, dst=FW4) / TCP(sport=40011, dport=23) / M("piped")]'
check "the first event reached the pipe while the reader ran" wait_until 5 grep -q '"dport":23' "$WORK/pipe.out"
send_frames <<<'frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src=PEER4, dst=FW4) / TCP(sport=40012, dport=23) / M("piped2")]'
check "with the pipe closed, the reader ends at its next event" wait_until 5 exited "$PIPE_PID"
check_eq "and gave its slot back" "$(slot_pids | wc -l)" 1

# ---- a flood at 100x log_rate ----
RATE=10
sed -e "s|log_rate: 1000/s|log_rate: $RATE/s|" "$WORK/events.yaml" | conf flood.yaml >/dev/null
install_conf flood.yaml
check "reload with log_rate $RATE/s" daemon_reload
check "a reader follows" reader_start flood
stats_json
sent0=$(jq .events_sent "$WORK/stats.json")
supp0=$(jq .events_suppressed "$WORK/stats.json")
hits0=$(rule_counter telnet-drop packets)
stream_start <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
frames = [e / IP(src=PEER4, dst=FW4) / TCP(sport=41000 + i, dport=23, flags="S") / M("f%d" % i)
          for i in range(4)]
EOF
# The sender takes a while to start: the flood begins after the last look that saw none of it.
t0=$(date +%s%N)
for _ in $(seq 600); do
	t=$(date +%s%N)
	[ "$(rule_counter telnet-drop packets)" -gt "$hits0" ] && break
	t0=$t
	sleep 0.05
done
sleep 3 # the flood's length: what is measured is the time around it
stream_stop
secs_ms=$((($(date +%s%N) - t0) / 1000000))
flood=$(($(rule_counter telnet-drop packets) - hits0))
stats_json
sent=$(($(jq .events_sent "$WORK/stats.json") - sent0))
suppressed=$(($(jq .events_suppressed "$WORK/stats.json") - supp0))
max=$((RATE * secs_ms / 1000 + 1 + RATE)) # log_rate x seconds (rounded up) + burst
diag "flood: $flood frames in ${secs_ms} ms ($((flood * 1000 / secs_ms))/s), $sent events sent, $suppressed suppressed"
check "it was a flood: 20x log_rate or more" test "$((flood * 1000 / secs_ms))" -ge $((20 * RATE))
check "at most log_rate x seconds + burst ($max) events sent: $sent" test "$sent" -le "$max"
check "at least the burst was sent" test "$sent" -ge "$RATE"
check_eq "every other event counted as suppressed" "$suppressed" "$((flood - sent))"
check "the reader got every event sent" wait_until 5 has_events flood "$sent"
check_eq "and no more" "$(event_count flood)" "$sent"
check_eq "stats shows none lost" "$(jq .events_lost "$WORK/stats.json")" 0

# ---- down: a reader does not follow what is gone ----
bg_kill "$DAEMON_PID" TERM
check "a reader follows" reader_start gone
check "down" xdpfw down 2>>"$WORK/cli.log"
check "the reader ends" wait_until 5 exited "$READER_PID"
check "saying the pinned state is gone" grep -q "the pinned state this reader followed is gone" "$WORK/gone.log"

# ---- nothing pinned ----
in_fw "$XDPFW" --pin-dir "$BPFFS/none" events >"$WORK/none.log" 2>&1
check_eq "events with nothing pinned exits 1" "$?" 1
check "and says so" grep -q "nothing is pinned here" "$WORK/none.log"

finish
