#!/bin/bash
# deploy/ansible: the real ansible-playbook runs site.yml's xdpfw role on
# this host (local connection), inside the test's firewalled namespace, on
# its veth and pin dir (xdpfw_reload: apply, as on a host without systemd).
# The first run installs the package and enforces the rules; a bad rule is
# refused by the validate step (the play fails, the file and the rules in
# force stay); a good change is enforced; the same run again changes nothing.
# A relative include is validated where the config lives (check --base-dir):
# a duplicate name in conf.d fails the play, a good conf.d file is enforced.
. "$(dirname "$0")/lib.sh"
. "$NETNS_DIR/deb_lib.sh"

setup
command -v ansible-playbook >/dev/null || die "missing ansible-playbook (make deps: ansible-core)"
server_start 8080,8081 -
sniff_start

deb_lock
deb_absent || die "xdpfw is installed on this host: the test needs it absent (dpkg --purge xdpfw)"
deb_build
deb_purge_at_exit
XDPFW=/usr/sbin/xdpfw
CFG=/etc/xdpfw/xdpfw.yaml
INCLUDED=/etc/xdpfw/conf.d/50-test.yaml
# Removed before the purge, so that it leaves no conf.d behind.
ansible_cleanup() {
	local st=$?
	rm -f "$INCLUDED"
	deb_leftover_purge "$st"
	cleanup
}
trap ansible_cleanup EXIT

export ANSIBLE_HOME=$WORK/ansible ANSIBLE_LOCAL_TEMP=$WORK/ansible/tmp \
	ANSIBLE_REMOTE_TEMP=$WORK/ansible/tmp ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
	ANSIBLE_CONFIG=$WORK/ansible.cfg ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_PIPELINING=1
: >"$ANSIBLE_CONFIG"
printf '[firewalls]\nlocalhost ansible_connection=local\n' >"$WORK/inventory"

# vars NAME RULES_JSON [INCLUDE_JSON]: the role's variables with these rules
# (and include patterns), in $WORK/NAME.
vars() {
	jq -n --arg deb "$DEB" --arg dev "$FW_DEV" --arg pins "$PIN_DIR" --argjson rules "$2" \
		--argjson patterns "${3:-[]}" '{
		xdpfw_deb: $deb, xdpfw_reload: "apply", xdpfw_pin_dir: $pins,
		xdpfw_interfaces: [{name: $dev, mode: "native"}],
		xdpfw_settings: {default_action: "pass"},
		xdpfw_include: $patterns,
		xdpfw_sets: {banned: {elements: ["198.19.0.0/16"]}},
		xdpfw_rules: $rules}' >"$WORK/$1"
}
# play VARS: ansible-playbook site.yml in $FW_NS; output in $WORK/play.log.
play() {
	SEQ=$((SEQ + 1))
	PLAY_LOG=$WORK/play.$SEQ.log
	in_fw ansible-playbook -i "$WORK/inventory" "$ROOT/deploy/ansible/site.yml" \
		-e "@$WORK/$1" >"$PLAY_LOG" 2>&1
}
play_ok() {
	play "$1" && return 0
	sed 's/^/#   /' "$PLAY_LOG" | tail -20
	return 1
}
# changed: the play recap's changed= count for localhost.
changed() { sed -n 's/^localhost *: .* changed=\([0-9]*\) .*/\1/p' "$PLAY_LOG"; }

vars a.json '[{"name": "ban-b", "src": "'"$PEER4B"'"}, {"name": "banned", "src": "@banned"},
	{"name": "drop-8081", "port": 8081, "proto": "tcp"}]'
vars bad.json '[{"name": "ban-b", "src": "'"$PEER4B"'"}, {"name": "bad-port", "port": 70000, "proto": "tcp"}]'
vars b.json '[{"name": "ban-a", "src": "'"$PEER4"'", "port": 8080, "proto": "tcp"},
	{"name": "banned", "src": "@banned"}]'
vars c.json '[{"name": "ban-a", "src": "'"$PEER4"'", "port": 8080, "proto": "tcp"},
	{"name": "banned", "src": "@banned"}]' '["conf.d/*.yaml"]'

check "first run: installs and enforces" play_ok a.json
check_eq "the package is installed" "$(dpkg-query -W -f='${db:Status-Abbrev}' xdpfw 2>&1)" "ii "
check "the config is the role's" grep -q 'name: drop-8081' "$CFG"
check_eq "rules in force" "$(rule_names)" "ban-b banned drop-8081"
check "A: banned source dropped" tcp_dropped "$PEER4B" "$FW4" 8080
check "A: TCP 8081 dropped" tcp_dropped "$PEER4" "$FW4" 8081
check "A: other traffic passes" tcp_ok "$PEER4" "$FW4" 8080

cp "$CFG" "$WORK/a.yaml"
check_fails "a bad rule: the play fails" play bad.json
check "... in the validate step" grep -q 'failed to validate' "$PLAY_LOG"
check "... naming the bad port" grep -q '70000' "$PLAY_LOG"
check "... the file on disk is unchanged" cmp "$WORK/a.yaml" "$CFG"
check_eq "... the rules in force are unchanged" "$(rule_names)" "ban-b banned drop-8081"
check "... and still decide: TCP 8081 dropped" tcp_dropped "$PEER4" "$FW4" 8081

check "a good change" play_ok b.json
check "... reports a change" test "$(changed)" -ge 1
check_eq "... rules in force" "$(rule_names)" "ban-a banned"
check "B: TCP 8081 passes" tcp_ok "$PEER4" "$FW4" 8081
check "B: TCP 8080 from $PEER4 dropped" tcp_dropped "$PEER4" "$FW4" 8080
check "B: TCP 8080 from $PEER4B passes" tcp_ok "$PEER4B" "$FW4" 8080

check "the same run again" play_ok b.json
check_eq "... changes nothing" "$(changed)" 0

cp "$CFG" "$WORK/b.yaml"
printf 'rules:\n  - name: ban-a\n    port: 8081\n    proto: tcp\n' >"$INCLUDED"
check_fails "a relative include of a file with a duplicate name: the play fails" play c.json
check "... validate read the included file where the config lives" \
	grep -qE "$INCLUDED:2:11: rule name .{1,2}ban-a.{1,2} is already used" "$PLAY_LOG"
check "... the file on disk is unchanged" cmp "$WORK/b.yaml" "$CFG"
printf 'rules:\n  - name: drop-8081\n    port: 8081\n    proto: tcp\n' >"$INCLUDED"
check "the included file fixed: the play passes" play_ok c.json
check "... the config includes conf.d/*.yaml" grep -q 'conf.d/\*.yaml' "$CFG"
check_eq "... rules in force, the included one last" "$(rule_names)" "ban-a banned drop-8081"
check "C: TCP 8081 dropped" tcp_dropped "$PEER4" "$FW4" 8081
rm -f "$INCLUDED"

purge() { dpkg --purge xdpfw >"$WORK/purge.log" 2>&1; }
check "dpkg --purge" purge
check "the package is gone" deb_absent
finish
