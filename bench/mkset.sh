#!/bin/bash
# Prints the benchmark's N rule sources (bench/addrs.h) as an nftables ruleset
# (FORMAT nft) or an ipset restore file (FORMAT ipset). usage: mkset.sh nft|ipset N
set -eu
awk -v fmt="$1" -v n="$2" 'BEGIN {
	v4 = int(n / 2); if (v4 > 65536) v4 = 65536
	v6 = n - v4
	if (fmt == "nft") {
		print "table inet xfb {"
		printf "  set s4 { type ipv4_addr; size %d; elements = {", v4 + 1
		for (i = 0; i < v4; i++) printf "%s198.18.%d.%d", i ? "," : "", int(i / 256), i % 256
		print "} }"
		printf "  set s6 { type ipv6_addr; size %d; elements = {", v6 + 1
		for (j = 0; j < v6; j++) printf "%s2001:2::%x:%x", j ? "," : "", int(j / 65536), j % 65536
		print "} }"
		print "  chain in { type filter hook input priority 0; ip saddr @s4 drop; ip6 saddr @s6 drop; }"
		print "}"
	} else {
		printf "create xfb4 hash:ip family inet maxelem %d\n", v4 + 1
		printf "create xfb6 hash:ip family inet6 maxelem %d\n", v6 + 1
		for (i = 0; i < v4; i++) printf "add xfb4 198.18.%d.%d\n", int(i / 256), i % 256
		for (j = 0; j < v6; j++) printf "add xfb6 2001:2::%x:%x\n", int(j / 65536), j % 65536
	}
}'
