/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal to the compiler: sources grouped into nodes (one per distinct
 * prefix a rule or set element names) and nodes into classes (nodes whose
 * own rules and whose parent's class are the same decide alike).
 */
#ifndef FW_COMPILE_CLASSES_H
#define FW_COMPILE_CLASSES_H

#include "ruleset.h"

struct fw_node {
	struct fw_prefix prefix;
	uint32_t class_id;
};

/* A class's port rule for one (port, protocol), resolved over its chain. */
struct fw_class_port {
	uint16_t port;
	uint8_t proto;
	struct fw_rule_ref ref;
};

struct fw_class {
	uint32_t parent;     /* class id of the nearest shorter prefix; 0 = none */
	uint32_t rules_at;   /* own rules: rule indices, listed order, in fw_classes.rules */
	uint32_t rules_count;
	uint32_t ports_at;   /* resolved port rules, by port then proto, in fw_classes.ports */
	uint32_t ports_count;
	bool ports_own;      /* the port rules are this class's, not its parent's shared */
	struct fw_source_value value; /* by_proto resolved; port_class: its key, or its parent's */
};

struct fw_classes {
	struct fw_node *nodes;  /* sorted by address, then length: parents first */
	size_t node_count;
	struct fw_class *classes; /* [0] is "no class" */
	size_t class_count;
	uint32_t *rules;
	size_t rules_len;
	struct fw_class_port *ports;
	size_t ports_len;
};

/* Groups rs's sources into nodes and classes; refs carry rule indices. */
int fw_classes_build(const struct fw_ruleset *rs, struct fw_classes *out);
void fw_classes_free(struct fw_classes *c);

/*
 * Builds fw_prefix4_N's entries from the IPv4 prefix nodes, naming classes
 * by slots[class id]; root: the slot of all of IPv4, or 0.
 */
int fw_prefix4_build(const struct fw_classes *cl, const uint32_t *slots, uint32_t root,
		     uint32_t **entries, size_t *count);

#endif /* FW_COMPILE_CLASSES_H */
