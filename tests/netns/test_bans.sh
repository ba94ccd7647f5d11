#!/bin/bash
# Bans on real frames: `ban` drops a source before any rule and `unban`
# lets it through; `--for` expires by the kernel clock with no daemon
# running; prefixes and IPv6; bans survive SIGHUP, apply, kill -9 + run and
# new maps (a bigger config, another max_bans); `down` removes them.
# Refusals (bad input, never_ban, max_bans) say why and exit 1, and the
# rest of the command is still applied. Needs the datapath's bans and the
# sync's never_ban (h-dp, h-compile).
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
server_start 8080 -
sniff_start

CFG=$WORK/xdpfw.yaml
# A rule that opens port 8080 to everyone: bans come before it.
base_conf() {
	cat <<EOF
interfaces:
  - name: $FW_DEV
settings:
  default_action: pass
$1
rules:
  - name: open-8080
    port: 8080
    proto: tcp
    action: pass
  - name: ban-other
    src: 198.19.9.9
EOF
}
base_conf "" | conf a.yaml >/dev/null
base_conf "  max_rules: 262144" | conf big.yaml >/dev/null

# run_xdpfw NAME ARGS...: xdpfw ARGS, its status in $RC, stderr in $WORK/NAME.err.
run_xdpfw() {
	local name=$1
	shift
	xdpfw "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
	RC=$?
}
# said NAME TEXT: the last run_xdpfw NAME said TEXT on stderr.
said() { grep -qF -- "$2" "$WORK/$1.err" || { sed 's/^/#   /' "$WORK/$1.err" | head -5; return 1; }; }
ban_total() { bans_json && jq length "$WORK/bans.json"; }

run_xdpfw nothing bans
check_eq "bans with nothing pinned: exit 1" "$RC" 1
check "bans with nothing pinned: says to start xdpfw" said nothing "xdpfw run"

install_conf a.yaml
check "daemon starts" daemon_start "$CFG"
check "before any ban: $PEER4 passes" tcp_ok "$PEER4" "$FW4" 8080
check_eq "no bans yet" "$(ban_total)" 0

# ---------------------------------------------------------------- ban, unban
run_xdpfw ban1 ban "$PEER4"
check_eq "ban $PEER4: exit 0" "$RC" 0
check "banned: $PEER4 is dropped though port 8080 is open" tcp_dropped "$PEER4" "$FW4" 8080
check "banned: $PEER4B still passes" tcp_ok "$PEER4B" "$FW4" 8080
check "the drop counts as drop_ban" test "$(stat_counter drop_ban packets)" -ge 1
check_eq "bans --json: origin manual" "$(ban_field "$PEER4" origin)" manual
check_eq "bans --json: no expiry" "$(ban_field "$PEER4" expires_in)" null
check "bans --json: the ban counted its packets" test "$(ban_field "$PEER4" packets)" -ge 1
check "bans --json: and bytes" test "$(ban_field "$PEER4" bytes)" -ge 40
check "bans --json: every field" jq -e 'length == 1 and (.[0] | has("address") and has("origin")
	and has("expires_in") and has("expires") and has("since") and has("packets") and has("bytes"))' \
	"$WORK/bans.json" >/dev/null
check "bans: a table with the ban" grep -q "^$PEER4 .*manual .*never" <(xdpfw bans)
run_xdpfw unban1 unban "$PEER4"
check_eq "unban $PEER4: exit 0" "$RC" 0
check "unbanned: $PEER4 passes" tcp_ok "$PEER4" "$FW4" 8080
check_eq "unbanned: no bans listed" "$(ban_total)" 0
run_xdpfw unban2 unban "$PEER4"
check_eq "unban of what is not banned: exit 0" "$RC" 0
check "unban of what is not banned: says so" said unban2 "$PEER4: not banned"

# ---------------------------------------------------------------- prefixes, IPv6
run_xdpfw ban2 ban 198.18.0.2/31 2001:2:0:0::/64
check_eq "ban an IPv4 and an IPv6 prefix: exit 0" "$RC" 0
check "prefix ban: $PEER4 dropped" tcp_dropped "$PEER4" "$FW4" 8080
check "prefix ban: $PEER4B dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check "prefix ban: $PEER6 dropped" tcp_dropped "$PEER6" "$FW6" 8080
check_eq "bans --json lists the prefixes" \
	"$(bans_json && jq -r '[.[].address] | sort | join(" ")' "$WORK/bans.json")" \
	"198.18.0.2/31 2001:2::/64"
xdpfw unban 198.18.0.2/31 2001:2:0:0::/64 2>/dev/null
run_xdpfw ban6 ban "$PEER6"
check "IPv6 address ban: $PEER6 dropped" tcp_dropped "$PEER6" "$FW6" 8080
check "IPv6 address ban: $PEER6B passes" tcp_ok "$PEER6B" "$FW6" 8080
check "IPv6 address ban: $PEER4 passes again" tcp_ok "$PEER4" "$FW4" 8080
xdpfw unban "$PEER6" 2>/dev/null
check "IPv6 unbanned: $PEER6 passes" tcp_ok "$PEER6" "$FW6" 8080

# ---------------------------------------------------------------- bad input
run_xdpfw bad1 ban 198.18.0.300 "$PEER4"
check_eq "ban of a bad address and a good one: exit 1" "$RC" 1
check "the bad address is named" said bad1 "198.18.0.300"
check "the good one is banned all the same" tcp_dropped "$PEER4" "$FW4" 8080
xdpfw unban "$PEER4" 2>/dev/null
run_xdpfw bad2 ban --for 5x "$PEER4"
check_eq "ban --for 5x: usage error, exit 2" "$RC" 2
check "ban --for 5x: says what a duration is" said bad2 "30s, 10m, 2h, 7d"
check_eq "ban --for 5x: nothing banned" "$(ban_total)" 0
run_xdpfw bad3 ban
check_eq "ban with nothing to ban: exit 2" "$RC" 2
run_xdpfw bad4 rules --for 1m
check_eq "rules --for: exit 2" "$RC" 2

# ---------------------------------------------------------------- ban --file
LIST=$WORK/ban.txt
cat >"$LIST" <<EOF
# addresses to ban
$PEER4
198.18.0.3/32 ; a comment
$PEER6
   not-an-address
EOF
run_xdpfw file1 ban --file "$LIST" --reason list
check_eq "ban --file with a bad line: exit 1" "$RC" 1
check "ban --file: the bad line as FILE:LINE:COL" said file1 "$LIST:5:4:"
check_eq "ban --file: the three good lines banned" "$(ban_total)" 3
check_eq "ban --file --reason: the origin" "$(ban_field "$PEER4B" origin)" list
check "ban --file: $PEER4B dropped" tcp_dropped "$PEER4B" "$FW4" 8080
run_xdpfw file2 unban --file "$LIST"
check_eq "unban --file: the same bad line, exit 1" "$RC" 1
check_eq "unban --file: the good lines lifted" "$(ban_total)" 0

# ---------------------------------------------------------------- survival
xdpfw ban "$PEER4B" --reason survivor 2>/dev/null
check "ban for the survival checks: $PEER4B dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check "SIGHUP reload" daemon_reload
check "after SIGHUP: $PEER4B still dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check "apply" apply "$CFG"
check "after apply: $PEER4B still dropped" tcp_dropped "$PEER4B" "$FW4" 8080
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
check "after kill -9: $PEER4B still dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check "run again after kill -9" daemon_start "$CFG"
check "after kill -9 + run: $PEER4B still dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check_eq "after kill -9 + run: the origin is kept" "$(ban_field "$PEER4B" origin)" survivor
before=$(ban_field "$PEER4B" packets)
install_conf big.yaml
check "SIGHUP with max_rules 262144: new maps" daemon_reload
check "the reload replaced the maps" grep -q "new maps" "$DAEMON_LOG"
check "after new maps: $PEER4B still dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check "after new maps: the ban kept its counters" test "$(ban_field "$PEER4B" packets)" -gt "$before"
check_eq "after new maps: one ban, the same" "$(ban_total) $(ban_field "$PEER4B" origin)" "1 survivor"

# A new settings.max_bans: new ban maps, the bans copied into them.
base_conf "  max_bans: 4096" | conf bans4096.yaml >/dev/null
before=$(ban_field "$PEER4B" packets)
install_conf bans4096.yaml
check "SIGHUP with max_bans 4096" daemon_reload
check "after new ban maps: $PEER4B still dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check "after new ban maps: the ban kept its counters" \
	test "$(ban_field "$PEER4B" packets)" -gt "$before"
check_eq "after new ban maps: one ban, the same" "$(ban_total) $(ban_field "$PEER4B" origin)" "1 survivor"
install_conf a.yaml
daemon_reload

# ---------------------------------------------------------------- expiry
bg_kill "$DAEMON_PID" TERM
check_fails "daemon stopped" daemon_alive
# ban_for_2s: ban $PEER4 for 2 s, read it back and probe it; 2 when a
# loaded machine took the 2 s before the probe ended (nothing is known).
ban_for_2s() {
	local start=$EPOCHREALTIME dropped=0
	run_xdpfw for1 ban "$PEER4" --for 2s --reason sshd
	[ "$RC" -eq 0 ] || return 1
	for_fields=$(ban_field "$PEER4" expires_in)/$(ban_field "$PEER4" origin)
	tcp_dropped "$PEER4" "$FW4" 8080 && dropped=1
	[ "$dropped" -eq 1 ] && return 0
	awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { exit !(b - a < 2) }' && return 1
	return 2
}
for try in 1 2 3; do
	ban_for_2s
	rc=$?
	[ "$rc" -ne 2 ] && break
	diag "try $try: the probe ended after the ban's 2 s; again"
done
check_eq "ban --for 2s: $PEER4 dropped at once" "$rc" 0
check "ban --for 2s: expires in 1 or 2 s, origin sshd" grep -qxE '[12]/sshd' <<<"$for_fields"
check "ban --for 2s: passes again once expired, with no daemon" wait_until 10 tcp_ok "$PEER4" "$FW4" 8080
check_eq "the expired ban is not listed" "$(ban_field "$PEER4" origin)" missing
check "the permanent ban still holds" tcp_dropped "$PEER4B" "$FW4" 8080

# ---------------------------------------------------------------- never_ban, max_bans
base_conf "  never_ban: [$PEER4, 198.18.0.128/25]" | conf never.yaml >/dev/null
check "apply a never_ban" apply "$WORK/never.yaml"
line=$(grep -n never_ban "$WORK/never.yaml" | cut -d: -f1)
run_xdpfw never1 ban "$PEER4"
check_eq "ban of a never_ban address: exit 1" "$RC" 1
check "the refusal names never_ban and its line" said never1 "never_ban protects (config line $line)"
check "$PEER4 is not banned" tcp_ok "$PEER4" "$FW4" 8080
run_xdpfw never2 ban 198.18.0.0/24 198.19.7.7
check_eq "ban of a prefix covering it: exit 1" "$RC" 1
check "the refusal says it covers $PEER4" said never2 "covers"
check_eq "the rest of the command is banned" "$(ban_field 198.19.7.7 origin)" manual
xdpfw unban "$PEER4" 198.18.0.0/24 198.19.7.7 >/dev/null 2>&1 # whatever got through
base_conf "  max_bans: 4" | conf small.yaml >/dev/null
check "apply max_bans: 4, the bans in force copied" apply "$WORK/small.yaml"
run_xdpfw full ban 198.19.8.1 198.19.8.2 198.19.8.3 198.19.8.4 198.19.8.5
check_eq "more bans than max_bans: exit 1" "$RC" 1
check "the refusal says to raise max_bans" said full "raise settings.max_bans"
check_eq "no ban was evicted" "$(ban_field "$PEER4B" origin)" survivor
check_eq "the bans that fit are in force" "$(ban_total)" 4
base_conf "  max_bans: 2" | conf tiny.yaml >/dev/null
run_xdpfw tiny apply "$WORK/tiny.yaml"
check_eq "apply max_bans: 2 with 4 bans in force: not applied" "$RC" 1
check "it says the bans do not fit" said tiny "do not fit"
check_eq "the 4 bans stay" "$(ban_total)" 4
check "$PEER4B still dropped" tcp_dropped "$PEER4B" "$FW4" 8080

# ---------------------------------------------------------------- down
check "down" xdpfw down
run_xdpfw gone bans
check_eq "after down: nothing pinned, bans exits 1" "$RC" 1
check "apply again after down" apply "$WORK/a.yaml"
check_eq "after down and apply: no bans" "$(ban_total)" 0
check "after down: $PEER4B passes" tcp_ok "$PEER4B" "$FW4" 8080
check "down" xdpfw down
finish
