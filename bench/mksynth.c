// SPDX-License-Identifier: GPL-2.0
/*
 * Prints a synthetic blocklist of bench/synth.h: as a list file (FireHOL
 * style: one address or prefix a line, bare addresses for /32 and /128),
 * an `ipset restore` file (hash:net), or an nftables ruleset with an
 * interval set.
 *
 * usage: mksynth v4|v6 N list|ipset|nft [SEED]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prefix.h"
#include "synth.h"

#define BENCH_SYNTH_SEED 9

int main(int argc, char **argv)
{
	struct bench_synth s;
	char text[FW_PREFIX_TEXT_MAX];
	const char *format;
	int v6;

	if (argc < 4 || (strcmp(argv[1], "v4") && strcmp(argv[1], "v6"))) {
		fprintf(stderr, "usage: mksynth v4|v6 N list|ipset|nft [SEED]\n");
		return 2;
	}
	v6 = !strcmp(argv[1], "v6");
	format = argv[3];
	if (bench_synth_make(&s, v6, strtoull(argv[2], NULL, 0),
			     argc > 4 ? strtoull(argv[4], NULL, 0) : BENCH_SYNTH_SEED)) {
		fprintf(stderr, "mksynth: cannot place %s elements\n", argv[2]);
		return 1;
	}
	if (!strcmp(format, "list")) {
		printf("# synthetic %s blocklist, %zu elements (bench/synth.h)\n", argv[1], s.count);
	} else if (!strcmp(format, "ipset")) {
		printf("create xfb hash:net family %s maxelem %zu\n", v6 ? "inet6" : "inet",
		       s.count + 1);
	} else if (!strcmp(format, "nft")) {
		printf("table inet xfb {\n  set s { type %s; flags interval; size %zu; elements = {",
		       v6 ? "ipv6_addr" : "ipv4_addr", s.count + 1);
	} else {
		fprintf(stderr, "mksynth: no format %s\n", format);
		return 2;
	}
	for (size_t i = 0; i < s.count; i++) {
		fw_prefix_format(&s.elements[i], text);
		if (!strcmp(format, "list"))
			printf("%s\n", text);
		else if (!strcmp(format, "ipset"))
			printf("add xfb %s\n", text);
		else
			printf("%s%s", i ? "," : "", text);
	}
	if (!strcmp(format, "nft"))
		printf("} }\n  chain in { type filter hook input priority 0; %s saddr @s drop; }\n}\n",
		       v6 ? "ip6" : "ip");
	bench_synth_free(&s);
	return 0;
}
