// SPDX-License-Identifier: GPL-2.0
/*
 * The frame parser: fuzzer-made frames go through the loaded XDP program
 * (BPF_PROG_TEST_RUN) and through fw_classify(), the reference reading of
 * DESIGN §1. The XDP action, the one stat slot counted and the one rule
 * counter bumped (or none) must agree. The first input byte picks the
 * policy (bit 0: default drop, bit 1: fragments drop); the rest is the
 * frame, under a fixed rule set with a rule at every precedence level.
 * Needs root and bpf.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include "harness.h"
#include "pkt.h"

#define ETH_MIN 14 /* BPF_PROG_TEST_RUN refuses an XDP frame shorter than Ethernet */
#define V4 "198.18.0.1"
#define V4_ICMP "198.18.0.2"
#define V6 "2001:2::1"

static const struct rule_spec rules[] = {
	{ "v4-src-22-tcp", V4, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "v4-src-53-any", V4, 53, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v4-src-udp", V4, 0, FW_PROTO_UDP, FW_ACTION_PASS },
	{ "v4-src", V4, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "v4-icmp", V4_ICMP, 0, FW_PROTO_ICMP, FW_ACTION_PASS },
	{ "v6-src-22-tcp", V6, 22, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "v6-src-80-any", V6, 80, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "v6-src-icmpv6", V6, 0, FW_PROTO_ICMPV6, FW_ACTION_DROP },
	{ "v6-src", V6, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "any-22-tcp", NULL, 22, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "any-22-udp", NULL, 22, FW_PROTO_UDP, FW_ACTION_DROP },
	{ "any-80-any", NULL, 80, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "any-443-tcp", NULL, 443, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "any-icmp", NULL, 0, FW_PROTO_ICMP, FW_ACTION_DROP },
	{ "any-icmpv6", NULL, 0, FW_PROTO_ICMPV6, FW_ACTION_PASS },
	{ "any-udp", NULL, 0, FW_PROTO_UDP, FW_ACTION_PASS },
	{ "any-tcp", NULL, 0, FW_PROTO_TCP, FW_ACTION_DROP },
};

#define RULES (sizeof(rules) / sizeof(rules[0]))

/*
 * One loaded program per policy, each with its set synced once: switching a
 * single program's set costs tens of milliseconds (it waits for readers).
 */
#define POLICIES 4

struct policy_run {
	struct fw_datapath dp;
	struct fw_ruleset rs;
	struct fw_stat_value stats[FW_STAT_COUNT]; /* as read after the last frame */
	struct fw_counter counters[RULES];
};

static struct policy_run runs[POLICIES];
static unsigned long verdicts[FW_STAT_COUNT]; /* frames per agreed stat slot */

/* What the frames exercised, so a smoke run shows it reached past the Ethernet header. */
static void report(void)
{
	fprintf(stderr, "fuzz_frame: frames by stat slot (enum fw_stat):");
	for (int s = 0; s < FW_STAT_COUNT; s++)
		fprintf(stderr, " %d:%lu", s, verdicts[s]);
	fprintf(stderr, "\n");
}

static void must(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "fuzz_frame: %s failed: %s\n", what, strerror(-err));
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fw_room room = fw_room_for_capacity(RULES);

	(void)argc;
	(void)argv;
	for (int p = 0; p < POLICIES; p++) {
		struct policy_run *run = &runs[p];

		must(fw_datapath_load(&run->dp, RULES, &room), "loading the XDP program");
		harness_ruleset(&run->rs, rules, RULES, p & 1 ? FW_ACTION_DROP : FW_ACTION_PASS,
				p & 2 ? FW_FRAGMENTS_DROP : FW_FRAGMENTS_INSPECT);
		must(fw_datapath_sync(&run->dp, &run->rs), "fw_datapath_sync");
		must(fw_stats_read(&run->dp, run->stats), "reading the stats");
		for (size_t i = 0; i < RULES; i++)
			must(fw_counter_read(&run->dp, (uint32_t)i, &run->counters[i]),
			     "reading a counter");
	}
	atexit(report);
	return 0;
}

/* The one stat slot that counted one packet of len bytes since the last frame, or -1. */
static int stat_counted(struct policy_run *run, size_t len)
{
	struct fw_stat_value now[FW_STAT_COUNT];
	int counted = -1, odd = 0;

	must(fw_stats_read(&run->dp, now), "reading the stats");
	for (int s = 0; s < FW_STAT_COUNT; s++) {
		uint64_t packets = now[s].packets - run->stats[s].packets;
		uint64_t bytes = now[s].bytes - run->stats[s].bytes;

		if (!packets && !bytes)
			continue;
		if (counted >= 0 || packets != 1 || bytes != len)
			odd = 1;
		counted = s;
	}
	memcpy(run->stats, now, sizeof(now));
	return odd ? -1 : counted;
}

/* The one rule whose counter moved by one packet of len bytes, -1 for none, -2 if odd. */
static long rule_counted(struct policy_run *run, size_t len)
{
	long counted = -1;
	int odd = 0;

	for (size_t i = 0; i < RULES; i++) {
		struct fw_counter now;

		must(fw_counter_read(&run->dp, (uint32_t)i, &now), "reading a counter");
		if (now.packets == run->counters[i].packets && now.bytes == run->counters[i].bytes)
			continue;
		if (counted != -1 || now.packets - run->counters[i].packets != 1 ||
		    now.bytes - run->counters[i].bytes != len)
			odd = 1;
		counted = (long)i;
		run->counters[i] = now;
	}
	return odd ? -2 : counted;
}

static const char *rule_name(long rule)
{
	return rule == -1 ? "(none)" : rule < 0 ? "(several, or odd amounts)" : rules[rule].name;
}

static void disagree(int policy, const uint8_t *frame, size_t len, struct fw_verdict want,
		     int action, int slot, long rule)
{
	fprintf(stderr, "FRAME DISAGREEMENT: default %s, fragments %s, %zu-byte frame:\n",
		policy & 1 ? "drop" : "pass", policy & 2 ? "drop" : "inspect", len);
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, "%02x%s", frame[i], i % 16 == 15 || i + 1 == len ? "\n" : " ");
	fprintf(stderr, "  fw_classify: stat slot %d (%s), rule %s\n", (int)want.reason,
		fw_stat_is_drop(want.reason) ? "XDP_DROP" : "XDP_PASS", rule_name(want.rule));
	fprintf(stderr, "  datapath:    stat slot %d, action %s, rule %s\n", slot,
		action == XDP_DROP ? "XDP_DROP" : action == XDP_PASS ? "XDP_PASS" : "other",
		rule_name(rule));
	fprintf(stderr, "  (stat slots are enum fw_stat in fw/xdpfw.h; -1: none or several)\n");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *frame = data + 1;
	size_t len = size - 1;
	struct policy_run *run;
	struct fw_verdict want;
	int action, slot;
	long rule;

	if (size < 1 + ETH_MIN)
		return -1; /* not a frame: keep it out of the corpus */
	if (len > PKT_MAX)
		len = PKT_MAX;
	run = &runs[data[0] % POLICIES];
	want = fw_classify(&run->rs, frame, len);
	action = harness_run(&run->dp, frame, len);
	slot = stat_counted(run, len);
	rule = rule_counted(run, len);
	if (action != (fw_stat_is_drop(want.reason) ? XDP_DROP : XDP_PASS) ||
	    slot != (int)want.reason || rule != want.rule)
		disagree(data[0] % POLICIES, frame, len, want, action, slot, rule);
	verdicts[want.reason]++;
	return 0;
}
