// SPDX-License-Identifier: GPL-2.0
/*
 * A sync that fails part-way leaves the old set in force (DESIGN §1, fail
 * safe). The failure is real: the maps are sized for fewer rules than the
 * datapath is told it holds, so the kernel refuses the batch mid-way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <cmocka.h>
#include <linux/bpf.h>
#include "harness.h"
#include "pkt.h"

#define MAP_ROOM 16
#define TOO_MANY 200

static int verdict_for(struct fw_datapath *dp, const char *src)
{
	struct pkt_spec spec = { .src = src, .ipproto = IPPROTO_UDP, .dport = 53 };
	uint8_t frame[PKT_MAX];

	return harness_run(dp, frame, pkt_build(&spec, frame));
}

static void test_failed_sync_keeps_old_set(void **state)
{
	struct fw_datapath *dp = harness_datapath(MAP_ROOM);
	struct rule_spec ban = { "ban", "198.18.0.7", 0, FW_PROTO_ANY, FW_ACTION_DROP };
	struct fw_ruleset old, big = { .default_action = FW_ACTION_DROP };
	uint32_t active_before, active_after;
	char addr[32];

	(void)state;
	harness_ruleset(&old, &ban, 1, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
	assert_int_equal(fw_datapath_sync(dp, &old), 0);
	assert_int_equal(verdict_for(dp, "198.18.0.7"), XDP_DROP);
	assert_int_equal(verdict_for(dp, "198.18.0.8"), XDP_PASS);
	assert_int_equal(fw_param_read(dp, FW_PARAM_ACTIVE, &active_before), 0);

	/* 200 sources into maps with room for 16: the batch write fails part-way. */
	big.rules = calloc(TOO_MANY, sizeof(*big.rules));
	assert_non_null(big.rules);
	big.count = TOO_MANY;
	for (size_t i = 0; i < TOO_MANY; i++) {
		snprintf(big.rules[i].name, sizeof(big.rules[i].name), "r%zu", i);
		snprintf(addr, sizeof(addr), "198.18.1.%zu", i);
		pkt_addr(addr, big.rules[i].src);
		big.rules[i].has_src = true;
		big.rules[i].action = FW_ACTION_PASS;
		big.rules[i].id = i + 1;
	}
	dp->capacity = TOO_MANY; /* the lie that lets the sync reach the kernel */
	assert_int_not_equal(fw_datapath_sync(dp, &big), 0);
	dp->capacity = MAP_ROOM;

	assert_int_equal(fw_param_read(dp, FW_PARAM_ACTIVE, &active_after), 0);
	assert_int_equal(active_after, active_before);
	assert_int_equal(verdict_for(dp, "198.18.0.7"), XDP_DROP);  /* still banned */
	assert_int_equal(verdict_for(dp, "198.18.0.8"), XDP_PASS);  /* still default pass */
	assert_int_equal(verdict_for(dp, "198.18.1.3"), XDP_PASS);  /* not from the failed set */

	/* The idle slot was emptied again: a good sync afterwards works. */
	assert_int_equal(fw_datapath_sync(dp, &old), 0);
	assert_int_equal(verdict_for(dp, "198.18.0.7"), XDP_DROP);
	free(big.rules);
	free(old.rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_sync_keeps_old_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
