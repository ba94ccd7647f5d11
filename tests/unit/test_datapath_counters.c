// SPDX-License-Identifier: GPL-2.0
/*
 * DESIGN §1 counters and the A/B swap, through the real XDP program: exact
 * per-rule packets and bytes (bytes = frame length), one per-CPU stats slot
 * per packet, counters that survive re-syncs, and verdicts that follow the
 * set in force.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <linux/bpf.h>
#include "verdict_table.h"

static const struct rule_spec counting_rules[] = {
	{ "ban-v4-src", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "open-80-tcp", NULL, 80, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "ban-v6-ssh", V6_SRC, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "idle", V4_NEIGHBOUR, 0, FW_PROTO_ANY, FW_ACTION_DROP },
};
static const struct fixture counting =
	FIXTURE("counting", counting_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);

/* The same rules first, so they keep their ids, and one more. */
static const struct rule_spec counting_plus_rules[] = {
	{ "ban-v4-src", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "open-80-tcp", NULL, 80, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "ban-v6-ssh", V6_SRC, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "idle", V4_NEIGHBOUR, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "ban-v4-other", V4_OTHER, 0, FW_PROTO_ANY, FW_ACTION_DROP },
};
static const struct fixture counting_plus =
	FIXTURE("counting plus one", counting_plus_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);

#define RULE_BAN_V4_SRC 0
#define RULE_BAN_V4_OTHER 4

/* A known mix of traffic, with the frame length every counter must add. */
struct traffic {
	const char *desc;
	struct pkt_spec pkt;
	size_t len;
	unsigned times;
	const char *rule; /* the rule that counts it; NULL = none */
	enum fw_stat reason;
};

static const struct traffic mix[] = {
	{ "v4 TCP with 100 bytes of payload from the banned source",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 80, .payload = 100 },
	  14 + 20 + 20 + 100, 3, "ban-v4-src", FW_STAT_DROP_RULE },
	{ "v4 UDP padded to the Ethernet minimum from the banned source", PKT_UDP(V4_SRC, 53),
	  60, 2, "ban-v4-src", FW_STAT_DROP_RULE },
	{ "v4 TCP with 1000 bytes of payload to the open port",
	  { .src = V4_OTHER, .ipproto = IPPROTO_TCP, .dport = 80, .payload = 1000 },
	  14 + 20 + 20 + 1000, 4, "open-80-tcp", FW_STAT_PASS_RULE },
	{ "v6 TCP to ssh from the banned source", PKT_TCP(V6_SRC, 22), 14 + 40 + 20, 7,
	  "ban-v6-ssh", FW_STAT_DROP_RULE },
	{ "v6 TCP to ssh from the banned source behind QinQ, 7 bytes of payload",
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .payload = 7,
	    .vlan_tpid = { 0x88a8, 0x8100 } },
	  14 + 8 + 40 + 20 + 7, 1, "ban-v6-ssh", FW_STAT_DROP_RULE },
	{ "v6 UDP to a port without rules", PKT_UDP(V6_OTHER, 53), 14 + 40 + 8, 2, NULL,
	  FW_STAT_PASS_DEFAULT },
	{ "LLDP", { .ethertype = 0x88cc }, 60, 1, NULL, FW_STAT_PASS_NON_IP },
	{ "ARP from the banned source", { .ethertype = 0x0806, .src = V4_SRC }, 60, 1, NULL,
	  FW_STAT_PASS_LINK },
	{ "a cut-short IPv4 header from the banned source",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 80, .truncate = 14 + 19 }, 14 + 19,
	  1, NULL, FW_STAT_DROP_MALFORMED },
};

/* DESIGN §1: rule and default drops, dropped fragments and malformed packets are dropped. */
static int expected_action(enum fw_stat reason)
{
	switch (reason) {
	case FW_STAT_DROP_RULE:
	case FW_STAT_DROP_DEFAULT:
	case FW_STAT_DROP_FRAGMENT:
	case FW_STAT_DROP_MALFORMED:
		return XDP_DROP;
	default:
		return XDP_PASS;
	}
}

/* Runs frame once and checks the verdict; stats and counters are left to the caller. */
static void run_expecting(struct fw_datapath *dp, struct row_check *c, const uint8_t *frame,
			  size_t len, int action)
{
	int got = harness_run(dp, frame, len);

	if (got != action)
		row_mismatch(c, "XDP action %s, want %s", xdp_action_name(got),
			     xdp_action_name(action));
}

/* Sends the mix with counters and stats zeroed first; fills what they must read after. */
static void send_mix(struct fw_datapath *dp, struct fw_counter want_rules[],
		     struct fw_stat_value want_stats[FW_STAT_COUNT])
{
	int failures = 0;

	fixture_use(dp, &counting);
	fixture_reset_counters(dp, &counting);
	memset(want_rules, 0, counting.count * sizeof(*want_rules));
	memset(want_stats, 0, FW_STAT_COUNT * sizeof(*want_stats));
	for (size_t i = 0; i < ARRAY_SIZE(mix); i++) {
		const struct traffic *t = &mix[i];
		struct row_check check = { .desc = t->desc };
		uint8_t frame[PKT_MAX];
		size_t len = pkt_build(&t->pkt, frame);

		if (len != t->len)
			row_mismatch(&check, "table error: frame is %zu bytes, want %zu", len,
				     t->len);
		for (unsigned n = 0; n < t->times; n++)
			run_expecting(dp, &check, frame, len, expected_action(t->reason));
		want_stats[t->reason].packets += t->times;
		want_stats[t->reason].bytes += t->times * t->len;
		for (uint32_t id = 0; t->rule && id < counting.count; id++) {
			if (strcmp(counting.rules[id].name, t->rule))
				continue;
			want_rules[id].packets += t->times;
			want_rules[id].bytes += t->times * t->len;
		}
		failures += check.failures;
	}
	if (failures)
		fail_msg("the traffic mix met %d mismatch(es)", failures);
}

static void check_rules(struct fw_datapath *dp, struct row_check *c,
			const struct fw_counter want[])
{
	for (uint32_t id = 0; id < counting.count; id++)
		row_check_counter(dp, c, id, counting.rules[id].name, want[id].packets,
				  want[id].bytes);
}

static void rule_counters_and_stats_add_up_exactly(void **state)
{
	struct fw_counter want_rules[ARRAY_SIZE(counting_rules)];
	struct fw_stat_value want_stats[FW_STAT_COUNT];
	struct row_check check = { .desc = "after the traffic mix" };
	struct fw_datapath *dp = test_datapath();

	(void)state;
	send_mix(dp, want_rules, want_stats);
	check_rules(dp, &check, want_rules);
	row_check_stats(dp, &check, want_stats);
	if (check.failures)
		fail();
}

static void counter_reset_clears_one_rule_and_stats_reset_all(void **state)
{
	struct fw_counter want_rules[ARRAY_SIZE(counting_rules)];
	struct fw_stat_value want_stats[FW_STAT_COUNT];
	struct row_check check = { .desc = "after resetting ban-v4-src" };
	struct fw_datapath *dp = test_datapath();

	(void)state;
	send_mix(dp, want_rules, want_stats);
	assert_int_equal(fw_counter_reset(dp, RULE_BAN_V4_SRC), 0);
	want_rules[RULE_BAN_V4_SRC] = (struct fw_counter){ 0 };
	check_rules(dp, &check, want_rules);
	row_check_stats(dp, &check, want_stats);

	assert_int_equal(fw_stats_reset(dp), 0);
	check.desc = "after fw_stats_reset";
	memset(want_stats, 0, sizeof(want_stats));
	row_check_stats(dp, &check, want_stats);
	check_rules(dp, &check, want_rules);
	if (check.failures)
		fail();
}

/* BPF_PROG_TEST_RUN's repeat runs the program that many times: each run is a packet. */
static void repeated_runs_count_every_packet(void **state)
{
	const struct pkt_spec spec = { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 80,
				       .payload = 100 };
	const uint64_t runs = 1000, len = 14 + 20 + 20 + 100;
	struct fw_stat_value want_stats[FW_STAT_COUNT] = { 0 };
	struct row_check check = { .desc = "after 1000 repeated runs" };
	struct fw_datapath *dp = test_datapath();
	uint8_t frame[PKT_MAX];

	(void)state;
	assert_int_equal(pkt_build(&spec, frame), len);
	fixture_use(dp, &counting);
	fixture_reset_counters(dp, &counting);

	assert_int_equal(harness_run_repeat(dp, frame, len, runs), XDP_DROP);
	row_check_counter(dp, &check, RULE_BAN_V4_SRC, "ban-v4-src", runs, runs * len);
	for (uint32_t id = 1; id < counting.count; id++)
		row_check_counter(dp, &check, id, counting.rules[id].name, 0, 0);
	want_stats[FW_STAT_DROP_RULE] = (struct fw_stat_value){ runs, runs * len };
	row_check_stats(dp, &check, want_stats);
	if (check.failures)
		fail();
}

/*
 * struct fw_rule_counter: runs that take both fields of `recent` past half
 * their range move those halves to the spilled words, and no count is lost.
 */
static void counters_stay_exact_when_halves_spill(void **state)
{
	const struct pkt_spec spec = { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 80,
				       .payload = 100 };
	const uint64_t len = 14 + 20 + 20 + 100, runs = 3;
	const uint64_t packets_half = FW_COUNTER_PACKETS_HALF >> FW_COUNTER_BYTES_BITS;
	struct row_check check = { .desc = "three runs across both spill points" };
	struct fw_datapath *dp = test_datapath();
	struct fw_rule_counter *raw;
	uint8_t frame[PKT_MAX];

	(void)state;
	assert_int_equal(pkt_build(&spec, frame), len);
	fixture_use(dp, &counting);
	fixture_reset_counters(dp, &counting);
	raw = &dp->counters[RULE_BAN_V4_SRC];
	/* One packet short of half the packet field, 10 bytes short of half the byte field. */
	*raw = (struct fw_rule_counter){
		.recent = (packets_half - 1) * FW_COUNTER_PACKET + FW_COUNTER_BYTES_HALF - 10,
		.packets_spilled = 5,
		.bytes_spilled = 7,
	};
	row_check_counter(dp, &check, RULE_BAN_V4_SRC, "ban-v4-src before", 5 + packets_half - 1,
			  7 + FW_COUNTER_BYTES_HALF - 10);

	assert_int_equal(harness_run_repeat(dp, frame, len, runs), XDP_DROP);
	row_check_counter(dp, &check, RULE_BAN_V4_SRC, "ban-v4-src after",
			  5 + packets_half - 1 + runs, 7 + FW_COUNTER_BYTES_HALF - 10 + runs * len);
	if (raw->packets_spilled != 5 + packets_half || raw->bytes_spilled != 7 + FW_COUNTER_BYTES_HALF ||
	    (raw->recent & FW_COUNTER_HALVES))
		row_mismatch(&check, "no spill: recent %#llx, spilled %llu packets / %llu bytes",
			     (unsigned long long)raw->recent,
			     (unsigned long long)raw->packets_spilled,
			     (unsigned long long)raw->bytes_spilled);
	if (check.failures)
		fail();
}

/* A reader that catches a spill half done (a field past half) must not report a total. */
static void counter_read_refuses_a_spill_half_done(void **state)
{
	struct fw_datapath *dp = test_datapath();
	struct fw_counter got;

	(void)state;
	fixture_use(dp, &counting);
	fixture_reset_counters(dp, &counting);
	dp->counters[RULE_BAN_V4_SRC].recent = FW_COUNTER_PACKETS_HALF | 1;
	assert_int_equal(fw_counter_read(dp, RULE_BAN_V4_SRC, &got), -EAGAIN);
	dp->counters[RULE_BAN_V4_SRC].recent = FW_COUNTER_BYTES_HALF;
	assert_int_equal(fw_counter_read(dp, RULE_BAN_V4_SRC, &got), -EAGAIN);
	assert_int_equal(fw_counter_reset(dp, RULE_BAN_V4_SRC), 0);
	assert_int_equal(fw_counter_read(dp, RULE_BAN_V4_SRC, &got), 0);
	assert_true(got.packets == 0 && got.bytes == 0);
}

static uint32_t active_set(struct fw_datapath *dp)
{
	uint32_t set;

	assert_int_equal(fw_param_read(dp, FW_PARAM_ACTIVE, &set), 0);
	return set & FW_ACTIVE_SET;
}

/* Syncs f and checks that the sync swapped the other slot in. */
static void sync_and_expect_swap(struct fw_datapath *dp, struct row_check *c,
				 const struct fixture *f)
{
	uint32_t before = active_set(dp), after;

	fixture_sync(dp, f);
	after = active_set(dp);
	if (after != (before ^ 1))
		row_mismatch(c, "active set %u after syncing \"%s\" over set %u, want %u", after,
			     f->name, before, before ^ 1);
}

/* Three syncs of the same set use both A/B slots; the banned source's counter keeps growing. */
static void counters_survive_resyncs_of_the_same_set(void **state)
{
	const struct pkt_spec spec = PKT_TCP(V4_SRC, 80);
	struct row_check check = { .desc = "re-syncing the same set" };
	struct fw_datapath *dp = test_datapath();
	uint8_t frame[PKT_MAX];
	size_t len = pkt_build(&spec, frame);
	uint64_t sent = 0;

	(void)state;
	fixture_sync(dp, &counting);
	fixture_reset_counters(dp, &counting);
	for (int round = 0; round < 3; round++) {
		for (int n = 0; n < 3; n++, sent++)
			run_expecting(dp, &check, frame, len, XDP_DROP);
		row_check_counter(dp, &check, RULE_BAN_V4_SRC, "ban-v4-src before the sync", sent,
				  sent * len);
		sync_and_expect_swap(dp, &check, &counting);
		row_check_counter(dp, &check, RULE_BAN_V4_SRC, "ban-v4-src after the sync", sent,
				  sent * len);
	}
	run_expecting(dp, &check, frame, len, XDP_DROP);
	sent++;
	row_check_counter(dp, &check, RULE_BAN_V4_SRC, "ban-v4-src at the end", sent, sent * len);
	if (check.failures)
		fail();
}

/* A sync that adds a rule leaves the others' counters alone, and the new rule works. */
static void counters_survive_a_sync_that_adds_a_rule(void **state)
{
	const struct pkt_spec banned = PKT_TCP(V4_SRC, 80), newly_banned = PKT_TCP(V4_OTHER, 80);
	struct row_check check = { .desc = "adding a rule" };
	struct fw_datapath *dp = test_datapath();
	uint8_t frame[PKT_MAX], other[PKT_MAX];
	size_t len = pkt_build(&banned, frame), other_len = pkt_build(&newly_banned, other);

	(void)state;
	fixture_sync(dp, &counting);
	fixture_reset_counters(dp, &counting_plus);
	run_expecting(dp, &check, frame, len, XDP_DROP);
	run_expecting(dp, &check, frame, len, XDP_DROP);
	run_expecting(dp, &check, other, other_len, XDP_PASS); /* open-80-tcp */

	sync_and_expect_swap(dp, &check, &counting_plus);
	row_check_counter(dp, &check, RULE_BAN_V4_SRC, "ban-v4-src after the sync", 2, 2 * len);
	run_expecting(dp, &check, frame, len, XDP_DROP);
	run_expecting(dp, &check, other, other_len, XDP_DROP); /* now ban-v4-other */
	row_check_counter(dp, &check, RULE_BAN_V4_SRC, "ban-v4-src", 3, 3 * len);
	row_check_counter(dp, &check, 1, "open-80-tcp", 1, other_len);
	row_check_counter(dp, &check, RULE_BAN_V4_OTHER, "ban-v4-other", 1, other_len);
	if (check.failures)
		fail();
}

static const struct rule_spec ban_rules[] = {
	{ "v4-src", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "v6-src-ssh", V6_SRC, 22, FW_PROTO_TCP, FW_ACTION_DROP },
};
static const struct rule_spec allow_rules[] = {
	{ "v4-src", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v6-src-ssh", V6_SRC, 22, FW_PROTO_TCP, FW_ACTION_PASS },
};
static const struct fixture ban_set =
	FIXTURE("ban", ban_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
static const struct fixture allow_set =
	FIXTURE("allow", allow_rules, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT);
static const struct fixture empty_set = { "no rules", NULL, 0, FW_ACTION_PASS,
					  FW_FRAGMENTS_INSPECT };
static const struct fixture no_fragments_set = { "no rules, fragments: drop", NULL, 0,
						 FW_ACTION_PASS, FW_FRAGMENTS_DROP };

struct swap_step {
	const char *desc;
	const struct fixture *set;
	struct pkt_spec pkt;
	enum fw_stat reason;
};

#define PKT_FIRST_FRAGMENT(src_) \
	{ .src = src_, .ipproto = IPPROTO_TCP, .dport = 80, .more_frags = 1 }

/* In order: a step whose set differs from the step before syncs it in first. */
static const struct swap_step swap_steps[] = {
	{ "ban: the v4 source is dropped", &ban_set, PKT_TCP(V4_SRC, 80), FW_STAT_DROP_RULE },
	{ "ban: the v6 source's ssh is dropped", &ban_set, PKT_TCP(V6_SRC, 22),
	  FW_STAT_DROP_RULE },
	{ "ban: other sources pass by default", &ban_set, PKT_TCP(V4_OTHER, 80),
	  FW_STAT_PASS_DEFAULT },
	{ "allow: the v4 source passes", &allow_set, PKT_TCP(V4_SRC, 80), FW_STAT_PASS_RULE },
	{ "allow: the v6 source's ssh passes", &allow_set, PKT_TCP(V6_SRC, 22),
	  FW_STAT_PASS_RULE },
	{ "allow: other sources meet default drop", &allow_set, PKT_TCP(V4_OTHER, 80),
	  FW_STAT_DROP_DEFAULT },
	{ "no rules: the v4 rule is gone", &empty_set, PKT_TCP(V4_SRC, 80),
	  FW_STAT_PASS_DEFAULT },
	{ "no rules: the v6 rule is gone", &empty_set, PKT_TCP(V6_SRC, 22),
	  FW_STAT_PASS_DEFAULT },
	{ "fragments: drop: a first fragment is dropped", &no_fragments_set,
	  PKT_FIRST_FRAGMENT(V4_OTHER), FW_STAT_DROP_FRAGMENT },
	{ "fragments: drop: a whole packet passes", &no_fragments_set, PKT_TCP(V4_OTHER, 80),
	  FW_STAT_PASS_DEFAULT },
	{ "ban again: the v4 source is dropped", &ban_set, PKT_TCP(V4_SRC, 80),
	  FW_STAT_DROP_RULE },
	{ "ban again: fragments are inspected again", &ban_set, PKT_FIRST_FRAGMENT(V4_OTHER),
	  FW_STAT_PASS_DEFAULT },
	{ "allow again: the v4 source passes", &allow_set, PKT_TCP(V4_SRC, 80),
	  FW_STAT_PASS_RULE },
};

static void swapped_sets_change_verdicts(void **state)
{
	struct fw_datapath *dp = test_datapath();
	const struct fixture *in_force = NULL;
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(swap_steps); i++) {
		const struct swap_step *step = &swap_steps[i];
		struct fw_stat_value want[FW_STAT_COUNT] = { 0 };
		struct row_check check = { .desc = step->desc };
		uint8_t frame[PKT_MAX];
		size_t len = pkt_build(&step->pkt, frame);

		if (step->set != in_force)
			sync_and_expect_swap(dp, &check, step->set);
		in_force = step->set;
		assert_int_equal(fw_stats_reset(dp), 0);
		run_expecting(dp, &check, frame, len, expected_action(step->reason));
		want[step->reason] = (struct fw_stat_value){ 1, len };
		row_check_stats(dp, &check, want);
		failures += check.failures;
	}
	if (failures)
		fail_msg("%d mismatch(es) across the swaps", failures);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rule_counters_and_stats_add_up_exactly),
		cmocka_unit_test(counter_reset_clears_one_rule_and_stats_reset_all),
		cmocka_unit_test(repeated_runs_count_every_packet),
		cmocka_unit_test(counters_stay_exact_when_halves_spill),
		cmocka_unit_test(counter_read_refuses_a_spill_half_done),
		cmocka_unit_test(counters_survive_resyncs_of_the_same_set),
		cmocka_unit_test(counters_survive_a_sync_that_adds_a_rule),
		cmocka_unit_test(swapped_sets_change_verdicts),
	};

	return cmocka_run_group_tests_name("datapath counters and swaps", tests, NULL, NULL);
}
