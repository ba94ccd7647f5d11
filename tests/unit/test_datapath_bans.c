// SPDX-License-Identifier: GPL-2.0
/*
 * DESIGN §1b bans, through the real XDP program: a ban drops before every
 * rule level and before `fragments: drop`, counts in its own value and in
 * drop_ban, leaves ARP, ND and malformed frames alone, and expires at its
 * moment on the datapath's clock, across the clock's wrap too.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <linux/bpf.h>
#include "defence.h"

/* One pass rule per precedence level for TCP from SRC to port 22: only a ban can drop it. */
#define PASS_LADDER(SRC)                                                  \
	{                                                                 \
		{ "l1-src-port-tcp", SRC, 22, FW_PROTO_TCP, FW_ACTION_PASS }, \
		{ "l2-src-port-any", SRC, 22, FW_PROTO_ANY, FW_ACTION_PASS }, \
		{ "l3-src-any-tcp", SRC, 0, FW_PROTO_TCP, FW_ACTION_PASS },   \
		{ "l4-src-any-any", SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },   \
		{ "l5-any-port-tcp", NULL, 22, FW_PROTO_TCP, FW_ACTION_PASS }, \
		{ "l6-any-port-any", NULL, 22, FW_PROTO_ANY, FW_ACTION_PASS }, \
		{ "l7-any-any-tcp", NULL, 0, FW_PROTO_TCP, FW_ACTION_PASS },  \
	}
#define LEVELS 7

static const struct rule_spec ladder4[] = PASS_LADDER(V4_SRC);
static const struct rule_spec ladder6[] = PASS_LADDER(V6_SRC);

/* The ladder from level (1-8; 8 = no rule, the default passes): rule 0 decides. */
static struct fixture ladder_from(const struct rule_spec *rules, int level)
{
	return (struct fixture){ "pass ladder", &rules[level - 1], LEVELS - (level - 1),
				 FW_ACTION_PASS, FW_FRAGMENTS_INSPECT };
}

/* Puts f in force with no bans, limits, clock shift, counts or stats. */
static void start(struct fw_datapath *dp, const struct fixture *f)
{
	fixture_sync(dp, f);
	defence_reset(dp);
	fixture_reset_counters(dp, f);
}

/* Only slot counted frames, all of len bytes. */
static void check_only_stat(struct fw_datapath *dp, struct row_check *c, enum fw_stat slot,
			    uint64_t frames, size_t len)
{
	struct fw_stat_value want[FW_STAT_COUNT] = { 0 };

	want[slot] = (struct fw_stat_value){ frames, frames * len };
	row_check_stats(dp, c, want);
}

static void check_ban_count(struct fw_datapath *dp, struct row_check *c, const char *addr,
			    unsigned prefixlen, uint64_t packets, uint64_t bytes)
{
	struct fw_ban_value ban;

	if (ban_read(dp, addr, prefixlen, &ban))
		row_mismatch(c, "the ban on %s/%u is gone", addr, prefixlen);
	else if (ban.packets != packets || ban.bytes != bytes)
		row_mismatch(c, "the ban on %s/%u counted %" PRIu64 " packets / %" PRIu64
			     " bytes, want %" PRIu64 " / %" PRIu64,
			     addr, prefixlen, (uint64_t)ban.packets, (uint64_t)ban.bytes, packets,
			     bytes);
}

struct ban_case {
	const char *desc;
	const struct rule_spec *ladder;
	const char *packet_src;
	const char *ban;
	unsigned prefixlen;
};

/* At every level a pass rule first passes the packet; banned, it drops, and no rule counts it. */
static void ban_beats_every_level(void **state)
{
	const struct ban_case *bc = *state;
	struct fw_datapath *dp = test_datapath();
	const struct pkt_spec spec = PKT_TCP(bc->packet_src, 22);
	uint8_t frame[PKT_MAX];
	size_t len = pkt_build(&spec, frame);
	int failures = 0;

	for (int level = 1; level <= LEVELS + 1; level++) {
		struct fixture f = ladder_from(bc->ladder, level);
		char desc[160];
		struct row_check c = { .desc = desc };
		int action;

		snprintf(desc, sizeof(desc), "%s, level %d", bc->desc, level);
		start(dp, &f);
		action = harness_run(dp, frame, len);
		if (action != XDP_PASS)
			row_mismatch(&c, "unbanned: %s, want XDP_PASS", xdp_action_name(action));
		check_only_stat(dp, &c, level <= LEVELS ? FW_STAT_PASS_RULE : FW_STAT_PASS_DEFAULT,
				1, len);
		for (uint32_t id = 0; id < f.count; id++)
			row_check_counter(dp, &c, id, f.rules[id].name, id == 0, id == 0 ? len : 0);

		fixture_reset_counters(dp, &f);
		ban_write(dp, bc->ban, bc->prefixlen, 0, FW_BAN_ORIGIN_MANUAL);
		action = harness_run(dp, frame, len);
		if (action != XDP_DROP)
			row_mismatch(&c, "banned: %s, want XDP_DROP", xdp_action_name(action));
		check_only_stat(dp, &c, FW_STAT_DROP_BAN, 1, len);
		for (uint32_t id = 0; id < f.count; id++)
			row_check_counter(dp, &c, id, f.rules[id].name, 0, 0);
		check_ban_count(dp, &c, bc->ban, bc->prefixlen, 1, len);
		failures += c.failures;
	}
	if (failures)
		fail_msg("%d mismatch(es)", failures);
}

static const struct ban_case ban_cases[] = {
	{ "v4 source, exact ban", ladder4, V4_SRC, V4_SRC, 32 },
	{ "v4 source, /24 ban", ladder4, V4_SRC, "198.18.1.0", 24 },
	{ "v6 source, exact ban", ladder6, V6_SRC, V6_SRC, 128 },
	{ "v6 source, /64 ban", ladder6, V6_SRC, "2001:2::", 64 },
	{ "v4-mapped v6 source, exact v4 ban", ladder4, "::ffff:" V4_SRC, V4_SRC, 32 },
	{ "v4-mapped v6 source, /24 v4 ban", ladder4, "::ffff:" V4_SRC, "198.18.1.0", 24 },
};

static const struct rule_spec one_pass4[] = { { "l4-src-any-any", V4_SRC, 0, FW_PROTO_ANY,
						FW_ACTION_PASS } };
static const struct fixture pass_v4 = FIXTURE("v4 source passes", one_pass4, FW_ACTION_PASS,
					       FW_FRAGMENTS_INSPECT);
static const struct rule_spec one_pass6[] = { { "l4-src-any-any", V6_SRC, 0, FW_PROTO_ANY,
						FW_ACTION_PASS } };
static const struct fixture pass_v6 = FIXTURE("v6 source passes", one_pass6, FW_ACTION_PASS,
					       FW_FRAGMENTS_INSPECT);

/* A frame's verdict and the one stats slot it must count in. */
struct frame_case {
	const char *desc;
	struct pkt_spec pkt;
	int action;
	enum fw_stat reason;
};

static void run_frame_cases(struct fw_datapath *dp, const struct frame_case *cases, size_t n)
{
	int failures = 0;

	for (size_t i = 0; i < n; i++) {
		struct row_check c = { .desc = cases[i].desc };
		uint8_t frame[PKT_MAX];
		size_t len = pkt_build(&cases[i].pkt, frame);
		int action;

		assert_int_equal(fw_stats_reset(dp), 0);
		action = harness_run(dp, frame, len);
		if (action != cases[i].action)
			row_mismatch(&c, "%s, want %s", xdp_action_name(action),
				     xdp_action_name(cases[i].action));
		check_only_stat(dp, &c, cases[i].reason, 1, len);
		failures += c.failures;
	}
	if (failures)
		fail_msg("%d mismatch(es)", failures);
}

/* Everything banned, /1 by /1 and exactly: ARP, ND and malformed frames are decided first. */
static void link_and_malformed_frames_come_before_bans(void **state)
{
	static const struct frame_case cases[] = {
		{ "ARP from a banned sender", { .ethertype = 0x0806, .src = V4_SRC }, XDP_PASS,
		  FW_STAT_PASS_LINK },
		{ "neighbour solicitation from a banned source", PKT_ICMPV6(V6_SRC, 135),
		  XDP_PASS, FW_STAT_PASS_LINK },
		{ "router advertisement from a banned source", PKT_ICMPV6(V6_OTHER, 134),
		  XDP_PASS, FW_STAT_PASS_LINK },
		{ "LLDP", { .ethertype = 0x88cc }, XDP_PASS, FW_STAT_PASS_NON_IP },
		{ "cut-short TCP from a banned source",
		  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .truncate = 14 + 20 + 19 },
		  XDP_DROP, FW_STAT_DROP_MALFORMED },
		{ "echo request from a banned v6 source", PKT_ICMPV6(V6_SRC, 128), XDP_DROP,
		  FW_STAT_DROP_BAN },
		{ "v4 UDP, /1 ban", PKT_UDP(V4_OTHER, 53), XDP_DROP, FW_STAT_DROP_BAN },
		{ "v4 UDP from the upper half, /1 ban", PKT_UDP("198.19.7.9", 53), XDP_DROP,
		  FW_STAT_DROP_BAN },
		{ "v6 UDP, /1 ban", PKT_UDP(V6_OTHER, 53), XDP_DROP, FW_STAT_DROP_BAN },
		{ "v6 UDP from the upper half, /1 ban", PKT_UDP("fd00::9", 53), XDP_DROP,
		  FW_STAT_DROP_BAN },
	};
	struct fw_datapath *dp = test_datapath();

	(void)state;
	start(dp, &pass_v4);
	ban_write(dp, "0.0.0.0", 1, 0, FW_BAN_ORIGIN_MANUAL);
	ban_write(dp, "128.0.0.0", 1, 0, FW_BAN_ORIGIN_MANUAL);
	ban_write(dp, "::", 1, 0, FW_BAN_ORIGIN_MANUAL);
	ban_write(dp, "8000::", 1, 0, FW_BAN_ORIGIN_MANUAL);
	ban_write(dp, V4_SRC, 32, 0, FW_BAN_ORIGIN_MANUAL);
	ban_write(dp, V6_SRC, 128, 0, FW_BAN_ORIGIN_MANUAL);
	run_frame_cases(dp, cases, ARRAY_SIZE(cases));
}

static const struct rule_spec frag_rules[] = { { "pass-all-tcp", NULL, 0, FW_PROTO_TCP,
						 FW_ACTION_PASS } };
static const struct fixture frag_drop = FIXTURE("fragments: drop", frag_rules, FW_ACTION_PASS,
						FW_FRAGMENTS_DROP);

/* A fragment from a banned source is a ban's drop; from anyone else, the fragment policy's. */
static void ban_beats_fragments_drop(void **state)
{
	static const struct frame_case cases[] = {
		{ "v4 first fragment, banned",
		  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1 },
		  XDP_DROP, FW_STAT_DROP_BAN },
		{ "v4 later fragment, banned",
		  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .frag_offset = 8 },
		  XDP_DROP, FW_STAT_DROP_BAN },
		{ "v6 later fragment, banned",
		  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .frag_offset = 8 },
		  XDP_DROP, FW_STAT_DROP_BAN },
		{ "v4 fragment, not banned",
		  { .src = V4_OTHER, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1 },
		  XDP_DROP, FW_STAT_DROP_FRAGMENT },
		{ "v6 fragment, not banned",
		  { .src = "2001:2:0:3::9", .ipproto = IPPROTO_TCP, .dport = 22, .frag_offset = 8 },
		  XDP_DROP, FW_STAT_DROP_FRAGMENT },
		{ "v4 whole packet, not banned", PKT_TCP(V4_OTHER, 22), XDP_PASS,
		  FW_STAT_PASS_RULE },
	};
	struct fw_datapath *dp = test_datapath();

	(void)state;
	start(dp, &frag_drop);
	ban_write(dp, V4_SRC, 32, 0, FW_BAN_ORIGIN_MANUAL);
	ban_write(dp, "2001:2::", 64, 0, FW_BAN_ORIGIN_MANUAL);
	run_frame_cases(dp, cases, ARRAY_SIZE(cases));
}

/* FW_PARAM_BANS says which maps hold bans: one whose bit is clear is not read. */
static void ban_maps_are_read_only_with_their_bit(void **state)
{
	static const struct {
		const char *src, *ban;
		unsigned prefixlen;
		uint32_t bit;
	} cases[] = {
		{ V4_SRC, V4_SRC, 32, FW_BANS_EXACT4 },
		{ V4_SRC, "198.18.0.0", 16, FW_BANS_PREFIX4 },
		{ V6_SRC, V6_SRC, 128, FW_BANS_EXACT6 },
		{ V6_SRC, "2001:2::", 48, FW_BANS_PREFIX6 },
	};
	struct fw_datapath *dp = test_datapath();

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct pkt_spec spec = PKT_UDP(cases[i].src, 53);
		uint8_t frame[PKT_MAX];
		size_t len = pkt_build(&spec, frame);

		start(dp, strchr(cases[i].src, ':') ? &pass_v6 : &pass_v4);
		ban_write(dp, cases[i].ban, cases[i].prefixlen, 0, FW_BAN_ORIGIN_MANUAL);
		assert_int_equal(param_get(dp, FW_PARAM_BANS), cases[i].bit);
		assert_int_equal(harness_run(dp, frame, len), XDP_DROP);
		/* The other three bits: the datapath must still skip this map. */
		param_set(dp, FW_PARAM_BANS, cases[i].bit ^ 0xf);
		assert_int_equal(harness_run(dp, frame, len), XDP_PASS);
		assert_int_equal(stat_get(dp, FW_STAT_DROP_BAN).packets, 1);
	}
}

struct expiry_case {
	const char *desc;
	const struct fixture *f;
	const char *src, *ban;
	unsigned prefixlen;
};

static const struct expiry_case expiry_cases[] = {
	{ "v4 exact", &pass_v4, V4_SRC, V4_SRC, 32 },
	{ "v4 /24", &pass_v4, V4_SRC, "198.18.1.0", 24 },
	{ "v6 exact", &pass_v6, V6_SRC, V6_SRC, 128 },
	{ "v6 /64", &pass_v6, V6_SRC, "2001:2::", 64 },
};

/*
 * A ban expiring at `expires` drops until then and passes (the rule
 * decides) from then on: probed 1 ms before and 1 ms after, with the
 * clock moved there through its shift.
 */
static void check_expiry(struct fw_datapath *dp, const struct expiry_case *ec, uint64_t expires,
			 const uint64_t *before, size_t n_before, const uint64_t *after,
			 size_t n_after)
{
	const struct pkt_spec spec = PKT_TCP(ec->src, 22);
	uint8_t frame[PKT_MAX];
	size_t len = pkt_build(&spec, frame);
	struct fw_ban_value ban;

	start(dp, ec->f);
	ban_write(dp, ec->ban, ec->prefixlen, expires, FW_BAN_ORIGIN_MANUAL);
	for (size_t i = 0; i < n_before; i++) {
		int action = run_before(dp, frame, len, before[i], expires);

		if (action != XDP_DROP || stat_get(dp, FW_STAT_DROP_BAN).packets != 1)
			fail_msg("%s: at %" PRIu64 " ns, before the expiry at %" PRIu64
				 ": %s, want XDP_DROP by the ban",
				 ec->desc, before[i], expires, xdp_action_name(action));
	}
	assert_int_equal(ban_read(dp, ec->ban, ec->prefixlen, &ban), 0);
	for (size_t i = 0; i < n_after; i++) {
		struct fw_ban_value still;
		struct timed_run r;

		assert_int_equal(fw_stats_reset(dp), 0);
		clock_set(dp, after[i]);
		r = run_timed(dp, frame, len);
		assert_true((int64_t)(r.lo - expires) >= 0);
		if (r.action != XDP_PASS || stat_get(dp, FW_STAT_PASS_RULE).packets != 1)
			fail_msg("%s: at %" PRIu64 " ns, after the expiry at %" PRIu64
				 ": %s, want XDP_PASS by the rule",
				 ec->desc, r.lo, expires, xdp_action_name(r.action));
		/* Still there for userspace to reclaim, and no longer counting. */
		assert_int_equal(ban_read(dp, ec->ban, ec->prefixlen, &still), 0);
		assert_int_equal(still.packets, ban.packets);
	}
}

static void bans_expire_on_time(void **state)
{
	struct fw_datapath *dp = test_datapath();

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(expiry_cases); i++) {
		uint64_t expires = boot_ns() + 3600 * SEC;
		const uint64_t before[] = { expires - 3600 * SEC, expires - MS };
		const uint64_t after[] = { expires + MS, expires + 3600 * SEC };

		check_expiry(dp, &expiry_cases[i], expires, before, ARRAY_SIZE(before), after,
			     ARRAY_SIZE(after));
	}
}

/* Near 2^64 the clock wraps to 0: a ban set before the wrap still expires after it, on time. */
static void bans_expire_on_time_across_the_wrap(void **state)
{
	struct fw_datapath *dp = test_datapath();

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(expiry_cases); i++) {
		/* Set at 2^64 - 10 ms for 20 ms: an unsigned compare would pass it at once. */
		const uint64_t expires = 10 * MS;
		const uint64_t before[] = { -10 * MS, -MS, expires - MS };
		const uint64_t after[] = { expires + MS, expires + 10 * MS };
		/* Expired just before the wrap: an unsigned compare would drop it after. */
		const uint64_t expires_early = -5 * MS;
		const uint64_t before_early[] = { -6 * MS };
		const uint64_t after_early[] = { -4 * MS, MS };

		check_expiry(dp, &expiry_cases[i], expires, before, ARRAY_SIZE(before), after,
			     ARRAY_SIZE(after));
		check_expiry(dp, &expiry_cases[i], expires_early, before_early,
			     ARRAY_SIZE(before_early), after_early, ARRAY_SIZE(after_early));
	}
}

/* expires = 0 is "until unbanned", whatever the clock says. */
static void a_ban_without_expiry_never_expires(void **state)
{
	const uint64_t clocks[] = { 0, 1, 1ull << 63, (1ull << 63) + 1, -1ull };
	struct fw_datapath *dp = test_datapath();
	const struct pkt_spec spec = PKT_TCP(V4_SRC, 22);
	uint8_t frame[PKT_MAX];
	size_t len = pkt_build(&spec, frame);

	(void)state;
	start(dp, &pass_v4);
	ban_write(dp, V4_SRC, 32, 0, FW_BAN_ORIGIN_MANUAL);
	for (size_t i = 0; i < ARRAY_SIZE(clocks); i++) {
		clock_set(dp, clocks[i]);
		if (harness_run(dp, frame, len) != XDP_DROP)
			fail_msg("at %" PRIu64 " ns the ban without expiry no longer drops", clocks[i]);
	}
	check_ban_count(dp, &(struct row_check){ .desc = "permanent ban" }, V4_SRC, 32,
			ARRAY_SIZE(clocks), ARRAY_SIZE(clocks) * len);
}

/* An expired exact ban steps aside for a live prefix ban, which counts the packet. */
static void an_expired_exact_ban_leaves_the_prefix_ban(void **state)
{
	struct fw_datapath *dp = test_datapath();
	struct row_check c = { .desc = "expired /32 inside a live /16" };
	const struct pkt_spec spec = PKT_TCP(V4_SRC, 22);
	uint8_t frame[PKT_MAX];
	size_t len = pkt_build(&spec, frame);

	(void)state;
	start(dp, &pass_v4);
	clock_set(dp, 3600 * SEC);
	ban_write(dp, V4_SRC, 32, 60 * SEC, FW_BAN_ORIGIN_MANUAL);
	ban_write(dp, "198.18.0.0", 16, 0, FW_BAN_ORIGIN_MANUAL);
	assert_int_equal(harness_run(dp, frame, len), XDP_DROP);
	check_only_stat(dp, &c, FW_STAT_DROP_BAN, 1, len);
	check_ban_count(dp, &c, V4_SRC, 32, 0, 0);
	check_ban_count(dp, &c, "198.18.0.0", 16, 1, len);
	if (c.failures)
		fail();
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(ban_cases) + 8];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(ban_cases); i++)
		tests[n++] = (struct CMUnitTest){ .name = ban_cases[i].desc,
						  .test_func = ban_beats_every_level,
						  .initial_state = (void *)&ban_cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(link_and_malformed_frames_come_before_bans);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(ban_beats_fragments_drop);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(ban_maps_are_read_only_with_their_bit);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(bans_expire_on_time);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(bans_expire_on_time_across_the_wrap);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(a_ban_without_expiry_never_expires);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(an_expired_exact_ban_leaves_the_prefix_ban);
	return _cmocka_run_group_tests("datapath bans", tests, n, NULL, NULL);
}
