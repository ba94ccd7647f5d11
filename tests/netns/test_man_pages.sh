#!/bin/bash
# man/xdpfw.8 and man/xdpfw.yaml.5: they render without a single warning,
# mandb can index them, they cover the whole contract of DESIGN §1, their
# examples use documentation addresses only, and the YAML examples pass
# `xdpfw check`.
# Needs: man-db and groff-base; python3 for the address check.
set -u
cd "$(dirname "$0")/../.." || exit 1
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "ok - $1"; }
fail() {
	echo "not ok - $1"
	failed=1
}
skip() { echo "ok - $1 # SKIP $2"; }

pages="man/xdpfw.8 man/xdpfw.yaml.5"

if ! command -v man >/dev/null; then
	fail "man is installed (apt-get install man-db groff-base)"
	exit 1
fi

for page in $pages; do
	if [ ! -f "$page" ]; then
		fail "$page exists"
		continue
	fi
	err=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >"$tmp/out")
	rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$err" ] && [ -s "$tmp/out" ]; then
		pass "$page renders without warnings"
	else
		fail "$page renders without warnings (exit $rc)"
		printf '%s\n' "$err" | head -n 20 | sed 's/^/#   /'
	fi
	# What mandb and apropos read: a NAME section of the form "name \- summary".
	if command -v lexgrog >/dev/null; then
		if lexgrog "$page" 2>/dev/null | grep -q ': "'; then
			pass "$page has a NAME section mandb can index"
		else
			fail "$page has a NAME section mandb can index"
		fi
	fi
done

# Words that must appear in the rendered page, one check each.
covers() {
	local page=$1
	shift
	[ -f "$page" ] || return
	LC_ALL=C.UTF-8 MANWIDTH=200 man -E ascii -l "$page" 2>/dev/null | sed 's/.\x08//g' >"$tmp/text"
	local missing=""
	for word in "$@"; do
		grep -qF -- "$word" "$tmp/text" || missing="$missing $word"
	done
	if [ -z "$missing" ]; then
		pass "$page documents: $*"
	else
		fail "$page documents: $* (missing:$missing)"
	fi
}

covers man/xdpfw.8 check run apply rules stats down --base-dir
covers man/xdpfw.8 --pin-dir --json -j -v --version --help
covers man/xdpfw.8 XDPFW_PIN_DIR NOTIFY_SOCKET /sys/fs/bpf/xdpfw /etc/xdpfw/xdpfw.yaml
covers man/xdpfw.8 SIGHUP SIGTERM SIGINT "EXIT STATUS" "PINNED STATE" EXAMPLES "SEE ALSO"
covers man/xdpfw.8 explain sets --config "@name" more_ports decided_by step_text file_line fw_set_info
covers man/xdpfw.8 ban unban bans --for --reason --file expires_in never_ban max_bans drop_ban fw_bans4 1h30m
covers man/xdpfw.yaml.5 interfaces name mode native generic auto
covers man/xdpfw.yaml.5 settings default_action fragments inspect max_rules 131072
covers man/xdpfw.yaml.5 rules src port proto tcp udp icmp icmpv6 any action drop pass
covers man/xdpfw.yaml.5 "WHICH RULE DECIDES" FRAGMENTS ICMP "LINK ESSENTIALS" ARP "MALFORMED PACKETS" EXAMPLES
covers man/xdpfw.yaml.5 log log_rate log_burst ban_log limit_log metrics EVENTS events_suppressed 100/s "[::1]:9740"

# Example addresses come from the documentation ranges 198.18.0.0/15 and
# 2001:2::/48 only. Both pages are read as rendered text.
desc="addresses in the pages are within 198.18.0.0/15 and 2001:2::/48"
if command -v python3 >/dev/null; then
	for page in $pages; do
		[ -f "$page" ] && LC_ALL=C.UTF-8 MANWIDTH=200 man -E ascii -l "$page" 2>/dev/null | sed 's/.\x08//g'
	done >"$tmp/all"
	out=$(python3 - "$tmp/all" <<'EOF'
import ipaddress, re, sys
text = open(sys.argv[1]).read()
allowed = [ipaddress.ip_network("198.18.0.0/15"), ipaddress.ip_network("2001:2::/48")]
bad = []
for token in re.findall(r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*", text):
    token = token.strip(".:")
    try:
        addr = ipaddress.ip_address(token)
    except ValueError:
        continue
    if not any(addr in net for net in allowed):
        bad.append(token)
print(" ".join(sorted(set(bad))))
EOF
)
	if [ -z "$out" ]; then pass "$desc"; else fail "$desc (found: $out)"; fi
else
	skip "$desc" "python3 missing"
fi

# Every YAML example that is a whole config (starts with "interfaces:") is valid.
desc="the xdpfw.yaml(5) examples pass xdpfw check"
if [ ! -x build/xdpfw ]; then
	fail "$desc (build/xdpfw missing: run make first)"
else
	build/xdpfw check /nonexistent/xdpfw.yaml >/dev/null 2>&1
	if [ $? -eq 2 ]; then
		skip "$desc" "xdpfw has no check command yet"
	else
		awk -v dir="$tmp" '
			/^\.EX/ { n++; file = dir "/example" n ".yaml"; inex = 1; first = 1; next }
			/^\.EE/ { inex = 0; next }
			inex && first && $0 !~ /^interfaces:/ { inex = 0 }
			inex { first = 0; gsub(/\\-/, "-"); print > file }
		' man/xdpfw.yaml.5
		count=0
		bad=""
		for f in "$tmp"/example*.yaml; do
			[ -f "$f" ] || continue
			count=$((count + 1))
			# Valid means exit 0 and not a word on stderr.
			if ! build/xdpfw check "$f" 2>"$tmp/check.out" >/dev/null || [ -s "$tmp/check.out" ]; then
				bad="$bad $(basename "$f")"
				sed 's/^/#   /' "$tmp/check.out"
			fi
		done
		if [ "$count" -gt 0 ] && [ -z "$bad" ]; then
			pass "$desc ($count examples)"
		else
			fail "$desc (${count} examples, invalid:${bad:- none found})"
		fi
	fi
fi

exit "$failed"
