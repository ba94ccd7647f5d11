// SPDX-License-Identifier: GPL-2.0
/*
 * DESIGN §1b rate limits, through the real XDP program: the GCRA bucket of
 * fw/xdpfw.h at its edges (the burst, refill by whole intervals, the
 * clock's wrap), per source and per rule, ban_for and never_ban, and two
 * CPUs racing on one bucket. The rule's ref is made a limit by hand, so
 * this needs no compiler support for `limit`.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include "defence.h"

#define LIMIT_PORT 80
#define RULE 0 /* the limit rule's id */

static const struct rule_spec limit_rules[] = {
	{ "limit-80", NULL, LIMIT_PORT, FW_PROTO_TCP, FW_ACTION_DROP },
};
static const struct fixture limit_fixture =
	FIXTURE("a limit on port 80", limit_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);

/* Puts the fixture in force, its rule turned into a limit rule, with no limit policy yet. */
static struct fw_datapath *start(void)
{
	struct fw_datapath *dp = test_datapath();
	uint32_t key;
	struct fw_port_value v;

	fixture_sync(dp, &limit_fixture);
	defence_reset(dp);
	fixture_reset_counters(dp, &limit_fixture);
	key = (param_get(dp, FW_PARAM_ACTIVE) & FW_ACTIVE_SET) * FW_PORTS + LIMIT_PORT;
	assert_int_equal(bpf_map_lookup_elem(dp->ports_fd, &key, &v), 0);
	assert_int_equal(v.by_proto[FW_PROTO_TCP].action, FW_ACTION_DROP);
	for (int p = 0; p < FW_PROTO_COUNT; p++)
		if (v.by_proto[p].action != FW_ACTION_NONE && v.by_proto[p].id == RULE)
			v.by_proto[p].action = FW_ACTION_LIMIT;
	assert_int_equal(bpf_map_update_elem(dp->ports_fd, &key, &v, BPF_EXIST), 0);
	return dp;
}

struct limit {
	uint64_t interval;
	uint32_t burst;
	int per_source;
	uint64_t ban_for;
	uint32_t origin;
	uint64_t tat;
};

static void limit_write(struct fw_datapath *dp, const struct limit *l)
{
	const uint32_t id = RULE;
	struct fw_limit_value v = {
		.interval = l->interval,
		.burst_window = l->burst * l->interval,
		.ban_for = l->ban_for,
		.tat = l->tat,
		.per_source = l->per_source,
		.ban_origin = l->origin,
	};

	assert_int_equal(bpf_map_update_elem(defence_map_fd(dp, "fw_limits"), &id, &v, BPF_ANY), 0);
}

/* start() with the policy l and the datapath's clock at about now. */
static struct fw_datapath *start_limit(const struct limit *l, uint64_t now)
{
	struct fw_datapath *dp = start();

	clock_set(dp, now);
	limit_write(dp, l);
	return dp;
}

static size_t frame_from(const char *src, uint8_t *frame)
{
	const struct pkt_spec spec = PKT_TCP(src, LIMIT_PORT);

	return pkt_build(&spec, frame);
}

/* Sends the frame n times in one test run; returns how many passed (the rest must be excess). */
static uint64_t send_n(struct fw_datapath *dp, const char *src, uint32_t n)
{
	uint8_t frame[PKT_MAX];
	size_t len = frame_from(src, frame);
	uint64_t passed = stat_get(dp, FW_STAT_PASS_RULE).packets;
	uint64_t excess = stat_get(dp, FW_STAT_DROP_LIMIT).packets;

	harness_run_repeat(dp, frame, len, n);
	passed = stat_get(dp, FW_STAT_PASS_RULE).packets - passed;
	excess = stat_get(dp, FW_STAT_DROP_LIMIT).packets - excess;
	if (passed + excess != n)
		fail_msg("%u frames from %s: %" PRIu64 " passed, %" PRIu64 " excess", n, src,
			 passed, excess);
	return passed;
}

static void advance(struct fw_datapath *dp, uint64_t ns)
{
	clock_shift_set(dp, clock_shift(dp) + ns);
}

/* Long intervals: a whole test takes far less than one, so the clock moves only by advance(). */
static const struct limit slow[] = {
	{ .interval = 10 * SEC, .burst = 1 },
	{ .interval = 10 * SEC, .burst = 5 },
	{ .interval = SEC, .burst = 100 },
};

static void burst_then_refill(struct fw_datapath *dp, const struct limit *l, const char *src)
{
	struct fw_counter c;

	assert_int_equal(send_n(dp, src, l->burst), l->burst);
	assert_int_equal(send_n(dp, src, 1), 0);
	assert_int_equal(send_n(dp, src, 3), 0);
	for (uint32_t k = 1; k <= 3; k++) {
		advance(dp, k * l->interval);
		assert_int_equal(send_n(dp, src, 2 * k + 1), k < l->burst ? k : l->burst);
	}
	/* A full burst back after burst intervals, and no more. */
	advance(dp, 10 * l->burst * l->interval);
	assert_int_equal(send_n(dp, src, l->burst + 1), l->burst);
	c = counter_get(dp, RULE);
	assert_int_equal(c.packets, l->burst + 1 + 3 + (3 + 5 + 7) + l->burst + 1);
}

/*
 * Exactly burst pass at one instant, burst + 1 drops; k intervals later
 * exactly k more pass (no more than burst: a bucket holds no more).
 */
static void burst_and_refill_are_exact(void **state)
{
	static const char *const sources[] = { V4_SRC, V6_SRC };

	(void)state;
	for (int per_source = 0; per_source <= 1; per_source++) {
		for (size_t i = 0; i < ARRAY_SIZE(slow); i++) {
			for (size_t s = 0; s < ARRAY_SIZE(sources); s++) {
				struct limit l = slow[i];

				l.per_source = per_source;
				burst_then_refill(start_limit(&l, 3600 * SEC), &l, sources[s]);
			}
		}
	}
}

/* The same arithmetic with the clock, and the buckets, straddling 2^64. */
static void buckets_survive_the_clock_wrap(void **state)
{
	(void)state;
	for (int per_source = 0; per_source <= 1; per_source++) {
		for (size_t i = 0; i < ARRAY_SIZE(slow); i++) {
			struct limit l = slow[i];
			/* Half a burst before the wrap: the burst takes tat past it. */
			uint64_t now = -(uint64_t)(l.burst * l.interval / 2) - 1;

			l.per_source = per_source;
			l.tat = now - 100 * l.interval; /* a full bucket, written before the wrap */
			burst_then_refill(start_limit(&l, now), &l, V4_SRC);
		}
	}
}

/* Per source: each source has a bucket of its own, and a v4-mapped source is its IPv4 address. */
static void per_source_buckets_are_independent(void **state)
{
	const struct limit l = { .interval = 10 * SEC, .burst = 3, .per_source = 1 };
	struct fw_datapath *dp = start_limit(&l, 3600 * SEC);

	(void)state;
	assert_int_equal(send_n(dp, V4_SRC, 4), 3);
	assert_int_equal(send_n(dp, V4_NEIGHBOUR, 4), 3);
	assert_int_equal(send_n(dp, V6_SRC, 4), 3);
	assert_int_equal(send_n(dp, V6_NEIGHBOUR, 4), 3);
	assert_int_equal(send_n(dp, "::ffff:" V4_SRC, 1), 0);
	assert_int_equal(send_n(dp, "::ffff:" V4_OTHER, 4), 3);
	assert_int_equal(send_n(dp, V4_OTHER, 1), 0);
	advance(dp, l.interval);
	assert_int_equal(send_n(dp, V4_SRC, 2), 1);
	assert_int_equal(send_n(dp, V6_SRC, 2), 1);
}

/* Per rule: every source draws on one bucket. */
static void a_per_rule_bucket_is_shared(void **state)
{
	const struct limit l = { .interval = 10 * SEC, .burst = 5 };
	struct fw_datapath *dp = start_limit(&l, 3600 * SEC);

	(void)state;
	assert_int_equal(send_n(dp, V4_SRC, 3), 3);
	assert_int_equal(send_n(dp, V6_SRC, 1), 1);
	assert_int_equal(send_n(dp, V4_OTHER, 3), 1);
	assert_int_equal(send_n(dp, V6_OTHER, 1), 0);
	advance(dp, 2 * l.interval);
	assert_int_equal(send_n(dp, V6_OTHER, 1), 1);
	assert_int_equal(send_n(dp, V4_SRC, 2), 1);
}

/* No policy for the rule, or a burst too small for one packet: everything is excess, counted. */
static void a_limit_without_room_drops_everything(void **state)
{
	const struct limit zero_burst[] = {
		{ .interval = SEC, .burst = 0, .per_source = 1 },
		{ .interval = SEC, .burst = 0 },
	};
	struct fw_datapath *dp = start();
	uint8_t frame[PKT_MAX];
	size_t len = frame_from(V4_SRC, frame);

	(void)state;
	assert_int_equal(harness_run(dp, frame, len), XDP_DROP);
	assert_int_equal(stat_get(dp, FW_STAT_DROP_LIMIT).packets, 1);
	assert_int_equal(counter_get(dp, RULE).packets, 1);
	assert_int_equal(counter_get(dp, RULE).bytes, len);
	for (size_t i = 0; i < ARRAY_SIZE(zero_burst); i++) {
		limit_write(dp, &zero_burst[i]);
		assert_int_equal(send_n(dp, V4_SRC, 3), 0);
		assert_int_equal(send_n(dp, V6_SRC, 3), 0);
	}
}

struct ban_for_case {
	const char *src;      /* the flooder */
	const char *ban;      /* where its ban must appear */
	unsigned prefixlen;
	uint32_t bit;
};

static const struct ban_for_case ban_for_cases[] = {
	{ V4_SRC, V4_SRC, 32, FW_BANS_EXACT4 },
	{ V6_SRC, V6_SRC, 128, FW_BANS_EXACT6 },
	{ "::ffff:" V4_SRC, V4_SRC, 32, FW_BANS_EXACT4 },
};

/* Over the limit with ban_for: banned from now for ban_for, with the limit's origin. */
static void ban_for_bans_the_excess(void **state)
{
	(void)state;
	for (int per_source = 0; per_source <= 1; per_source++) {
		for (size_t i = 0; i < ARRAY_SIZE(ban_for_cases); i++) {
			const struct ban_for_case *bc = &ban_for_cases[i];
			const struct limit l = { .interval = 10 * SEC, .burst = 2,
						 .per_source = per_source, .ban_for = 600 * SEC,
						 .origin = 7 };
			struct fw_datapath *dp = start_limit(&l, 3600 * SEC);
			uint8_t frame[PKT_MAX];
			size_t len = frame_from(bc->src, frame);
			struct fw_ban_value ban;
			struct timed_run r;

			param_set(dp, FW_PARAM_BANS, FW_BANS_PREFIX6); /* kept */
			assert_int_equal(send_n(dp, bc->src, 2), 2);
			assert_int_equal(ban_read(dp, bc->ban, bc->prefixlen, &ban), -ENOENT);
			r = run_timed(dp, frame, len);
			assert_int_equal(r.action, XDP_DROP);
			assert_int_equal(stat_get(dp, FW_STAT_DROP_LIMIT).packets, 1);
			assert_int_equal(ban_read(dp, bc->ban, bc->prefixlen, &ban), 0);
			assert_true(ban.since >= r.lo && ban.since <= r.hi);
			assert_int_equal(ban.expires, ban.since + l.ban_for);
			assert_int_equal(ban.origin, l.origin);
			assert_int_equal(ban.packets, 0);
			assert_int_equal(param_get(dp, FW_PARAM_BANS), FW_BANS_PREFIX6 | bc->bit);

			/* From now on the ban drops it, before the limit rule counts it. */
			assert_int_equal(harness_run(dp, frame, len), XDP_DROP);
			assert_int_equal(stat_get(dp, FW_STAT_DROP_BAN).packets, 1);
			assert_int_equal(counter_get(dp, RULE).packets, 3);
			assert_int_equal(ban_read(dp, bc->ban, bc->prefixlen, &ban), 0);
			assert_int_equal(ban.packets, 1);
			assert_int_equal(ban.bytes, len);
		}
	}
}

/* An expired ban of the flooder is replaced; a source under never_ban is never banned. */
static void ban_for_replaces_expired_bans_and_spares_never_ban(void **state)
{
	const struct limit l = { .interval = 10 * SEC, .burst = 1, .per_source = 1,
				 .ban_for = 60 * SEC, .origin = 3 };
	struct fw_datapath *dp = start_limit(&l, 3600 * SEC);
	uint8_t frame[PKT_MAX];
	size_t len = frame_from(V4_SRC, frame);
	struct fw_ban_value ban;
	struct timed_run r;

	(void)state;
	ban_write(dp, V4_SRC, 32, 1800 * SEC, FW_BAN_ORIGIN_MANUAL);
	assert_int_equal(send_n(dp, V4_SRC, 1), 1);
	r = run_timed(dp, frame, len);
	assert_int_equal(r.action, XDP_DROP);
	assert_int_equal(ban_read(dp, V4_SRC, 32, &ban), 0);
	assert_true(ban.since >= r.lo && ban.since <= r.hi);
	assert_int_equal(ban.expires, ban.since + l.ban_for);
	assert_int_equal(ban.origin, l.origin);

	static const struct {
		const char *src, *never;
		unsigned prefixlen;
	} spared[] = {
		{ V4_SRC, "198.18.1.0", 24 },
		{ V4_SRC, V4_SRC, 32 },
		{ "::ffff:" V4_SRC, "198.18.0.0", 15 },
		{ V6_SRC, V6_SRC, 128 },
		{ V6_SRC, "2001:2::", 48 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(spared); i++) {
		dp = start_limit(&l, 3600 * SEC);
		never_ban_write(dp, spared[i].never, spared[i].prefixlen);
		assert_int_equal(send_n(dp, spared[i].src, 5), 1);
		assert_int_equal(ban_read(dp, V4_SRC, 32, &ban), -ENOENT);
		assert_int_equal(ban_read(dp, V6_SRC, 128, &ban), -ENOENT);
		assert_int_equal(param_get(dp, FW_PARAM_BANS), 0);
		assert_int_equal(stat_get(dp, FW_STAT_DROP_LIMIT).packets, 4);
	}
}

struct racer {
	struct fw_datapath *dp;
	const uint8_t *frame;
	size_t len;
	uint32_t repeat;
	int cpu;
	uint64_t start, end; /* boot_ns() around its test run */
};

static void *race(void *arg)
{
	struct racer *r = arg;
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(r->cpu, &one);
	pthread_setaffinity_np(pthread_self(), sizeof(one), &one); /* best effort */
	r->start = boot_ns();
	harness_run_repeat(r->dp, r->frame, r->len, r->repeat);
	r->end = boot_ns();
	return NULL;
}

/* Two CPUs test-running one per-rule bucket at once never pass more than rate * time + burst. */
static void two_cpus_never_beat_the_rate(void **state)
{
	const struct limit l = { .interval = 500, .burst = 1000 }; /* 2M/s: near what two CPUs send */
	const uint32_t repeat = 1u << 20;
	struct fw_datapath *dp = start();
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	uint8_t frame[PKT_MAX];
	size_t len = frame_from(V4_SRC, frame);
	struct racer racers[2];
	pthread_t threads[2];
	uint64_t t0, t1, passed, excess, overlap_from, overlap_to;
	double bound;

	(void)state;
	limit_write(dp, &l); /* tat 0: a full bucket */
	for (int i = 0; i < 2; i++)
		racers[i] = (struct racer){ dp, frame, len, repeat, cpus > 1 ? i : 0, 0, 0 };
	t0 = boot_ns();
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	t1 = boot_ns();

	passed = stat_get(dp, FW_STAT_PASS_RULE).packets;
	excess = stat_get(dp, FW_STAT_DROP_LIMIT).packets;
	bound = ((double)(t1 - t0) / l.interval + l.burst) * 1.01;
	overlap_from = racers[0].start > racers[1].start ? racers[0].start : racers[1].start;
	overlap_to = racers[0].end < racers[1].end ? racers[0].end : racers[1].end;
	print_message("%" PRIu64 " passed, %" PRIu64 " excess in %.3f s (both running %.3f s);"
		      " bound %.0f\n", passed, excess, (t1 - t0) / 1e9,
		      overlap_to > overlap_from ? (overlap_to - overlap_from) / 1e9 : 0.0, bound);
	assert_int_equal(passed + excess, 2ull * repeat);
	assert_int_equal(counter_get(dp, RULE).packets, 2ull * repeat);
	assert_true((double)passed <= bound);
	assert_true(passed >= l.burst);
	assert_true(excess > 0); /* the rate bound, not the packet count, decided */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_and_refill_are_exact),
		cmocka_unit_test(buckets_survive_the_clock_wrap),
		cmocka_unit_test(per_source_buckets_are_independent),
		cmocka_unit_test(a_per_rule_bucket_is_shared),
		cmocka_unit_test(a_limit_without_room_drops_everything),
		cmocka_unit_test(ban_for_bans_the_excess),
		cmocka_unit_test(ban_for_replaces_expired_bans_and_spares_never_ban),
		cmocka_unit_test(two_cpus_never_beat_the_rate),
	};

	return cmocka_run_group_tests_name("datapath rate limits", tests, NULL, NULL);
}
