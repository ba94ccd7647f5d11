/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the config parser's files (config*.c); not part of the API.
 * The YAML is read as libyaml events. Each rule, and each other top-level
 * section, becomes a small node tree that is validated and freed at once,
 * so a config with millions of rules never holds a whole document tree.
 */
#ifndef FW_CONFIG_INTERNAL_H
#define FW_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>
#include "config.h"

#define CFG_MAX_RULES 16777216u
#define CFG_CTX_MAX 96 /* room for 'rule "<63 chars>": ' */

enum cfg_kind {
	CFG_SCALAR,
	CFG_SEQUENCE,
	CFG_MAPPING,
	CFG_BROKEN, /* an alias, or nesting too deep: already reported */
};

/* One YAML node with its 1-based position. */
struct cfg_node {
	enum cfg_kind kind;
	int line;
	int col;
	char *text;  /* scalar: NUL-terminated, no embedded NUL */
	size_t len;
	bool plain;  /* unquoted and untagged: may be a number, boolean or null */
	struct cfg_node **kids; /* sequence items, or mapping key, value, key, value, ... */
	size_t nkids;
};

struct cfg_diag {
	int line;
	int col;
	size_t seq; /* report order, to keep the sort stable */
	char *msg;
};

/* What the cross-rule checks need to know about each rule. */
struct cfg_rule_meta {
	int name_line;
	int name_col;
	bool name_ok;  /* rule.name holds a valid name */
	bool match_ok; /* src, port and proto are valid and match something */
};

struct cfg_parser {
	const char *name; /* for messages */
	const char *text;
	size_t len;
	yaml_parser_t yaml;
	int err;          /* -ENOMEM once an allocation failed */
	bool stopped;     /* a YAML syntax error ended the reading */
	struct cfg_diag *diags;
	size_t ndiags;
	size_t diags_cap;
	struct fw_config *cfg;
	size_t rules_cap;
	size_t interfaces_cap;
	struct cfg_rule_meta *meta; /* parallel to cfg->rules.rules */
	bool capacity_ok; /* settings.max_rules is valid or defaulted */
	bool capacity_set; /* settings.max_rules was given */
};

/* config_yaml.c: events -> nodes, and the diagnostics list. */
void cfg_error(struct cfg_parser *p, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int cfg_next_event(struct cfg_parser *p, yaml_event_t *ev);
void cfg_check_props(struct cfg_parser *p, const yaml_event_t *ev);
struct cfg_node *cfg_read_node(struct cfg_parser *p, yaml_event_t *ev);
void cfg_node_free(struct cfg_node *n);
void cfg_check_utf8(struct cfg_parser *p);
void cfg_print_diags(struct cfg_parser *p, FILE *diag);
void cfg_diags_free(struct cfg_parser *p);

/* config_value.c: what scalars mean, and the keys of a mapping. */
struct cfg_word {
	const char *word;
	int value;
};

const char *cfg_kind_name(const struct cfg_node *n);
bool cfg_is_null(const struct cfg_node *n);
bool cfg_is_text(const struct cfg_node *n);
const struct cfg_node *cfg_find(const struct cfg_node *map, const char *key);
bool cfg_text(struct cfg_parser *p, const struct cfg_node *n, const char *ctx, const char *key);
bool cfg_uint(struct cfg_parser *p, const struct cfg_node *n, const char *ctx, const char *key,
	      uint32_t min, uint32_t max, uint32_t *out);
bool cfg_enum(struct cfg_parser *p, const struct cfg_node *n, const char *ctx, const char *key,
	      const struct cfg_word *words, size_t nwords, int *out);
void cfg_fields(struct cfg_parser *p, const struct cfg_node *map, const char *ctx,
		const char *const *known, size_t nknown, const struct cfg_node **values);
const char *cfg_suggest(const char *word, const char *const *known, size_t nknown);
void cfg_unknown_key(struct cfg_parser *p, const struct cfg_node *key, const char *ctx,
		     const char *const *known, size_t nknown);

/* config_rules.c */
int cfg_read_rules(struct cfg_parser *p, yaml_event_t *start);
void cfg_check_rules(struct cfg_parser *p);

#endif /* FW_CONFIG_INTERNAL_H */
