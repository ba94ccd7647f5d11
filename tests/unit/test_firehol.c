// SPDX-License-Identifier: GPL-2.0
/*
 * A real list, loaded as it is: FireHOL level1 (a public snapshot in
 * ../shared/data). Every entry's first, last and a random inner address is
 * dropped by the set rule through BPF_PROG_TEST_RUN; the addresses just
 * outside each entry are dropped only when another entry holds them.
 * `explain`, from the config and from the maps in force, says the same for
 * every one of them. Its public addresses go into maps and test runs only,
 * never onto a wire.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/bpf.h>
#include <cmocka.h>
#include "config.h"
#include "classify.h"
#include "firehol.h"
#include "harness.h"
#include "lookup.h"
#include "pkt.h"
#include "prefix.h"
#include "sync.h"

#define FIREHOL_ENTRIES 6273 /* the snapshot's header says so */

static char list_path[PATH_MAX];
static char conf_path[64];
static struct fw_config cfg;


static int setup(void **state)
{
	FILE *f;
	int fd;

	(void)state;
	if (firehol_list_path(list_path))
		return -1;
	snprintf(conf_path, sizeof(conf_path), "/tmp/xdpfw-firehol-XXXXXX");
	fd = mkstemp(conf_path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f)
		return -1;
	fprintf(f, "sets:\n  firehol:\n    file: %s\nrules:\n  - name: firehol\n    src: \"@firehol\"\n",
		list_path);
	fclose(f);
	return fw_config_load(conf_path, &cfg, stderr);
}

static int teardown(void **state)
{
	(void)state;
	fw_config_free(&cfg);
	unlink(conf_path);
	return 0;
}

/* The entries, counted straight from the file: every line that is not a comment. */
static size_t count_entries(void)
{
	FILE *f = fopen(list_path, "r");
	char line[256];
	size_t n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		n += line[0] != '#' && line[0] != '\n';
	fclose(f);
	return n;
}

static int xdp_action_of(enum fw_stat reason)
{
	return fw_stat_is_drop(reason) ? XDP_DROP : XDP_PASS;
}

/*
 * The datapath's verdict on a UDP packet from addr, after checking that
 * explain's two readings agree with it: the config's (with the element
 * that matched) and the maps'.
 */
static int run_addr(struct fw_datapath *dp, uint32_t addr)
{
	struct in_addr in = { htonl(addr) };
	char text[INET_ADDRSTRLEN];
	struct pkt_spec spec = { .src = text, .ipproto = IPPROTO_UDP, .dport = 53 };
	struct fw_frame_facts facts = { .kind = FW_FRAME_IP, .dport = 53, .proto = FW_PROTO_UDP };
	struct fw_explanation why;
	struct fw_lookup maps;
	uint8_t frame[PKT_MAX];
	int action;

	inet_ntop(AF_INET, &in, text, sizeof(text));
	action = harness_run(dp, frame, pkt_build(&spec, frame));
	fw_addr_from_ipv4(facts.src, &in);
	why = fw_classify_explain(&cfg.rules, &facts);
	if (xdp_action_of(why.verdict.reason) != action)
		fail_msg("%s: explain --config says %s, the datapath %s", text,
			 action == XDP_DROP ? "pass" : "drop", action == XDP_DROP ? "drop" : "pass");
	if (action == XDP_DROP &&
	    (why.set != 0 || why.element < 0 ||
	     !fw_prefix_contains(&cfg.rules.sets[0].elements[why.element].prefix, facts.src)))
		fail_msg("%s: explain --config names no element that holds it", text);
	assert_int_equal(fw_lookup_packet(dp, &facts, &maps), 0);
	if (xdp_action_of(maps.reason) != action || maps.by_rule != (action == XDP_DROP))
		fail_msg("%s: explain from the maps disagrees with the datapath", text);
	return action;
}

static void every_entry_is_dropped_and_its_neighbours_only_when_listed(void **state)
{
	const struct fw_set *set;
	struct fw_datapath *dp = harness_datapath(16384);
	struct firehol_range *ranges;
	size_t n, outside = 0, outside_passed = 0;
	uint64_t rng = 20261130;

	(void)state;
	assert_int_equal(cfg.rules.set_count, 1);
	set = &cfg.rules.sets[0];
	assert_int_equal(count_entries(), FIREHOL_ENTRIES);
	assert_int_equal(set->count, FIREHOL_ENTRIES);
	assert_int_equal(set->v4, FIREHOL_ENTRIES);
	n = set->count;
	ranges = firehol_ranges(set);
	assert_non_null(ranges);
	assert_int_equal(fw_datapath_sync(dp, &cfg.rules), 0);

	for (size_t i = 0; i < n; i++) {
		const struct firehol_range *r = &ranges[i];
		uint32_t inner;

		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		inner = r->first + (uint32_t)((rng >> 33) % ((uint64_t)r->last - r->first + 1));
		if (run_addr(dp, r->first) != XDP_DROP || run_addr(dp, r->last) != XDP_DROP ||
		    run_addr(dp, inner) != XDP_DROP)
			fail_msg("entry %zu (%#x-%#x): an address inside passed", i, r->first, r->last);
		for (int side = 0; side < 2; side++) {
			uint32_t out = side ? r->last + 1 : r->first - 1;
			int want;

			if ((side && r->last == UINT32_MAX) || (!side && r->first == 0))
				continue;
			want = firehol_listed(ranges, n, out) ? XDP_DROP : XDP_PASS;
			outside++;
			outside_passed += want == XDP_PASS;
			if (run_addr(dp, out) != want)
				fail_msg("%#x, just outside entry %#x-%#x: want %s", out, r->first,
					 r->last, want == XDP_DROP ? "drop" : "pass");
		}
	}
	/* Most neighbours are unlisted; a check that passed none would prove nothing. */
	assert_true(outside_passed > outside / 2);
	free(ranges);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_entry_is_dropped_and_its_neighbours_only_when_listed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
