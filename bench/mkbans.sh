#!/bin/bash
# Prints N IPv4 addresses to ban, 100.64.0.0 + i (bench/addrs.h), one per line
# (FORMAT list, for `xdpfw ban --file`) or as an ipset restore file of a
# hash:ip set named xfbban (FORMAT ipset). FIRST, if given, is the first
# address and the rest are N - 1 of those.
# usage: mkbans.sh N list|ipset [FIRST]
set -eu
awk -v n="$1" -v fmt="$2" -v first="${3:-}" 'BEGIN {
	if (n > 4194304) { print "mkbans.sh: at most 4194304 addresses" > "/dev/stderr"; exit 1 }
	pre = fmt == "ipset" ? "add xfbban " : ""
	if (fmt == "ipset") printf "create xfbban hash:ip family inet maxelem %d\n", n + 1
	if (first != "") { print pre first; n-- }
	for (i = 0; i < n; i++) printf "%s100.%d.%d.%d\n", pre, 64 + int(i / 65536), int(i / 256) % 256, i % 256
}'
