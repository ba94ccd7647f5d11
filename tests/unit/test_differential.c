// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test: random and mutated frames go through the loaded XDP
 * program (BPF_PROG_TEST_RUN) and through fw_classify(), the plain-C
 * reading of DESIGN §1. The XDP action, the stat slot and the rule counter
 * bumped must all agree, for every frame. The seed is fixed, so every run
 * (CI's too) replays; XDPFW_SEED=N runs another, XDPFW_SEED=random a new one.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/bpf.h>
#include <cmocka.h>
#include "gen.h"
#include "harness.h"
#include "names.h"
#include "pkt.h"

#define DIFF_CAPACITY 16384
#define DIFF_FRAMES_PER_SET 40000
#define DIFF_LEVELS 8 /* precedence levels 1..7; [0] unused */

struct diff_case {
	size_t rules;
	uint32_t default_action;
	uint32_t fragments;
};

static const struct diff_case diff_cases[] = {
	{ 1, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT },
	{ 10, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT },
	{ 100, FW_ACTION_PASS, FW_FRAGMENTS_DROP },
	{ 500, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT },
	{ 1000, FW_ACTION_DROP, FW_FRAGMENTS_DROP },
	{ 3000, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT },
	{ 10000, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT },
	{ 10000, FW_ACTION_PASS, FW_FRAGMENTS_DROP },
};

#define DIFF_SETS (sizeof(diff_cases) / sizeof(diff_cases[0]))

static uint64_t diff_seed;

/* What the run exercised, so a generator that never hits rules fails too. */
static struct {
	uint64_t frames;
	uint64_t by_reason[FW_STAT_COUNT];
	uint64_t by_level[DIFF_LEVELS];
} coverage;

/* One rule set in force and what its counters must read once the frames are through. */
struct diff_run {
	struct fw_datapath *dp;
	const struct fw_ruleset *rs;
	struct fw_stat_value stats[FW_STAT_COUNT];
	struct fw_counter *counters_before; /* per rule index */
	struct fw_counter *expected;        /* per rule index: packets and bytes the oracle gave it */
};

static int rule_level(const struct fw_rule *r)
{
	return 1 + (r->has_src ? 0 : 4) + (r->port ? 0 : 2) + (r->proto != FW_PROTO_ANY ? 0 : 1);
}

static void hex_dump(const uint8_t *frame, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%s%02x%s", i % 16 ? "" : "#   ", frame[i],
		       i % 16 == 15 || i + 1 == len ? "\n" : " ");
}

static void print_rule(const char *who, const struct fw_ruleset *rs, long index)
{
	const struct fw_rule *r;

	if (index < 0) {
		printf("#   %s rule: none\n", who);
		return;
	}
	r = &rs->rules[index];
	printf("#   %s rule: index %ld id %u level %d port %u proto %u action %u src ", who, index,
	       r->id, rule_level(r), r->port, r->proto, r->action);
	for (int i = 0; i < 16; i++)
		printf("%02x", r->has_src ? r->src[i] : 0);
	printf("%s\n", r->has_src ? "" : " (any)");
}

/* Runs the frame again and finds which rule's counter the datapath bumps; -1 if none. */
static long datapath_rule(const struct diff_run *run, const uint8_t *frame, size_t len)
{
	size_t n = run->rs->count;
	struct fw_counter *before = calloc(n + 1, sizeof(*before)), now;
	long found = -1;

	assert_non_null(before);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fw_counter_read(run->dp, run->rs->rules[i].id, &before[i]), 0);
	harness_run(run->dp, frame, len);
	for (size_t i = 0; i < n && found < 0; i++) {
		assert_int_equal(fw_counter_read(run->dp, run->rs->rules[i].id, &now), 0);
		if (now.packets != before[i].packets)
			found = (long)i;
	}
	free(before);
	return found;
}

static void report_disagreement(const struct diff_run *run, const uint8_t *frame, size_t len,
				struct fw_verdict want, int action, int stat_bumped,
				const char *what)
{
	printf("# DISAGREEMENT (%s): seed %llu (replay: XDPFW_SEED=%llu), rule set of %zu rules, "
	       "default %s, fragments %s, frame of %zu bytes:\n",
	       what, (unsigned long long)diff_seed, (unsigned long long)diff_seed, run->rs->count,
	       run->rs->default_action == FW_ACTION_DROP ? "drop" : "pass",
	       run->rs->fragments == FW_FRAGMENTS_DROP ? "drop" : "inspect", len);
	hex_dump(frame, len);
	printf("#   fw_classify: %s (%s)\n", fw_stat_name(want.reason),
	       fw_stat_is_drop(want.reason) ? "XDP_DROP" : "XDP_PASS");
	print_rule("fw_classify", run->rs, want.rule);
	printf("#   datapath:    %s (%s)\n",
	       stat_bumped >= 0 ? fw_stat_name(stat_bumped) : "no single stat slot bumped",
	       action == XDP_DROP ? "XDP_DROP" : action == XDP_PASS ? "XDP_PASS" : "other action");
	print_rule("datapath", run->rs, datapath_rule(run, frame, len));
	fflush(stdout);
	fail_msg("datapath and fw_classify disagree (%s); seed %llu", what,
		 (unsigned long long)diff_seed);
}

/* The one stat slot that moved by one packet of len bytes, or -1. */
static int stat_slot_bumped(const struct fw_stat_value *before, const struct fw_stat_value *after,
			    size_t len)
{
	int bumped = -1;

	for (int s = 0; s < FW_STAT_COUNT; s++) {
		uint64_t packets = after[s].packets - before[s].packets;
		uint64_t bytes = after[s].bytes - before[s].bytes;

		if (!packets && !bytes)
			continue;
		if (bumped >= 0 || packets != 1 || bytes != len)
			return -1;
		bumped = s;
	}
	return bumped;
}

static void diff_one_frame(struct diff_run *run, const uint8_t *frame, size_t len)
{
	struct fw_verdict want = fw_classify(run->rs, frame, len);
	struct fw_stat_value after[FW_STAT_COUNT];
	struct fw_counter rule_before = { 0 }, rule_after = { 0 };
	uint32_t id = want.rule >= 0 ? run->rs->rules[want.rule].id : 0;
	int action, bumped;

	if (want.rule >= 0)
		assert_int_equal(fw_counter_read(run->dp, id, &rule_before), 0);
	action = harness_run(run->dp, frame, len);
	assert_int_equal(fw_stats_read(run->dp, after), 0);
	bumped = stat_slot_bumped(run->stats, after, len);
	memcpy(run->stats, after, sizeof(after));

	if (action != (fw_stat_is_drop(want.reason) ? XDP_DROP : XDP_PASS))
		report_disagreement(run, frame, len, want, action, bumped, "XDP action");
	if (bumped != (int)want.reason)
		report_disagreement(run, frame, len, want, action, bumped, "stat slot");
	if (want.rule >= 0) {
		assert_int_equal(fw_counter_read(run->dp, id, &rule_after), 0);
		if (rule_after.packets - rule_before.packets != 1 ||
		    rule_after.bytes - rule_before.bytes != len)
			report_disagreement(run, frame, len, want, action, bumped, "rule counter");
		run->expected[want.rule].packets++;
		run->expected[want.rule].bytes += len;
		coverage.by_level[rule_level(&run->rs->rules[want.rule])]++;
	}
	coverage.by_reason[want.reason]++;
	coverage.frames++;
}

/* Every rule's counter moved by exactly what the oracle gave it: no stray bumps. */
static void check_all_counters(const struct diff_run *run)
{
	for (size_t i = 0; i < run->rs->count; i++) {
		struct fw_counter now;

		assert_int_equal(fw_counter_read(run->dp, run->rs->rules[i].id, &now), 0);
		if (now.packets - run->counters_before[i].packets != run->expected[i].packets ||
		    now.bytes - run->counters_before[i].bytes != run->expected[i].bytes)
			fail_msg("rule index %zu (id %u) counted %llu packets, fw_classify gave it "
				 "%llu; seed %llu",
				 i, run->rs->rules[i].id,
				 (unsigned long long)(now.packets - run->counters_before[i].packets),
				 (unsigned long long)run->expected[i].packets,
				 (unsigned long long)diff_seed);
	}
}

static void test_differential_set(void **state)
{
	const struct diff_case *c = *state;
	size_t index = (size_t)(c - diff_cases);
	/* Each set has its own stream, so one set replays alone with the same seed. */
	struct gen_rng rng = { diff_seed ^ (0x5851f42d4c957f2dull * (index + 1)) };
	struct fw_ruleset rs;
	struct gen_pool pool;
	struct diff_run run = { .dp = harness_datapath(DIFF_CAPACITY), .rs = &rs };
	uint8_t frame[PKT_MAX];

	gen_ruleset(&rng, c->rules, c->default_action, c->fragments, &rs, &pool);
	assert_int_equal(fw_datapath_sync(run.dp, &rs), 0);
	run.counters_before = calloc(rs.count + 1, sizeof(*run.counters_before));
	run.expected = calloc(rs.count + 1, sizeof(*run.expected));
	assert_non_null(run.counters_before);
	assert_non_null(run.expected);
	for (size_t i = 0; i < rs.count; i++)
		assert_int_equal(fw_counter_read(run.dp, rs.rules[i].id, &run.counters_before[i]), 0);
	assert_int_equal(fw_stats_read(run.dp, run.stats), 0);

	for (int i = 0; i < DIFF_FRAMES_PER_SET; i++)
		diff_one_frame(&run, frame, gen_frame(&rng, &pool, frame));
	check_all_counters(&run);

	printf("# %zu rules (default %s, fragments %s): %d frames agree\n", rs.count,
	       c->default_action == FW_ACTION_DROP ? "drop" : "pass",
	       c->fragments == FW_FRAGMENTS_DROP ? "drop" : "inspect", DIFF_FRAMES_PER_SET);
	free(run.counters_before);
	free(run.expected);
	gen_ruleset_free(&rs, &pool);
}

/* The oracle itself, on frames whose verdict DESIGN §1 spells out. */
static void test_classify_known_answers(void **state)
{
	static const struct rule_spec rules[] = {
		{ "a", "198.18.0.1", 22, FW_PROTO_TCP, FW_ACTION_DROP },
		{ "b", "198.18.0.1", 0, FW_PROTO_ANY, FW_ACTION_PASS },
		{ "c", NULL, 22, FW_PROTO_ANY, FW_ACTION_PASS },
		{ "d", NULL, 0, FW_PROTO_ICMP, FW_ACTION_PASS },
		{ "e", "2001:2::1", 0, FW_PROTO_ICMPV6, FW_ACTION_PASS },
	};
	static const struct {
		const char *name;
		struct pkt_spec spec;
		enum fw_stat reason;
		long rule;
	} cases[] = {
		{ "src+port+proto beats all", { .src = "198.18.0.1", .ipproto = IPPROTO_TCP, .dport = 22 }, FW_STAT_DROP_RULE, 0 },
		{ "src beats any-src port", { .src = "198.18.0.1", .ipproto = IPPROTO_UDP, .dport = 22 }, FW_STAT_PASS_RULE, 1 },
		{ "any-src port, tcp or udp", { .src = "198.18.0.9", .ipproto = IPPROTO_UDP, .dport = 22 }, FW_STAT_PASS_RULE, 2 },
		{ "icmp has no port", { .src = "198.18.0.9", .ipproto = IPPROTO_ICMP, .dport = 22 }, FW_STAT_PASS_RULE, 3 },
		{ "icmp inside IPv6 is other", { .src = "2001:2::9", .ipproto = IPPROTO_ICMP }, FW_STAT_DROP_DEFAULT, -1 },
		{ "icmpv6 inside IPv4 is other", { .src = "198.18.0.9", .ipproto = IPPROTO_ICMPV6 }, FW_STAT_DROP_DEFAULT, -1 },
		{ "non-first fragment has no port", { .src = "198.18.0.9", .ipproto = IPPROTO_TCP, .dport = 22, .frag_offset = 8 }, FW_STAT_DROP_DEFAULT, -1 },
		{ "first fragment has its port", { .src = "198.18.0.9", .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1 }, FW_STAT_PASS_RULE, 2 },
		{ "options are walked", { .src = "198.18.0.9", .ipproto = IPPROTO_TCP, .dport = 22, .ipv4_option_words = 10 }, FW_STAT_PASS_RULE, 2 },
		{ "two tags are walked", { .vlan_tpid = { 0x88a8, 0x8100 }, .src = "198.18.0.1", .ipproto = IPPROTO_TCP, .dport = 22 }, FW_STAT_DROP_RULE, 0 },
		{ "IHL 4 is malformed", { .src = "198.18.0.1", .ipproto = IPPROTO_UDP, .ihl = 4 }, FW_STAT_DROP_MALFORMED, -1 },
		{ "version 6 in IPv4 is malformed", { .src = "198.18.0.1", .ipproto = IPPROTO_UDP, .version = 6 }, FW_STAT_DROP_MALFORMED, -1 },
		{ "cut-short TCP is malformed", { .src = "198.18.0.9", .ipproto = IPPROTO_TCP, .dport = 22, .truncate = 14 + 20 + 19 }, FW_STAT_DROP_MALFORMED, -1 },
		{ "ARP passes", { .ethertype = 0x0806 }, FW_STAT_PASS_LINK, -1 },
		{ "other non-IP passes", { .ethertype = 0x88cc }, FW_STAT_PASS_NON_IP, -1 },
		{ "neighbour solicitation passes", { .src = "2001:2::9", .ipproto = IPPROTO_ICMPV6, .icmp_type = 135 }, FW_STAT_PASS_LINK, -1 },
		{ "fragmented ND is not ND", { .src = "2001:2::9", .ipproto = IPPROTO_ICMPV6, .icmp_type = 135, .fragment = 1 }, FW_STAT_DROP_DEFAULT, -1 },
		{ "extension headers are walked", { .src = "2001:2::1", .ipproto = IPPROTO_ICMPV6, .icmp_type = 128, .ext = { 60, 43, 60, 44 } }, FW_STAT_PASS_RULE, 4 },
		{ "nine extension headers are malformed", { .src = "2001:2::1", .ipproto = IPPROTO_ICMPV6, .ext = { 60, 60, 60, 60, 60, 60, 60, 60, 60 } }, FW_STAT_DROP_MALFORMED, -1 },
	};
	struct fw_datapath *dp = harness_datapath(DIFF_CAPACITY);
	struct fw_ruleset rs;
	uint8_t frame[PKT_MAX];

	(void)state;
	harness_ruleset(&rs, rules, sizeof(rules) / sizeof(rules[0]), FW_ACTION_DROP,
			FW_FRAGMENTS_INSPECT);
	assert_int_equal(fw_datapath_sync(dp, &rs), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = pkt_build(&cases[i].spec, frame);
		struct fw_verdict got;

		got = fw_classify(&rs, frame, len);
		if (got.reason != cases[i].reason || got.rule != cases[i].rule)
			fail_msg("%s: fw_classify gave %s rule %ld, want %s rule %ld", cases[i].name,
				 fw_stat_name(got.reason), got.rule, fw_stat_name(cases[i].reason),
				 cases[i].rule);
		if (harness_run(dp, frame, len) != (fw_stat_is_drop(cases[i].reason) ? XDP_DROP : XDP_PASS))
			fail_msg("%s: the datapath's action differs", cases[i].name);
	}
	free(rs.rules);
}

/* The random frames reached every verdict and every precedence level. */
static void test_differential_coverage(void **state)
{
	(void)state;
	printf("# %llu frames:", (unsigned long long)coverage.frames);
	for (int s = 0; s < FW_STAT_COUNT; s++)
		printf(" %s %llu", fw_stat_name(s), (unsigned long long)coverage.by_reason[s]);
	printf("; by level:");
	for (int level = 1; level < DIFF_LEVELS; level++)
		printf(" %d:%llu", level, (unsigned long long)coverage.by_level[level]);
	printf("\n");
	assert_true(coverage.frames >= 200000);
	for (int s = 0; s < FW_STAT_COUNT; s++)
		if (coverage.by_reason[s] < coverage.frames / 1000)
			fail_msg("only %llu of %llu frames ended as %s",
				 (unsigned long long)coverage.by_reason[s],
				 (unsigned long long)coverage.frames, fw_stat_name(s));
	for (int level = 1; level < DIFF_LEVELS; level++)
		if (coverage.by_level[level] < coverage.frames / 1000)
			fail_msg("only %llu frames decided at precedence level %d",
				 (unsigned long long)coverage.by_level[level], level);
}

#define DIFF_DEFAULT_SEED 20261130u

static int diff_pick_seed(uint64_t *seed)
{
	const char *env = getenv("XDPFW_SEED");
	char *end;

	if (!env || !*env) {
		*seed = DIFF_DEFAULT_SEED;
		return 0;
	}
	if (!strcmp(env, "random")) {
		*seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
		return 0;
	}
	errno = 0;
	*seed = strtoull(env, &end, 0);
	return errno || *end || *env == '-' ? -EINVAL : 0;
}

int main(void)
{
	struct CMUnitTest tests[DIFF_SETS + 2];
	char names[DIFF_SETS][64];
	size_t n = 0;

	if (diff_pick_seed(&diff_seed)) {
		printf("Bail out! XDPFW_SEED=%s: not a number or \"random\"\n", getenv("XDPFW_SEED"));
		return 1;
	}
	printf("# seed %llu (replay: XDPFW_SEED=%llu build/tests/test_differential)\n",
	       (unsigned long long)diff_seed, (unsigned long long)diff_seed);
	fflush(stdout);

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_classify_known_answers);
	for (size_t i = 0; i < DIFF_SETS; i++) {
		snprintf(names[i], sizeof(names[i]), "differential_%zu_rules_default_%s_fragments_%s",
			 diff_cases[i].rules,
			 diff_cases[i].default_action == FW_ACTION_DROP ? "drop" : "pass",
			 diff_cases[i].fragments == FW_FRAGMENTS_DROP ? "drop" : "inspect");
		tests[n++] = (struct CMUnitTest){
			.name = names[i],
			.test_func = test_differential_set,
			.initial_state = (void *)&diff_cases[i],
		};
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_differential_coverage);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
