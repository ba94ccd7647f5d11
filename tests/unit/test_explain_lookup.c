// SPDX-License-Identifier: GPL-2.0
/*
 * fw_lookup_packet(), the datapath's lookup replayed over the maps (what
 * `xdpfw explain` reads without --config), against the loaded program on
 * the same frames: random rule sets of exact addresses, nested prefixes,
 * sets, port lists, ties, syn rules and limit rules (never reached), put
 * in force by the real sync, then random
 * frames through BPF_PROG_TEST_RUN. For every frame the XDP action must be
 * the lookup's verdict and the counter it names must move by that frame;
 * at the end no other counter may have moved. The reference classifier
 * is asked too, so a lookup that agrees with a wrong datapath still fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <cmocka.h>
#include "classify.h"
#include "gen.h"
#include "harness.h"
#include "lookup.h"
#include "names.h"
#include "pkt.h"
#include "prefix.h"

#define LOOKUP_CAPACITY 8192
#define LOOKUP_PORT_RULES 131072
#define LOOKUP_SEED 20261201u

struct lookup_case {
	struct gen_shape shape;
	int frames;
};

#define CASE(n, prefix, set, ports, lists, sets_, elements, def, frag)                       \
	{ .rules = n, .prefix_pct = prefix, .set_pct = set, .port_pct = ports,               \
	  .list_pct = lists, .tie_pct = 25, .clean_pct = 60, .sets = sets_,                  \
	  .set_elements = elements, .syn_pct = 15, .limit_pct = 10, .default_action = def,  \
	  .fragments = frag }

static const struct lookup_case lookup_cases[] = {
	{ CASE(50, 0, 0, 50, 0, 0, 0, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT), 15000 },
	{ CASE(8, 50, 30, 50, 50, 3, 6, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT), 20000 },
	{ CASE(48, 90, 0, 50, 40, 0, 1, FW_ACTION_PASS, FW_FRAGMENTS_DROP), 20000 },
	{ CASE(96, 30, 40, 50, 30, 12, 24, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT), 20000 },
	{ CASE(400, 50, 15, 30, 10, 30, 30, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT), 20000 },
	{ CASE(12, 30, 40, 40, 30, 2, 2000, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT), 15000 },
};

#define LOOKUP_CASES (sizeof(lookup_cases) / sizeof(lookup_cases[0]))

static struct fw_datapath *lookup_datapath(void)
{
	static struct fw_datapath dp;
	static bool loaded;
	struct fw_room room = fw_room_for_capacity(LOOKUP_CAPACITY);
	int err;

	if (loaded)
		return &dp;
	room.port_rules = LOOKUP_PORT_RULES;
	err = fw_datapath_load(&dp, LOOKUP_CAPACITY, &room);
	if (err) {
		printf("Bail out! loading the XDP program failed: %s\n", strerror(-err));
		exit(1);
	}
	loaded = true;
	return &dp;
}

/* What the rule set's counters read now, by rule index. */
static void read_counters(const struct fw_datapath *dp, const struct fw_ruleset *rs,
			  struct fw_counter *out)
{
	for (size_t i = 0; i < rs->count; i++)
		assert_int_equal(fw_counter_read(dp, rs->rules[i].id, &out[i]), 0);
}

static void describe(const struct fw_ruleset *rs, const struct fw_frame_facts *pkt,
		     const struct fw_lookup *got, int action)
{
	struct fw_prefix src = { .len = 128 };
	char text[FW_PREFIX_TEXT_MAX];

	memcpy(src.addr, pkt->src, sizeof(src.addr));
	printf("# frame from %s port %u proto %s fragment %d: the lookup says %s (rule id %d, "
	       "class %u, exact source %d), XDP action %d; %zu rules\n",
	       fw_prefix_format(&src, text), pkt->dport,
	       pkt->proto == FW_PROTO_OTHER ? "other" : fw_proto_name(pkt->proto), pkt->fragment,
	       fw_stat_name(got->reason), got->by_rule ? (int)got->rule_id : -1, got->class_id,
	       got->exact_source, action, rs->count);
}

/* One frame: the lookup, the datapath and the reference classifier must say the same. */
static void lookup_frame(const struct fw_datapath *dp, const struct fw_ruleset *rs,
			 const uint8_t *frame, size_t len, uint64_t *hits, uint64_t *by_rule)
{
	struct fw_frame_facts pkt = fw_frame_read(frame, len);
	struct fw_explanation x = fw_classify_explain(rs, &pkt);
	struct fw_counter before = { 0 }, after = { 0 };
	struct fw_lookup got;
	int action;

	assert_int_equal(fw_lookup_packet(dp, &pkt, &got), 0);
	if (got.by_rule)
		assert_int_equal(fw_counter_read(dp, got.rule_id, &before), 0);
	action = harness_run((struct fw_datapath *)dp, frame, len);
	if (got.by_rule)
		assert_int_equal(fw_counter_read(dp, got.rule_id, &after), 0);
	if (action != (fw_stat_is_drop(got.reason) ? XDP_DROP : XDP_PASS) ||
	    (got.by_rule && (after.packets - before.packets != 1 ||
			     after.bytes - before.bytes != len))) {
		describe(rs, &pkt, &got, action);
		fail_msg("the datapath did not do what fw_lookup_packet() read in its maps");
	}
	if (got.reason != x.verdict.reason || got.by_rule != (x.verdict.rule >= 0) ||
	    (got.by_rule && got.rule_id != rs->rules[x.verdict.rule].id)) {
		describe(rs, &pkt, &got, action);
		fail_msg("fw_classify_explain() says %s by rule index %ld",
			 fw_stat_name(x.verdict.reason), x.verdict.rule);
	}
	*hits += got.by_rule;
	*by_rule += got.by_rule && got.class_id;
}

static void test_lookup_case(void **state)
{
	const struct lookup_case *c = *state;
	struct gen_rng rng = { LOOKUP_SEED ^ (0x9e3779b97f4a7c15ull * (uint64_t)(c - lookup_cases + 1)) };
	struct fw_datapath *dp = lookup_datapath();
	struct fw_counter *before, *after;
	struct fw_ruleset rs;
	struct gen_pool pool;
	uint64_t hits = 0, at_prefix = 0, moved = 0;
	uint8_t frame[PKT_MAX];
	int err;

	gen_ruleset(&rng, &c->shape, &rs, &pool);
	err = fw_datapath_sync(dp, &rs);
	if (err)
		fail_msg("fw_datapath_sync of %zu rules: %s", rs.count, strerror(-err));
	before = calloc(rs.count + 1, sizeof(*before));
	after = calloc(rs.count + 1, sizeof(*after));
	assert_non_null(before);
	assert_non_null(after);
	read_counters(dp, &rs, before);
	for (int i = 0; i < c->frames; i++) {
		size_t len = gen_frame(&rng, &pool, frame);

		lookup_frame(dp, &rs, frame, len, &hits, &at_prefix);
	}
	read_counters(dp, &rs, after);
	for (size_t i = 0; i < rs.count; i++)
		moved += after[i].packets - before[i].packets;
	assert_int_equal(moved, hits); /* no counter moved that the lookup did not name */
	assert_true(hits > (uint64_t)c->frames / 10);
	if (c->shape.prefix_pct || c->shape.set_pct)
		assert_true(at_prefix > 0);
	printf("# %zu rules, %zu sets: %d frames, %llu decided by a rule (%llu at a prefix)\n",
	       rs.count, rs.set_count, c->frames, (unsigned long long)hits,
	       (unsigned long long)at_prefix);
	free(before);
	free(after);
	gen_ruleset_free(&rs, &pool);
}

int main(void)
{
	struct CMUnitTest tests[LOOKUP_CASES];
	char names[LOOKUP_CASES][80];

	for (size_t i = 0; i < LOOKUP_CASES; i++) {
		const struct gen_shape *shape = &lookup_cases[i].shape;

		snprintf(names[i], sizeof(names[i]), "lookup_%zu_rules_%upct_prefixes_%upct_sets",
			 shape->rules, shape->prefix_pct, shape->set_pct);
		tests[i] = (struct CMUnitTest){ .name = names[i], .test_func = test_lookup_case,
						.initial_state = (void *)&lookup_cases[i] };
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
