/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The section layer: the document's top level, interfaces, settings and
 * rules, read into a struct fw_config. Internal to fw/config/.
 */
#ifndef FW_CONFIG_SECTION_H
#define FW_CONFIG_SECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "diag.h"
#include "nodes.h"
#include "reader.h"
#include "value.h"

#define CFG_MAX_RULES 16777216u

/* What the cross-rule checks need to know about each rule. */
struct cfg_rule_meta {
	int name_line;
	int name_col;
	uint32_t name_hash;  /* set when name_ok */
	uint32_t match_hash; /* set when match_ok */
	bool name_ok;  /* rule.name holds a valid name */
	bool match_ok; /* src, port and proto are valid and match something */
};

struct cfg_parser {
	const char *name; /* for messages */
	struct cfg_diags diags;
	struct cfg_reader reader;
	struct cfg_nodes nodes;
	struct fw_config *cfg;
	size_t rules_cap;
	size_t interfaces_cap;
	struct cfg_rule_meta *meta; /* parallel to cfg->rules.rules */
	bool capacity_ok;  /* settings.max_rules is valid or defaulted */
	bool capacity_set; /* settings.max_rules was given */
};

/* section_top.c: the stream, its one document and the top-level keys. */
void cfg_read_stream(struct cfg_parser *p);
/* section_interfaces.c */
void cfg_read_interfaces(struct cfg_parser *p, const struct cfg_node *list);
/* section_settings.c */
void cfg_read_settings(struct cfg_parser *p, const struct cfg_node *map);
/* section_rules.c: streamed, one rule tree at a time; start is the list's start event. */
int cfg_read_rules(struct cfg_parser *p, yaml_event_t *start);
/* "rule \"ssh\"" once rule idx has a valid name, else "rule #3". */
struct cfg_ctx cfg_rule_ctx(const struct cfg_parser *p, size_t idx);

#endif /* FW_CONFIG_SECTION_H */
