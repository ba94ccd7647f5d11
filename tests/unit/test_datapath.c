// SPDX-License-Identifier: GPL-2.0
/*
 * DESIGN §1 "which rule decides", through the real XDP program: the eight
 * precedence levels, a banned source on an open port, and ICMP against
 * port and port-less rules, each for IPv4 and IPv6.
 */
#include <netinet/in.h>
#include <linux/bpf.h>
#include "verdict_table.h"

/*
 * One rule per precedence level for a TCP packet from SRC to port 22, with
 * actions alternating so that each level decides differently from the one
 * below it; then near misses, rules that differ from that packet in one
 * field and so must never decide it. The fixture for level k holds the
 * ladder from rung k down, so every less specific level is there too, and
 * the rule counters show which rule decided.
 */
#define LADDER(SRC, NEIGHBOUR)                                                           \
	{                                                                                \
		{ "l1-src-port-tcp", SRC, 22, FW_PROTO_TCP, FW_ACTION_DROP },            \
		{ "l2-src-port-any", SRC, 22, FW_PROTO_ANY, FW_ACTION_PASS },            \
		{ "l3-src-any-tcp", SRC, 0, FW_PROTO_TCP, FW_ACTION_DROP },              \
		{ "l4-src-any-any", SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },              \
		{ "l5-any-port-tcp", NULL, 22, FW_PROTO_TCP, FW_ACTION_DROP },           \
		{ "l6-any-port-any", NULL, 22, FW_PROTO_ANY, FW_ACTION_PASS },           \
		{ "l7-any-any-tcp", NULL, 0, FW_PROTO_TCP, FW_ACTION_DROP },             \
		{ "near-src-port-udp", SRC, 22, FW_PROTO_UDP, FW_ACTION_DROP },          \
		{ "near-src-2222-tcp", SRC, 2222, FW_PROTO_TCP, FW_ACTION_PASS },        \
		{ "near-neighbour-port-tcp", NEIGHBOUR, 22, FW_PROTO_TCP, FW_ACTION_PASS }, \
		{ "near-neighbour-any-any", NEIGHBOUR, 0, FW_PROTO_ANY, FW_ACTION_DROP }, \
		{ "near-any-2222-any", NULL, 2222, FW_PROTO_ANY, FW_ACTION_DROP },       \
		{ "near-any-any-udp", NULL, 0, FW_PROTO_UDP, FW_ACTION_PASS },           \
	}
#define LADDER_RUNGS 7

static const struct rule_spec ladder4[] = LADDER(V4_SRC, V4_NEIGHBOUR);
static const struct rule_spec ladder6[] = LADDER(V6_SRC, V6_NEIGHBOUR);

/* Level 8 is the ladder with no rung left: only the near misses. */
#define LADDER_FROM(rules, level, default_action)                                   \
	{ #rules " from level " #level, &rules[(level) - 1],                           \
	  ARRAY_SIZE(rules) - ((level) - 1), default_action, FW_FRAGMENTS_INSPECT }
#define LADDER_LEVELS(rules)                                                            \
	{                                                                               \
		[1] = LADDER_FROM(rules, 1, FW_ACTION_PASS),                           \
		[2] = LADDER_FROM(rules, 2, FW_ACTION_PASS),                           \
		[3] = LADDER_FROM(rules, 3, FW_ACTION_PASS),                           \
		[4] = LADDER_FROM(rules, 4, FW_ACTION_PASS),                           \
		[5] = LADDER_FROM(rules, 5, FW_ACTION_PASS),                           \
		[6] = LADDER_FROM(rules, 6, FW_ACTION_PASS),                           \
		[7] = LADDER_FROM(rules, 7, FW_ACTION_PASS),                           \
		[8] = LADDER_FROM(rules, 8, FW_ACTION_PASS),                           \
	}

static const struct fixture ladder4_from[LADDER_RUNGS + 2] = LADDER_LEVELS(ladder4);
static const struct fixture ladder6_from[LADDER_RUNGS + 2] = LADDER_LEVELS(ladder6);
static const struct fixture near_misses4_deny = LADDER_FROM(ladder4, 8, FW_ACTION_DROP);
static const struct fixture near_misses6_deny = LADDER_FROM(ladder6, 8, FW_ACTION_DROP);

/* The same rows for each address family; FROM[k] is the ladder from level k. */
#define PRECEDENCE_ROWS(FAM, SRC, NEIGHBOUR, OTHER, FROM, DENY)                          \
	{ FAM " level 1: (src, port, proto) beats levels 2-7", &FROM[1],                  \
	  PKT_TCP(SRC, 22), XDP_DROP, FW_STAT_DROP_RULE, "l1-src-port-tcp" },             \
	{ FAM " level 2: (src, port, any) beats levels 3-7", &FROM[2],                    \
	  PKT_TCP(SRC, 22), XDP_PASS, FW_STAT_PASS_RULE, "l2-src-port-any" },             \
	{ FAM " level 3: (src, any, proto) beats levels 4-7", &FROM[3],                   \
	  PKT_TCP(SRC, 22), XDP_DROP, FW_STAT_DROP_RULE, "l3-src-any-tcp" },              \
	{ FAM " level 4: (src, any, any) beats levels 5-7", &FROM[4],                     \
	  PKT_TCP(SRC, 22), XDP_PASS, FW_STAT_PASS_RULE, "l4-src-any-any" },              \
	{ FAM " level 5: (any, port, proto) beats levels 6-7", &FROM[5],                  \
	  PKT_TCP(SRC, 22), XDP_DROP, FW_STAT_DROP_RULE, "l5-any-port-tcp" },             \
	{ FAM " level 6: (any, port, any) beats level 7", &FROM[6],                       \
	  PKT_TCP(SRC, 22), XDP_PASS, FW_STAT_PASS_RULE, "l6-any-port-any" },             \
	{ FAM " level 7: (any, any, proto) beats the default", &FROM[7],                  \
	  PKT_TCP(SRC, 22), XDP_DROP, FW_STAT_DROP_RULE, "l7-any-any-tcp" },              \
	{ FAM " level 8: default pass when only near misses exist", &FROM[8],             \
	  PKT_TCP(SRC, 22), XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },                       \
	{ FAM " level 8: default drop when only near misses exist", &DENY,                \
	  PKT_TCP(SRC, 22), XDP_DROP, FW_STAT_DROP_DEFAULT, NULL },                       \
	{ FAM " full ladder: UDP to the port takes (src, port, udp)", &FROM[1],           \
	  PKT_UDP(SRC, 22), XDP_DROP, FW_STAT_DROP_RULE, "near-src-port-udp" },           \
	{ FAM " full ladder: TCP to another port takes that port's (src, port, tcp)",     \
	  &FROM[1], PKT_TCP(SRC, 2222), XDP_PASS, FW_STAT_PASS_RULE, "near-src-2222-tcp" }, \
	{ FAM " full ladder: TCP to a port without source rules takes (src, any, tcp)",   \
	  &FROM[1], PKT_TCP(SRC, 80), XDP_DROP, FW_STAT_DROP_RULE, "l3-src-any-tcp" },    \
	{ FAM " full ladder: (src, any, any) beats (any, any, udp)", &FROM[1],            \
	  PKT_UDP(SRC, 80), XDP_PASS, FW_STAT_PASS_RULE, "l4-src-any-any" },              \
	{ FAM " full ladder: the neighbour address has its own (src, port, tcp)",         \
	  &FROM[1], PKT_TCP(NEIGHBOUR, 22), XDP_PASS, FW_STAT_PASS_RULE,                  \
	  "near-neighbour-port-tcp" },                                                    \
	{ FAM " full ladder: the neighbour's (src, any, any) beats (any, any, tcp)",      \
	  &FROM[1], PKT_TCP(NEIGHBOUR, 80), XDP_DROP, FW_STAT_DROP_RULE,                  \
	  "near-neighbour-any-any" },                                                     \
	{ FAM " full ladder: a source without rules takes (any, port, tcp)", &FROM[1],    \
	  PKT_TCP(OTHER, 22), XDP_DROP, FW_STAT_DROP_RULE, "l5-any-port-tcp" },           \
	{ FAM " full ladder: a source without rules over UDP takes (any, port, any)",     \
	  &FROM[1], PKT_UDP(OTHER, 22), XDP_PASS, FW_STAT_PASS_RULE, "l6-any-port-any" }, \
	{ FAM " full ladder: (any, port, any) beats (any, any, tcp)", &FROM[1],           \
	  PKT_TCP(OTHER, 2222), XDP_DROP, FW_STAT_DROP_RULE, "near-any-2222-any" },       \
	{ FAM " full ladder: any source to an unruled port takes (any, any, tcp)",        \
	  &FROM[1], PKT_TCP(OTHER, 80), XDP_DROP, FW_STAT_DROP_RULE, "l7-any-any-tcp" },  \
	{ FAM " full ladder: any source to an unruled port over UDP takes (any, any, udp)", \
	  &FROM[1], PKT_UDP(OTHER, 80), XDP_PASS, FW_STAT_PASS_RULE, "near-any-any-udp" }

static const struct verdict_case precedence_rows[] = {
	PRECEDENCE_ROWS("v4", V4_SRC, V4_NEIGHBOUR, V4_OTHER, ladder4_from, near_misses4_deny),
	PRECEDENCE_ROWS("v6", V6_SRC, V6_NEIGHBOUR, V6_OTHER, ladder6_from, near_misses6_deny),
};

/* An allow-list with web open to everyone, and one banned source per family. */
static const struct rule_spec open_port_rules[] = {
	{ "ban-v4-src", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "ban-v6-src", V6_SRC, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "open-80-tcp", NULL, 80, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "open-80", NULL, 80, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "open-tcp", NULL, 0, FW_PROTO_TCP, FW_ACTION_PASS },
};
static const struct fixture open_port =
	FIXTURE("open port, banned source", open_port_rules, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT);

#define BANNED_ROWS(FAM, SRC, NEIGHBOUR, OTHER, BAN)                                     \
	{ FAM " banned source stays banned on a TCP port open to everyone", &open_port,   \
	  PKT_TCP(SRC, 80), XDP_DROP, FW_STAT_DROP_RULE, BAN },                           \
	{ FAM " banned source stays banned on a port open to everyone over UDP",          \
	  &open_port, PKT_UDP(SRC, 80), XDP_DROP, FW_STAT_DROP_RULE, BAN },               \
	{ FAM " banned source stays banned when all TCP is open", &open_port,             \
	  PKT_TCP(SRC, 443), XDP_DROP, FW_STAT_DROP_RULE, BAN },                          \
	{ FAM " another source gets the open TCP port", &open_port, PKT_TCP(OTHER, 80),   \
	  XDP_PASS, FW_STAT_PASS_RULE, "open-80-tcp" },                                   \
	{ FAM " the ban is one address: its neighbour gets the open port", &open_port,    \
	  PKT_TCP(NEIGHBOUR, 80), XDP_PASS, FW_STAT_PASS_RULE, "open-80-tcp" },           \
	{ FAM " another source gets the open port over UDP", &open_port,                  \
	  PKT_UDP(OTHER, 80), XDP_PASS, FW_STAT_PASS_RULE, "open-80" },                   \
	{ FAM " another source on a closed UDP port meets the default", &open_port,       \
	  PKT_UDP(OTHER, 53), XDP_DROP, FW_STAT_DROP_DEFAULT, NULL }

static const struct verdict_case banned_rows[] = {
	BANNED_ROWS("v4", V4_SRC, V4_NEIGHBOUR, V4_OTHER, "ban-v4-src"),
	BANNED_ROWS("v6", V6_SRC, V6_NEIGHBOUR, V6_OTHER, "ban-v6-src"),
};

/* Port rules of every shape; ICMP carries no port, so none of them may match it. */
static const struct rule_spec icmp_port_rules[] = {
	{ "v4-src-22", V4_SRC, 22, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "v4-src-22-tcp", V4_SRC, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "v6-src-22", V6_SRC, 22, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "v6-src-22-udp", V6_SRC, 22, FW_PROTO_UDP, FW_ACTION_DROP },
	{ "any-22", NULL, 22, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "any-22-tcp", NULL, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "any-22-udp", NULL, 22, FW_PROTO_UDP, FW_ACTION_DROP },
};
static const struct fixture icmp_ports =
	FIXTURE("port rules only", icmp_port_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);

/* Port-less rules at levels 3, 4 and 7, with port rules beside them. */
static const struct rule_spec icmp_portless_rules[] = {
	{ "v4-src-icmp", V4_SRC, 0, FW_PROTO_ICMP, FW_ACTION_DROP },
	{ "v4-src-any", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v4-src-22", V4_SRC, 22, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v4-neighbour-any", V4_NEIGHBOUR, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v6-src-icmpv6", V6_SRC, 0, FW_PROTO_ICMPV6, FW_ACTION_DROP },
	{ "v6-src-any", V6_SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v6-src-22", V6_SRC, 22, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v6-neighbour-any", V6_NEIGHBOUR, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "any-22", NULL, 22, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "any-icmp", NULL, 0, FW_PROTO_ICMP, FW_ACTION_DROP },
	{ "any-icmpv6", NULL, 0, FW_PROTO_ICMPV6, FW_ACTION_DROP },
};
static const struct fixture icmp_portless =
	FIXTURE("port-less ICMP rules", icmp_portless_rules, FW_ACTION_PASS,
		FW_FRAGMENTS_INSPECT);

/* icmp and icmpv6 are different protocols: neither kind of rule matches the other. */
static const struct rule_spec only_icmp_rules[] = {
	{ "any-icmp", NULL, 0, FW_PROTO_ICMP, FW_ACTION_DROP },
	{ "v6-src-icmp", V6_SRC, 0, FW_PROTO_ICMP, FW_ACTION_DROP },
};
static const struct fixture only_icmp =
	FIXTURE("icmp rules only", only_icmp_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);

static const struct rule_spec only_icmpv6_rules[] = {
	{ "any-icmpv6", NULL, 0, FW_PROTO_ICMPV6, FW_ACTION_DROP },
	{ "v4-src-icmpv6", V4_SRC, 0, FW_PROTO_ICMPV6, FW_ACTION_DROP },
};
static const struct fixture only_icmpv6 =
	FIXTURE("icmpv6 rules only", only_icmpv6_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);

#define ICMP_ECHO 8
#define ICMPV6_ECHO_REQUEST 128

/* An echo request whose checksum field holds 22, where a TCP or UDP header keeps its port. */
#define PKT_PING(src_, port_bait) \
	{ .src = src_, .ipproto = IPPROTO_ICMP, .icmp_type = ICMP_ECHO, .dport = port_bait }
#define PKT_PING6(src_, port_bait)                                                  \
	{ .src = src_, .ipproto = IPPROTO_ICMPV6, .icmp_type = ICMPV6_ECHO_REQUEST, \
	  .dport = port_bait }

static const struct verdict_case icmp_rows[] = {
	{ "v4 ICMP from a source with port rules matches none of them", &icmp_ports,
	  PKT_PING(V4_SRC, 22), XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },
	{ "v4 ICMP from any source matches no (any, port) rule", &icmp_ports,
	  PKT_PING(V4_OTHER, 22), XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },
	{ "v4 TCP to the same port is dropped (the port rules are live)", &icmp_ports,
	  PKT_TCP(V4_SRC, 22), XDP_DROP, FW_STAT_DROP_RULE, "v4-src-22-tcp" },
	{ "v6 ICMPv6 from a source with port rules matches none of them", &icmp_ports,
	  PKT_PING6(V6_SRC, 22), XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },
	{ "v6 ICMPv6 from any source matches no (any, port) rule", &icmp_ports,
	  PKT_PING6(V6_OTHER, 22), XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },
	{ "v6 UDP to the same port is dropped (the port rules are live)", &icmp_ports,
	  PKT_UDP(V6_SRC, 22), XDP_DROP, FW_STAT_DROP_RULE, "v6-src-22-udp" },

	{ "v4 ICMP: (src, any, icmp) beats (src, any, any) and (any, any, icmp)",
	  &icmp_portless, PKT_PING(V4_SRC, 22), XDP_DROP, FW_STAT_DROP_RULE, "v4-src-icmp" },
	{ "v4 ICMP: (src, any, any) beats (any, any, icmp)", &icmp_portless,
	  PKT_PING(V4_NEIGHBOUR, 22), XDP_PASS, FW_STAT_PASS_RULE, "v4-neighbour-any" },
	{ "v4 ICMP from any source takes (any, any, icmp), not (any, 22, any)",
	  &icmp_portless, PKT_PING(V4_OTHER, 22), XDP_DROP, FW_STAT_DROP_RULE, "any-icmp" },
	{ "v4 ICMP of another type is still ICMP", &icmp_portless,
	  PKT_ICMP(V4_OTHER, 13), XDP_DROP, FW_STAT_DROP_RULE, "any-icmp" },
	{ "v6 ICMPv6: (src, any, icmpv6) beats (src, any, any) and (any, any, icmpv6)",
	  &icmp_portless, PKT_PING6(V6_SRC, 22), XDP_DROP, FW_STAT_DROP_RULE, "v6-src-icmpv6" },
	{ "v6 ICMPv6: (src, any, any) beats (any, any, icmpv6)", &icmp_portless,
	  PKT_PING6(V6_NEIGHBOUR, 22), XDP_PASS, FW_STAT_PASS_RULE, "v6-neighbour-any" },
	{ "v6 ICMPv6 from any source takes (any, any, icmpv6), not (any, 22, any)",
	  &icmp_portless, PKT_PING6(V6_OTHER, 22), XDP_DROP, FW_STAT_DROP_RULE, "any-icmpv6" },
	{ "v6 ICMPv6 echo reply is still ICMPv6", &icmp_portless,
	  PKT_ICMPV6(V6_OTHER, 129), XDP_DROP, FW_STAT_DROP_RULE, "any-icmpv6" },

	{ "v4 ICMP takes an icmp rule", &only_icmp, PKT_PING(V4_OTHER, 0), XDP_DROP,
	  FW_STAT_DROP_RULE, "any-icmp" },
	{ "v6 ICMPv6 is not matched by icmp rules", &only_icmp, PKT_PING6(V6_OTHER, 0),
	  XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },
	{ "v6 ICMPv6 is not matched by the source's icmp rule", &only_icmp,
	  PKT_PING6(V6_SRC, 0), XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },
	{ "v6 ICMPv6 takes an icmpv6 rule", &only_icmpv6, PKT_PING6(V6_OTHER, 0), XDP_DROP,
	  FW_STAT_DROP_RULE, "any-icmpv6" },
	{ "v4 ICMP is not matched by icmpv6 rules", &only_icmpv6, PKT_PING(V4_OTHER, 0),
	  XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },
	{ "v4 ICMP is not matched by the source's icmpv6 rule", &only_icmpv6,
	  PKT_PING(V4_SRC, 0), XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },
};

int main(void)
{
	static const struct verdict_table tables[] = {
		VERDICT_TABLE("precedence", precedence_rows),
		VERDICT_TABLE("banned source", banned_rows),
		VERDICT_TABLE("icmp", icmp_rows),
	};

	return verdict_tables_run("datapath rule precedence", tables, ARRAY_SIZE(tables)) ? 1 : 0;
}
