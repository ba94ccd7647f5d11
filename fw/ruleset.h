/* SPDX-License-Identifier: GPL-2.0 */
/* A rule set as userspace holds it, and the entries it compiles to. */
#ifndef FW_RULESET_H
#define FW_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xdpfw.h"

struct fw_rule {
	char name[FW_RULE_NAME_MAX];
	uint8_t src[16];  /* IPv6, or IPv4 v4-mapped; meaningful when has_src */
	bool has_src;
	uint16_t port;    /* 0 = any port */
	uint8_t proto;    /* enum fw_proto; FW_PROTO_ANY = any */
	uint8_t action;   /* FW_ACTION_PASS or FW_ACTION_DROP */
	uint32_t id;      /* counter slot in fw_counters */
	int line;         /* where the config defines it; 0 = not from a file */
	int col;
};

struct fw_ruleset {
	struct fw_rule *rules;
	size_t count;
	uint32_t default_action; /* FW_ACTION_PASS or FW_ACTION_DROP */
	uint32_t fragments;      /* enum fw_fragment_policy */
};

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
};

/*
 * Fills out with the map entries of rs; -ENOMEM, or -EINVAL/-EEXIST for a
 * rule the config should have refused. Refs name rules by their index in
 * rs until fw_compiled_set_ids() writes the rules' ids in.
 */
int fw_compile(const struct fw_ruleset *rs, struct fw_compiled *out);
void fw_compiled_set_ids(struct fw_compiled *c, const struct fw_ruleset *rs);
void fw_compiled_free(struct fw_compiled *c);

/* Same source (or both none), port and protocol: the rules match the same packets. */
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

#endif /* FW_RULESET_H */
