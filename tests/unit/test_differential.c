// SPDX-License-Identifier: GPL-2.0
/*
 * Differential test: random and mutated frames go through the loaded XDP
 * program (BPF_PROG_TEST_RUN) and through fw_classify_explain(), the plain-C
 * reading of DESIGN §1 and §1b, against random rule sets of exact
 * addresses, nested and overlapping prefixes, sets, port lists and ties.
 * Rules with `tcp_flags: syn` meet SYN, SYN+ACK and plain TCP frames, and
 * rules with a limit (one never reached, so the rule's verdict stands).
 * The XDP action, the stat slot and the rule counter bumped must all agree,
 * for every frame: actions and counters per frame, the per-CPU stats per
 * batch (a batch that differs is replayed frame by frame to find the one).
 * The seed is fixed, so every run (CI's too) replays; XDPFW_SEED=N runs
 * another, XDPFW_SEED=random a new one.
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
#include "classify.h"
#include "gen.h"
#include "harness.h"
#include "names.h"
#include "pkt.h"
#include "prefix.h"

#define DIFF_CAPACITY 16384
#define DIFF_PORT_RULES 262144 /* fw_port_rules_N entries the largest case needs, and room */
#define DIFF_BATCH 1024 /* frames between two reads of the per-CPU stats */
#define DIFF_STEPS 9    /* fw_explanation steps 0-8 */

struct diff_case {
	struct gen_shape shape;
	int frames;
};

#define PASS FW_ACTION_PASS
#define DROP FW_ACTION_DROP
#define INSPECT FW_FRAGMENTS_INSPECT
#define FRAGDROP FW_FRAGMENTS_DROP

/* Exact addresses only: the v1 configs, at sizes that fill the hashes. */
#define EXACT(n, def, frag) { .rules = n, .port_pct = 50, .default_action = def, .fragments = frag }
/*
 * Prefixes, sets, port lists and ties, mixed with exact addresses and
 * source-less rules; syn rules and limit rules among them.
 */
#define MIXED(n, prefix, set, ports, lists, sets_, elements, def, frag)                     \
	{ .rules = n, .prefix_pct = prefix, .set_pct = set, .port_pct = ports,              \
	  .list_pct = lists, .tie_pct = 25, .clean_pct = 50, .sets = sets_,                 \
	  .set_elements = elements, .syn_pct = 15, .limit_pct = 10, .default_action = def, \
	  .fragments = frag }

/*
 * The datapath folds a prefix's port rules into every class under it, port
 * by port: the larger sets name fewer ports, to fit DIFF_PORT_RULES.
 */
static const struct diff_case diff_cases[] = {
	{ EXACT(1, PASS, INSPECT), 30000 },
	{ EXACT(10, DROP, INSPECT), 40000 },
	{ EXACT(100, PASS, FRAGDROP), 40000 },
	{ EXACT(1000, DROP, INSPECT), 40000 },
	{ EXACT(10000, DROP, INSPECT), 15000 },
	{ EXACT(10000, PASS, FRAGDROP), 15000 },
	{ MIXED(4, 60, 20, 50, 50, 2, 4, DROP, INSPECT), 50000 },
	{ MIXED(8, 50, 30, 50, 50, 3, 6, PASS, INSPECT), 60000 },
	{ MIXED(16, 40, 30, 50, 40, 4, 8, DROP, FRAGDROP), 60000 },
	{ MIXED(24, 10, 70, 50, 40, 4, 30, DROP, INSPECT), 60000 },
	{ MIXED(32, 45, 25, 50, 40, 6, 12, PASS, INSPECT), 70000 },
	{ MIXED(48, 90, 0, 50, 40, 0, 1, DROP, INSPECT), 60000 },
	{ MIXED(64, 40, 25, 50, 40, 8, 16, DROP, INSPECT), 80000 },
	{ MIXED(96, 30, 40, 50, 30, 12, 24, PASS, FRAGDROP), 60000 },
	{ MIXED(128, 40, 20, 50, 30, 12, 30, DROP, INSPECT), 80000 },
	{ MIXED(192, 60, 10, 40, 20, 16, 20, PASS, INSPECT), 60000 },
	{ MIXED(256, 40, 20, 40, 20, 20, 40, DROP, INSPECT), 60000 },
	{ MIXED(400, 50, 15, 30, 10, 30, 30, PASS, INSPECT), 50000 },
	{ MIXED(700, 50, 10, 25, 5, 40, 40, DROP, FRAGDROP), 40000 },
	{ MIXED(1500, 50, 10, 15, 3, 60, 50, DROP, INSPECT), 30000 },
	{ MIXED(4000, 60, 5, 8, 1, 80, 60, PASS, INSPECT), 20000 },
	{ MIXED(12, 30, 40, 40, 30, 2, 3000, DROP, INSPECT), 20000 }, /* blocklists */
};

#define DIFF_SETS (sizeof(diff_cases) / sizeof(diff_cases[0]))

/*
 * The sanitized build runs a quarter of each case: it is there to catch
 * memory errors on every path, and the plain build runs the million.
 */
#if defined(__SANITIZE_ADDRESS__)
#define DIFF_SHARE 4
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DIFF_SHARE 4
#endif
#endif
#ifndef DIFF_SHARE
#define DIFF_SHARE 1
#endif
#define DIFF_MIN_FRAMES (1000000 / DIFF_SHARE) /* what diff_cases add up to, at least */

static uint64_t diff_seed;

/* What the run exercised, so a generator that never hits rules fails too. */
static struct {
	uint64_t frames;
	uint64_t by_reason[FW_STAT_COUNT];
	uint64_t by_step[DIFF_STEPS];
	uint64_t at_address;     /* decided by a rule at one address (/32, /128) */
	uint64_t at_v4_prefix;   /* at an IPv4 prefix /1-/31 */
	uint64_t at_v6_prefix;   /* at an IPv6 prefix /1-/127 */
	uint64_t mapped_at_v4;   /* an IPv6 frame from ::ffff:a.b.c.d, at an IPv4 prefix */
	uint64_t by_element;     /* at a set's element */
	uint64_t ties;           /* another rule matched at the same prefix and level */
	uint64_t port_lists;     /* by a rule with a port range or list */
	uint64_t by_syn_rule;    /* by a tcp_flags: syn rule */
	uint64_t syn_past_syn;   /* a SYN that a syn rule matched, decided by another rule */
	uint64_t not_syn;        /* a TCP frame other than a SYN, decided by a tcp rule beside a syn rule */
	uint64_t by_limit;       /* by a rule with a limit */
} coverage;

/* One rule set in force and what its counters must read once the frames are through. */
struct diff_run {
	struct fw_datapath *dp;
	const struct fw_ruleset *rs;
	struct fw_stat_value stats[FW_STAT_COUNT]; /* as read last */
	struct fw_counter *counters_before;        /* per rule index */
	struct fw_counter *expected;               /* per rule index: what the oracle gave it */
};

/* The datapath every case shares, with room for the port rules prefixes fold into classes. */
static struct fw_datapath *diff_datapath(void)
{
	static struct fw_datapath dp;
	static bool loaded;
	struct fw_room room = fw_room_for_capacity(DIFF_CAPACITY);
	int err;

	if (loaded)
		return &dp;
	room.port_rules = DIFF_PORT_RULES;
	err = fw_datapath_load(&dp, DIFF_CAPACITY, &room);
	if (err) {
		printf("Bail out! loading the XDP program failed: %s\n", strerror(-err));
		exit(1);
	}
	loaded = true;
	return &dp;
}

static bool rule_names_port(const struct fw_ruleset *rs, const struct fw_rule *r)
{
	const struct fw_port_range *ranges;
	struct fw_port_range one;

	return fw_rule_ports(rs, r, &ranges, &one) > 0;
}

/* The precedence level the rule has where it matches: 1-4 with a source, 5-7 without. */
static int rule_level(const struct fw_ruleset *rs, const struct fw_rule *r)
{
	return 1 + (r->has_src ? 0 : 4) + (rule_names_port(rs, r) ? 0 : 2) +
	       (r->proto != FW_PROTO_ANY ? 0 : 1);
}

static void hex_dump(const uint8_t *frame, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%s%02x%s", i % 16 ? "" : "#   ", frame[i],
		       i % 16 == 15 || i + 1 == len ? "\n" : " ");
}

static void print_rule(const char *who, const struct fw_ruleset *rs, long index)
{
	const struct fw_port_range *ranges;
	struct fw_port_range one;
	const struct fw_rule *r;
	const struct fw_set *set;
	char text[FW_PREFIX_TEXT_MAX];
	size_t n;

	if (index < 0) {
		printf("#   %s rule: none\n", who);
		return;
	}
	r = &rs->rules[index];
	set = fw_rule_set(rs, r);
	printf("#   %s rule: index %ld id %u level %d proto %u%s action %u%s src ", who, index,
	       r->id, rule_level(rs, r), r->proto, r->tcp_flags ? " syn" : "", r->action,
	       r->limit.interval ? " (limit)" : "");
	if (set) {
		printf("@%s {", set->name);
		for (size_t e = 0; e < set->count; e++)
			printf("%s%s", e ? ", " : "", fw_prefix_format(&set->elements[e].prefix, text));
		printf("}");
	} else if (r->has_src) {
		struct fw_prefix p = { .len = fw_rule_src_len(r) };

		memcpy(p.addr, r->src, 16);
		printf("%s", fw_prefix_format(&p, text));
	} else {
		printf("any");
	}
	n = fw_rule_ports(rs, r, &ranges, &one);
	printf(" port %s", n ? "" : "any");
	for (size_t i = 0; i < n; i++)
		printf("%s%u-%u", i ? "," : "", ranges[i].first, ranges[i].last);
	printf("\n");
}

static void print_explanation(const struct fw_explanation *x)
{
	char text[FW_PREFIX_TEXT_MAX] = "none";

	if (x->matched.len)
		fw_prefix_format(&x->matched, text);
	printf("#   fw_classify_explain: step %d, prefix %s, set %ld element %ld\n", x->step, text,
	       x->set, x->element);
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
				const struct fw_explanation *x, int action, int stat_bumped,
				const char *what)
{
	printf("# DISAGREEMENT (%s): seed %llu (replay: XDPFW_SEED=%llu), rule set of %zu rules, "
	       "%zu sets, default %s, fragments %s, frame of %zu bytes:\n",
	       what, (unsigned long long)diff_seed, (unsigned long long)diff_seed, run->rs->count,
	       run->rs->set_count, run->rs->default_action == FW_ACTION_DROP ? "drop" : "pass",
	       run->rs->fragments == FW_FRAGMENTS_DROP ? "drop" : "inspect", len);
	hex_dump(frame, len);
	printf("#   fw_classify: %s (%s)\n", fw_stat_name(x->verdict.reason),
	       fw_stat_is_drop(x->verdict.reason) ? "XDP_DROP" : "XDP_PASS");
	print_explanation(x);
	print_rule("fw_classify", run->rs, x->verdict.rule);
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

static struct fw_explanation explain_frame(const struct fw_ruleset *rs, const uint8_t *frame,
					   size_t len, struct fw_frame_facts *facts)
{
	*facts = fw_frame_read(frame, len);
	return fw_classify_explain(rs, facts);
}

/*
 * One frame, every check at once: the action, the one stat slot bumped (a
 * per-CPU map read, so only where a batch went wrong) and the rule counter.
 */
static void diff_frame_slowly(struct diff_run *run, const uint8_t *frame, size_t len)
{
	struct fw_frame_facts facts;
	struct fw_explanation x = explain_frame(run->rs, frame, len, &facts);
	struct fw_stat_value before[FW_STAT_COUNT], after[FW_STAT_COUNT];
	struct fw_counter rule_before = { 0 }, rule_after = { 0 };
	uint32_t id = x.verdict.rule >= 0 ? run->rs->rules[x.verdict.rule].id : 0;
	int action, bumped;

	assert_int_equal(fw_stats_read(run->dp, before), 0);
	if (x.verdict.rule >= 0)
		assert_int_equal(fw_counter_read(run->dp, id, &rule_before), 0);
	action = harness_run(run->dp, frame, len);
	assert_int_equal(fw_stats_read(run->dp, after), 0);
	bumped = stat_slot_bumped(before, after, len);

	if (action != (fw_stat_is_drop(x.verdict.reason) ? XDP_DROP : XDP_PASS))
		report_disagreement(run, frame, len, &x, action, bumped, "XDP action");
	if (bumped != (int)x.verdict.reason)
		report_disagreement(run, frame, len, &x, action, bumped, "stat slot");
	if (x.verdict.rule >= 0) {
		assert_int_equal(fw_counter_read(run->dp, id, &rule_after), 0);
		if (rule_after.packets - rule_before.packets != 1 ||
		    rule_after.bytes - rule_before.bytes != len)
			report_disagreement(run, frame, len, &x, action, bumped, "rule counter");
	}
}

/* A frame the quick checks caught: run it again with every check, which reports it. */
static void diff_replay(struct diff_run *run, const uint8_t *frame, size_t len, const char *what)
{
	diff_frame_slowly(run, frame, len);
	printf("# %s differed once, but not when the frame ran again:\n", what);
	hex_dump(frame, len);
	fail_msg("datapath and fw_classify disagreed once (%s); seed %llu", what,
		 (unsigned long long)diff_seed);
}

/* Whether the rule names the packet's port (or none) and protocol (or any). */
static bool rule_meets_port_proto(const struct fw_ruleset *rs, const struct fw_rule *r,
				  const struct fw_frame_facts *pkt)
{
	if (rule_names_port(rs, r) && (!pkt->dport || !fw_rule_has_port(rs, r, pkt->dport)))
		return false;
	if (r->tcp_flags && !pkt->tcp_syn)
		return false;
	return r->proto == FW_PROTO_ANY || r->proto == pkt->proto;
}

static bool rule_has_prefix(const struct fw_ruleset *rs, const struct fw_rule *r,
			    const struct fw_prefix *p)
{
	const struct fw_set *set = fw_rule_set(rs, r);

	if (!set)
		return r->has_src && fw_rule_src_len(r) == p->len && !memcmp(r->src, p->addr, 16);
	for (size_t e = 0; e < set->count; e++)
		if (set->elements[e].prefix.len == p->len &&
		    !memcmp(set->elements[e].prefix.addr, p->addr, 16))
			return true;
	return false;
}

/* Another rule matched at the deciding prefix and level: the rule listed first had to win. */
static bool diff_was_tie(const struct fw_ruleset *rs, const struct fw_frame_facts *pkt,
			 const struct fw_explanation *x)
{
	for (size_t j = 0; j < rs->count; j++) {
		const struct fw_rule *r = &rs->rules[j];

		if ((long)j == x->verdict.rule || rule_level(rs, r) != x->step ||
		    r->tcp_flags != rs->rules[x->verdict.rule].tcp_flags ||
		    !rule_meets_port_proto(rs, r, pkt))
			continue;
		if (!r->has_src || rule_has_prefix(rs, r, &x->matched))
			return true;
	}
	return false;
}

/* An IPv6 frame, under up to two VLAN tags. */
static bool frame_is_ipv6(const uint8_t *frame, size_t len)
{
	size_t at = 12;

	for (int tags = 0; tags <= 2 && at + 2 <= len; tags++, at += 4) {
		uint16_t type = (uint16_t)(frame[at] << 8 | frame[at + 1]);

		if (type != 0x8100 && type != 0x88a8)
			return type == 0x86dd;
	}
	return false;
}

/* Whether some syn rule other than the winner matches the frame, at any prefix. */
static bool syn_rule_meets(const struct fw_ruleset *rs, const struct fw_frame_facts *pkt,
			   long winner)
{
	for (size_t j = 0; j < rs->count; j++) {
		const struct fw_rule *r = &rs->rules[j];
		const struct fw_set *set = fw_rule_set(rs, r);
		struct fw_prefix p = { .len = fw_rule_src_len(r) };
		bool meets = !r->has_src;

		if (!r->tcp_flags || (long)j == winner || !rule_meets_port_proto(rs, r, pkt))
			continue;
		memcpy(p.addr, r->src, 16);
		for (size_t e = 0; set && e < set->count && !meets; e++)
			meets = fw_prefix_contains(&set->elements[e].prefix, pkt->src);
		if (meets || (!set && r->has_src && fw_prefix_contains(&p, pkt->src)))
			return true;
	}
	return false;
}

/* SYN decisions: by a syn rule, past one (a longer prefix or a level before), or ACKs beside one. */
static void count_syn_coverage(const struct fw_ruleset *rs, const struct fw_frame_facts *pkt,
			       const struct fw_explanation *x)
{
	const struct fw_rule *winner = &rs->rules[x->verdict.rule];

	if (pkt->proto != FW_PROTO_TCP)
		return;
	coverage.by_syn_rule += winner->tcp_flags != 0;
	if (pkt->tcp_syn && !winner->tcp_flags && syn_rule_meets(rs, pkt, x->verdict.rule))
		coverage.syn_past_syn++;
	if (!pkt->tcp_syn && winner->proto == FW_PROTO_TCP) {
		struct fw_frame_facts as_syn = *pkt;

		as_syn.tcp_syn = true;
		coverage.not_syn += syn_rule_meets(rs, &as_syn, -1);
	}
}

static void count_coverage(const struct fw_ruleset *rs, const uint8_t *frame, size_t len,
			   const struct fw_frame_facts *facts, const struct fw_explanation *x)
{
	const struct fw_prefix *p = &x->matched;
	bool v4 = fw_prefix_is_v4(p);

	coverage.frames++;
	coverage.by_reason[x->verdict.reason]++;
	coverage.by_step[x->step]++;
	if (x->verdict.rule < 0)
		return;
	coverage.at_address += p->len == 128;
	coverage.at_v4_prefix += v4 && p->len < 128;
	coverage.at_v6_prefix += p->len && !v4 && p->len < 128;
	coverage.mapped_at_v4 += v4 && p->len < 128 && frame_is_ipv6(frame, len);
	coverage.by_element += x->element >= 0;
	coverage.port_lists += rs->rules[x->verdict.rule].ports_count > 0;
	coverage.ties += diff_was_tie(rs, facts, x);
	count_syn_coverage(rs, facts, x);
	coverage.by_limit += rs->rules[x->verdict.rule].limit.interval != 0;
}

/*
 * One frame, quickly: the action and the rule counter (mapped memory) now;
 * the stat slot it owes goes into want, checked for the whole batch.
 */
static void diff_frame(struct diff_run *run, const uint8_t *frame, size_t len,
		       struct fw_stat_value *want)
{
	struct fw_frame_facts facts;
	struct fw_explanation x = explain_frame(run->rs, frame, len, &facts);
	long rule = x.verdict.rule;
	uint32_t id = rule >= 0 ? run->rs->rules[rule].id : 0;
	struct fw_counter before = { 0 }, after = { 0 };
	int action;

	if (rule >= 0)
		assert_int_equal(fw_counter_read(run->dp, id, &before), 0);
	action = harness_run(run->dp, frame, len);
	if (action != (fw_stat_is_drop(x.verdict.reason) ? XDP_DROP : XDP_PASS))
		diff_replay(run, frame, len, "XDP action");
	if (rule >= 0) {
		assert_int_equal(fw_counter_read(run->dp, id, &after), 0);
		if (after.packets - before.packets != 1 || after.bytes - before.bytes != len)
			diff_replay(run, frame, len, "rule counter");
		run->expected[rule].packets++;
		run->expected[rule].bytes += len;
	}
	want[x.verdict.reason].packets++;
	want[x.verdict.reason].bytes += len;
	count_coverage(run->rs, frame, len, &facts, &x);
}

static uint8_t batch_frames[DIFF_BATCH][PKT_MAX];
static size_t batch_lens[DIFF_BATCH];

/* n frames; then every stat slot must have moved by what the oracle said, or a frame is found that tells. */
static void diff_batch(struct diff_run *run, struct gen_rng *rng, const struct gen_pool *pool,
		       size_t n)
{
	struct fw_stat_value want[FW_STAT_COUNT] = { 0 }, now[FW_STAT_COUNT];

	for (size_t i = 0; i < n; i++) {
		batch_lens[i] = gen_frame(rng, pool, batch_frames[i]);
		diff_frame(run, batch_frames[i], batch_lens[i], want);
	}
	assert_int_equal(fw_stats_read(run->dp, now), 0);
	for (int s = 0; s < FW_STAT_COUNT; s++) {
		if (now[s].packets - run->stats[s].packets == want[s].packets &&
		    now[s].bytes - run->stats[s].bytes == want[s].bytes)
			continue;
		printf("# stat %s moved by %llu packets in a batch of %zu, fw_classify said %llu; "
		       "replaying the batch\n",
		       fw_stat_name(s), (unsigned long long)(now[s].packets - run->stats[s].packets),
		       n, (unsigned long long)want[s].packets);
		for (size_t i = 0; i < n; i++)
			diff_frame_slowly(run, batch_frames[i], batch_lens[i]);
		fail_msg("a batch's stats differ from fw_classify's, but no frame alone does; seed %llu",
			 (unsigned long long)diff_seed);
	}
	memcpy(run->stats, now, sizeof(now));
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
	struct diff_run run = { .dp = diff_datapath(), .rs = &rs };
	size_t frames = (size_t)c->frames / DIFF_SHARE;
	int err;

	gen_ruleset(&rng, &c->shape, &rs, &pool);
	err = fw_datapath_sync(run.dp, &rs);
	if (err)
		fail_msg("fw_datapath_sync of %zu rules, %zu sets: %s", rs.count, rs.set_count,
			 strerror(-err));
	run.counters_before = calloc(rs.count + 1, sizeof(*run.counters_before));
	run.expected = calloc(rs.count + 1, sizeof(*run.expected));
	assert_non_null(run.counters_before);
	assert_non_null(run.expected);
	for (size_t i = 0; i < rs.count; i++)
		assert_int_equal(fw_counter_read(run.dp, rs.rules[i].id, &run.counters_before[i]), 0);
	assert_int_equal(fw_stats_read(run.dp, run.stats), 0);

	for (size_t done = 0; done < frames; done += DIFF_BATCH)
		diff_batch(&run, &rng, &pool, frames - done < DIFF_BATCH ? frames - done : DIFF_BATCH);
	check_all_counters(&run);

	printf("# %zu rules, %zu sets, %zu port ranges (default %s, fragments %s): %zu frames "
	       "agree\n",
	       rs.count, rs.set_count, rs.port_range_count,
	       c->shape.default_action == FW_ACTION_DROP ? "drop" : "pass",
	       c->shape.fragments == FW_FRAGMENTS_DROP ? "drop" : "inspect", frames);
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
	struct fw_datapath *dp = diff_datapath();
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

static void coverage_at_least(const char *what, uint64_t count, uint64_t per_mille)
{
	if (count < coverage.frames * per_mille / 1000)
		fail_msg("only %llu of %llu frames %s", (unsigned long long)count,
			 (unsigned long long)coverage.frames, what);
}

/* The random frames reached every verdict, every precedence step and every kind of match. */
static void test_differential_coverage(void **state)
{
	char what[64];

	(void)state;
	printf("# %llu frames:", (unsigned long long)coverage.frames);
	for (int s = 0; s < FW_STAT_COUNT; s++)
		printf(" %s %llu", fw_stat_name(s), (unsigned long long)coverage.by_reason[s]);
	printf("; by step:");
	for (int step = 0; step < DIFF_STEPS; step++)
		printf(" %d:%llu", step, (unsigned long long)coverage.by_step[step]);
	printf("\n# at an address %llu, an IPv4 prefix %llu (from v4-mapped IPv6 %llu), an IPv6 "
	       "prefix %llu, a set element %llu; port lists %llu; ties %llu\n",
	       (unsigned long long)coverage.at_address, (unsigned long long)coverage.at_v4_prefix,
	       (unsigned long long)coverage.mapped_at_v4, (unsigned long long)coverage.at_v6_prefix,
	       (unsigned long long)coverage.by_element, (unsigned long long)coverage.port_lists,
	       (unsigned long long)coverage.ties);
	printf("# by a syn rule %llu, SYNs past a syn rule %llu, other TCP beside a syn rule %llu; "
	       "by a limit rule %llu\n",
	       (unsigned long long)coverage.by_syn_rule, (unsigned long long)coverage.syn_past_syn,
	       (unsigned long long)coverage.not_syn, (unsigned long long)coverage.by_limit);
	assert_true(coverage.frames >= DIFF_MIN_FRAMES);
	for (int s = 0; s < FW_STAT_COUNT; s++) {
		/* Bans and limits keep state across frames: their own tests cover them. */
		if (s == FW_STAT_DROP_BAN || s == FW_STAT_DROP_LIMIT)
			continue;
		snprintf(what, sizeof(what), "ended as %s", fw_stat_name(s));
		coverage_at_least(what, coverage.by_reason[s], 1);
	}
	for (int step = 1; step < DIFF_STEPS; step++) {
		snprintf(what, sizeof(what), "decided at precedence step %d", step);
		coverage_at_least(what, coverage.by_step[step], 1);
	}
	coverage_at_least("decided at one address", coverage.at_address, 10);
	coverage_at_least("decided at an IPv4 prefix", coverage.at_v4_prefix, 10);
	coverage_at_least("decided at an IPv6 prefix", coverage.at_v6_prefix, 10);
	coverage_at_least("from v4-mapped IPv6 decided at an IPv4 prefix", coverage.mapped_at_v4, 1);
	coverage_at_least("decided by a set element", coverage.by_element, 10);
	coverage_at_least("decided by a port range or list", coverage.port_lists, 10);
	coverage_at_least("decided in a tie", coverage.ties, 5);
	coverage_at_least("decided by a tcp_flags: syn rule", coverage.by_syn_rule, 10);
	coverage_at_least("SYNs decided past a syn rule they meet", coverage.syn_past_syn, 2);
	coverage_at_least("non-SYN TCP decided beside a syn rule", coverage.not_syn, 5);
	coverage_at_least("decided by a limit rule", coverage.by_limit, 10);
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
	char names[DIFF_SETS][96];
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
		const struct gen_shape *shape = &diff_cases[i].shape;

		snprintf(names[i], sizeof(names[i]),
			 "differential_%zu_rules_%upct_prefixes_%upct_sets_default_%s_fragments_%s",
			 shape->rules, shape->prefix_pct, shape->set_pct,
			 shape->default_action == FW_ACTION_DROP ? "drop" : "pass",
			 shape->fragments == FW_FRAGMENTS_DROP ? "drop" : "inspect");
		tests[n++] = (struct CMUnitTest){
			.name = names[i],
			.test_func = test_differential_set,
			.initial_state = (void *)&diff_cases[i],
		};
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_differential_coverage);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
