/* SPDX-License-Identifier: GPL-2.0 */
/* A rule set as userspace holds it, and the entries it compiles to. */
#ifndef FW_RULESET_H
#define FW_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xdpfw.h"

/* A port range, both ends included; a single port is first == last. */
struct fw_port_range {
	uint16_t first;
	uint16_t last;
};

/*
 * An address or prefix in the 16-byte form rules use (IPv4 v4-mapped), len
 * counted over those 16 bytes: IPv4 /n is 96 + n, one address is 128.
 * Host bits are zero.
 */
struct fw_prefix {
	uint8_t addr[16];
	uint8_t len;
};

/* One line of a list file, or one item of `elements:`: where it was written. */
struct fw_set_element {
	struct fw_prefix prefix;
	uint32_t line;
	uint32_t col;
};

/*
 * A rule's `limit: {rate, burst, per}` and `ban_for` (DESIGN §1b), in the
 * units of struct fw_limit_value: the datapath's token bucket.
 */
struct fw_rule_limit {
	uint64_t interval;   /* ns per packet, 1 / rate rounded up; 0 = no limit */
	uint32_t burst;      /* packets; at least 1 */
	bool per_source;     /* per: source (the default) or rule */
	uint64_t ban_for;    /* ns; 0 = no ban */
};

/* A named set of addresses and prefixes: DESIGN §1b `sets:`. */
struct fw_set {
	char name[FW_RULE_NAME_MAX];
	char *file;                      /* the list file as opened; NULL for `elements:` */
	struct fw_set_element *elements; /* as written: duplicates and overlaps allowed */
	size_t count;
	size_t v4;                       /* elements that are IPv4 */
	size_t v6;
	int line;                        /* the set's key in the config */
	int col;
	uint16_t defined_in;             /* as fw_rule's */
};

struct fw_rule {
	char name[FW_RULE_NAME_MAX];
	uint8_t src[16];    /* prefix address, host bits zero; meaningful when has_src and !set_ref */
	uint8_t src_len;    /* fw_prefix len of src; 0 is read as 128 (one address) */
	bool has_src;       /* an address, a prefix or a set */
	uint16_t port;      /* 0 = any port; else the lowest port named */
	uint32_t set_ref;   /* src "@set": 1 + index in the rule set's sets; 0 = none */
	uint32_t ports_at;  /* ports_count ranges from the rule set's port_ranges, from here */
	uint32_t ports_count; /* 0: the one port `port` (or any, when 0) */
	uint32_t match_tag; /* hash of the set's name and the port ranges (0 if neither): identity */
	uint8_t proto;      /* enum fw_proto; FW_PROTO_ANY = any */
	uint8_t action;     /* FW_ACTION_PASS or FW_ACTION_DROP (also for a limit rule) */
	uint8_t tcp_flags;  /* FW_TCP_FLAGS_*; only with proto tcp */
	struct fw_rule_limit limit; /* limit: {...}, ban_for; limit.interval 0 = none */
	bool log;           /* `log: true`: an event per matched packet (FW_RULE_LOG) */
	uint16_t defined_in; /* 0: the config; N: its N-th included file (fw_config_file_name()) */
	uint32_t id;        /* counter slot in fw_counters */
	int line;           /* where the config defines it; 0 = not from a file */
	int col;
};

/* settings.log_rate, log_burst, ban_log and limit_log: DESIGN §1b events. */
struct fw_log_policy {
	uint64_t interval; /* ns per event: 1 / log_rate, rounded up; 0 = FW_DEFAULT_LOG_RATE */
	uint32_t burst;    /* events at once; 0 = one second's worth, at least 1 */
	bool bans;         /* ban_log: an event per packet a ban drops */
	bool limits;       /* limit_log: an event per packet a limit's excess drops */
};

struct fw_ruleset {
	struct fw_rule *rules;
	size_t count;
	uint32_t default_action; /* FW_ACTION_PASS or FW_ACTION_DROP */
	uint32_t fragments;      /* enum fw_fragment_policy */
	struct fw_set *sets;     /* rules name them by set_ref */
	size_t set_count;
	struct fw_port_range *port_ranges; /* rules name theirs by ports_at and ports_count */
	size_t port_range_count;
	/* settings.never_ban, sets' elements included (line: where never_ban names it). */
	struct fw_set never_ban;
	struct fw_log_policy log;
};

/* Frees the sets and port ranges, not the rules. */
void fw_ruleset_free_sets(struct fw_ruleset *rs);

/* The set a rule names, or NULL. */
static inline const struct fw_set *fw_rule_set(const struct fw_ruleset *rs, const struct fw_rule *r)
{
	return r->has_src && r->set_ref && r->set_ref <= rs->set_count ? &rs->sets[r->set_ref - 1]
								      : NULL;
}

static inline uint8_t fw_rule_src_len(const struct fw_rule *r)
{
	return r->src_len ? r->src_len : 128;
}

/* The protocol a rule decides for: FW_PROTO_TCP_SYN for `proto: tcp` with `tcp_flags: syn`. */
static inline uint8_t fw_rule_match_proto(const struct fw_rule *r)
{
	return r->proto == FW_PROTO_TCP && (r->tcp_flags & FW_TCP_FLAGS_SYN) ? FW_PROTO_TCP_SYN
									     : r->proto;
}

/* What the datapath does when the rule decides: FW_ACTION_LIMIT for a rule with a limit. */
static inline uint8_t fw_rule_ref_action(const struct fw_rule *r)
{
	return r->limit.interval ? FW_ACTION_LIMIT : r->action;
}

/*
 * The rule's ports as ranges: *one is filled in for a single `port`. Returns
 * the number of ranges; 0 = any port.
 */
size_t fw_rule_ports(const struct fw_ruleset *rs, const struct fw_rule *r,
		     const struct fw_port_range **ranges, struct fw_port_range *one);

/* The rule's match_tag: set it once the rule's set and ports are known. */
uint32_t fw_rule_match_tag(const struct fw_ruleset *rs, const struct fw_rule *r);

/* Whether the rule names port (not "any port"). */
bool fw_rule_has_port(const struct fw_ruleset *rs, const struct fw_rule *r, uint16_t port);

/* Map entries for one set, ready for batch updates. */
struct fw_compiled {
	uint32_t *source4_keys;              /* IPv4, network order */
	struct fw_source_value *source4_values;
	size_t sources4;
	uint8_t (*source6_keys)[16];
	struct fw_source_value *source6_values;
	size_t sources6;
	struct fw_port_rule_key *port_rule_keys;
	struct fw_rule_ref *port_rule_values;
	size_t port_rules;
	struct fw_port_value *ports; /* FW_PORTS entries, indexed by port */
	size_t sourceless;           /* rules without a source, all in ports */
	size_t tcp_syn;              /* rules with tcp_flags: syn: FW_ACTIVE_TCP_SYN */
	struct fw_source_value *classes; /* fw_classes_N by slot: prefix classes; [0] is "no class" */
	size_t class_count;              /* slots 0 .. class_count - 1; 0 when no prefix */
	uint32_t *prefix4;               /* fw_prefix4_N's entries; NULL when no IPv4 prefix */
	size_t prefix4_entries;          /* FW_PREFIX4_ROOT + 256 * blocks, or 0 */
	struct fw_prefix6_key *prefix6_keys;
	uint32_t *prefix6_values;        /* class slots */
	size_t prefixes6;
	uint32_t lengths6[FW_PREFIX6_LENGTHS]; /* longest first, 0-ended */
};

/*
 * Fills out with the map entries of rs; -ENOMEM, or -EINVAL for a
 * rule the config should have refused. Refs name rules by their index in
 * rs until fw_compiled_set_ids() writes the rules' ids in.
 */
int fw_compile(const struct fw_ruleset *rs, struct fw_compiled *out);
void fw_compiled_set_ids(struct fw_compiled *c, const struct fw_ruleset *rs);
void fw_compiled_free(struct fw_compiled *c);

/* Same source (or both none), port, protocol and TCP flags: the rules match the same packets. */
bool fw_rule_same_match(const struct fw_rule *a, const struct fw_rule *b);

/* True for ::ffff:a.b.c.d, the form IPv4 addresses take in rules. */
bool fw_addr_is_v4_mapped(const uint8_t addr[16]);

/* Sets addr to the v4-mapped form of a network-order IPv4 address. */
void fw_addr_from_ipv4(uint8_t addr[16], const void *ipv4);

/* How the reference classifier decided, and by which rule (index into rules, or -1). */
struct fw_verdict {
	enum fw_stat reason;
	long rule;
};

/* The datapath's semantics in plain C, for differential tests and dry runs. */
struct fw_verdict fw_classify(const struct fw_ruleset *rs, const uint8_t *frame, size_t len);

/* Why a rule decided (or none did): what `xdpfw explain` reports. */
struct fw_explanation {
	struct fw_verdict verdict;
	int step;                 /* precedence level 1-7 of DESIGN §1; 8 = default; 0 = no IP */
	struct fw_prefix matched; /* the source prefix that matched (len 0: none, steps 5-8) */
	long set;                 /* index in rs->sets whose element matched, or -1 */
	long element;             /* that element's index in the set, or -1 */
};

struct fw_frame_facts;

/* fw_classify() for a packet already read, with the reasons. */
struct fw_explanation fw_classify_explain(const struct fw_ruleset *rs,
					  const struct fw_frame_facts *pkt);

#endif /* FW_RULESET_H */
