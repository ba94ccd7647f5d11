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
 * Bans, live and expired, on some of the sources and prefixes come first,
 * where the classifier (which knows no bans) is not asked. And limits the
 * frames do reach: the lookup must say which packet passes, which one the
 * limit drops, and that ban_for banned its source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <cmocka.h>
#include "bans.h"
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

/* What the frames of a case met besides rules. */
struct lookup_tally {
	uint64_t hits;      /* decided by a rule */
	uint64_t at_prefix; /* by a rule at a prefix class */
	uint64_t banned;    /* by a ban */
	uint64_t past_ban;  /* from a source an expired ban holds */
};

/* One frame: the lookup, the datapath and the reference classifier must say the same. */
static void lookup_frame(const struct fw_datapath *dp, const struct fw_ruleset *rs,
			 const uint8_t *frame, size_t len, struct lookup_tally *t)
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
	t->banned += got.banned;
	t->past_ban += !got.banned && got.ban.since; /* the entry read was an expired ban */
	if (got.banned)
		return; /* bans are state: the classifier knows only the rules */
	if (got.reason != x.verdict.reason || got.by_rule != (x.verdict.rule >= 0) ||
	    (got.by_rule && got.rule_id != rs->rules[x.verdict.rule].id)) {
		describe(rs, &pkt, &got, action);
		fail_msg("fw_classify_explain() says %s by rule index %ld",
			 fw_stat_name(x.verdict.reason), x.verdict.rule);
	}
	t->hits += got.by_rule;
	t->at_prefix += got.by_rule && got.class_id;
}

static const int *ban_fds(const struct fw_datapath *dp)
{
	static int fds[4];

	fds[0] = dp->bans4_fd;
	fds[1] = dp->bans6_fd;
	fds[2] = dp->ban_prefix4_fd;
	fds[3] = dp->ban_prefix6_fd;
	return fds;
}

/* Bans p, live for an hour or expired an hour ago, straight into the maps, as the datapath would. */
static void ban_prefix(const struct fw_datapath *dp, const struct fw_prefix *p, bool live)
{
	uint64_t now = fw_bans_clock(dp);
	struct fw_ban_value v = { .expires = live ? now + 3600 * 1000000000ull
						  : now - 3600 * 1000000000ull,
				  .since = now - 7200 * 1000000000ull };
	bool v4 = fw_prefix_is_v4(p);
	struct fw_ban_prefix6_key key = { .prefixlen = v4 ? p->len - 96u : p->len };
	int fd = ban_fds(dp)[(p->len < 128) * 2 + !v4];

	memcpy(key.addr, v4 ? p->addr + 12 : p->addr, v4 ? 4 : 16);
	assert_int_equal(bpf_map_update_elem(fd, p->len < 128 ? (void *)&key : key.addr, &v, BPF_ANY),
			 0);
	dp->params[FW_PARAM_BANS] |= 1u << ((p->len < 128) * 2 + !v4);
}

/* Some of the pool's sources and prefixes banned, live or expired: the first two sources always. */
static void ban_some(struct gen_rng *rng, const struct fw_datapath *dp, const struct gen_pool *pool)
{
	for (size_t i = 0; i < pool->n_sources; i++) {
		struct fw_prefix p = { .len = 128 };

		memcpy(p.addr, pool->sources[i], sizeof(p.addr));
		if (i < 2 || gen_chance(rng, 10))
			ban_prefix(dp, &p, i == 0 || (i > 1 && gen_chance(rng, 60)));
	}
	/* Not the shortest ones, which would ban most frames. */
	for (size_t i = 0; i < pool->n_prefixes; i++) {
		const struct fw_prefix *p = &pool->prefixes[i];

		if (p->len < 128 && p->len > (fw_prefix_is_v4(p) ? 96 + 8 : 8) && gen_chance(rng, 8))
			ban_prefix(dp, p, gen_chance(rng, 60));
	}
}

static void unban_all(const struct fw_datapath *dp)
{
	for (int i = 0; i < 4; i++) {
		uint8_t key[20], next[20];

		while (!bpf_map_get_next_key(ban_fds(dp)[i], NULL, next)) {
			memcpy(key, next, sizeof(key));
			assert_int_equal(bpf_map_delete_elem(ban_fds(dp)[i], key), 0);
		}
	}
	dp->params[FW_PARAM_BANS] = 0;
}

static void test_lookup_case(void **state)
{
	const struct lookup_case *c = *state;
	struct gen_rng rng = { LOOKUP_SEED ^ (0x9e3779b97f4a7c15ull * (uint64_t)(c - lookup_cases + 1)) };
	struct fw_datapath *dp = lookup_datapath();
	struct fw_counter *before, *after;
	struct fw_ruleset rs;
	struct gen_pool pool;
	struct lookup_tally t = { 0 };
	uint64_t moved = 0;
	uint8_t frame[PKT_MAX];
	int err;

	gen_ruleset(&rng, &c->shape, &rs, &pool);
	err = fw_datapath_sync(dp, &rs);
	if (err)
		fail_msg("fw_datapath_sync of %zu rules: %s", rs.count, strerror(-err));
	ban_some(&rng, dp, &pool);
	before = calloc(rs.count + 1, sizeof(*before));
	after = calloc(rs.count + 1, sizeof(*after));
	assert_non_null(before);
	assert_non_null(after);
	read_counters(dp, &rs, before);
	for (int i = 0; i < c->frames; i++) {
		size_t len = gen_frame(&rng, &pool, frame);

		lookup_frame(dp, &rs, frame, len, &t);
	}
	unban_all(dp);
	read_counters(dp, &rs, after);
	for (size_t i = 0; i < rs.count; i++)
		moved += after[i].packets - before[i].packets;
	assert_int_equal(moved, t.hits); /* no counter moved that the lookup did not name */
	assert_true(t.hits > (uint64_t)c->frames / 10);
	assert_true(t.banned > 0 && t.past_ban > 0);
	if (c->shape.prefix_pct || c->shape.set_pct)
		assert_true(t.at_prefix > 0);
	printf("# %zu rules, %zu sets: %d frames, %llu decided by a rule (%llu at a prefix), %llu "
	       "by a ban, %llu past an expired one\n",
	       rs.count, rs.set_count, c->frames, (unsigned long long)t.hits,
	       (unsigned long long)t.at_prefix, (unsigned long long)t.banned,
	       (unsigned long long)t.past_ban);
	free(before);
	free(after);
	gen_ruleset_free(&rs, &pool);
}

/* The lookup's reason for the frame, then the datapath's action on it, which must follow it. */
static enum fw_stat lookup_then_run(struct fw_datapath *dp, const struct pkt_spec *spec)
{
	uint8_t frame[PKT_MAX];
	size_t len = pkt_build(spec, frame);
	struct fw_frame_facts pkt = fw_frame_read(frame, len);
	struct fw_lookup got;

	assert_int_equal(fw_lookup_packet(dp, &pkt, &got), 0);
	if (harness_run(dp, frame, len) != (fw_stat_is_drop(got.reason) ? XDP_DROP : XDP_PASS))
		fail_msg("from %s to port %u: the lookup said %s, the datapath did otherwise",
			 spec->src, spec->dport, fw_stat_name(got.reason));
	return got.reason;
}

/* Limits the frames reach: 1/h, so nothing refills while the test runs. */
static void test_lookup_limits(void **state)
{
	static const struct rule_spec specs[] = {
		{ "syn-limit", NULL, 22, FW_PROTO_TCP, FW_ACTION_DROP },
		{ "rule-limit", NULL, 23, FW_PROTO_TCP, FW_ACTION_DROP },
	};
	static const enum fw_stat per_source[] = { FW_STAT_PASS_RULE, FW_STAT_PASS_RULE,
						   FW_STAT_PASS_RULE, FW_STAT_DROP_LIMIT,
						   FW_STAT_DROP_BAN };
	static const enum fw_stat per_rule[] = { FW_STAT_PASS_RULE, FW_STAT_PASS_RULE,
						 FW_STAT_DROP_LIMIT, FW_STAT_DROP_LIMIT };
	const uint64_t hour = 3600 * 1000000000ull;
	struct fw_datapath *dp = lookup_datapath();
	struct pkt_spec syn = { .src = "198.19.254.7", .ipproto = IPPROTO_TCP, .dport = 22,
				.tcp_flags = 0x02 };
	struct pkt_spec other = { .src = "2001:2:0:fe::7", .ipproto = IPPROTO_TCP, .dport = 22,
				  .tcp_flags = 0x02 };
	struct fw_ruleset rs;

	(void)state;
	harness_ruleset(&rs, specs, 2, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
	rs.rules[0].tcp_flags = FW_TCP_FLAGS_SYN;
	rs.rules[0].limit = (struct fw_rule_limit){ hour, 3, true, 600 * 1000000000ull };
	rs.rules[1].limit = (struct fw_rule_limit){ hour, 2, false, 0 };
	assert_int_equal(fw_datapath_sync(dp, &rs), 0);
	for (size_t i = 0; i < sizeof(per_source) / sizeof(per_source[0]); i++)
		assert_int_equal(lookup_then_run(dp, &syn), per_source[i]);
	/* Another source has a bucket of its own; the banned one's other packets drop too. */
	assert_int_equal(lookup_then_run(dp, &other), FW_STAT_PASS_RULE);
	syn.tcp_flags = 0x10;
	assert_int_equal(lookup_then_run(dp, &syn), FW_STAT_DROP_BAN);
	for (size_t i = 0; i < sizeof(per_rule) / sizeof(per_rule[0]); i++) {
		struct pkt_spec web = { .src = i % 2 ? "198.19.254.8" : "2001:2:0:fe::8",
					.ipproto = IPPROTO_TCP, .dport = 23 };

		assert_int_equal(lookup_then_run(dp, &web), per_rule[i]);
	}
	unban_all(dp);
	free(rs.rules);
}

int main(void)
{
	struct CMUnitTest tests[LOOKUP_CASES + 1];
	char names[LOOKUP_CASES][80];

	for (size_t i = 0; i < LOOKUP_CASES; i++) {
		const struct gen_shape *shape = &lookup_cases[i].shape;

		snprintf(names[i], sizeof(names[i]), "lookup_%zu_rules_%upct_prefixes_%upct_sets",
			 shape->rules, shape->prefix_pct, shape->set_pct);
		tests[i] = (struct CMUnitTest){ .name = names[i], .test_func = test_lookup_case,
						.initial_state = (void *)&lookup_cases[i] };
	}
	tests[LOOKUP_CASES] = (struct CMUnitTest)cmocka_unit_test(test_lookup_limits);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
