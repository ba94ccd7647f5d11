#!/bin/bash
# The real journal: systemd-journald runs as a plain process (no systemd is
# PID 1 here) in a mount namespace of this test's own, with /run/systemd,
# /run/log and /var/log/journal on tmpfs there, so it owns no socket or
# journal file of the host or of tests running beside this one, and ends
# with the test. The daemon runs as under systemd: its stderr a journal
# stream named by JOURNAL_STREAM (systemd-cat). Then `journalctl
# XDPFW_RULE=NAME -o json` shows an event's fields; a reload is one entry
# with XDPFW_EVENT=reload and its line, never a second copy through the
# stream; a failed one says so with its error at PRIORITY 3; `xdpfw ban`
# and `unban` make XDPFW_EVENT=ban and unban entries, and a ban's drop
# (ban_log) names its origin.
if [ "${XDPFW_JOURNAL_NS:-}" != 1 ]; then
	exec unshare --mount --propagation private env XDPFW_JOURNAL_NS=1 bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

JOURNALD=/lib/systemd/systemd-journald
[ -x "$JOURNALD" ] || die "no $JOURNALD (apt-get install systemd)"
for tool in journalctl systemd-cat; do
	command -v "$tool" >/dev/null || die "no $tool (apt-get install systemd)"
done
setup
require_xdpfw

# ---- a journald of this test's own ----
for dir in /run/systemd /run/log /var/log/journal; do
	[ -d "$dir" ] || [ "$dir" = /var/log/journal ] || mkdir -p "$dir"
	[ ! -d "$dir" ] || mount -t tmpfs tmpfs "$dir" || die "mount tmpfs on $dir"
done
mkdir -p /run/systemd/journal
bg_start "$WORK/journald.log" "$JOURNALD"
wait_until 10 test -S /run/systemd/journal/socket || die "journald did not start: $(tail -3 "$WORK/journald.log")"

# entries FILTER...: journalctl -o json's entries matching FILTER (journalctl's FIELD=VALUE).
entries() { journalctl --no-pager -o json "$@" 2>/dev/null; }
# entry_count FILTER...: how many there are.
entry_count() { entries "$@" | wc -l; }
has_entries() {
	local want=$1
	shift
	[ "$(entry_count "$@")" -ge "$want" ]
}

CFG=$WORK/xdpfw.yaml
conf journal.yaml >/dev/null <<EOF
interfaces:
  - name: $FW_DEV
settings:
  ban_log: true
rules:
  - name: ssh-journal
    port: 22
    proto: tcp
    action: pass
    log: true
  - name: web
    port: 80
    proto: tcp
    action: pass
EOF
install_conf journal.yaml

# The daemon as systemd runs it: stdout and stderr a stream into the journal.
# shellcheck disable=SC2016 # the inner shell expands them
bg_start "$WORK/daemon.log" nsenter --net="/run/netns/$FW_NS" systemd-cat -t xdpfw-stream sh -c \
	'JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) exec "$0" --pin-dir "$1" run "$2"' \
	"$XDPFW" "$PIN_DIR" "$CFG"
DAEMON_PID=$BG_PID
check "the daemon's first reload is in the journal" wait_until 10 has_entries 1 XDPFW_EVENT=reload "XDPFW_CONFIG=$CFG"
check "the program is attached" wait_until 5 xdp_attached
check_eq "the reload: result, config, rules, identifier, priority, message" \
	"$(entries XDPFW_EVENT=reload | jq -c '[.XDPFW_RESULT, .XDPFW_CONFIG, .XDPFW_RULES, .SYSLOG_IDENTIFIER, .PRIORITY, (.MESSAGE | test("^.*: 2 rules in force"))]')" \
	"[\"ok\",\"$CFG\",\"2\",\"xdpfw\",\"6\",true]"

# ---- an event's fields ----
sniff_start
send_frames <<<'frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src=PEER4, dst=FW4) / TCP(sport=40000, dport=22, flags="S") / M("ssh")]'
check "the event is in the journal" wait_until 5 has_entries 1 XDPFW_RULE=ssh-journal
check_eq "journalctl XDPFW_RULE=ssh-journal: every field" \
	"$(entries XDPFW_RULE=ssh-journal | jq -c '[.XDPFW_EVENT, .XDPFW_ACTION, .XDPFW_REASON, .XDPFW_INTERFACE, .XDPFW_PROTO, .XDPFW_SRC, .XDPFW_SPORT, .XDPFW_DST, .XDPFW_DPORT, .XDPFW_LEN, .PRIORITY, .SYSLOG_IDENTIFIER]')" \
	"[\"packet\",\"pass\",\"pass_rule\",\"$FW_DEV\",\"tcp\",\"$PEER4\",\"40000\",\"$FW4\",\"22\",\"$(sent_len ssh)\",\"6\",\"xdpfw\"]"
check "its message is the event's line" test "$(entries XDPFW_RULE=ssh-journal | jq -r .MESSAGE)" = \
	"rule=ssh-journal action=pass reason=pass_rule interface=$FW_DEV proto=tcp src=$PEER4 sport=40000 dst=$FW4 dport=22 len=$(sent_len ssh)"

# ---- reloads: each said once ----
check "SIGHUP" kill -HUP "$DAEMON_PID"
check "the reload is in the journal" wait_until 10 has_entries 2 XDPFW_EVENT=reload "XDPFW_CONFIG=$CFG"
check_eq "'rules in force' reached the journal once a reload, with the reload's fields" \
	"$(entries | jq -c 'select(.MESSAGE | tostring | test(": [0-9]+ rules in force \\(")) | [.XDPFW_EVENT, ._TRANSPORT]' | sort | uniq -c | tr -s ' ')" \
	' 2 ["reload","journal"]'
check_eq "nothing came through the stream" "$(entry_count _TRANSPORT=stdout)" 0
printf 'rules:\n  - name: [broken\n' >"$CFG.tmp" && mv "$CFG.tmp" "$CFG"
check "SIGHUP with a broken config" kill -HUP "$DAEMON_PID"
check "the failed reload is in the journal" wait_until 10 has_entries 1 XDPFW_EVENT=reload XDPFW_RESULT=failed
check "with its error" test -n "$(entries XDPFW_RESULT=failed | jq -r .XDPFW_ERROR)"
check "the parser's messages went with priority 3 (error)" has_entries 1 PRIORITY=3 SYSLOG_IDENTIFIER=xdpfw _TRANSPORT=journal
check "the daemon lives on" kill -0 "$DAEMON_PID"
install_conf journal.yaml
check "SIGHUP back to the good config" kill -HUP "$DAEMON_PID"
check "back in force" wait_until 10 has_entries 3 XDPFW_EVENT=reload XDPFW_RESULT=ok

# ---- bans ----
xdpfw ban "$PEER4B" --for 10m >"$WORK/ban.log" 2>&1
check_eq "xdpfw ban" "$?" 0
check "the ban is in the journal" wait_until 5 has_entries 1 XDPFW_EVENT=ban "XDPFW_SRC=$PEER4B"
check_eq "its origin and expiry" \
	"$(entries XDPFW_EVENT=ban | jq -c '[.XDPFW_SRC, .XDPFW_ORIGIN, (.XDPFW_EXPIRES | test("^[0-9-]+T[0-9:]+\\.[0-9]{3}Z$"))]')" \
	"[\"$PEER4B\",\"manual\",true]"
expires=$(entries XDPFW_EVENT=ban | jq -r '.XDPFW_EXPIRES | sub("\\.[0-9]+Z$"; "Z") | fromdate')
check "it expires in 10 minutes" test $((expires - $(date +%s))) -ge 590 -a $((expires - $(date +%s))) -le 600
send_frames <<<"frames = [Ether(dst=FW_MAC, src=PEER_MAC) / IP(src='$PEER4B', dst=FW4) / TCP(sport=40001, dport=80, flags='S') / M('banned')]"
check "the ban's drop is in the journal" wait_until 5 has_entries 1 XDPFW_REASON=drop_ban
check_eq "with the ban's origin and no rule" \
	"$(entries XDPFW_REASON=drop_ban | jq -c '[.XDPFW_ORIGIN, .XDPFW_RULE, .XDPFW_ACTION, .XDPFW_SRC, .XDPFW_DPORT, .PRIORITY]')" \
	"[\"manual\",null,\"drop\",\"$PEER4B\",\"80\",\"5\"]"
xdpfw unban "$PEER4B" 198.18.99.99 >"$WORK/unban.log" 2>&1
check "the unban is in the journal" wait_until 5 has_entries 1 XDPFW_EVENT=unban "XDPFW_SRC=$PEER4B"
check_eq "only for the ban there was" "$(entry_count XDPFW_EVENT=unban XDPFW_SRC=198.18.99.99)" 0

bg_kill "$DAEMON_PID" TERM
finish
