// SPDX-License-Identifier: GPL-2.0
/*
 * DESIGN §1b's precedence with prefixes, sets and port lists, step by step:
 * every row runs through the real XDP program (BPF_PROG_TEST_RUN: action,
 * stats slot, rule counters) and through the reference classifier
 * (fw_classify's verdict, fw_classify_explain's step, prefix and set
 * element), and both must say what the row says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/bpf.h>
#include "classify.h"
#include "prefix.h"
#include "verdict_table.h"

#define SET_MAX_ELEMENTS 8

/* A rule as a table writes it: src an address, a prefix, "@set" or NULL; ports "22", "80,8000-8099" or NULL. */
struct prefix_rule {
	const char *name;
	const char *src;
	const char *ports;
	uint8_t proto;  /* SYN: proto tcp with tcp_flags syn */
	uint8_t action;
};

struct prefix_set {
	const char *name;
	const char *elements[SET_MAX_ELEMENTS]; /* up to the first NULL */
};

struct prefix_fixture {
	const char *name;
	const struct prefix_rule *rules;
	size_t count;
	const struct prefix_set *sets;
	size_t set_count;
	uint32_t default_action;
};

#define PREFIX_FIXTURE(name, rules, default_action) \
	{ name, rules, ARRAY_SIZE(rules), NULL, 0, default_action }
#define PREFIX_FIXTURE_SETS(name, rules, sets, default_action) \
	{ name, rules, ARRAY_SIZE(rules), sets, ARRAY_SIZE(sets), default_action }

struct prefix_row {
	const char *desc;
	const struct prefix_fixture *fixture;
	struct pkt_spec pkt;
	enum fw_stat reason; /* the XDP action follows from it */
	const char *rule;    /* the rule whose counter counts the frame; NULL = none */
	int step;            /* fw_explanation's: 1-7, 8 = default */
	/*
	 * The prefix it names, as fw_prefix_format() writes it, and " SET[i]"
	 * when element i of a set matched; NULL = none.
	 */
	const char *explained;
};

#define PASS_BY FW_STAT_PASS_RULE
#define DROP_BY FW_STAT_DROP_RULE
#define PKT_TCP6(src_, port) PKT_TCP(src_, port) /* the same macro; the name says the family */
#define SYN FW_PROTO_TCP_SYN /* proto: tcp, tcp_flags: syn */
#define TCP_SYN 0x02
#define TCP_ACK 0x10
#define PKT_FLAGS(src_, port, flags) \
	{ .src = src_, .ipproto = IPPROTO_TCP, .dport = port, .tcp_flags = flags }
#define PKT_SYN(src_, port) PKT_FLAGS(src_, port, TCP_SYN)
#define PKT_SYNACK(src_, port) PKT_FLAGS(src_, port, TCP_SYN | TCP_ACK)

/* ---- Longest prefix first, and the fall-through to shorter ones ---- */

static const struct prefix_rule nested_v4_rules[] = {
	{ "ban-host", "198.18.133.5", NULL, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "open-ssh-24", "198.18.133.0/24", "22", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "web-only-24", "198.18.134.0/24", "80", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "drop-17", "198.18.128.0/17", NULL, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "ssh-everyone", NULL, "22", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "dns-everyone", NULL, "53", FW_PROTO_ANY, FW_ACTION_PASS },
	{ "icmp-everyone", NULL, NULL, FW_PROTO_ICMP, FW_ACTION_PASS },
};
static const struct prefix_fixture nested_v4 =
	PREFIX_FIXTURE("nested IPv4", nested_v4_rules, FW_ACTION_PASS);

static const struct prefix_row nested_v4_rows[] = {
	{ "a /32 ban beats a /24 that opens port 22", &nested_v4, PKT_TCP("198.18.133.5", 22),
	  DROP_BY, "ban-host", 4, "198.18.133.5" },
	{ "the /24 opens port 22 next door", &nested_v4, PKT_TCP("198.18.133.6", 22),
	  PASS_BY, "open-ssh-24", 1, "198.18.133.0/24" },
	{ "the /24's first address", &nested_v4, PKT_TCP("198.18.133.0", 22),
	  PASS_BY, "open-ssh-24", 1, "198.18.133.0/24" },
	{ "the /24's last address", &nested_v4, PKT_TCP("198.18.133.255", 22),
	  PASS_BY, "open-ssh-24", 1, "198.18.133.0/24" },
	{ "the /24 has no rule for port 23: the /17 drops it", &nested_v4,
	  PKT_TCP("198.18.133.6", 23), DROP_BY, "drop-17", 4, "198.18.128.0/17" },
	{ "a /24 whose only rule is port 80 falls through to the /17 for port 22", &nested_v4,
	  PKT_TCP("198.18.134.1", 22), DROP_BY, "drop-17", 4, "198.18.128.0/17" },
	{ "that /24 decides port 80 itself", &nested_v4, PKT_TCP("198.18.134.1", 80),
	  PASS_BY, "web-only-24", 1, "198.18.134.0/24" },
	{ "its port 80 rule is tcp: udp falls through to the /17", &nested_v4,
	  PKT_UDP("198.18.134.1", 80), DROP_BY, "drop-17", 4, "198.18.128.0/17" },
	{ "ICMP has no port: the /24's port rule never sees it", &nested_v4,
	  PKT_ICMP("198.18.133.6", 8), DROP_BY, "drop-17", 4, "198.18.128.0/17" },
	{ "a source rule at any prefix beats a source-less rule", &nested_v4,
	  PKT_UDP("198.18.133.6", 53), DROP_BY, "drop-17", 4, "198.18.128.0/17" },
	{ "just below the /24: the /17", &nested_v4, PKT_TCP("198.18.132.255", 22),
	  DROP_BY, "drop-17", 4, "198.18.128.0/17" },
	{ "just past the /24s: the /17", &nested_v4, PKT_TCP("198.18.135.0", 22),
	  DROP_BY, "drop-17", 4, "198.18.128.0/17" },
	{ "the /17's last address", &nested_v4, PKT_UDP("198.18.255.255", 9),
	  DROP_BY, "drop-17", 4, "198.18.128.0/17" },
	{ "just past the /17: (any, 22, tcp)", &nested_v4, PKT_TCP("198.19.0.0", 22),
	  PASS_BY, "ssh-everyone", 5, NULL },
	{ "just below the /17: (any, 53, any)", &nested_v4, PKT_UDP("198.18.127.255", 53),
	  PASS_BY, "dns-everyone", 6, NULL },
	{ "outside every prefix: (any, any, icmp)", &nested_v4, PKT_ICMP("198.19.7.1", 8),
	  PASS_BY, "icmp-everyone", 7, NULL },
	{ "outside every prefix and rule: the default", &nested_v4, PKT_UDP("198.19.7.1", 9),
	  FW_STAT_PASS_DEFAULT, NULL, 8, NULL },
	/* An IPv6 packet from ::ffff:a.b.c.d is the same source as the IPv4 one. */
	{ "an IPv4-mapped IPv6 source meets the IPv4 /24", &nested_v4,
	  PKT_TCP6("::ffff:198.18.133.6", 22), PASS_BY, "open-ssh-24", 1, "198.18.133.0/24" },
	{ "an IPv4-mapped IPv6 source meets the IPv4 /32 ban", &nested_v4,
	  PKT_UDP("::ffff:198.18.133.5", 53), DROP_BY, "ban-host", 4, "198.18.133.5" },
	{ "an IPv4-mapped IPv6 source falls through to the IPv4 /17", &nested_v4,
	  PKT_TCP6("::ffff:198.18.134.1", 22), DROP_BY, "drop-17", 4, "198.18.128.0/17" },
	{ "an IPv4-mapped IPv6 source outside them: (any, 22, tcp)", &nested_v4,
	  PKT_TCP6("::ffff:198.19.0.1", 22), PASS_BY, "ssh-everyone", 5, NULL },
	{ "no rule says tcp_flags: a SYN is a tcp packet", &nested_v4, PKT_SYN("198.18.133.6", 22),
	  PASS_BY, "open-ssh-24", 1, "198.18.133.0/24" },
	{ "no rule says tcp_flags: a SYN meets (any, 22, tcp)", &nested_v4,
	  PKT_SYN("198.19.0.1", 22), PASS_BY, "ssh-everyone", 5, NULL },
};

/*
 * ---- tcp_flags: syn: at each level a syn rule beats a tcp rule, which
 * beats an any rule; a longer prefix still comes first, and packets other
 * than SYN (SYN+ACK, ACK, none) never meet a syn rule ----
 */

static const struct prefix_rule syn_rules[] = {
	{ "syn22-24", "198.18.1.0/24", "22", SYN, FW_ACTION_PASS },
	{ "tcp22-24", "198.18.1.0/24", "22", FW_PROTO_TCP, FW_ACTION_DROP },
	{ "any22-24", "198.18.1.0/24", "22", FW_PROTO_ANY, FW_ACTION_PASS },
	{ "syn23-24", "198.18.1.0/24", "23", SYN, FW_ACTION_DROP },
	{ "any23-24", "198.18.1.0/24", "23", FW_PROTO_ANY, FW_ACTION_PASS },
	{ "syn-24", "198.18.1.0/24", NULL, SYN, FW_ACTION_DROP },
	{ "tcp-24", "198.18.1.0/24", NULL, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "host-tcp", "198.18.1.7", NULL, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "syn-only-24", "198.18.3.0/24", NULL, SYN, FW_ACTION_PASS },
	{ "syn-port-24", "198.18.4.0/24", "8080", SYN, FW_ACTION_DROP },
	{ "tcp80-16", "198.18.0.0/16", "80", FW_PROTO_TCP, FW_ACTION_DROP },
	{ "syn443-16", "198.18.0.0/16", "443,8443", SYN, FW_ACTION_DROP },
	{ "any-16", "198.18.0.0/16", NULL, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v6-syn-64", "2001:2:0:1::/64", "22", SYN, FW_ACTION_DROP },
	{ "v6-tcp-56", "2001:2::/56", "22", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "syn2222-all", NULL, "2222", SYN, FW_ACTION_DROP },
	{ "tcp2222-all", NULL, "2222", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "dns-all", NULL, "53", FW_PROTO_ANY, FW_ACTION_PASS },
	{ "syn-all", NULL, NULL, SYN, FW_ACTION_DROP },
	{ "tcp-all", NULL, NULL, FW_PROTO_TCP, FW_ACTION_PASS },
};
static const struct prefix_fixture syn_fixture =
	PREFIX_FIXTURE("tcp_flags syn", syn_rules, FW_ACTION_DROP);

static const struct prefix_row syn_rows[] = {
	{ "level 1: a SYN meets the syn rule", &syn_fixture, PKT_SYN("198.18.1.5", 22),
	  PASS_BY, "syn22-24", 1, "198.18.1.0/24" },
	{ "level 1: SYN+ACK meets the tcp rule", &syn_fixture, PKT_SYNACK("198.18.1.5", 22),
	  DROP_BY, "tcp22-24", 1, "198.18.1.0/24" },
	{ "level 1: no flags meets the tcp rule", &syn_fixture, PKT_TCP("198.18.1.5", 22),
	  DROP_BY, "tcp22-24", 1, "198.18.1.0/24" },
	{ "level 1: SYN+FIN is a SYN", &syn_fixture, PKT_FLAGS("198.18.1.5", 22, TCP_SYN | 0x01),
	  PASS_BY, "syn22-24", 1, "198.18.1.0/24" },
	{ "level 2: UDP meets the any rule", &syn_fixture, PKT_UDP("198.18.1.5", 22),
	  PASS_BY, "any22-24", 2, "198.18.1.0/24" },
	{ "a syn rule at level 1 beats an any rule at level 2", &syn_fixture,
	  PKT_SYN("198.18.1.5", 23), DROP_BY, "syn23-24", 1, "198.18.1.0/24" },
	{ "ACK skips the syn rule for the any rule", &syn_fixture, PKT_FLAGS("198.18.1.5", 23, TCP_ACK),
	  PASS_BY, "any23-24", 2, "198.18.1.0/24" },
	{ "level 3: a SYN meets the port-less syn rule", &syn_fixture, PKT_SYN("198.18.1.5", 80),
	  DROP_BY, "syn-24", 3, "198.18.1.0/24" },
	{ "level 3: SYN+ACK meets the port-less tcp rule", &syn_fixture,
	  PKT_SYNACK("198.18.1.5", 80), PASS_BY, "tcp-24", 3, "198.18.1.0/24" },
	{ "the /24 has no udp rule: the /16 decides", &syn_fixture, PKT_UDP("198.18.1.5", 80),
	  PASS_BY, "any-16", 4, "198.18.0.0/16" },
	{ "a /32's tcp rule beats the /24's syn rules for a SYN", &syn_fixture,
	  PKT_SYN("198.18.1.7", 22), PASS_BY, "host-tcp", 3, "198.18.1.7" },
	{ "the /32's neighbour: the /24's syn rule", &syn_fixture, PKT_SYN("198.18.1.6", 22),
	  PASS_BY, "syn22-24", 1, "198.18.1.0/24" },
	{ "under the /16 alone: a tcp port rule decides a SYN", &syn_fixture,
	  PKT_SYN("198.18.2.5", 80), DROP_BY, "tcp80-16", 1, "198.18.0.0/16" },
	{ "under the /16 alone: a syn port list decides a SYN", &syn_fixture,
	  PKT_SYN("198.18.2.5", 8443), DROP_BY, "syn443-16", 1, "198.18.0.0/16" },
	{ "under the /16 alone: ACK to that port falls to level 4", &syn_fixture,
	  PKT_FLAGS("198.18.2.5", 443, TCP_ACK), PASS_BY, "any-16", 4, "198.18.0.0/16" },
	{ "a /24 with only a port-less syn rule takes a SYN from the /16's port rule", &syn_fixture,
	  PKT_SYN("198.18.3.5", 80), PASS_BY, "syn-only-24", 3, "198.18.3.0/24" },
	{ "and leaves its tcp packets to the /16's port rule", &syn_fixture,
	  PKT_TCP("198.18.3.5", 80), DROP_BY, "tcp80-16", 1, "198.18.0.0/16" },
	{ "and takes a SYN from the /16's syn port rule", &syn_fixture,
	  PKT_SYN("198.18.3.5", 443), PASS_BY, "syn-only-24", 3, "198.18.3.0/24" },
	{ "a /24 with one syn port rule decides that port's SYN", &syn_fixture,
	  PKT_SYN("198.18.4.5", 8080), DROP_BY, "syn-port-24", 1, "198.18.4.0/24" },
	{ "its port's tcp packets fall to the /16", &syn_fixture, PKT_TCP("198.18.4.5", 8080),
	  PASS_BY, "any-16", 4, "198.18.0.0/16" },
	{ "its other ports' SYNs inherit the /16's port rules", &syn_fixture,
	  PKT_SYN("198.18.4.5", 80), DROP_BY, "tcp80-16", 1, "198.18.0.0/16" },
	{ "and the /16's syn port rule", &syn_fixture, PKT_SYN("198.18.4.5", 443),
	  DROP_BY, "syn443-16", 1, "198.18.0.0/16" },
	{ "IPv6: the /64's syn rule decides a SYN", &syn_fixture, PKT_SYN("2001:2:0:1::5", 22),
	  DROP_BY, "v6-syn-64", 1, "2001:2:0:1::/64" },
	{ "IPv6: SYN+ACK falls through to the /56's tcp rule", &syn_fixture,
	  PKT_SYNACK("2001:2:0:1::5", 22), PASS_BY, "v6-tcp-56", 1, "2001:2::/56" },
	{ "IPv6: outside the /64 a SYN meets the /56's tcp rule", &syn_fixture,
	  PKT_SYN("2001:2:0:2::5", 22), PASS_BY, "v6-tcp-56", 1, "2001:2::/56" },
	{ "level 5: a SYN meets the source-less syn rule", &syn_fixture,
	  PKT_SYN("198.19.7.1", 2222), DROP_BY, "syn2222-all", 5, NULL },
	{ "level 5: ACK meets the source-less tcp rule", &syn_fixture,
	  PKT_FLAGS("198.19.7.1", 2222, TCP_ACK), PASS_BY, "tcp2222-all", 5, NULL },
	{ "level 6 beats a syn rule at level 7", &syn_fixture, PKT_SYN("198.19.7.1", 53),
	  PASS_BY, "dns-all", 6, NULL },
	{ "level 7: a SYN meets the source-less syn rule", &syn_fixture,
	  PKT_SYN("2001:2:0:900::1", 9999), DROP_BY, "syn-all", 7, NULL },
	{ "level 7: SYN+ACK meets the source-less tcp rule", &syn_fixture,
	  PKT_SYNACK("2001:2:0:900::1", 9999), PASS_BY, "tcp-all", 7, NULL },
	{ "UDP meets neither: the default", &syn_fixture, PKT_UDP("198.19.7.1", 9999),
	  FW_STAT_DROP_DEFAULT, NULL, 8, NULL },
	{ "a v4-mapped IPv6 SYN meets the IPv4 /24's syn rule", &syn_fixture,
	  PKT_SYN("::ffff:198.18.1.5", 22), PASS_BY, "syn22-24", 1, "198.18.1.0/24" },
};

static const struct prefix_rule nested_v6_rules[] = {
	{ "v6-56-web", "2001:2::/56", "80", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "v6-60", "2001:2::/60", NULL, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "v6-64-ssh", "2001:2:0:1::/64", "22", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "v6-64-icmp", "2001:2:0:1::/64", NULL, FW_PROTO_ICMPV6, FW_ACTION_PASS },
	{ "v6-121-ssh", "2001:2:0:1::80/121", "22", FW_PROTO_TCP, FW_ACTION_DROP },
	{ "v6-host-udp", "2001:2:0:1::81", NULL, FW_PROTO_UDP, FW_ACTION_PASS },
	{ "all-v4-from-v6", "::/8", "443", FW_PROTO_TCP, FW_ACTION_DROP },
};
static const struct prefix_fixture nested_v6 =
	PREFIX_FIXTURE("nested IPv6", nested_v6_rules, FW_ACTION_PASS);

static const struct prefix_row nested_v6_rows[] = {
	{ "the /128's rule is udp: tcp 22 falls to the /121", &nested_v6,
	  PKT_TCP("2001:2:0:1::81", 22), DROP_BY, "v6-121-ssh", 1, "2001:2:0:1::80/121" },
	{ "the /128 decides udp", &nested_v6, PKT_UDP("2001:2:0:1::81", 53),
	  PASS_BY, "v6-host-udp", 3, "2001:2:0:1::81" },
	{ "the /121's first address", &nested_v6, PKT_TCP("2001:2:0:1::80", 22),
	  DROP_BY, "v6-121-ssh", 1, "2001:2:0:1::80/121" },
	{ "the /121's last address", &nested_v6, PKT_TCP("2001:2:0:1::ff", 22),
	  DROP_BY, "v6-121-ssh", 1, "2001:2:0:1::80/121" },
	{ "just below the /121: the /64", &nested_v6, PKT_TCP("2001:2:0:1::7f", 22),
	  PASS_BY, "v6-64-ssh", 1, "2001:2:0:1::/64" },
	{ "just past the /121: the /64", &nested_v6, PKT_TCP("2001:2:0:1::100", 22),
	  PASS_BY, "v6-64-ssh", 1, "2001:2:0:1::/64" },
	{ "the /64 decides icmpv6", &nested_v6, PKT_ICMPV6("2001:2:0:1::5", 128),
	  PASS_BY, "v6-64-icmp", 3, "2001:2:0:1::/64" },
	{ "the /64 has no rule for tcp 80: the /60 before the /56", &nested_v6,
	  PKT_TCP("2001:2:0:1::5", 80), DROP_BY, "v6-60", 4, "2001:2::/60" },
	{ "the /60's last address", &nested_v6, PKT_UDP("2001:2:0:f:ffff:ffff:ffff:ffff", 53),
	  DROP_BY, "v6-60", 4, "2001:2::/60" },
	{ "just past the /60: the /56", &nested_v6, PKT_TCP("2001:2:0:10::", 80),
	  PASS_BY, "v6-56-web", 1, "2001:2::/56" },
	{ "just past the /60, not port 80: the default", &nested_v6, PKT_TCP("2001:2:0:10::", 22),
	  FW_STAT_PASS_DEFAULT, NULL, 8, NULL },
	{ "just past the /56: the default", &nested_v6, PKT_TCP("2001:2:0:100::", 80),
	  FW_STAT_PASS_DEFAULT, NULL, 8, NULL },
	/* ::/8 holds ::ffff:0:0/96, so every IPv4 source, whichever IP version carries it. */
	{ "an IPv6 prefix over all of IPv4 holds an IPv4 source", &nested_v6,
	  PKT_TCP("198.19.7.1", 443), DROP_BY, "all-v4-from-v6", 1, "::/8" },
	{ "and an IPv4-mapped IPv6 one", &nested_v6, PKT_TCP("::ffff:198.19.7.1", 443),
	  DROP_BY, "all-v4-from-v6", 1, "::/8" },
};

/* ---- Port ranges and lists: each end, and one past each ---- */

static const struct prefix_rule ranges_rules[] = {
	{ "range-15", "198.18.0.0/15", "1000-1999", FW_PROTO_TCP, FW_ACTION_DROP },
	{ "tcp-15", "198.18.0.0/15", NULL, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "list-v6", "2001:2::/64", "22,80,8000-8099", FW_PROTO_ANY, FW_ACTION_DROP },
	{ "range-everyone", NULL, "3000-3999", FW_PROTO_UDP, FW_ACTION_DROP },
};
static const struct prefix_fixture ranges =
	PREFIX_FIXTURE("port ranges", ranges_rules, FW_ACTION_PASS);

static const struct prefix_row ranges_rows[] = {
	{ "one below the range", &ranges, PKT_TCP("198.18.3.3", 999),
	  PASS_BY, "tcp-15", 3, "198.18.0.0/15" },
	{ "the range's first port", &ranges, PKT_TCP("198.18.3.3", 1000),
	  DROP_BY, "range-15", 1, "198.18.0.0/15" },
	{ "the range's last port", &ranges, PKT_TCP("198.19.3.3", 1999),
	  DROP_BY, "range-15", 1, "198.18.0.0/15" },
	{ "one past the range", &ranges, PKT_TCP("198.19.3.3", 2000),
	  PASS_BY, "tcp-15", 3, "198.18.0.0/15" },
	{ "a list's single port", &ranges, PKT_UDP("2001:2::1", 22),
	  DROP_BY, "list-v6", 2, "2001:2::/64" },
	{ "a list's next single port", &ranges, PKT_TCP("2001:2::1", 80),
	  DROP_BY, "list-v6", 2, "2001:2::/64" },
	{ "between a list's items", &ranges, PKT_TCP("2001:2::1", 81),
	  FW_STAT_PASS_DEFAULT, NULL, 8, NULL },
	{ "a list's range, first port", &ranges, PKT_TCP("2001:2::1", 8000),
	  DROP_BY, "list-v6", 2, "2001:2::/64" },
	{ "a list's range, last port", &ranges, PKT_UDP("2001:2::1", 8099),
	  DROP_BY, "list-v6", 2, "2001:2::/64" },
	{ "one below a list's range", &ranges, PKT_TCP("2001:2::1", 7999),
	  FW_STAT_PASS_DEFAULT, NULL, 8, NULL },
	{ "one past a list's range", &ranges, PKT_TCP("2001:2::1", 8100),
	  FW_STAT_PASS_DEFAULT, NULL, 8, NULL },
	{ "a port list with proto any is TCP or UDP, never ICMPv6", &ranges,
	  { .src = "2001:2::1", .ipproto = IPPROTO_ICMPV6, .icmp_type = 128, .dport = 22 },
	  FW_STAT_PASS_DEFAULT, NULL, 8, NULL },
	{ "one below a source-less range", &ranges, PKT_UDP("2001:2:0:9::1", 2999),
	  FW_STAT_PASS_DEFAULT, NULL, 8, NULL },
	{ "a source-less range's first port", &ranges, PKT_UDP("2001:2:0:9::1", 3000),
	  DROP_BY, "range-everyone", 5, NULL },
	{ "a source-less range's last port", &ranges, PKT_UDP("2001:2:0:9::1", 3999),
	  DROP_BY, "range-everyone", 5, NULL },
	{ "one past a source-less range", &ranges, PKT_UDP("2001:2:0:9::1", 4000),
	  FW_STAT_PASS_DEFAULT, NULL, 8, NULL },
};

/* ---- Ties: the rule listed first decides, whatever its action ---- */

static const struct prefix_set tie_sets[] = {
	{ "office", { "198.18.1.0/24", "2001:2:0:9::/64", "198.18.3.3" } },
	{ "partners", { "198.18.2.0/24", "198.18.1.0/24" } },
	{ "dupes", { "198.18.7.0/24", "198.18.7.0/24", "198.18.7.128/25", "198.18.7.0/24" } },
	{ "lab", { "198.18.8.0/24" } },
	{ "lab-too", { "198.18.9.9", "198.18.8.0/24" } },
};

static const struct prefix_rule tie_rules[] = {
	{ "office-ssh", "@office", "22", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "partners-ssh", "@partners", "22", FW_PROTO_TCP, FW_ACTION_DROP },
	{ "partner-net-ssh", "198.18.2.0/24", "22", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "lab-icmp-drop", "@lab", NULL, FW_PROTO_ICMP, FW_ACTION_DROP },
	{ "lab-too-icmp-pass", "@lab-too", NULL, FW_PROTO_ICMP, FW_ACTION_PASS },
	{ "dupes-any", "@dupes", NULL, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "alt-a", "198.18.4.0/24", "8000-8099", FW_PROTO_TCP, FW_ACTION_DROP },
	{ "alt-b", "198.18.4.0/24", "8050-8150,9000", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "web-a", NULL, "80,443", FW_PROTO_TCP, FW_ACTION_PASS },
	{ "web-b", NULL, "440-450", FW_PROTO_TCP, FW_ACTION_DROP },
	{ "game-drop", NULL, "5000-5010", FW_PROTO_UDP, FW_ACTION_DROP },
	{ "game-pass", NULL, "5005", FW_PROTO_UDP, FW_ACTION_PASS },
};
static const struct prefix_fixture ties =
	PREFIX_FIXTURE_SETS("ties", tie_rules, tie_sets, FW_ACTION_PASS);

static const struct prefix_row tie_rows[] = {
	{ "sets sharing an element: the first-listed rule's pass", &ties,
	  PKT_TCP("198.18.1.10", 22), PASS_BY, "office-ssh", 1, "198.18.1.0/24 office[0]" },
	{ "a set rule listed before a prefix rule on its element wins: first address", &ties,
	  PKT_TCP("198.18.2.0", 22), DROP_BY, "partners-ssh", 1, "198.18.2.0/24 partners[0]" },
	{ "a set rule listed before a prefix rule on its element wins: last address", &ties,
	  PKT_TCP("198.18.2.255", 22), DROP_BY, "partners-ssh", 1, "198.18.2.0/24 partners[0]" },
	{ "a set's single address", &ties, PKT_TCP("198.18.3.3", 22),
	  PASS_BY, "office-ssh", 1, "198.18.3.3 office[2]" },
	{ "next to a set's single address: nothing", &ties, PKT_TCP("198.18.3.4", 22),
	  FW_STAT_PASS_DEFAULT, NULL, 8, NULL },
	{ "a set's IPv6 element", &ties, PKT_TCP("2001:2:0:9::1", 22),
	  PASS_BY, "office-ssh", 1, "2001:2:0:9::/64 office[1]" },
	{ "sets sharing an element: the first-listed rule's drop", &ties,
	  PKT_ICMP("198.18.8.1", 8), DROP_BY, "lab-icmp-drop", 3, "198.18.8.0/24 lab[0]" },
	{ "the second set's other element: its rule", &ties, PKT_ICMP("198.18.9.9", 8),
	  PASS_BY, "lab-too-icmp-pass", 3, "198.18.9.9 lab-too[0]" },
	{ "duplicate elements: the first of them names the match", &ties,
	  PKT_UDP("198.18.7.5", 53), DROP_BY, "dupes-any", 4, "198.18.7.0/24 dupes[0]" },
	{ "overlapping elements: the longer one", &ties, PKT_UDP("198.18.7.200", 53),
	  DROP_BY, "dupes-any", 4, "198.18.7.128/25 dupes[2]" },
	{ "overlapping port lists: the first-listed rule", &ties, PKT_TCP("198.18.4.1", 8050),
	  DROP_BY, "alt-a", 1, "198.18.4.0/24" },
	{ "overlapping port lists, the first one's last port", &ties, PKT_TCP("198.18.4.1", 8099),
	  DROP_BY, "alt-a", 1, "198.18.4.0/24" },
	{ "overlapping port lists, one past the first one's end", &ties,
	  PKT_TCP("198.18.4.1", 8100), PASS_BY, "alt-b", 1, "198.18.4.0/24" },
	{ "source-less port lists overlapping: the first-listed pass", &ties,
	  PKT_TCP("198.19.7.1", 443), PASS_BY, "web-a", 5, NULL },
	{ "source-less, the second list's own port", &ties, PKT_TCP("198.19.7.1", 444),
	  DROP_BY, "web-b", 5, NULL },
	{ "source-less port lists overlapping: the first-listed drop", &ties,
	  PKT_UDP("198.19.7.1", 5005), DROP_BY, "game-drop", 5, NULL },
};

/* ---- Building a rule set from a fixture ---- */

static void parse_prefix(const char *text, struct fw_prefix *p)
{
	if (fw_prefix_parse(text, strlen(text), p) != FW_PREFIX_OK)
		fail_msg("table error: \"%s\" is no address or prefix", text);
}

/* "22" is a port as v1 writes it; anything else ("22-23", "80,443") a list of ranges. */
static void parse_ports(struct fw_ruleset *rs, const char *text, struct fw_rule *r)
{
	char *end;

	if (!strpbrk(text, ",-")) {
		r->port = (uint16_t)strtoul(text, NULL, 10);
		return;
	}
	r->ports_at = (uint32_t)rs->port_range_count;
	for (const char *p = text; *p; p = *end ? end + 1 : end) {
		struct fw_port_range range;

		range.first = (uint16_t)strtoul(p, &end, 10);
		range.last = *end == '-' ? (uint16_t)strtoul(end + 1, &end, 10) : range.first;
		rs->port_ranges = realloc(rs->port_ranges,
					  (rs->port_range_count + 1) * sizeof(*rs->port_ranges));
		assert_non_null(rs->port_ranges);
		rs->port_ranges[rs->port_range_count++] = range;
		r->ports_count++;
	}
	r->port = rs->port_ranges[r->ports_at].first;
}

static void build_sets(struct fw_ruleset *rs, const struct prefix_fixture *f)
{
	rs->sets = calloc(f->set_count + 1, sizeof(*rs->sets));
	assert_non_null(rs->sets);
	rs->set_count = f->set_count;
	for (size_t s = 0; s < f->set_count; s++) {
		struct fw_set *set = &rs->sets[s];

		snprintf(set->name, sizeof(set->name), "%s", f->sets[s].name);
		set->elements = calloc(SET_MAX_ELEMENTS, sizeof(*set->elements));
		assert_non_null(set->elements);
		for (; set->count < SET_MAX_ELEMENTS && f->sets[s].elements[set->count]; set->count++) {
			struct fw_set_element *e = &set->elements[set->count];

			parse_prefix(f->sets[s].elements[set->count], &e->prefix);
			e->line = (uint32_t)set->count + 1;
			if (fw_prefix_is_v4(&e->prefix))
				set->v4++;
			else
				set->v6++;
		}
	}
}

static uint32_t set_ref(const struct fw_ruleset *rs, const char *name)
{
	for (size_t s = 0; s < rs->set_count; s++)
		if (!strcmp(rs->sets[s].name, name))
			return (uint32_t)s + 1;
	fail_msg("table error: no set \"%s\"", name);
	return 0;
}

static void build_ruleset(struct fw_ruleset *rs, const struct prefix_fixture *f)
{
	memset(rs, 0, sizeof(*rs));
	rs->default_action = f->default_action;
	rs->fragments = FW_FRAGMENTS_INSPECT;
	build_sets(rs, f);
	rs->rules = calloc(f->count + 1, sizeof(*rs->rules));
	assert_non_null(rs->rules);
	rs->count = f->count;
	for (size_t i = 0; i < f->count; i++) {
		const struct prefix_rule *spec = &f->rules[i];
		struct fw_rule *r = &rs->rules[i];

		snprintf(r->name, sizeof(r->name), "%s", spec->name);
		r->has_src = spec->src != NULL;
		if (spec->src && spec->src[0] == '@') {
			r->set_ref = set_ref(rs, spec->src + 1);
		} else if (spec->src) {
			struct fw_prefix p;

			parse_prefix(spec->src, &p);
			memcpy(r->src, p.addr, sizeof(r->src));
			r->src_len = p.len;
		}
		if (spec->ports)
			parse_ports(rs, spec->ports, r);
		r->proto = spec->proto == SYN ? FW_PROTO_TCP : spec->proto;
		r->tcp_flags = spec->proto == SYN ? FW_TCP_FLAGS_SYN : 0;
		r->action = spec->action;
		r->id = (uint32_t)i;
	}
	for (size_t i = 0; i < f->count; i++)
		rs->rules[i].match_tag = fw_rule_match_tag(rs, &rs->rules[i]);
}

static void free_ruleset(struct fw_ruleset *rs)
{
	free(rs->rules);
	fw_ruleset_free_sets(rs);
}

/* The fixture the datapath holds now, so rows sharing one sync it once. */
static const struct prefix_fixture *fixture_in_force;

static void use_fixture(struct fw_datapath *dp, const struct prefix_fixture *f)
{
	struct fw_ruleset rs;
	int err;

	if (fixture_in_force == f)
		return;
	fixture_in_force = NULL;
	build_ruleset(&rs, f);
	err = fw_datapath_sync(dp, &rs);
	free_ruleset(&rs);
	if (err)
		fail_msg("fw_datapath_sync(%s): %s", f->name, strerror(-err));
	fixture_in_force = f;
}

static long rule_index(const struct prefix_fixture *f, const char *name)
{
	for (size_t i = 0; name && i < f->count; i++)
		if (!strcmp(f->rules[i].name, name))
			return (long)i;
	return -1;
}

/* ---- Checking a row: the reference classifier, then the datapath ---- */

/* What a row's `explained` says of x. */
static void explained_text(const struct fw_ruleset *rs, const struct fw_explanation *x,
			   char *text, size_t size)
{
	char prefix[FW_PREFIX_TEXT_MAX];
	int n = 0;

	text[0] = '\0';
	if (x->matched.len)
		n = snprintf(text, size, "%s", fw_prefix_format(&x->matched, prefix));
	if (x->set >= 0 && (size_t)x->set < rs->set_count)
		snprintf(text + n, size - (size_t)n, " %s[%ld]", rs->sets[x->set].name, x->element);
	else if (x->set >= 0 || x->element >= 0)
		snprintf(text + n, size - (size_t)n, " set %ld[%ld]", x->set, x->element);
}

static void check_oracle(struct row_check *c, const struct prefix_row *row,
			 const struct fw_ruleset *rs, const uint8_t *frame, size_t len)
{
	struct fw_frame_facts facts = fw_frame_read(frame, len);
	struct fw_explanation x = fw_classify_explain(rs, &facts);
	struct fw_verdict v = fw_classify(rs, frame, len);
	long want_rule = rule_index(row->fixture, row->rule);
	char text[2 * FW_PREFIX_TEXT_MAX];

	if (v.reason != x.verdict.reason || v.rule != x.verdict.rule)
		row_mismatch(c, "fw_classify and fw_classify_explain differ");
	if (x.verdict.reason != row->reason || x.verdict.rule != want_rule)
		row_mismatch(c, "fw_classify: %s by rule %s, want %s by %s",
			     fw_stat_name(x.verdict.reason),
			     x.verdict.rule >= 0 ? rs->rules[x.verdict.rule].name : "none",
			     fw_stat_name(row->reason), row->rule ? row->rule : "none");
	if (x.step != row->step)
		row_mismatch(c, "explained step %d, want %d", x.step, row->step);
	explained_text(rs, &x, text, sizeof(text));
	if (strcmp(text, row->explained ? row->explained : ""))
		row_mismatch(c, "explained \"%s\", want \"%s\"", text,
			     row->explained ? row->explained : "");
}

static void check_datapath(struct row_check *c, const struct prefix_row *row,
			   const uint8_t *frame, size_t len)
{
	const struct prefix_fixture *f = row->fixture;
	struct fw_datapath *dp = test_datapath();
	struct fw_stat_value want[FW_STAT_COUNT] = { 0 };
	int want_action = fw_stat_is_drop(row->reason) ? XDP_DROP : XDP_PASS;
	long winner = rule_index(f, row->rule);
	int action;

	use_fixture(dp, f);
	for (uint32_t id = 0; id < f->count; id++)
		assert_int_equal(fw_counter_reset(dp, id), 0);
	assert_int_equal(fw_stats_reset(dp), 0);

	action = harness_run(dp, frame, len);
	if (action != want_action)
		row_mismatch(c, "datapath: XDP action %s, want %s", xdp_action_name(action),
			     xdp_action_name(want_action));
	want[row->reason] = (struct fw_stat_value){ .packets = 1, .bytes = len };
	row_check_stats(dp, c, want);
	for (uint32_t id = 0; id < f->count; id++)
		row_check_counter(dp, c, id, f->rules[id].name, (long)id == winner,
				  (long)id == winner ? len : 0);
}

static void run_row(void **state)
{
	const struct prefix_row *row = *state;
	struct row_check check = { .desc = row->desc };
	bool by_rule = row->reason == FW_STAT_PASS_RULE || row->reason == FW_STAT_DROP_RULE;
	struct fw_ruleset rs;
	uint8_t frame[PKT_MAX];
	size_t len = pkt_build(&row->pkt, frame);

	if (by_rule != (row->rule != NULL) || (row->rule && rule_index(row->fixture, row->rule) < 0))
		fail_msg("table error in \"%s\": reason and rule disagree, or no such rule", row->desc);
	build_ruleset(&rs, row->fixture);
	check_oracle(&check, row, &rs, frame, len);
	free_ruleset(&rs);
	check_datapath(&check, row, frame, len);
	if (check.failures)
		fail_msg("%s: %d mismatch(es) under rule set \"%s\"", row->desc, check.failures,
			 row->fixture->name);
}

/* ---- A set rule is one rule: one counter for every element's packets ---- */

static const struct prefix_set counted_sets[] = {
	{ "blocklist", { "198.18.0.0/24", "198.19.200.7", "2001:2::/64", "2001:2:0:5::5",
			 "198.18.0.128/25" } },
};
static const struct prefix_rule counted_rules[] = {
	{ "blocklist", "@blocklist", NULL, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "web", NULL, "80", FW_PROTO_TCP, FW_ACTION_PASS },
};
static const struct prefix_fixture counted =
	PREFIX_FIXTURE_SETS("one counter", counted_rules, counted_sets, FW_ACTION_PASS);

static void test_set_rule_counts_every_element(void **state)
{
	static const struct pkt_spec packets[] = {
		PKT_TCP("198.18.0.1", 80), PKT_UDP("198.18.0.255", 53),
		PKT_ICMP("198.18.0.200", 8), PKT_TCP("198.19.200.7", 22),
		PKT_TCP6("::ffff:198.19.200.7", 80), PKT_UDP("2001:2::1", 53),
		PKT_ICMPV6("2001:2::ffff", 128), PKT_TCP("2001:2:0:5::5", 443),
		PKT_TCP("::ffff:198.18.0.9", 8080),
	};
	struct fw_datapath *dp = test_datapath();
	struct row_check check = { .desc = "a set rule counts every element's packets" };
	struct fw_stat_value want[FW_STAT_COUNT] = { 0 };
	struct fw_ruleset rs;
	uint64_t bytes = 0;
	uint8_t frame[PKT_MAX];

	(void)state;
	build_ruleset(&rs, &counted);
	use_fixture(dp, &counted);
	for (uint32_t id = 0; id < counted.count; id++)
		assert_int_equal(fw_counter_reset(dp, id), 0);
	assert_int_equal(fw_stats_reset(dp), 0);
	for (size_t i = 0; i < ARRAY_SIZE(packets); i++) {
		size_t len = pkt_build(&packets[i], frame);
		struct fw_verdict v = fw_classify(&rs, frame, len);

		if (v.reason != FW_STAT_DROP_RULE || v.rule != 0)
			row_mismatch(&check, "packet %zu: fw_classify gives %s rule %ld", i,
				     fw_stat_name(v.reason), v.rule);
		if (harness_run(dp, frame, len) != XDP_DROP)
			row_mismatch(&check, "packet %zu: the datapath passes it", i);
		bytes += len;
	}
	want[FW_STAT_DROP_RULE] = (struct fw_stat_value){ ARRAY_SIZE(packets), bytes };
	row_check_stats(dp, &check, want);
	row_check_counter(dp, &check, 0, "blocklist", ARRAY_SIZE(packets), bytes);
	row_check_counter(dp, &check, 1, "web", 0, 0);
	free_ruleset(&rs);
	if (check.failures)
		fail_msg("%d mismatch(es)", check.failures);
}

/* ---- Running every row as its own test ---- */

struct prefix_table {
	const char *name;
	const struct prefix_row *rows;
	size_t count;
};

#define PREFIX_TABLE(name, rows) { name, rows, ARRAY_SIZE(rows) }

int main(void)
{
	static const struct prefix_table tables[] = {
		PREFIX_TABLE("nested IPv4", nested_v4_rows),
		PREFIX_TABLE("nested IPv6", nested_v6_rows),
		PREFIX_TABLE("port ranges", ranges_rows),
		PREFIX_TABLE("ties", tie_rows),
		PREFIX_TABLE("tcp_flags syn", syn_rows),
	};
	struct CMUnitTest *tests;
	size_t total = 1, n = 0;
	int failures;

	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		total += tables[t].count;
	tests = calloc(total, sizeof(*tests));
	if (!tests)
		return 1;
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
		for (size_t r = 0; r < tables[t].count; r++, n++) {
			char *name;

			if (asprintf(&name, "%s: %s", tables[t].name, tables[t].rows[r].desc) < 0)
				return 1;
			tests[n] = (struct CMUnitTest){ .name = name, .test_func = run_row,
							.initial_state = (void *)&tables[t].rows[r] };
		}
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_set_rule_counts_every_element);
	failures = _cmocka_run_group_tests("prefix precedence", tests, n, NULL, NULL);
	for (size_t i = 0; i + 1 < n; i++)
		free((char *)tests[i].name);
	free(tests);
	return failures ? 1 : 0;
}
