// SPDX-License-Identifier: GPL-2.0
/*
 * DESIGN §1 on packet shapes, through the real XDP program: fragments,
 * wrappers (VLAN tags, IPv4 options, IPv6 extension headers, AH), malformed
 * headers, the IP length fields, link essentials and other non-IP frames,
 * for IPv4 and IPv6.
 */
#include <netinet/in.h>
#include <linux/bpf.h>
#include "verdict_table.h"

#define V4_THIRD "198.18.1.3"
#define V6_THIRD "2001:2::1:3"

#define LATER_OFFSET 185 /* in 8-byte units: well inside a datagram */

/* ---- Fragments --------------------------------------------------------- */

static const struct rule_spec frag_inspect_rules[] = {
	{ "v4-src-22-tcp", V4_SRC, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "v4-neighbour-22-tcp", V4_NEIGHBOUR, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "v4-neighbour-tcp", V4_NEIGHBOUR, 0, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "v4-third-any", V4_THIRD, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "v6-src-22-tcp", V6_SRC, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "v6-neighbour-22-tcp", V6_NEIGHBOUR, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "v6-neighbour-tcp", V6_NEIGHBOUR, 0, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "v6-third-any", V6_THIRD, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "any-80-tcp", NULL, 80, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "any-80", NULL, 80, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "any-udp", NULL, 0, FW_PROTO_UDP, FW_ACTION_DROP },
};
static const struct fixture frag_inspect =
	FIXTURE("fragments: inspect", frag_inspect_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);

/* Pass rules everywhere: only the fragment policy can drop. */
static const struct rule_spec frag_drop_rules[] = {
	{ "v4-src-22-tcp-pass", V4_SRC, 22, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "v4-src-pass", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v6-src-22-tcp-pass", V6_SRC, 22, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "v6-src-pass", V6_SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "any-udp-pass", NULL, 0, FW_PROTO_UDP, FW_ACTION_PASS },
	{ "any-icmp-pass", NULL, 0, FW_PROTO_ICMP, FW_ACTION_PASS },
	{ "any-icmpv6-pass", NULL, 0, FW_PROTO_ICMPV6, FW_ACTION_PASS },
};
static const struct fixture frag_drop =
	FIXTURE("fragments: drop", frag_drop_rules, FW_ACTION_PASS, FW_FRAGMENTS_DROP);

/*
 * Later fragments carry the packet's dport as bait at the start of their
 * payload (see pkt.h): a parser that reads it as a port gets caught.
 */
#define PKT_FIRST_FRAG(src_, proto, port) \
	{ .src = src_, .ipproto = proto, .dport = port, .more_frags = 1 }
#define PKT_LATER_FRAG(src_, proto, port)                                        \
	{ .src = src_, .ipproto = proto, .dport = port, .frag_offset = LATER_OFFSET, \
	  .more_frags = 1 }
#define PKT_LAST_FRAG(src_, proto, port) \
	{ .src = src_, .ipproto = proto, .dport = port, .frag_offset = LATER_OFFSET }

#define FRAGMENT_ROWS(FAM, SRC, NEIGHBOUR, THIRD, OTHER, P)                                \
	{ FAM " first fragment is classified like any packet: (src, port, tcp)",            \
	  &frag_inspect, PKT_FIRST_FRAG(SRC, IPPROTO_TCP, 22), XDP_DROP, FW_STAT_DROP_RULE, \
	  P "-src-22-tcp" },                                                                \
	{ FAM " first fragment is classified like any packet: (any, port, tcp)",            \
	  &frag_inspect, PKT_FIRST_FRAG(OTHER, IPPROTO_TCP, 80), XDP_DROP,                  \
	  FW_STAT_DROP_RULE, "any-80-tcp" },                                                \
	{ FAM " first UDP fragment is classified like any packet: (any, port, any)",        \
	  &frag_inspect, PKT_FIRST_FRAG(OTHER, IPPROTO_UDP, 80), XDP_DROP,                  \
	  FW_STAT_DROP_RULE, "any-80" },                                                    \
	{ FAM " non-first fragment is not matched by a (src, port, tcp) rule",              \
	  &frag_inspect, PKT_LATER_FRAG(SRC, IPPROTO_TCP, 22), XDP_PASS,                    \
	  FW_STAT_PASS_DEFAULT, NULL },                                                     \
	{ FAM " last fragment is not matched by a (src, port, tcp) rule",                   \
	  &frag_inspect, PKT_LAST_FRAG(SRC, IPPROTO_TCP, 22), XDP_PASS,                     \
	  FW_STAT_PASS_DEFAULT, NULL },                                                     \
	{ FAM " non-first fragment is not matched by (any, port, *) rules",                 \
	  &frag_inspect, PKT_LATER_FRAG(OTHER, IPPROTO_TCP, 80), XDP_PASS,                  \
	  FW_STAT_PASS_DEFAULT, NULL },                                                     \
	{ FAM " non-first fragment takes (src, any, tcp), not (src, port, tcp)",            \
	  &frag_inspect, PKT_LATER_FRAG(NEIGHBOUR, IPPROTO_TCP, 22), XDP_PASS,              \
	  FW_STAT_PASS_RULE, P "-neighbour-tcp" },                                          \
	{ FAM " non-first fragment takes (src, any, any)", &frag_inspect,                   \
	  PKT_LATER_FRAG(THIRD, IPPROTO_UDP, 80), XDP_DROP, FW_STAT_DROP_RULE,              \
	  P "-third-any" },                                                                 \
	{ FAM " non-first UDP fragment takes (any, any, udp), not (any, port, any)",        \
	  &frag_inspect, PKT_LATER_FRAG(OTHER, IPPROTO_UDP, 80), XDP_DROP,                  \
	  FW_STAT_DROP_RULE, "any-udp" },                                                   \
	{ FAM " fragments: drop drops a first fragment a pass rule would let through",      \
	  &frag_drop, PKT_FIRST_FRAG(SRC, IPPROTO_TCP, 22), XDP_DROP, FW_STAT_DROP_FRAGMENT, \
	  NULL },                                                                           \
	{ FAM " fragments: drop drops a non-first fragment", &frag_drop,                    \
	  PKT_LATER_FRAG(SRC, IPPROTO_TCP, 22), XDP_DROP, FW_STAT_DROP_FRAGMENT, NULL },    \
	{ FAM " fragments: drop drops a last fragment", &frag_drop,                         \
	  PKT_LAST_FRAG(SRC, IPPROTO_TCP, 22), XDP_DROP, FW_STAT_DROP_FRAGMENT, NULL },     \
	{ FAM " fragments: drop drops a UDP first fragment", &frag_drop,                    \
	  PKT_FIRST_FRAG(OTHER, IPPROTO_UDP, 53), XDP_DROP, FW_STAT_DROP_FRAGMENT, NULL },  \
	{ FAM " fragments: drop leaves whole packets to the rules", &frag_drop,             \
	  PKT_TCP(SRC, 22), XDP_PASS, FW_STAT_PASS_RULE, P "-src-22-tcp-pass" }

static const struct verdict_case fragment_rows[] = {
	FRAGMENT_ROWS("v4", V4_SRC, V4_NEIGHBOUR, V4_THIRD, V4_OTHER, "v4"),
	{ "v4 non-first fragment with no payload is not malformed", &frag_inspect,
	  { .src = V4_NEIGHBOUR, .ipproto = IPPROTO_TCP, .frag_offset = 1, .truncate = 14 + 20 },
	  XDP_PASS, FW_STAT_PASS_RULE, "v4-neighbour-tcp" },
	{ "v4 DF flag is not a fragment: the port rule matches", &frag_inspect,
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .dont_frag = 1 },
	  XDP_DROP, FW_STAT_DROP_RULE, "v4-src-22-tcp" },
	{ "v4 fragments: drop leaves DF packets alone", &frag_drop,
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .dont_frag = 1 },
	  XDP_PASS, FW_STAT_PASS_RULE, "v4-src-22-tcp-pass" },
	{ "v4 fragments: drop drops a non-first ICMP fragment", &frag_drop,
	  { .src = V4_OTHER, .ipproto = IPPROTO_ICMP, .frag_offset = LATER_OFFSET },
	  XDP_DROP, FW_STAT_DROP_FRAGMENT, NULL },

	FRAGMENT_ROWS("v6", V6_SRC, V6_NEIGHBOUR, V6_THIRD, V6_OTHER, "v6"),
	{ "v6 non-first fragment with no payload is not malformed", &frag_inspect,
	  { .src = V6_NEIGHBOUR, .ipproto = IPPROTO_TCP, .frag_offset = 1 },
	  XDP_PASS, FW_STAT_PASS_RULE, "v6-neighbour-tcp" },
	{ "v6 first fragment behind hop-by-hop and dest-opts is classified", &frag_inspect,
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1,
	    PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_FRAGMENT) },
	  XDP_DROP, FW_STAT_DROP_RULE, "v6-src-22-tcp" },
	{ "v6 non-first fragment behind hop-by-hop is not matched by a port rule", &frag_inspect,
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1,
	    .frag_offset = LATER_OFFSET, PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_FRAGMENT) },
	  XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },
	{ "v6 fragments: drop finds a fragment header behind hop-by-hop and dest-opts",
	  &frag_drop,
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1,
	    PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_FRAGMENT, IPPROTO_DSTOPTS) },
	  XDP_DROP, FW_STAT_DROP_FRAGMENT, NULL },
	{ "v6 fragments: drop drops a non-first ICMPv6 fragment", &frag_drop,
	  { .src = V6_OTHER, .ipproto = IPPROTO_ICMPV6, .frag_offset = LATER_OFFSET },
	  XDP_DROP, FW_STAT_DROP_FRAGMENT, NULL },

	/* RFC 6946: a fragment header with offset 0 and M=0 makes no fragment. */
	{ "v6 atomic fragment is classified like a whole packet: (src, port, tcp)",
	  &frag_inspect, { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .fragment = 1 },
	  XDP_DROP, FW_STAT_DROP_RULE, "v6-src-22-tcp" },
	{ "v6 atomic fragment is no fragment: fragments: drop leaves it to the rules", &frag_drop,
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .fragment = 1 },
	  XDP_PASS, FW_STAT_PASS_RULE, "v6-src-22-tcp-pass" },
	{ "v6 atomic fragment behind hop-by-hop: fragments: drop leaves it to the rules",
	  &frag_drop,
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .fragment = 1,
	    PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_FRAGMENT) },
	  XDP_PASS, FW_STAT_PASS_RULE, "v6-src-22-tcp-pass" },
	{ "v6 atomic UDP fragment under fragments: drop meets (any, any, udp)", &frag_drop,
	  { .src = V6_OTHER, .ipproto = IPPROTO_UDP, .dport = 53, .fragment = 1 },
	  XDP_PASS, FW_STAT_PASS_RULE, "any-udp-pass" },
};

/* ---- Wrappers ---------------------------------------------------------- */

static const struct rule_spec wrapped_deny_rules[] = {
	{ "v4-src-22-tcp", V4_SRC, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "v6-src-22-tcp", V6_SRC, 22, FW_PROTO_TCP, FW_ACTION_DROP },
};
static const struct fixture wrapped_deny =
	FIXTURE("ssh banned for one source", wrapped_deny_rules, FW_ACTION_PASS,
		FW_FRAGMENTS_INSPECT);

static const struct rule_spec wrapped_allow_rules[] = {
	{ "v4-src-22-tcp-pass", V4_SRC, 22, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "v6-src-22-tcp-pass", V6_SRC, 22, FW_PROTO_TCP, FW_ACTION_PASS },
};
static const struct fixture wrapped_allow =
	FIXTURE("ssh allowed for one source", wrapped_allow_rules, FW_ACTION_DROP,
		FW_FRAGMENTS_INSPECT);

#define TAG_Q 0x8100  /* 802.1Q */
#define TAG_AD 0x88a8 /* 802.1ad, the outer tag of QinQ */

#define EXT_CHAIN_AT_LIMIT                                                            \
	PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS,         \
	  IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS)
#define EXT_CHAIN_TOO_LONG                                                            \
	PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS,         \
	  IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS,         \
	  IPPROTO_DSTOPTS)
_Static_assert(FW_MAX_IPV6_EXT_HDRS == 8, "the chains above are built for 8");

#define PKT_SSH(src_, ...) { .src = src_, .ipproto = IPPROTO_TCP, .dport = 22, __VA_ARGS__ }

#define TAG_ROWS(FAM, SRC, OTHER, P)                                                         \
	{ FAM " behind one 802.1Q tag", &wrapped_deny, PKT_SSH(SRC, .vlan_tpid = { TAG_Q }), \
	  XDP_DROP, FW_STAT_DROP_RULE, P "-src-22-tcp" },                                     \
	{ FAM " behind one 802.1ad tag", &wrapped_deny, PKT_SSH(SRC, .vlan_tpid = { TAG_AD }), \
	  XDP_DROP, FW_STAT_DROP_RULE, P "-src-22-tcp" },                                     \
	{ FAM " behind QinQ (802.1ad + 802.1Q)", &wrapped_deny,                               \
	  PKT_SSH(SRC, .vlan_tpid = { TAG_AD, TAG_Q }), XDP_DROP, FW_STAT_DROP_RULE,          \
	  P "-src-22-tcp" },                                                                  \
	{ FAM " behind two 802.1Q tags", &wrapped_deny,                                       \
	  PKT_SSH(SRC, .vlan_tpid = { TAG_Q, TAG_Q }), XDP_DROP, FW_STAT_DROP_RULE,           \
	  P "-src-22-tcp" },                                                                  \
	{ FAM " behind QinQ from an unbanned source passes", &wrapped_deny,                   \
	  PKT_SSH(OTHER, .vlan_tpid = { TAG_AD, TAG_Q }), XDP_PASS, FW_STAT_PASS_DEFAULT,     \
	  NULL },                                                                             \
	{ FAM " behind QinQ reaches its pass rule under default drop", &wrapped_allow,        \
	  PKT_SSH(SRC, .vlan_tpid = { TAG_AD, TAG_Q }), XDP_PASS, FW_STAT_PASS_RULE,          \
	  P "-src-22-tcp-pass" },                                                             \
	{ FAM " behind a third tag is malformed, even from an unbanned source",              \
	  &wrapped_deny, PKT_SSH(OTHER, .vlan_tpid = { TAG_AD, TAG_Q, TAG_Q }), XDP_DROP,     \
	  FW_STAT_DROP_MALFORMED, NULL },                                                     \
	{ FAM " behind a third tag is malformed, not matched by the source's rule",          \
	  &wrapped_deny, PKT_SSH(SRC, .vlan_tpid = { TAG_AD, TAG_Q, TAG_AD }), XDP_DROP,      \
	  FW_STAT_DROP_MALFORMED, NULL }

static const struct verdict_case wrapper_rows[] = {
	TAG_ROWS("v4", V4_SRC, V4_OTHER, "v4"),
	{ "v4 with one word of IP options", &wrapped_deny,
	  PKT_SSH(V4_SRC, .ipv4_option_words = 1), XDP_DROP, FW_STAT_DROP_RULE, "v4-src-22-tcp" },
	{ "v4 with the longest IP options (IHL 15)", &wrapped_deny,
	  PKT_SSH(V4_SRC, .ipv4_option_words = 10), XDP_DROP, FW_STAT_DROP_RULE,
	  "v4-src-22-tcp" },
	{ "v4 with IP options from an unbanned source passes", &wrapped_deny,
	  PKT_SSH(V4_OTHER, .ipv4_option_words = 10), XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },
	{ "v4 with IP options behind QinQ", &wrapped_deny,
	  PKT_SSH(V4_SRC, .ipv4_option_words = 3, .vlan_tpid = { TAG_AD, TAG_Q }), XDP_DROP,
	  FW_STAT_DROP_RULE, "v4-src-22-tcp" },
	{ "v4 with IP options behind QinQ reaches its pass rule under default drop",
	  &wrapped_allow, PKT_SSH(V4_SRC, .ipv4_option_words = 3, .vlan_tpid = { TAG_AD, TAG_Q }),
	  XDP_PASS, FW_STAT_PASS_RULE, "v4-src-22-tcp-pass" },

	TAG_ROWS("v6", V6_SRC, V6_OTHER, "v6"),
	{ "v6 behind hop-by-hop", &wrapped_deny,
	  PKT_SSH(V6_SRC, PKT_EXT(IPPROTO_HOPOPTS)), XDP_DROP, FW_STAT_DROP_RULE,
	  "v6-src-22-tcp" },
	{ "v6 behind a 32-byte hop-by-hop", &wrapped_deny,
	  PKT_SSH(V6_SRC, PKT_EXT(IPPROTO_HOPOPTS), .ext_words = { 3 }), XDP_DROP,
	  FW_STAT_DROP_RULE, "v6-src-22-tcp" },
	{ "v6 behind hop-by-hop, dest-opts and routing", &wrapped_deny,
	  PKT_SSH(V6_SRC, PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING)),
	  XDP_DROP, FW_STAT_DROP_RULE, "v6-src-22-tcp" },
	{ "v6 behind hop-by-hop, dest-opts, routing and a first-fragment header",
	  &wrapped_deny,
	  PKT_SSH(V6_SRC, .more_frags = 1,
		  PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING, IPPROTO_FRAGMENT,
			   IPPROTO_DSTOPTS)),
	  XDP_DROP, FW_STAT_DROP_RULE, "v6-src-22-tcp" },
	{ "v6 behind an atomic fragment header (offset 0, no more fragments)", &wrapped_deny,
	  PKT_SSH(V6_SRC, .fragment = 1), XDP_DROP, FW_STAT_DROP_RULE, "v6-src-22-tcp" },
	{ "v6 behind hop-by-hop and routing, under QinQ", &wrapped_deny,
	  PKT_SSH(V6_SRC, PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_ROUTING),
		  .vlan_tpid = { TAG_AD, TAG_Q }),
	  XDP_DROP, FW_STAT_DROP_RULE, "v6-src-22-tcp" },
	{ "v6 behind extension headers under QinQ reaches its pass rule under default drop",
	  &wrapped_allow,
	  PKT_SSH(V6_SRC, PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_ROUTING),
		  .vlan_tpid = { TAG_AD, TAG_Q }),
	  XDP_PASS, FW_STAT_PASS_RULE, "v6-src-22-tcp-pass" },
	{ "v6 behind a chain of exactly FW_MAX_IPV6_EXT_HDRS headers", &wrapped_deny,
	  PKT_SSH(V6_SRC, EXT_CHAIN_AT_LIMIT), XDP_DROP, FW_STAT_DROP_RULE,
	  "v6-src-22-tcp" },
	{ "v6 behind a chain one header too long to walk is malformed", &wrapped_deny,
	  PKT_SSH(V6_OTHER, EXT_CHAIN_TOO_LONG), XDP_DROP, FW_STAT_DROP_MALFORMED, NULL },
};

/* ---- AH (RFC 4302), walked in both versions ----------------------------- */

#define AH IPPROTO_AH
#define AH_CHAIN_AT_LIMIT PKT_EXT(AH, AH, AH, AH, AH, AH, AH, AH)
#define AH_CHAIN_TOO_LONG PKT_EXT(AH, AH, AH, AH, AH, AH, AH, AH, AH)

#define AH_ROWS(FAM, SRC, OTHER, P)                                                          \
	{ FAM " TCP behind AH meets the port rule", &wrapped_deny,                            \
	  PKT_SSH(SRC, PKT_EXT(AH)), XDP_DROP, FW_STAT_DROP_RULE, P "-src-22-tcp" },          \
	{ FAM " TCP behind AH from an unbanned source passes", &wrapped_deny,                 \
	  PKT_SSH(OTHER, PKT_EXT(AH)), XDP_PASS, FW_STAT_PASS_DEFAULT, NULL },                \
	{ FAM " TCP behind AH reaches its pass rule under default drop", &wrapped_allow,      \
	  PKT_SSH(SRC, PKT_EXT(AH)), XDP_PASS, FW_STAT_PASS_RULE, P "-src-22-tcp-pass" },     \
	{ FAM " TCP behind an AH without ICV (12 bytes)", &wrapped_deny,                      \
	  PKT_SSH(SRC, PKT_EXT(AH), .ext_words = { 1 }), XDP_DROP, FW_STAT_DROP_RULE,         \
	  P "-src-22-tcp" },                                                                  \
	{ FAM " TCP behind a 32-byte AH", &wrapped_deny,                                      \
	  PKT_SSH(SRC, PKT_EXT(AH), .ext_words = { 6 }), XDP_DROP, FW_STAT_DROP_RULE,         \
	  P "-src-22-tcp" },                                                                  \
	{ FAM " TCP behind two AH headers under QinQ", &wrapped_deny,                         \
	  PKT_SSH(SRC, PKT_EXT(AH, AH), .vlan_tpid = { TAG_AD, TAG_Q }), XDP_DROP,            \
	  FW_STAT_DROP_RULE, P "-src-22-tcp" },                                               \
	{ FAM " TCP first fragment behind AH meets the port rule", &wrapped_deny,             \
	  PKT_SSH(SRC, PKT_EXT(AH), .more_frags = 1), XDP_DROP, FW_STAT_DROP_RULE,            \
	  P "-src-22-tcp" },                                                                  \
	{ FAM " TCP behind FW_MAX_IPV6_EXT_HDRS AH headers", &wrapped_deny,                   \
	  PKT_SSH(SRC, AH_CHAIN_AT_LIMIT), XDP_DROP, FW_STAT_DROP_RULE, P "-src-22-tcp" },    \
	{ FAM " AH chain one header too long to walk is malformed", &wrapped_deny,            \
	  PKT_SSH(OTHER, AH_CHAIN_TOO_LONG), XDP_DROP, FW_STAT_DROP_MALFORMED, NULL }

static const struct verdict_case ah_rows[] = {
	AH_ROWS("v4", V4_SRC, V4_OTHER, "v4"),
	{ "v4 TCP behind AH and IP options", &wrapped_deny,
	  PKT_SSH(V4_SRC, PKT_EXT(AH), .ipv4_option_words = 3), XDP_DROP, FW_STAT_DROP_RULE,
	  "v4-src-22-tcp" },

	AH_ROWS("v6", V6_SRC, V6_OTHER, "v6"),
	{ "v6 TCP behind hop-by-hop, AH and dest-opts", &wrapped_deny,
	  PKT_SSH(V6_SRC, PKT_EXT(IPPROTO_HOPOPTS, AH, IPPROTO_DSTOPTS)), XDP_DROP,
	  FW_STAT_DROP_RULE, "v6-src-22-tcp" },
	{ "v6 TCP first fragment behind a fragment header and AH", &wrapped_deny,
	  PKT_SSH(V6_SRC, PKT_EXT(IPPROTO_FRAGMENT, AH), .more_frags = 1), XDP_DROP,
	  FW_STAT_DROP_RULE, "v6-src-22-tcp" },
	{ "v6 AH counts against the limit: seven headers and AH are walked", &wrapped_deny,
	  PKT_SSH(V6_SRC, PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING,
				  IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS,
				  IPPROTO_DSTOPTS, AH)),
	  XDP_DROP, FW_STAT_DROP_RULE, "v6-src-22-tcp" },
	{ "v6 AH counts against the limit: eight headers and AH are malformed", &wrapped_deny,
	  PKT_SSH(V6_OTHER, PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING,
				    IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS,
				    IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, AH)),
	  XDP_DROP, FW_STAT_DROP_MALFORMED, NULL },
};

/* ---- Malformed --------------------------------------------------------- */

/* Pass rules for the sources and default pass: only malformation can drop. */
static const struct rule_spec malformed_rules[] = {
	{ "v4-src-pass", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v6-src-pass", V6_SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },
};
static const struct fixture malformed =
	FIXTURE("pass everything", malformed_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);

#define ETH 14
#define IPV4 20
#define IPV6 40

#define MALFORMED_ROW(desc, ...) \
	{ desc, &malformed, __VA_ARGS__, XDP_DROP, FW_STAT_DROP_MALFORMED, NULL }

static const struct verdict_case malformed_rows[] = {
	{ "v4 well-formed control: the pass rule lets it through", &malformed,
	  PKT_TCP(V4_SRC, 22), XDP_PASS, FW_STAT_PASS_RULE, "v4-src-pass" },
	MALFORMED_ROW("v4 IP header cut short",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			.truncate = ETH + IPV4 - 1 }),
	MALFORMED_ROW("v4 IP options cut short",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			.ipv4_option_words = 2, .truncate = ETH + IPV4 + 6 }),
	MALFORMED_ROW("v4 IHL 15 with no options in the frame",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .ihl = 15 }),
	MALFORMED_ROW("v4 IHL 4",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .ihl = 4 }),
	MALFORMED_ROW("v4 IHL 0",
		      { .src = V4_SRC, .ipproto = IPPROTO_UDP, .dport = 53, .ihl = PKT_ZERO }),
	MALFORMED_ROW("v4 IHL 1 with a TCP header behind it",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .ihl = 1 }),
	MALFORMED_ROW("v4 ethertype carrying an IP version 6 header",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .version = 6 }),
	MALFORMED_ROW("v4 TCP header cut short",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			.truncate = ETH + IPV4 + 19 }),
	MALFORMED_ROW("v4 TCP header cut short behind IP options",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			.ipv4_option_words = 2, .truncate = ETH + IPV4 + 8 + 10 }),
	MALFORMED_ROW("v4 UDP header cut short",
		      { .src = V4_SRC, .ipproto = IPPROTO_UDP, .dport = 53,
			.truncate = ETH + IPV4 + 7 }),
	MALFORMED_ROW("v4 ICMP header cut short",
		      { .src = V4_SRC, .ipproto = IPPROTO_ICMP, .icmp_type = 8,
			.truncate = ETH + IPV4 + 7 }),
	MALFORMED_ROW("v4 first fragment with its TCP header cut short",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1,
			.truncate = ETH + IPV4 + 10 }),
	MALFORMED_ROW("v4 behind a third VLAN tag",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			.vlan_tpid = { TAG_Q, TAG_Q, TAG_Q } }),

	{ "v6 well-formed control: the pass rule lets it through", &malformed,
	  PKT_TCP(V6_SRC, 22), XDP_PASS, FW_STAT_PASS_RULE, "v6-src-pass" },
	MALFORMED_ROW("v6 IP header cut short",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			.truncate = ETH + IPV6 - 1 }),
	MALFORMED_ROW("v6 ethertype carrying an IP version 4 header",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .version = 4 }),
	MALFORMED_ROW("v6 ethertype carrying an IP version 0 header",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .version = PKT_ZERO }),
	MALFORMED_ROW("v6 TCP header cut short",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			.truncate = ETH + IPV6 + 19 }),
	MALFORMED_ROW("v6 UDP header cut short",
		      { .src = V6_SRC, .ipproto = IPPROTO_UDP, .dport = 53,
			.truncate = ETH + IPV6 + 7 }),
	MALFORMED_ROW("v6 ICMPv6 header cut short",
		      { .src = V6_SRC, .ipproto = IPPROTO_ICMPV6, .icmp_type = 128,
			.truncate = ETH + IPV6 + 7 }),
	MALFORMED_ROW("v6 hop-by-hop header cut short",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			PKT_EXT(IPPROTO_HOPOPTS), .truncate = ETH + IPV6 + 1 }),
	MALFORMED_ROW("v6 fragment header cut short",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1,
			PKT_EXT(IPPROTO_FRAGMENT), .truncate = ETH + IPV6 + 4 }),
	MALFORMED_ROW("v6 hop-by-hop longer than the frame, with no upper header",
		      { .src = V6_SRC, .ipproto = IPPROTO_NONE, PKT_EXT(IPPROTO_HOPOPTS),
			.ext_words = { 2 }, .truncate = ETH + IPV6 + 8 }),
	MALFORMED_ROW("v6 TCP header cut short behind hop-by-hop and dest-opts",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS),
			.truncate = ETH + IPV6 + 16 + 10 }),
	MALFORMED_ROW("v6 first fragment with its TCP header cut short",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1,
			.truncate = ETH + IPV6 + 8 + 10 }),
	MALFORMED_ROW("v6 extension-header chain too long to walk",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			EXT_CHAIN_TOO_LONG }),
	MALFORMED_ROW("v6 behind a third VLAN tag",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			.vlan_tpid = { TAG_AD, TAG_Q, TAG_Q } }),

	/* The IP length matches the cut, so only the header's own bound fails. */
	MALFORMED_ROW("v4 AH cut short by the frame",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, PKT_EXT(AH),
			.truncate = ETH + IPV4 + 1, .ip_len = IPV4 + 1 }),
	MALFORMED_ROW("v4 AH longer than the frame",
		      { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, PKT_EXT(AH),
			.ext_words = { 200 }, .truncate = ETH + IPV4 + 24, .ip_len = IPV4 + 24 }),
	MALFORMED_ROW("v6 AH cut short by the frame",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, PKT_EXT(AH),
			.truncate = ETH + IPV6 + 1, .ip_len = 1 }),
	MALFORMED_ROW("v6 AH longer than the frame",
		      { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, PKT_EXT(AH),
			.ext_words = { 200 }, .truncate = ETH + IPV6 + 24, .ip_len = 24 }),
};

/* ---- IP length fields: past them lies link padding, never a header ------- */

/* Default drop and pass rules for the sources: a header read from the padding would pass. */
static const struct rule_spec length_rules[] = {
	{ "v4-src-22-tcp-pass", V4_SRC, 22, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "v4-src-53-udp-pass", V4_SRC, 53, FW_PROTO_UDP, FW_ACTION_PASS },
	{ "v4-src-pass", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v6-src-22-tcp-pass", V6_SRC, 22, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "v6-src-53-udp-pass", V6_SRC, 53, FW_PROTO_UDP, FW_ACTION_PASS },
	{ "v6-src-pass", V6_SRC, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v4-neighbour-pass", V4_NEIGHBOUR, 0, FW_PROTO_ANY, FW_ACTION_PASS },
	{ "v6-neighbour-pass", V6_NEIGHBOUR, 0, FW_PROTO_ANY, FW_ACTION_PASS },
};
static const struct fixture lengths =
	FIXTURE("default drop, ports open", length_rules, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT);

#define LENGTH_MALFORMED(desc, ...) \
	{ desc, &lengths, __VA_ARGS__, XDP_DROP, FW_STAT_DROP_MALFORMED, NULL }
#define FRAME_ROOM (PKT_MIN_FRAME - ETH) /* what a padded frame holds past Ethernet */

static const struct verdict_case length_rows[] = {
	{ "v4 padding of junk bytes: the header's port decides", &lengths,
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .pad = 0x16 }, XDP_PASS,
	  FW_STAT_PASS_RULE, "v4-src-22-tcp-pass" },
	{ "v4 total length taking in part of the padding is a whole packet", &lengths,
	  { .src = V4_SRC, .ipproto = IPPROTO_UDP, .dport = 53, .ip_len = IPV4 + 8 + 10 },
	  XDP_PASS, FW_STAT_PASS_RULE, "v4-src-53-udp-pass" },
	{ "v4 total length as long as the frame is a whole packet", &lengths,
	  { .src = V4_SRC, .ipproto = IPPROTO_UDP, .dport = 53, .ip_len = FRAME_ROOM },
	  XDP_PASS, FW_STAT_PASS_RULE, "v4-src-53-udp-pass" },
	{ "v4 total length IHL*4 with a protocol that has no header we read", &lengths,
	  { .src = V4_SRC, .ipproto = IPPROTO_GRE, .pad = 0xab }, XDP_PASS, FW_STAT_PASS_RULE,
	  "v4-src-pass" },
	{ "v4 later fragment with total length IHL*4 is not malformed", &lengths,
	  { .src = V4_NEIGHBOUR, .ipproto = IPPROTO_TCP, .dport = 22, .frag_offset = LATER_OFFSET,
	    .ip_len = IPV4 },
	  XDP_PASS, FW_STAT_PASS_RULE, "v4-neighbour-pass" },
	LENGTH_MALFORMED("v4 tiny first fragment: total length cuts TCP at 8 bytes, the rest in "
			 "the padding",
			 { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1,
			   .ip_len = IPV4 + 8 }),
	LENGTH_MALFORMED("v4 TCP header cut short by the total length, the rest in the padding",
			 { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			   .ip_len = IPV4 + 19 }),
	LENGTH_MALFORMED("v4 UDP header wholly in the padding (total length 20)",
			 { .src = V4_SRC, .ipproto = IPPROTO_UDP, .dport = 53, .ip_len = IPV4 }),
	LENGTH_MALFORMED("v4 ICMP header cut short by the total length",
			 { .src = V4_SRC, .ipproto = IPPROTO_ICMP, .icmp_type = 8,
			   .ip_len = IPV4 + 4 }),
	LENGTH_MALFORMED("v4 total length below IHL*4",
			 { .src = V4_SRC, .ipproto = IPPROTO_GRE, .ip_len = IPV4 - 4 }),
	LENGTH_MALFORMED("v4 total length below IHL*4: the options reach into the padding",
			 { .src = V4_SRC, .ipproto = IPPROTO_GRE, .ipv4_option_words = 2,
			   .ip_len = IPV4 + 4 }),
	LENGTH_MALFORMED("v4 total length 0",
			 { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			   .ip_len = PKT_ZERO }),
	LENGTH_MALFORMED("v4 total length one byte longer than the padded frame",
			 { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			   .ip_len = FRAME_ROOM + 1 }),
	LENGTH_MALFORMED("v4 total length 65535 in a short frame",
			 { .src = V4_SRC, .ipproto = IPPROTO_UDP, .dport = 53, .ip_len = 65535 }),
	LENGTH_MALFORMED("v4 later fragment whose total length cuts its own IP header",
			 { .src = V4_NEIGHBOUR, .ipproto = IPPROTO_TCP, .dport = 22,
			   .frag_offset = LATER_OFFSET, .ip_len = IPV4 - 1 }),
	LENGTH_MALFORMED("v4 AH reaching into the padding",
			 { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, PKT_EXT(AH),
			   .ip_len = IPV4 + 12 }),
	LENGTH_MALFORMED("v4 TCP behind AH cut short by the total length",
			 { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, PKT_EXT(AH),
			   .ip_len = IPV4 + 24 + 10 }),

	{ "v6 bytes past the payload length are padding: the header's port decides", &lengths,
	  { .src = V6_SRC, .ipproto = IPPROTO_UDP, .dport = 53, .payload = 10, .ip_len = 8 },
	  XDP_PASS, FW_STAT_PASS_RULE, "v6-src-53-udp-pass" },
	{ "v6 payload length 0 with no next header is an empty packet, not malformed", &lengths,
	  { .src = V6_SRC, .ipproto = IPPROTO_NONE, .ip_len = PKT_ZERO }, XDP_PASS,
	  FW_STAT_PASS_RULE, "v6-src-pass" },
	{ "v6 later fragment with a payload length of its fragment header only", &lengths,
	  { .src = V6_NEIGHBOUR, .ipproto = IPPROTO_TCP, .dport = 22, .frag_offset = LATER_OFFSET,
	    .ip_len = 8 },
	  XDP_PASS, FW_STAT_PASS_RULE, "v6-neighbour-pass" },
	LENGTH_MALFORMED("v6 tiny first fragment: payload length cuts TCP at 8 bytes",
			 { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1,
			   .ip_len = 8 + 8 }),
	LENGTH_MALFORMED("v6 TCP header cut short by the payload length",
			 { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .ip_len = 19 }),
	LENGTH_MALFORMED("v6 UDP header cut short by the payload length",
			 { .src = V6_SRC, .ipproto = IPPROTO_UDP, .dport = 53, .ip_len = 4 }),
	LENGTH_MALFORMED("v6 payload length 0 with a TCP header behind it",
			 { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			   .ip_len = PKT_ZERO }),
	LENGTH_MALFORMED("v6 jumbogram: payload length 0, its hop-by-hop header past it",
			 { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			   PKT_EXT(IPPROTO_HOPOPTS), .ip_len = PKT_ZERO }),
	LENGTH_MALFORMED("v6 payload length one byte longer than the frame",
			 { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .ip_len = 21 }),
	LENGTH_MALFORMED("v6 hop-by-hop header reaching past the payload length",
			 { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
			   PKT_EXT(IPPROTO_HOPOPTS), .ip_len = 4 }),
	LENGTH_MALFORMED("v6 fragment header reaching past the payload length",
			 { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1,
			   .ip_len = 4 }),
	LENGTH_MALFORMED("v6 AH reaching past the payload length",
			 { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, PKT_EXT(AH),
			   .ip_len = 12 }),
	LENGTH_MALFORMED("v6 neighbour solicitation cut short by the payload length is no ND",
			 { .src = V6_SRC, .ipproto = IPPROTO_ICMPV6, .icmp_type = 135,
			   .payload = 16, .ip_len = 4 }),
};

/* ---- Link essentials and other non-IP frames --------------------------- */

/* Both sources banned and every ICMP kind dropped: only the link rule can pass ND. */
#define LINK_RULES                                                             \
	{                                                                      \
		{ "ban-v4-src", V4_SRC, 0, FW_PROTO_ANY, FW_ACTION_DROP },     \
		{ "ban-v6-src", V6_SRC, 0, FW_PROTO_ANY, FW_ACTION_DROP },     \
		{ "drop-icmp", NULL, 0, FW_PROTO_ICMP, FW_ACTION_DROP },       \
		{ "drop-icmpv6", NULL, 0, FW_PROTO_ICMPV6, FW_ACTION_DROP },   \
	}
static const struct rule_spec link_rules[] = LINK_RULES;
static const struct fixture link_deny =
	FIXTURE("default drop, sources banned", link_rules, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT);
static const struct fixture link_open =
	FIXTURE("default pass, sources banned", link_rules, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
static const struct fixture link_no_fragments =
	FIXTURE("fragments: drop, sources banned", link_rules, FW_ACTION_DROP, FW_FRAGMENTS_DROP);

#define ETH_P_ARP_ 0x0806
#define ETH_P_LLDP_ 0x88cc
#define ETH_P_LOCAL_EXP 0x88b5 /* IEEE local experimental ethertype */

#define PKT_ARP(src_, ...) { .ethertype = ETH_P_ARP_, .src = src_, __VA_ARGS__ }
#define PKT_ND(src_, type, ...) \
	{ .src = src_, .ipproto = IPPROTO_ICMPV6, .icmp_type = type, .payload = 16, __VA_ARGS__ }

#define ND_ROW(fixture_, type, name)                                                      \
	{ "ICMPv6 " name " (" #type ") from a banned source passes under default drop",    \
	  fixture_, PKT_ND(V6_SRC, type), XDP_PASS, FW_STAT_PASS_LINK, NULL }

static const struct verdict_case link_rows[] = {
	{ "ARP from a banned source passes under default drop", &link_deny, PKT_ARP(V4_SRC),
	  XDP_PASS, FW_STAT_PASS_LINK, NULL },
	{ "ARP from another source passes under default drop", &link_deny, PKT_ARP(V4_OTHER),
	  XDP_PASS, FW_STAT_PASS_LINK, NULL },
	{ "ARP behind an 802.1Q tag passes under default drop", &link_deny,
	  PKT_ARP(V4_SRC, .vlan_tpid = { TAG_Q }), XDP_PASS, FW_STAT_PASS_LINK, NULL },
	{ "ARP behind QinQ passes under default drop", &link_deny,
	  PKT_ARP(V4_SRC, .vlan_tpid = { TAG_AD, TAG_Q }), XDP_PASS, FW_STAT_PASS_LINK, NULL },
	{ "ARP from a banned source passes under default pass", &link_open, PKT_ARP(V4_SRC),
	  XDP_PASS, FW_STAT_PASS_LINK, NULL },
	{ "ARP from a banned source passes under fragments: drop", &link_no_fragments,
	  PKT_ARP(V4_SRC), XDP_PASS, FW_STAT_PASS_LINK, NULL },

	ND_ROW(&link_deny, 133, "router solicitation"),
	ND_ROW(&link_deny, 134, "router advertisement"),
	ND_ROW(&link_deny, 135, "neighbour solicitation"),
	ND_ROW(&link_deny, 136, "neighbour advertisement"),
	ND_ROW(&link_deny, 137, "redirect"),
	{ "ICMPv6 neighbour solicitation from another source passes under default drop",
	  &link_deny, PKT_ND(V6_OTHER, 135), XDP_PASS, FW_STAT_PASS_LINK, NULL },
	{ "ICMPv6 neighbour solicitation from a banned source passes under default pass",
	  &link_open, PKT_ND(V6_SRC, 135), XDP_PASS, FW_STAT_PASS_LINK, NULL },
	{ "ICMPv6 neighbour advertisement passes under fragments: drop", &link_no_fragments,
	  PKT_ND(V6_SRC, 136), XDP_PASS, FW_STAT_PASS_LINK, NULL },
	{ "ICMPv6 neighbour solicitation behind hop-by-hop passes", &link_deny,
	  PKT_ND(V6_SRC, 135, PKT_EXT(IPPROTO_HOPOPTS)), XDP_PASS, FW_STAT_PASS_LINK, NULL },
	{ "ICMPv6 neighbour advertisement behind an 802.1Q tag passes", &link_deny,
	  PKT_ND(V6_SRC, 136, .vlan_tpid = { TAG_Q }), XDP_PASS, FW_STAT_PASS_LINK, NULL },
	/* RFC 6980: a receiver ignores ND behind any fragment header, an atomic one too. */
	{ "ICMPv6 neighbour solicitation in an atomic fragment is not ND", &link_deny,
	  PKT_ND(V6_OTHER, 135, .fragment = 1), XDP_DROP, FW_STAT_DROP_RULE, "drop-icmpv6" },
	{ "ICMPv6 ND in an atomic fragment meets the rules, not fragments: drop",
	  &link_no_fragments, PKT_ND(V6_OTHER, 135, .fragment = 1), XDP_DROP, FW_STAT_DROP_RULE,
	  "drop-icmpv6" },

	{ "ICMPv6 echo request (128) is not ND: the source's ban drops it", &link_deny,
	  PKT_ICMPV6(V6_SRC, 128), XDP_DROP, FW_STAT_DROP_RULE, "ban-v6-src" },
	{ "ICMPv6 echo request (128) is not ND: the ban drops it under default pass",
	  &link_open, PKT_ICMPV6(V6_SRC, 128), XDP_DROP, FW_STAT_DROP_RULE, "ban-v6-src" },
	{ "ICMPv6 echo request (128) from another source meets the icmpv6 rule", &link_deny,
	  PKT_ICMPV6(V6_OTHER, 128), XDP_DROP, FW_STAT_DROP_RULE, "drop-icmpv6" },
	{ "ICMPv6 type 132, just below ND, is not ND", &link_deny, PKT_ICMPV6(V6_OTHER, 132),
	  XDP_DROP, FW_STAT_DROP_RULE, "drop-icmpv6" },
	{ "ICMPv6 type 138, just above ND, is not ND", &link_deny, PKT_ICMPV6(V6_OTHER, 138),
	  XDP_DROP, FW_STAT_DROP_RULE, "drop-icmpv6" },
	{ "ICMP (v4) type 135 is not ND", &link_deny, PKT_ICMP(V4_OTHER, 135), XDP_DROP,
	  FW_STAT_DROP_RULE, "drop-icmp" },
	{ "ICMP (v4) type 133 from a banned source is not ND", &link_open,
	  PKT_ICMP(V4_SRC, 133), XDP_DROP, FW_STAT_DROP_RULE, "ban-v4-src" },
	{ "v6 with next header 1 (IPv4's ICMP) and type 135 is not ND", &link_deny,
	  { .src = V6_SRC, .ipproto = IPPROTO_ICMP, .icmp_type = 135 }, XDP_DROP,
	  FW_STAT_DROP_RULE, "ban-v6-src" },
	{ "v4 with protocol 58 (ICMPv6) and type 135 is not ND", &link_deny,
	  { .src = V4_SRC, .ipproto = IPPROTO_ICMPV6, .icmp_type = 135 }, XDP_DROP,
	  FW_STAT_DROP_RULE, "ban-v4-src" },

	{ "LLDP passes under default drop and counts as non-IP", &link_deny,
	  { .ethertype = ETH_P_LLDP_ }, XDP_PASS, FW_STAT_PASS_NON_IP, NULL },
	{ "LLDP passes under default pass and counts as non-IP", &link_open,
	  { .ethertype = ETH_P_LLDP_ }, XDP_PASS, FW_STAT_PASS_NON_IP, NULL },
	{ "LLDP behind an 802.1Q tag passes and counts as non-IP", &link_deny,
	  { .ethertype = ETH_P_LLDP_, .vlan_tpid = { TAG_Q } }, XDP_PASS, FW_STAT_PASS_NON_IP,
	  NULL },
	{ "a local experimental ethertype passes and counts as non-IP", &link_deny,
	  { .ethertype = ETH_P_LOCAL_EXP, .payload = 100 }, XDP_PASS, FW_STAT_PASS_NON_IP,
	  NULL },
};

int main(void)
{
	static const struct verdict_table tables[] = {
		VERDICT_TABLE("fragments", fragment_rows),
		VERDICT_TABLE("wrappers", wrapper_rows),
		VERDICT_TABLE("AH", ah_rows),
		VERDICT_TABLE("malformed", malformed_rows),
		VERDICT_TABLE("IP length fields", length_rows),
		VERDICT_TABLE("link and non-IP", link_rows),
	};

	return verdict_tables_run("datapath packet shapes", tables, ARRAY_SIZE(tables)) ? 1 : 0;
}
