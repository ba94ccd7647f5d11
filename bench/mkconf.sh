#!/bin/bash
# Prints an xdpfw config of N source rules (drop), the benchmark's address
# scheme (bench/addrs.h): min(N/2, 65536) IPv4 in 198.18.0.0/16, the rest
# IPv6 in 2001:2::/64. usage: mkconf.sh N [IFNAME MODE] [CHANGED_INDEX]
# Issue 11: MKCONF_LOG=INDEX gives that rule `log: true`; MKCONF_SETTINGS
# adds settings, ';' between them ("log_rate: 1000/s; metrics: ...").
set -eu
n=$1 ifname=${2:-} mode=${3:-native} changed=${4:--1}
awk -v n="$n" -v ifname="$ifname" -v mode="$mode" -v changed="$changed" \
	-v logged="${MKCONF_LOG:--1}" -v extra="${MKCONF_SETTINGS:-}" 'BEGIN {
	v4 = int(n / 2); if (v4 > 65536) v4 = 65536
	if (ifname != "") printf "interfaces:\n  - name: %s\n    mode: %s\n", ifname, mode
	printf "settings:\n  default_action: pass\n  max_rules: %d\n", n < 131072 ? 131072 : n
	m = split(extra, kv, ";")
	for (k = 1; k <= m; k++) { sub(/^ +/, "", kv[k]); if (kv[k] != "") printf "  %s\n", kv[k] }
	print "rules:"
	for (i = 0; i < n; i++) {
		if (i < v4) src = sprintf("198.18.%d.%d", int(i / 256), i % 256)
		else { j = i - v4; src = sprintf("2001:2::%x:%x", int(j / 65536), j % 65536) }
		act = i == changed ? "pass" : "drop"
		printf "  - name: r%d\n    src: %s\n    action: %s\n", i, src, act
		if (i == logged) print "    log: true"
	}
}'
