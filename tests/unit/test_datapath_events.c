// SPDX-License-Identifier: GPL-2.0
/*
 * DESIGN §1b events, through the real XDP program: the struct fw_event a
 * logged packet makes, field by field; which packets make one (a logged
 * rule's, a ban's drop with ban_log, a limit's excess with limit_log, and
 * nothing at all while FW_PARAM_LOG is 0); the log_rate bucket at its
 * edges; and every reader's ring getting every event, a full one counting
 * its losses alone. The rule flags, fw_log and FW_PARAM_LOG are written by
 * hand, as a sync would, so this needs no config support for `log`.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include "defence.h"
#include "event_rings.h"

#define LIMIT_PORT 80
#define UNLOGGED_PORT 22
#define ORIGIN 7 /* the fw_ban_origins entry the tests' bans name */

static const struct rule_spec event_rules[] = {
	{ "v4-logged", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v6-logged", V6_SRC, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "other-22", V4_OTHER, UNLOGGED_PORT, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "limit-80", NULL, LIMIT_PORT, FW_PROTO_TCP, FW_ACTION_DROP },
};
enum { V4_LOGGED, V6_LOGGED, OTHER_22, LIMIT_80 };
static const struct fixture event_fixture =
	FIXTURE("events", event_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);

/* An open bucket: a million events at once, one more every microsecond. */
#define OPEN_INTERVAL 1000ull
#define OPEN_BURST 1000000ull

#define RINGS 3
static struct event_ring rings[RINGS];

static int rings_close(void **state)
{
	(void)state;
	for (int i = 0; i < RINGS; i++)
		event_ring_close(test_datapath(), &rings[i]);
	return 0;
}

/*
 * Puts the fixture in force with no bans, limit policy or clock shift;
 * v4-logged and v6-logged log, limit-80 is a limit rule; the bucket is
 * open, one ring sits in slot 0, and FW_PARAM_LOG is log.
 */
static struct fw_datapath *start(uint32_t log)
{
	struct fw_datapath *dp = test_datapath();
	uint32_t key;
	struct fw_port_value v;

	rings_close(NULL);
	fixture_sync(dp, &event_fixture);
	defence_reset(dp);
	fixture_reset_counters(dp, &event_fixture);
	key = (param_get(dp, FW_PARAM_ACTIVE) & FW_ACTIVE_SET) * FW_PORTS + LIMIT_PORT;
	assert_int_equal(bpf_map_lookup_elem(dp->ports_fd, &key, &v), 0);
	assert_int_equal(v.by_proto[FW_PROTO_TCP].id, LIMIT_80);
	v.by_proto[FW_PROTO_TCP].action = FW_ACTION_LIMIT;
	assert_int_equal(bpf_map_update_elem(dp->ports_fd, &key, &v, BPF_EXIST), 0);

	events_reset(dp);
	event_bucket_write(dp, OPEN_INTERVAL, OPEN_BURST * OPEN_INTERVAL, 0);
	rule_log_set(dp, V4_LOGGED, 1);
	rule_log_set(dp, V6_LOGGED, 1);
	event_ring_open(dp, &rings[0], 0, EVENT_RING_BYTES);
	param_set(dp, FW_PARAM_LOG, log);
	return dp;
}

/* limit-80's policy: an event every interval, burst at once, per rule. */
static void limit_write(struct fw_datapath *dp, uint64_t interval, uint32_t burst)
{
	const uint32_t id = LIMIT_80;
	struct fw_limit_value v = { .interval = interval, .burst_window = burst * interval };

	assert_int_equal(bpf_map_update_elem(defence_map_fd(dp, "fw_limits"), &id, &v, BPF_ANY), 0);
}

static size_t build(const struct pkt_spec *spec, uint8_t *frame)
{
	return pkt_build(spec, frame);
}

/* Runs spec once; the events it made must be exactly want_events (in ring 0). */
static struct timed_run send_expect(struct fw_datapath *dp, const struct pkt_spec *spec,
				    size_t want_events, const char *desc)
{
	uint8_t frame[PKT_MAX];
	size_t len = build(spec, frame);
	struct timed_run r = run_timed(dp, frame, len);
	size_t got = event_ring_drain(&rings[0]);

	if (got != want_events)
		fail_msg("%s: %zu events, want %zu", desc, got, want_events);
	return r;
}

static void addr_put(__be32 out[4], const char *text, int v6)
{
	memset(out, 0, 16);
	if (inet_pton(v6 ? AF_INET6 : AF_INET, text, out) != 1)
		fail_msg("table error: %s is no IPv%d address", text, v6 ? 6 : 4);
}

static const char *addr_text(const __be32 addr[4], int v6, char *buf)
{
	return inet_ntop(v6 ? AF_INET6 : AF_INET, addr, buf, INET6_ADDRSTRLEN);
}

/* got must equal want in every field, time within the run's window [lo, hi]. */
static void check_event(const struct fw_event *got, struct fw_event want, const struct timed_run *r,
			const char *desc)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int bad = 0;

#define EV_FIELD(f)                                                                          \
	if (got->f != want.f) {                                                              \
		print_error("%s: " #f " %" PRIu64 ", want %" PRIu64 "\n", desc, (uint64_t)got->f, \
			    (uint64_t)want.f);                                               \
		bad++;                                                                       \
	}
	if ((int64_t)(got->time - r->lo) < 0 || (int64_t)(r->hi - got->time) < 0) {
		print_error("%s: time %" PRIu64 " outside the run's [%" PRIu64 ", %" PRIu64 "]\n",
			    desc, (uint64_t)got->time, r->lo, r->hi);
		bad++;
	}
	want.time = got->time;
	EV_FIELD(rule);
	EV_FIELD(origin);
	EV_FIELD(ifindex);
	EV_FIELD(len);
	EV_FIELD(sport);
	EV_FIELD(dport);
	EV_FIELD(reason);
	EV_FIELD(ipproto);
	EV_FIELD(v6);
	EV_FIELD(pad);
#undef EV_FIELD
	if (memcmp(got->src, want.src, sizeof(want.src)) ||
	    memcmp(got->dst, want.dst, sizeof(want.dst))) {
		print_error("%s: %s > %s, want %s > %s\n", desc, addr_text(got->src, got->v6, a),
			    addr_text(got->dst, got->v6, b), addr_text(want.src, want.v6, a),
			    addr_text(want.dst, want.v6, b));
		bad++;
	}
	if (!bad && memcmp(got, &want, sizeof(want)))
		bad++; /* a byte no field names: padding */
	if (bad)
		fail_msg("%s: %d field(s) wrong", desc, bad);
}

struct layout_case {
	const char *desc;
	struct pkt_spec pkt;
	uint32_t rule;
	uint8_t reason;
	uint32_t len; /* the whole frame, padding too */
	uint16_t sport, dport;
	uint8_t ipproto, v6;
	const char *src, *dst; /* as the header has them */
};

static const struct layout_case layout_cases[] = {
	{ "IPv4 TCP, padded to 60 bytes",
	  { .src = V4_SRC, .dst = "198.18.0.7", .ipproto = IPPROTO_TCP, .sport = 40001, .dport = 22 },
	  V4_LOGGED, FW_STAT_PASS_RULE, 60, 40001, 22, IPPROTO_TCP, 0, V4_SRC, "198.18.0.7" },
	{ "IPv4 UDP with a payload, unpadded",
	  { .src = V4_SRC, .ipproto = IPPROTO_UDP, .sport = 5353, .dport = 53, .payload = 100 },
	  V4_LOGGED, FW_STAT_PASS_RULE, 14 + 20 + 8 + 100, 5353, 53, IPPROTO_UDP, 0, V4_SRC,
	  "198.18.0.2" },
	{ "IPv6 UDP behind hop-by-hop, routing and destination options",
	  { .src = V6_SRC, .dst = "2001:2::7", .ipproto = IPPROTO_UDP, .sport = 5353, .dport = 53,
	    PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS), .ext_words = { 0, 1, 0 } },
	  V6_LOGGED, FW_STAT_DROP_RULE, 14 + 40 + 8 + 16 + 8 + 8, 5353, 53, IPPROTO_UDP, 1, V6_SRC,
	  "2001:2::7" },
	{ "IPv4 ICMP echo: no ports, the checksum's bait left alone",
	  { .src = V4_SRC, .ipproto = IPPROTO_ICMP, .icmp_type = 8, .dport = 22 },
	  V4_LOGGED, FW_STAT_PASS_RULE, 60, 0, 0, IPPROTO_ICMP, 0, V4_SRC, "198.18.0.2" },
	{ "ICMPv6 echo: no ports",
	  { .src = V6_SRC, .ipproto = IPPROTO_ICMPV6, .icmp_type = 128, .dport = 22 },
	  V6_LOGGED, FW_STAT_DROP_RULE, 14 + 40 + 8, 0, 0, IPPROTO_ICMPV6, 1, V6_SRC, "2001:2::2" },
	{ "IPv4 later TCP fragment: no ports, the protocol kept",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .sport = 40001, .dport = 22, .frag_offset = 100,
	    .payload = 64 },
	  V4_LOGGED, FW_STAT_PASS_RULE, 14 + 20 + 64, 0, 0, IPPROTO_TCP, 0, V4_SRC, "198.18.0.2" },
	{ "IPv6 later UDP fragment behind a routing header: no ports, the protocol kept",
	  { .src = V6_SRC, .ipproto = IPPROTO_UDP, .sport = 5353, .dport = 53, .frag_offset = 100,
	    .ext = { IPPROTO_ROUTING }, .payload = 16 },
	  V6_LOGGED, FW_STAT_DROP_RULE, 14 + 40 + 8 + 8 + 16, 0, 0, IPPROTO_UDP, 1, V6_SRC,
	  "2001:2::2" },
	{ "IPv4 UDP behind 802.1ad and 802.1Q tags, padded to 60 bytes",
	  { .vlan_tpid = { 0x88a8, 0x8100 }, .src = V4_SRC, .ipproto = IPPROTO_UDP, .sport = 1111,
	    .dport = 53 },
	  V4_LOGGED, FW_STAT_PASS_RULE, 60, 1111, 53, IPPROTO_UDP, 0, V4_SRC, "198.18.0.2" },
	{ "IPv6 TCP behind an 802.1Q tag",
	  { .vlan_tpid = { 0x8100 }, .src = V6_SRC, .ipproto = IPPROTO_TCP, .sport = 50000,
	    .dport = 443 },
	  V6_LOGGED, FW_STAT_DROP_RULE, 14 + 4 + 40 + 20, 50000, 443, IPPROTO_TCP, 1, V6_SRC,
	  "2001:2::2" },
	{ "v4-mapped IPv6 source: the IPv4 rule, the 16 bytes the header has",
	  { .src = "::ffff:" V4_SRC, .ipproto = IPPROTO_TCP, .sport = 40002, .dport = 443 },
	  V4_LOGGED, FW_STAT_PASS_RULE, 14 + 40 + 20, 40002, 443, IPPROTO_TCP, 1, "::ffff:" V4_SRC,
	  "2001:2::2" },
};

static unsigned lo_ifindex(void)
{
	unsigned lo = if_nametoindex("lo");

	assert_int_not_equal(lo, 0);
	return lo;
}

/* BPF_PROG_TEST_RUN without a context runs the frame as received on lo. */
static struct fw_event layout_want(const struct layout_case *lc)
{
	struct fw_event want = {
		.rule = lc->rule, .ifindex = lo_ifindex(), .len = lc->len, .sport = lc->sport,
		.dport = lc->dport, .reason = lc->reason, .ipproto = lc->ipproto, .v6 = lc->v6,
	};

	addr_put(want.src, lc->src, lc->v6);
	addr_put(want.dst, lc->dst, lc->v6);
	return want;
}

static void record_layout(void **state)
{
	struct fw_datapath *dp = start(FW_LOG_RULES);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(layout_cases); i++) {
		const struct layout_case *lc = &layout_cases[i];
		uint8_t frame[PKT_MAX];

		assert_int_equal(build(&lc->pkt, frame), lc->len);
		struct timed_run r = send_expect(dp, &lc->pkt, 1, lc->desc);

		check_event(&rings[0].got[rings[0].count - 1], layout_want(lc), &r, lc->desc);
	}
	assert_int_equal(event_stat(dp, FW_EVENT_STAT_SENT), ARRAY_SIZE(layout_cases));
	assert_int_equal(event_stat(dp, FW_EVENT_STAT_SUPPRESSED), 0);
}

/* Frames no rule decides: the default, fragments: drop, malformed, ARP, neighbour discovery. */
static const struct pkt_spec undecided[] = {
	{ .src = V4_NEIGHBOUR, .ipproto = IPPROTO_TCP, .dport = 1234 },
	{ .src = V6_NEIGHBOUR, .ipproto = IPPROTO_UDP, .dport = 1234 },
	{ .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .truncate = 40 },
	{ .ethertype = 0x0806, .src = V4_SRC },
	{ .src = V6_SRC, .ipproto = IPPROTO_ICMPV6, .icmp_type = 135 },
};

/* FW_PARAM_LOG 0: no event and no count, whatever the rules, bans and limits say. */
static void log_zero_makes_nothing(void **state)
{
	struct fw_datapath *dp = start(0);
	const struct pkt_spec logged[] = {
		{ .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22 },
		{ .src = V6_SRC, .ipproto = IPPROTO_UDP, .dport = 53 },
		{ .src = V4_NEIGHBOUR, .ipproto = IPPROTO_TCP, .dport = LIMIT_PORT },
	};

	(void)state;
	rule_log_set(dp, LIMIT_80, 1);
	limit_write(dp, 10 * SEC, 1);
	for (size_t i = 0; i < ARRAY_SIZE(logged); i++)
		for (int k = 0; k < 2; k++)
			send_expect(dp, &logged[i], 0, "a logged rule with FW_PARAM_LOG 0");
	assert_int_equal(stat_get(dp, FW_STAT_DROP_LIMIT).packets, 1);
	ban_write(dp, V4_SRC, 32, 0, ORIGIN);
	send_expect(dp, &logged[0], 0, "a ban's drop with FW_PARAM_LOG 0");
	assert_int_equal(stat_get(dp, FW_STAT_DROP_BAN).packets, 1);
	for (size_t i = 0; i < ARRAY_SIZE(undecided); i++)
		send_expect(dp, &undecided[i], 0, "an undecided frame with FW_PARAM_LOG 0");
	assert_int_equal(event_stat(dp, FW_EVENT_STAT_SENT), 0);
	assert_int_equal(event_stat(dp, FW_EVENT_STAT_SUPPRESSED), 0);
}

/* FW_LOG_RULES: a logged rule's pass and drop make one event each; other packets none. */
static void logged_rules_log_pass_and_drop(void **state)
{
	struct fw_datapath *dp = start(FW_LOG_RULES | FW_LOG_BANS | FW_LOG_LIMITS);
	const struct pkt_spec pass = { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22 };
	const struct pkt_spec drop = { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22 };
	const struct pkt_spec unlogged = { .src = V4_OTHER, .ipproto = IPPROTO_TCP,
					   .dport = UNLOGGED_PORT };
	struct fixture drop_default = event_fixture;

	(void)state;
	send_expect(dp, &pass, 1, "a logged rule's pass");
	assert_int_equal(rings[0].got[0].reason, FW_STAT_PASS_RULE);
	assert_int_equal(rings[0].got[0].rule, V4_LOGGED);
	send_expect(dp, &drop, 1, "a logged rule's drop");
	assert_int_equal(rings[0].got[1].reason, FW_STAT_DROP_RULE);
	assert_int_equal(rings[0].got[1].rule, V6_LOGGED);
	send_expect(dp, &unlogged, 0, "an unlogged rule's drop");
	assert_int_equal(counter_get(dp, OTHER_22).packets, 1);
	for (size_t i = 0; i < ARRAY_SIZE(undecided); i++)
		send_expect(dp, &undecided[i], 0, "an undecided frame, every FW_LOG_* bit set");
	assert_int_equal(stat_get(dp, FW_STAT_PASS_DEFAULT).packets, 2);

	/* Without FW_LOG_RULES the flags say nothing. */
	param_set(dp, FW_PARAM_LOG, FW_LOG_BANS | FW_LOG_LIMITS);
	send_expect(dp, &pass, 0, "a logged rule's pass without FW_LOG_RULES");
	send_expect(dp, &drop, 0, "a logged rule's drop without FW_LOG_RULES");

	/* The default's drop, and fragments: drop, are no rule's either. */
	drop_default.default_action = FW_ACTION_DROP;
	drop_default.fragments = FW_FRAGMENTS_DROP;
	fixture_sync(dp, &drop_default);
	rule_log_set(dp, V4_LOGGED, 1);
	param_set(dp, FW_PARAM_LOG, FW_LOG_RULES | FW_LOG_BANS | FW_LOG_LIMITS);
	send_expect(dp, &undecided[0], 0, "the default's drop");
	send_expect(dp, &(struct pkt_spec){ .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
					    .frag_offset = 10 },
		    0, "a fragment fragments: drop drops");
	send_expect(dp, &pass, 1, "a logged rule's pass beside a default drop");
	assert_int_equal(event_stat(dp, FW_EVENT_STAT_SENT), 3);
	assert_int_equal(event_stat(dp, FW_EVENT_STAT_SUPPRESSED), 0);
}

/* FW_LOG_BANS: a ban's drop makes an event with no rule and the ban's origin. */
static void ban_drops_log_with_their_origin(void **state)
{
	static const struct {
		const char *src, *ban;
		unsigned prefixlen;
		uint32_t origin;
		int v6;
		const char *dst;
	} bans[] = {
		{ V4_SRC, V4_SRC, 32, ORIGIN, 0, "198.18.0.2" },
		{ V4_NEIGHBOUR, "198.18.1.0", 24, FW_BAN_ORIGIN_MANUAL, 0, "198.18.0.2" },
		{ V6_SRC, "2001:2::", 64, 4095, 1, "2001:2::2" },
		{ "::ffff:" V4_SRC, V4_SRC, 32, ORIGIN, 1, "2001:2::2" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bans); i++) {
		struct fw_datapath *dp = start(FW_LOG_BANS);
		const struct pkt_spec spec = { .src = bans[i].src, .ipproto = IPPROTO_UDP,
					       .sport = 1000, .dport = 53 };
		uint8_t frame[PKT_MAX];
		struct fw_event want = {
			.rule = FW_EVENT_NO_RULE, .origin = bans[i].origin,
			.ifindex = lo_ifindex(), .len = build(&spec, frame), .sport = 1000,
			.dport = 53, .reason = FW_STAT_DROP_BAN, .ipproto = IPPROTO_UDP,
			.v6 = bans[i].v6,
		};
		struct timed_run r;

		addr_put(want.src, bans[i].src, bans[i].v6);
		addr_put(want.dst, bans[i].dst, bans[i].v6);
		ban_write(dp, bans[i].ban, bans[i].prefixlen, 0, bans[i].origin);
		r = send_expect(dp, &spec, 1, bans[i].ban);
		check_event(&rings[0].got[0], want, &r, bans[i].ban);
		assert_int_equal(stat_get(dp, FW_STAT_DROP_BAN).packets, 1);

		/* Without FW_LOG_BANS nothing, even where the rule the ban beat logs. */
		param_set(dp, FW_PARAM_LOG, FW_LOG_RULES | FW_LOG_LIMITS);
		send_expect(dp, &spec, 0, "a ban's drop without FW_LOG_BANS");
		assert_int_equal(stat_get(dp, FW_STAT_DROP_BAN).packets, 2);
		assert_int_equal(event_stat(dp, FW_EVENT_STAT_SENT), 1);
	}
}

/* limit-80 lets one packet through each 10 s; each excess is an event with FW_LOG_LIMITS. */
static void limit_excess_logs_once(void **state)
{
	static const struct {
		const char *desc;
		uint32_t log;
		int rule_logs;
		size_t pass_events, excess_events;
	} cases[] = {
		{ "limit_log", FW_LOG_LIMITS, 0, 0, 1 },
		{ "limit_log, the rule logs, FW_LOG_RULES", FW_LOG_LIMITS | FW_LOG_RULES, 1, 1, 1 },
		{ "no limit_log, the rule logs", FW_LOG_RULES, 1, 1, 1 },
		{ "limit_log on a logged rule, no FW_LOG_RULES", FW_LOG_LIMITS, 1, 0, 1 },
		{ "neither", FW_LOG_RULES | FW_LOG_BANS, 0, 0, 0 },
	};
	const struct pkt_spec spec = { .src = V4_NEIGHBOUR, .ipproto = IPPROTO_TCP, .sport = 999,
				       .dport = LIMIT_PORT };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fw_datapath *dp = start(cases[i].log);
		char desc[160];

		limit_write(dp, 10 * SEC, 1);
		rule_log_set(dp, LIMIT_80, cases[i].rule_logs);
		snprintf(desc, sizeof(desc), "%s: the pass", cases[i].desc);
		send_expect(dp, &spec, cases[i].pass_events, desc);
		snprintf(desc, sizeof(desc), "%s: the excess", cases[i].desc);
		send_expect(dp, &spec, cases[i].excess_events, desc);
		assert_int_equal(stat_get(dp, FW_STAT_PASS_RULE).packets, 1);
		assert_int_equal(stat_get(dp, FW_STAT_DROP_LIMIT).packets, 1);
		for (size_t k = 0; k < rings[0].count; k++) {
			const struct fw_event *ev = &rings[0].got[k];
			int excess = k == cases[i].pass_events;

			assert_int_equal(ev->rule, LIMIT_80);
			assert_int_equal(ev->origin, 0);
			assert_int_equal(ev->reason, excess ? FW_STAT_DROP_LIMIT : FW_STAT_PASS_RULE);
			assert_int_equal(ev->sport, 999);
			assert_int_equal(ev->dport, LIMIT_PORT);
		}
		assert_int_equal(event_stat(dp, FW_EVENT_STAT_SENT), rings[0].count);
	}
}

#define US 1000ull

static const struct pkt_spec bucket_frame = { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22 };

/* What one run of n copies of bucket_frame did to ring 0 and the counts. */
struct attempt {
	struct timed_run r; /* the datapath's clock around the run */
	size_t events;
	uint64_t sent, suppressed;
};

static struct attempt attempt_n(struct fw_datapath *dp, uint32_t n)
{
	uint8_t frame[PKT_MAX];
	size_t len = build(&bucket_frame, frame);
	uint64_t sent = event_stat(dp, FW_EVENT_STAT_SENT);
	uint64_t suppressed = event_stat(dp, FW_EVENT_STAT_SUPPRESSED);
	uint64_t shift = clock_shift(dp);
	struct attempt a;

	a.r.lo = boot_ns() + shift;
	a.r.action = harness_run_repeat(dp, frame, len, n);
	a.r.hi = boot_ns() + shift;
	a.events = event_ring_drain(&rings[0]);
	a.sent = event_stat(dp, FW_EVENT_STAT_SENT) - sent;
	a.suppressed = event_stat(dp, FW_EVENT_STAT_SUPPRESSED) - suppressed;
	if (a.sent != a.events || a.sent + a.suppressed != n)
		fail_msg("%u frames: %zu events, %" PRIu64 " sent, %" PRIu64 " suppressed", n,
			 a.events, a.sent, a.suppressed);
	for (size_t i = rings[0].count - a.events; i < rings[0].count; i++) {
		uint64_t t = rings[0].got[i].time;

		if ((int64_t)(t - a.r.lo) < 0 || (int64_t)(a.r.hi - t) < 0 ||
		    (i && (int64_t)(t - rings[0].got[i - 1].time) < 0))
			fail_msg("event %zu at %" PRIu64 ": not in order within [%" PRIu64
				 ", %" PRIu64 "]", i, t, a.r.lo, a.r.hi);
	}
	return a;
}

/* One frame with the datapath's clock at now at the earliest. */
static struct attempt attempt_at(struct fw_datapath *dp, uint64_t now)
{
	clock_set(dp, now);
	return attempt_n(dp, 1);
}

/*
 * One frame with the datapath's clock before edge for the whole run, as
 * close to it as the machine allows: from 2 us before it on, further each
 * time a run reached edge (that run's bucket is put back and its event
 * dropped). Returns the run; the real clock keeps 1 ns out of reach.
 */
static struct attempt attempt_before(struct fw_datapath *dp, uint64_t edge)
{
	struct fw_limit_value bucket = event_bucket_read(dp);

	for (uint64_t gap = 2 * US; gap <= SEC; gap *= 2) {
		for (int tries = 0; tries < 3; tries++) {
			struct attempt a = attempt_at(dp, edge - gap);

			if ((int64_t)(a.r.hi - edge) < 0)
				return a;
			event_bucket_write(dp, bucket.interval, bucket.burst_window, bucket.tat);
			rings[0].count -= a.events;
		}
	}
	fail_msg("no run ended less than a second after it began");
	return (struct attempt){ 0 };
}

struct bucket_case {
	uint64_t interval;
	uint32_t burst;
};

/* Long intervals: a test takes far less than one, so the clock moves only by clock_set(). */
static const struct bucket_case bucket_cases[] = {
	{ 10 * SEC, 1 },
	{ 10 * SEC, 5 },
	{ SEC, 100 },
};

/*
 * From a full bucket at now: exactly burst events at once, the rest
 * suppressed; none before one interval after the first, one from then on;
 * two intervals on, two more (one, for a burst of one).
 */
static void burst_then_refill(const struct bucket_case *bc, uint64_t now, uint64_t tat)
{
	struct fw_datapath *dp = start(FW_LOG_RULES);
	uint64_t first, full, edge, last;
	struct attempt a;

	event_bucket_write(dp, bc->interval, bc->burst * bc->interval, tat);
	clock_set(dp, now);
	a = attempt_n(dp, bc->burst + 3);
	assert_int_equal(a.events, bc->burst);
	assert_int_equal(a.suppressed, 3);

	/* Each event took an interval off the bucket, from the first event's time on. */
	first = rings[0].got[0].time;
	full = event_bucket_read(dp).tat;
	assert_int_equal(full, first + bc->burst * bc->interval);

	edge = first + bc->interval;
	a = attempt_before(dp, edge);
	assert_int_equal(a.events, 0);
	assert_int_equal(event_bucket_read(dp).tat, full);
	a = attempt_at(dp, edge);
	assert_int_equal(a.events, 1);
	last = rings[0].got[rings[0].count - 1].time;
	assert_true((int64_t)(last - edge) >= 0);
	/* An interval past the later of the bucket's time and the event's. */
	assert_int_equal(event_bucket_read(dp).tat,
			 ((int64_t)(last - full) > 0 ? last : full) + bc->interval);
	assert_int_equal(attempt_n(dp, 1).events, 0);

	clock_set(dp, edge + 2 * bc->interval);
	assert_int_equal(attempt_n(dp, 5).events, bc->burst < 2 ? bc->burst : 2);
}

static void the_bucket_at_its_edges(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bucket_cases); i++)
		burst_then_refill(&bucket_cases[i], 3600 * SEC, 0);
}

/* The same with the clock, and the bucket, straddling 2^64. */
static void the_bucket_across_the_clock_wrap(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bucket_cases); i++) {
		const struct bucket_case *bc = &bucket_cases[i];
		/* Half an interval before the wrap: the burst and the refill end after it. */
		uint64_t now = -(bc->interval / 2);

		burst_then_refill(bc, now, now - 100 * bc->interval);
		/* The burst came before the wrap, the refill after it. */
		assert_true(rings[0].got[0].time >= now);
		assert_true(rings[0].got[rings[0].count - 1].time < 4 * bc->interval);
	}
}

/*
 * A full bucket's first event asks for exactly one interval of room, at
 * any time: a burst window 1 ns shorter sends nothing. A bucket no sync
 * wrote (interval 0) sends nothing either.
 */
static void the_burst_window_to_the_ns(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bucket_cases); i++) {
		const struct bucket_case *bc = &bucket_cases[i];
		struct fw_datapath *dp = start(FW_LOG_RULES);

		clock_set(dp, 3600 * SEC);
		event_bucket_write(dp, bc->interval, bc->interval - 1, 0);
		assert_int_equal(attempt_n(dp, 3).events, 0);
		event_bucket_write(dp, bc->interval, bc->interval, 0);
		assert_int_equal(attempt_n(dp, 3).events, 1);
	}

	struct fw_datapath *dp = start(FW_LOG_RULES);

	event_bucket_write(dp, 0, 0, 0);
	assert_int_equal(attempt_n(dp, 3).suppressed, 3);
	event_bucket_write(dp, 0, 100 * SEC, 0);
	assert_int_equal(attempt_n(dp, 3).suppressed, 3);
}

/* Sends a logged frame to each port from..to, one run each. */
static void send_ports(struct fw_datapath *dp, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i <= to; i++) {
		const struct pkt_spec spec = { .src = V4_SRC, .ipproto = IPPROTO_TCP,
					       .dport = (uint16_t)i };
		uint8_t frame[PKT_MAX];
		size_t len = build(&spec, frame);

		assert_int_equal(harness_run(dp, frame, len), XDP_PASS);
	}
}

/* Ring r holds exactly the events to ports from..to, in order, and nothing else. */
static void check_ports(struct event_ring *r, uint32_t from, uint32_t to)
{
	event_ring_drain(r);
	if (r->count != to - from + 1)
		fail_msg("slot %u: %zu events, want %u", r->slot, r->count, to - from + 1);
	for (uint32_t i = 0; i < r->count; i++)
		if (r->got[i].dport != from + i || r->got[i].rule != V4_LOGGED)
			fail_msg("slot %u: event %u is rule %u's to port %u, want rule %u's to %u",
				 r->slot, i, r->got[i].rule, r->got[i].dport, V4_LOGGED, from + i);
}

static void check_lost(struct fw_datapath *dp, const uint64_t want[FW_EVENT_READERS])
{
	for (uint32_t slot = 0; slot < FW_EVENT_READERS; slot++) {
		uint64_t lost = event_stat(dp, FW_EVENT_STAT_LOST0 + slot);

		if (lost != want[slot])
			fail_msg("slot %u lost %" PRIu64 " events, want %" PRIu64, slot, lost,
				 want[slot]);
	}
}

/* Each ring gets every event from when it is put in its slot until it is taken out. */
static void every_ring_gets_every_event(void **state)
{
	struct fw_datapath *dp = start(FW_LOG_RULES);
	const uint64_t none[FW_EVENT_READERS] = { 0 };
	struct event_ring *first = &rings[0], *last = &rings[1], *later = &rings[2];

	(void)state;
	event_ring_close(dp, first);
	send_ports(dp, 1, 2); /* no ring at all: sent, and lost by no one */
	assert_int_equal(event_stat(dp, FW_EVENT_STAT_SENT), 2);
	check_lost(dp, none);

	event_ring_open(dp, first, 0, EVENT_RING_BYTES);
	event_ring_open(dp, last, FW_EVENT_READERS - 1, EVENT_RING_BYTES);
	send_ports(dp, 1, 5);
	event_ring_open(dp, later, 3, EVENT_RING_BYTES);
	send_ports(dp, 6, 13);
	check_ports(first, 1, 13);
	check_ports(last, 1, 13);
	check_ports(later, 6, 13);
	for (uint32_t i = 0; i < 13; i++)
		if (memcmp(&first->got[i], &last->got[i], sizeof(first->got[i])) ||
		    (i >= 5 && memcmp(&first->got[i], &later->got[i - 5], sizeof(first->got[i]))))
			fail_msg("event %u differs between rings", i);
	assert_int_equal(event_stat(dp, FW_EVENT_STAT_SENT), 2 + 5 + 8);
	check_lost(dp, none);
}

/* A full ring loses the events it has no room for, counted in its slot; the others get them. */
static void a_full_ring_loses_for_its_slot_alone(void **state)
{
	const uint32_t fits = EVENT_RING_SMALL / (8 + sizeof(struct fw_event)), extra = 4;
	struct fw_datapath *dp = start(FW_LOG_RULES);
	uint64_t lost[FW_EVENT_READERS] = { 0 };
	struct event_ring *big = &rings[0], *small = &rings[1], *other = &rings[2];

	(void)state;
	assert_int_equal(fits, 56);
	event_ring_open(dp, small, 2, EVENT_RING_SMALL);
	event_ring_open(dp, other, 5, EVENT_RING_BYTES);
	send_ports(dp, 1, fits + extra);
	lost[2] = extra;
	check_lost(dp, lost);
	check_ports(small, 1, fits);
	check_ports(big, 1, fits + extra);
	check_ports(other, 1, fits + extra);
	assert_int_equal(event_stat(dp, FW_EVENT_STAT_SENT), fits + extra);

	/* Read, it has room again. */
	send_ports(dp, 100, 100);
	check_lost(dp, lost);
	assert_int_equal(event_ring_drain(small), 1);
	assert_int_equal(small->got[fits].dport, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(record_layout, rings_close),
		cmocka_unit_test_teardown(log_zero_makes_nothing, rings_close),
		cmocka_unit_test_teardown(logged_rules_log_pass_and_drop, rings_close),
		cmocka_unit_test_teardown(ban_drops_log_with_their_origin, rings_close),
		cmocka_unit_test_teardown(limit_excess_logs_once, rings_close),
		cmocka_unit_test_teardown(the_bucket_at_its_edges, rings_close),
		cmocka_unit_test_teardown(the_bucket_across_the_clock_wrap, rings_close),
		cmocka_unit_test_teardown(the_burst_window_to_the_ns, rings_close),
		cmocka_unit_test_teardown(every_ring_gets_every_event, rings_close),
		cmocka_unit_test_teardown(a_full_ring_loses_for_its_slot_alone, rings_close),
	};

	return cmocka_run_group_tests_name("datapath events", tests, NULL, NULL);
}
