#!/bin/bash
# `xdpfw run --watch` under traffic: an edit in place, a rename-on-save, a
# change to a set's list file, a new file in conf.d (in a conf.d made after
# start) and a Kubernetes ConfigMap update (a new timestamped folder, `..data`
# swapped in one rename) each change the verdicts with no reload asked for;
# a burst of writes is one reload; a broken edit keeps the rules in force and
# logs the error; SIGHUP still reloads. A stream of frames runs throughout:
# what every config drops is never seen past XDP, what every config passes
# always is.
. "$(dirname "$0")/lib.sh"

setup
require_xdpfw
sniff_start

ETC=$WORK/etc
mkdir -p "$ETC/sets"
CFG=$ETC/xdpfw.yaml
READY=$WORK/ready

# config LIST_FILE BANNED...: the config every step shares (ban-x drops
# 198.19.4.1, allow-y passes 198.19.4.2, the set drop-list drops what
# LIST_FILE holds, the rest passes; in $ETC it includes conf.d/*.yaml) and a
# rule dropping each of BANNED.
config() {
	local set_file=$1 a i=0
	shift
	cat <<EOF
interfaces:
  - name: $FW_DEV
EOF
	[ "$set_file" = sets/drop.txt ] && echo 'include: [conf.d/*.yaml]'
	cat <<EOF
settings:
  default_action: pass
sets:
  drop-list:
    file: $set_file
rules:
  - name: ban-x
    src: 198.19.4.1
  - name: allow-y
    src: 198.19.4.2
    action: pass
  - name: drop-list
    src: "@drop-list"
EOF
	for a in "$@"; do
		i=$((i + 1))
		printf '  - name: step-%d\n    src: %s\n' "$i" "$a"
	done
}

# watch_start FILE: `xdpfw run --watch --ready-file $READY FILE` in the
# background; waits for the ready file, which says the rules are in force.
watch_start() {
	SEQ=$((SEQ + 1))
	DAEMON_LOG=$WORK/daemon.$SEQ.log
	rm -f "$READY"
	bg_start "$DAEMON_LOG" nsenter --net="/run/netns/$FW_NS" "$XDPFW" --pin-dir "$PIN_DIR" \
		run --watch --ready-file "$READY" "$1"
	DAEMON_PID=$BG_PID
	if ! wait_until 10 test -e "$READY"; then
		diag "daemon not ready; its log:"
		sed 's/^/#   /' "$DAEMON_LOG" | tail -20
		return 1
	fi
}

# verdicts SRC...: "pass" or "drop" for a UDP frame from each SRC, in order.
verdicts() {
	local a tag=$BASHPID-$RANDOM out=()
	{
		echo "e = Ether(dst=FW_MAC, src=PEER_MAC)"
		echo "frames = ["
		for a in "$@"; do
			echo "    e / IP(src=\"$a\", dst=FW4) / UDP(dport=9) / M(\"v-$a-$tag\"),"
		done
		echo "]"
	} >"$WORK/verdicts.$tag.py"
	send_frames_try <"$WORK/verdicts.$tag.py" || {
		echo error
		return 1
	}
	for a in "$@"; do
		if arrived "v-$a-$tag"; then out+=(pass); else out+=(drop); fi
	done
	echo "${out[*]}"
}

# changed DESC WHY BEFORE WANT SRC...: after a change was written (when the
# log had BEFORE lines), the daemon logs "reloading CONFIG: WHY changed",
# then the new rules in force, and the verdicts for SRC... are WANT.
changed() {
	local desc=$1 why=$2 before=$3 want=$4
	shift 4
	if ! wait_until 5 reloaded_for "$before" "$why"; then
		not_ok "$desc: the daemon reloaded by itself, for $why"
		diag "its log since:"
		tail -n +"$((before + 1))" "$DAEMON_LOG" | sed 's/^/#   /'
		return 1
	fi
	ok "$desc: the daemon reloaded by itself, for $why"
	# A burst can span two reloads (a ConfigMap's new folder, then its swap): the last one counts.
	if wait_until 5 verdicts_are "$want" "$@"; then
		ok "$desc: verdicts $want"
	else
		not_ok "$desc: verdicts $want"
		diag "  got: $(verdicts "$@")"
	fi
}
verdicts_are() { # WANT SRC...
	local want=$1
	shift
	[ "$(verdicts "$@")" = "$want" ]
}
reloads_since() { tail -n +"$(($1 + 1))" "$DAEMON_LOG" | grep -c 'in force'; }
# reloaded_for LINES WHY: after its first LINES lines, the daemon logged
# "reloading CONFIG: WHY changed" and then the rules in force.
reloaded_for() {
	tail -n +"$(($1 + 1))" "$DAEMON_LOG" |
		WHY="^xdpfw: reloading .*: $2 changed$" awk '$0 ~ ENVIRON["WHY"] {r = 1} r && /in force/ {f = 1} END {exit !f}'
}
# logged_since LINES REGEX: the daemon logged REGEX after its first LINES lines.
logged_since() { tail -n +"$(($1 + 1))" "$DAEMON_LOG" | grep -q -- "$2"; }

echo 198.19.7.1 >"$ETC/sets/drop.txt"
config sets/drop.txt >"$CFG"
check "daemon starts with --watch and makes its ready file" watch_start "$CFG"
check_eq "ready file says what is enforced" "$(cat "$READY")" "enforcing $CFG"
check_eq "start: verdicts" "$(verdicts 198.19.4.1 198.19.4.2 198.19.7.1 198.19.6.1)" \
	"drop pass drop pass"

# x: dropped by every config; y: passed by every config; s: in the set's
# list in every config; z: passes until the edit in place, then dropped.
stream_start <<'EOF'
e = Ether(dst=FW_MAC, src=PEER_MAC)
frames = [
    e / IP(src="198.19.4.1", dst=FW4) / UDP(dport=9) / M("x"),
    e / IP(src="198.19.4.2", dst=FW4) / UDP(dport=9) / M("y"),
    e / IP(src="198.19.7.1", dst=FW4) / UDP(dport=9) / M("s"),
    e / IP(src="198.19.6.1", dst=FW4) / UDP(dport=9) / M("z"),
]
EOF
check "traffic is flowing" wait_until 10 arrived y

# An edit in place: the same inode, truncated and written.
inode=$(stat -c %i "$CFG")
before=$(log_lines)
config sets/drop.txt 198.19.6.1 >"$CFG"
check_eq "edit in place kept the inode" "$(stat -c %i "$CFG")" "$inode"
changed "edit in place" xdpfw.yaml "$before" "drop drop" 198.19.6.1 198.19.4.1

# A rename-on-save, as editors do: a temp file beside it, renamed over it.
before=$(log_lines)
config sets/drop.txt 198.19.6.1 198.19.6.2 >"$ETC/.xdpfw.yaml.swp"
mv "$ETC/.xdpfw.yaml.swp" "$CFG"
changed "rename-on-save" xdpfw.yaml "$before" "drop pass" 198.19.6.2 198.19.4.2

# The set's list file, in its own folder, appended to.
before=$(log_lines)
echo 198.19.6.3 >>"$ETC/sets/drop.txt"
changed "set list file" sets/drop.txt "$before" "drop drop" 198.19.6.3 198.19.7.1

# A burst of writes is one reload (a few at worst on a loaded machine, never one each).
before=$(log_lines)
for i in $(seq 1 20); do
	config sets/drop.txt 198.19.6.1 198.19.6.2 "198.19.8.$i" >"$CFG"
done
# shellcheck disable=SC2016 # expanded by eval
check "burst: the last write is enforced" wait_until 10 eval '[ "$(verdicts 198.19.8.20 198.19.8.19)" = "drop pass" ]'
n=$(reloads_since "$before")
check "burst of 20 writes: $n reload(s), fewer than 5" test "$n" -ge 1 -a "$n" -lt 5

# A new file in conf.d, and conf.d itself made after the daemon started.
mkdir "$ETC/conf.d"
printf 'rules:\n  - name: web-ban\n    src: 198.19.6.4\n' >"$ETC/conf.d/.20-web.yaml.tmp"
mv "$ETC/conf.d/.20-web.yaml.tmp" "$ETC/conf.d/20-web.yaml"
# shellcheck disable=SC2016 # expanded by eval
check "conf.d made after start, a new file in it: enforced" \
	wait_until 5 eval '[ "$(verdicts 198.19.6.4)" = drop ]'
before=$(log_lines)
printf 'rules:\n  - name: web-ban-2\n    src: 198.19.6.5\n' >"$ETC/conf.d/30-more.yaml"
changed "a second file in conf.d" conf.d/30-more.yaml "$before" "drop drop" 198.19.6.5 198.19.6.4
before=$(log_lines)
printf 'rules:\n  - name: no-yaml\n    src: 198.19.6.6\n' >"$ETC/conf.d/README"
check_eq "a file the pattern does not match: no reload" "$(verdicts 198.19.6.6)" pass
check_eq "... and nothing logged" "$(reloads_since "$before")" 0

# A broken edit: logged with where, the rules stay, the daemon lives on.
before=$(log_lines)
names=$(rule_names)
{
	config sets/drop.txt 198.19.6.1
	echo '  - name: broken'
	echo '    port: 70000'
} >"$ETC/.xdpfw.yaml.new"
mv "$ETC/.xdpfw.yaml.new" "$CFG"
check "broken edit: the failed reload is logged" \
	wait_until 5 logged_since "$before" 'reload failed'
check "broken edit: the error names file, line and column" \
	grep -q "^$CFG:[0-9]*:[0-9]*: .*70000" "$DAEMON_LOG"
check "broken edit: daemon alive" daemon_alive
check_eq "broken edit: rules unchanged" "$(rule_names)" "$names"
check_eq "broken edit: verdicts unchanged" "$(verdicts 198.19.6.2 198.19.8.20 198.19.6.1)" \
	"drop drop drop"
# The next good edit is still seen: the failed reload kept the watches.
before=$(log_lines)
config sets/drop.txt 198.19.6.1 >"$CFG"
changed "good edit after a broken one" xdpfw.yaml "$before" "pass pass drop" 198.19.6.2 198.19.8.20 198.19.6.1

before=$(log_lines)
kill -HUP "$DAEMON_PID"
check "SIGHUP still reloads" wait_until 5 reload_logged "$before"

# SIGTERM; a pod-like restart with the config in a ConfigMap folder. The
# pinned program enforces in between: the stream sees no gap.
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
check_eq "SIGTERM: exit 0" "$?" 0
check_fails "SIGTERM: ready file removed" test -e "$READY"

CM=$WORK/cm
cm_version() { # cm_version NAME BANNED...: a ConfigMap data folder as kubelet writes it
	local dir=$CM/$1
	shift
	mkdir -p "$dir"
	printf '198.19.7.1\n' >"$dir/drop.txt"
	config drop.txt "$@" >"$dir/xdpfw.yaml"
}
mkdir -p "$CM"
cm_version ..2026_12_01_10_00_00.1234 198.19.6.1
ln -s ..2026_12_01_10_00_00.1234 "$CM/..data"
ln -s ..data/xdpfw.yaml "$CM/xdpfw.yaml"
ln -s ..data/drop.txt "$CM/drop.txt"
check "ConfigMap: daemon starts" watch_start "$CM/xdpfw.yaml"
check_eq "ConfigMap: verdicts" "$(verdicts 198.19.6.1 198.19.6.7)" "drop pass"

before=$(log_lines)
cm_version ..2026_12_01_10_05_00.5678 198.19.6.1 198.19.6.7
ln -s ..2026_12_01_10_05_00.5678 "$CM/..data_tmp"
mv -T "$CM/..data_tmp" "$CM/..data"
rm -rf "$CM/..2026_12_01_10_00_00.1234"
changed "ConfigMap update (..data swapped)" "\\.\\.[^/]*" "$before" "drop drop" 198.19.6.7 198.19.6.1

check "stream stopped, sentinel arrived" stream_stop
diag "streamed: $(tr '\n' ' ' <"$STREAM_OUT")"
x=$(streamed x)
y=$(streamed y)
z=$(streamed z)
za=$(arrivals z)
check "the stream sent a real load (x=$x, y=$y)" test "$x" -ge 100 -a "$y" -ge 100
check_eq "dropped by every config: no frame got through" "$(arrivals x)" 0
check_eq "in the set's list in every config: no frame got through" "$(arrivals s)" 0
check_eq "passed by every config: every frame got through" "$(arrivals y)" "$y"
check "traffic overlapped the changes: z passed, then was dropped ($za of $z)" \
	test "$za" -gt 0 -a "$za" -lt "$z"
if [ "$T_FAILS" -gt 0 ]; then
	for log in "$WORK"/daemon.*.log; do
		diag "$(basename "$log"):"
		sed 's/^/#   /' "$log"
	done
fi

finish
