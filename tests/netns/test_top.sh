#!/bin/bash
# `xdpfw top` in a real terminal: tmux, 160x40. Real frames stream to one rule
# (and fewer to another): the captured screen shows the busy rule as the first
# rule row with a non-zero rate, the quiet one next, and still does after a
# reload replaced the maps under it and after a resize; it counts bans. q and
# Ctrl-C quit with status 0 and take the pane with them. Without a terminal, or
# with one terminfo does not know: a clear error.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start
command -v tmux >/dev/null || die "missing tool: tmux (make deps)"

# Neither the busiest by name nor first in the config: only the rates put it on top.
rules="rules:
  - name: a-quiet
    port: 7001
    proto: udp
  - name: b-idle
    port: 7002
    proto: udp
  - name: c-busy
    port: 7003
    proto: udp"
cfg=$(conf top.yaml <<EOF
interfaces:
  - name: $FW_DEV
$rules
EOF
)
# More rules than the pinned maps hold: a reload that brings new maps.
big=$(conf big.yaml <<EOF
interfaces:
  - name: $FW_DEV
settings:
  max_rules: 262144
$rules
EOF
)
check "apply" apply "$cfg"

stream_start <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
busy = e / IP(src=PEER4, dst=FW4) / UDP(dport=7003) / M("busy") / Raw(b"x" * 200)
quiet = e / IP(src=PEER4, dst=FW4) / UDP(dport=7001) / M("quiet")
frames = [busy] * 6 + [quiet]
EOF

TMUX_SOCK=$WORK/tmux.sock
SCREEN=$WORK/screen.txt
# tmx ARGS...: tmux on this test's own server, without the user's config.
tmx() { tmux -S "$TMUX_SOCK" -f /dev/null "$@"; }
# top_start NAME: `xdpfw top` in a detached 160x40 session NAME; its exit
# status goes to $WORK/NAME.status.
top_start() {
	rm -f "$WORK/$1.status"
	tmx new-session -d -x 160 -y 40 -s "$1" \
		"nsenter --net=/run/netns/$FW_NS $XDPFW --pin-dir $PIN_DIR top; echo \$? >$WORK/$1.status" ||
		die "tmux new-session"
	CLEAN_PIDS+=("$(tmx display-message -p '#{pid}')")
}
capture() { tmx capture-pane -p -t "$1" >"$SCREEN" 2>/dev/null; }
# rule_row N: the Nth row under the rules' heading: PKT/S BYTES/S ACTION NAME ...
rule_row() { awk -v n="$1" 'f && ++i == n { print; exit } /PKT\/S/ && /NAME/ { f = 1 }' "$SCREEN"; }
row_field() { rule_row "$1" | awk -v f="$2" '{ print $f }'; }
# row_busy N NAME: row N is rule NAME with a rate, and not a zero one.
row_busy() { [ "$(row_field "$1" 4)" = "$2" ] && [[ "$(row_field "$1" 1)" =~ ^[1-9][0-9.]*[kMG]?$ ]]; }
busy_on_top() { capture "$1" && row_busy 1 c-busy && row_busy 2 a-quiet; }
shows() { capture "$1" && grep -qF -- "$2" "$SCREEN"; }
exited() { [ -s "$WORK/$1.status" ]; }
gone() { ! tmx has-session -t "$1" 2>/dev/null; }
screen_diag() { sed 's/^/#   | /' "$SCREEN"; }

top_start top1
if wait_until 15 busy_on_top top1; then
	ok "top: the busy rule is the first row, with a rate; the quiet one next"
else
	not_ok "top: the busy rule is the first row, with a rate; the quiet one next"
	screen_diag
fi
check_eq "top: the idle rule's rate is 0" "$(row_field 3 4) $(row_field 3 1)" "b-idle 0"
check "top: the drop total has a rate" grep -qE 'DROP [1-9][0-9.]*[kMG]? pkt/s' "$SCREEN"
check "top: the drop reason drop_rule has a rate" grep -qE 'drop_rule +[1-9][0-9.]*[kMG]?/s' "$SCREEN"
check "top: the busy rule's match and action" grep -qE 'drop +c-busy +any +7003 +udp' "$SCREEN"
check "top: the interface in the title" grep -qF "$FW_DEV" "$SCREEN"

check "apply a config that needs new maps, under top" apply "$big"
check "apply: the maps were replaced" grep -q "new maps" "$WORK/apply.log"
if wait_until 15 shows top1 "a reload replaced the maps"; then
	ok "after new maps: top says it"
else
	not_ok "after new maps: top says it"
	screen_diag
fi
# Counted on from the frame that said it, so by the new maps.
packets_before=$(row_field 1 8)
busy_counted_more() { busy_on_top top1 && [ "$(row_field 1 8)" -gt "${packets_before:-0}" ]; }
check "after new maps: the busy rule on top, counting on" wait_until 15 busy_counted_more

# last_line_says TEXT: the screen's last line (the footer) says TEXT, at the pane's size now.
last_line_says() { capture top1 && [ "$(wc -l <"$SCREEN")" -eq "$1" ] && tail -n 1 "$SCREEN" | grep -qF "$2"; }
tmx resize-window -t top1 -x 100 -y 20
check "resized to 100x20: redrawn to fit, the footer on line 20" wait_until 5 last_line_says 20 "q quit"
check "resized: the busy rule still on top" wait_until 5 busy_on_top top1
check "no ban yet: BANS 0" grep -qF "BANS 0" "$SCREEN"
xdpfw ban 198.18.200.1 198.18.200.2 >/dev/null 2>&1
check "two bans: BANS 2" wait_until 5 shows top1 "BANS 2"
tmx send-keys -t top1 s
check "s: sorted by bytes/s" wait_until 5 shows top1 "sort: bytes/s"
tmx send-keys -t top1 q
check "q: top exits" wait_until 5 exited top1
check_eq "q: exit status 0" "$(cat "$WORK/top1.status" 2>/dev/null)" 0
check "q: the pane is gone" wait_until 5 gone top1

top_start top2
check "Ctrl-C: top runs" wait_until 10 shows top2 "c-busy"
tmx send-keys -t top2 C-c
check "Ctrl-C: top exits" wait_until 5 exited top2
check_eq "Ctrl-C: exit status 0" "$(cat "$WORK/top2.status" 2>/dev/null)" 0
check "Ctrl-C: the pane is gone" wait_until 5 gone top2
stream_stop

tmx new-session -d -x 80 -y 24 -s bogus \
	"TERM=xdpfw-no-such-terminal nsenter --net=/run/netns/$FW_NS $XDPFW --pin-dir $PIN_DIR top 2>$WORK/bogus.err; echo \$? >$WORK/bogus.status"
check "unknown TERM: top exits" wait_until 5 exited bogus
check_eq "unknown TERM: exit 1" "$(cat "$WORK/bogus.status" 2>/dev/null)" 1
check "unknown TERM: says what to set" grep -q "set TERM" "$WORK/bogus.err"

xdpfw top </dev/null >"$WORK/notty.out" 2>&1
check_eq "not a terminal: exit 1" "$?" 1
check "not a terminal: says it needs one" grep -q "needs a terminal" "$WORK/notty.out"

finish
