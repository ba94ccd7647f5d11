/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Katran-style verdict tables for the datapath tests: each row names a rule
 * set, a packet, and what DESIGN §1 says must happen to it. Every row runs
 * as its own cmocka test and checks the XDP action, that exactly one stats
 * slot (the expected reason) counted the frame, and that exactly one rule
 * counter (the expected winner) or none counted it.
 */
#ifndef TEST_VERDICT_TABLE_H
#define TEST_VERDICT_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "harness.h"
#include "names.h"
#include "pkt.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Rules per set the test datapath is loaded with. */
#define TEST_CAPACITY 1024

/* RFC 2544 benchmarking addresses, the only ones the tests use. */
#define V4_SRC "198.18.1.1"
#define V4_NEIGHBOUR "198.18.1.2" /* differs from V4_SRC in the last bit only */
#define V4_OTHER "198.18.9.9"     /* named by no rule */
#define V6_SRC "2001:2::1:1"
#define V6_NEIGHBOUR "2001:2::1:2"
#define V6_OTHER "2001:2::9:9"

/* A rule set as fw_datapath_sync() gets it; rule ids are the array indices. */
struct fixture {
	const char *name;
	const struct rule_spec *rules;
	size_t count;
	uint32_t default_action;
	uint32_t fragments;
};

#define FIXTURE(name, rules, default_action, fragments) \
	{ name, rules, ARRAY_SIZE(rules), default_action, fragments }

struct verdict_case {
	const char *desc;
	const struct fixture *fixture;
	struct pkt_spec pkt;
	int action;         /* XDP_PASS or XDP_DROP */
	enum fw_stat reason;
	const char *rule;   /* the rule whose counter must count the frame; NULL = none */
};

struct verdict_table {
	const char *name;
	const struct verdict_case *rows;
	size_t count;
};

#define VERDICT_TABLE(name, rows) { name, rows, ARRAY_SIZE(rows) }

/* Short packet specs for the common rows. */
#define PKT_TCP(src_, port) { .src = src_, .ipproto = IPPROTO_TCP, .dport = port }
#define PKT_UDP(src_, port) { .src = src_, .ipproto = IPPROTO_UDP, .dport = port }
#define PKT_ICMP(src_, type) { .src = src_, .ipproto = IPPROTO_ICMP, .icmp_type = type }
#define PKT_ICMPV6(src_, type) { .src = src_, .ipproto = IPPROTO_ICMPV6, .icmp_type = type }

/* Runs every row of every table as one cmocka group; returns the number of failures. */
int verdict_tables_run(const char *group, const struct verdict_table *tables, size_t count);

/* The datapath every test in this process shares, loaded on first use. */
struct fw_datapath *test_datapath(void);

/* Puts f in force with fw_datapath_sync(), always; fails the running test on error. */
void fixture_sync(struct fw_datapath *dp, const struct fixture *f);

/* Puts f in force unless it already is. */
void fixture_use(struct fw_datapath *dp, const struct fixture *f);

/* Zeroes the counters of f's rules and every stats slot. */
void fixture_reset_counters(struct fw_datapath *dp, const struct fixture *f);

/* Collects every mismatch of one row or step, each reported with its description. */
struct row_check {
	const char *desc;
	int failures;
};

__attribute__((format(printf, 2, 3)))
void row_mismatch(struct row_check *c, const char *fmt, ...);
/* Every stats slot, summed over CPUs, must equal want. */
void row_check_stats(struct fw_datapath *dp, struct row_check *c,
		     const struct fw_stat_value want[FW_STAT_COUNT]);
void row_check_counter(struct fw_datapath *dp, struct row_check *c, uint32_t id,
		       const char *name, uint64_t packets, uint64_t bytes);

const char *xdp_action_name(int action);

#endif /* TEST_VERDICT_TABLE_H */
