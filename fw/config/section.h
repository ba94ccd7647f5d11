/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the config parser's files (config*.c); not part of the API.
 * The YAML is read as libyaml events. Each rule, and each other top-level
 * section, becomes a small node tree that is validated and freed at once,
 * so a config with millions of rules never holds a whole document tree.
 * Nodes live in an arena that is rewound after each tree.
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

/* Bump allocation for node trees: one block is kept, bigger needs get their own. */
struct cfg_arena_block {
	struct cfg_arena_block *next;
	size_t size; /* usable bytes after the header */
};

struct cfg_arena {
	struct cfg_arena_block *blocks; /* the newest first; the last one is kept on rewind */
	char *free;                     /* next free byte of blocks */
	char *end;
};

/*
 * The fast lane: events for the plainest YAML, read straight from the text
 * without libyaml. It takes only what it can read exactly as libyaml would
 * (block collections at most three deep, one-word plain scalars, ASCII, LF
 * line ends) and gives up on anything else, so the parse starts over with
 * libyaml. Its events own no memory.
 */
#define CFG_FAST_DEPTH 3  /* the root mapping, a list, its item mappings */
#define CFG_FAST_QUEUE 16 /* events one line can make, with room to spare */

struct cfg_fast_level {
	bool sequence; /* else a mapping */
	size_t indent; /* column of its keys or dashes, 0-based */
};

/* An event waiting in the lane's queue; made a yaml_event_t when handed out. */
struct cfg_fast_event {
	yaml_event_type_t type;
	size_t line;  /* 0-based, as in a yaml_mark_t */
	size_t col;
	size_t value; /* scalar: offset in the text */
	size_t len;
};

struct cfg_fast {
	size_t pos;     /* where the next line starts */
	size_t line;    /* its 0-based number */
	struct cfg_fast_level levels[CFG_FAST_DEPTH];
	int depth;      /* open collections */
	bool value_due; /* the last key had no value on its line: a list or mapping follows */
	bool ended;     /* the end of the stream is queued */
	bool gave_up;
	unsigned char chars[256]; /* what each byte may be, enum cfg_fast_char in config_fastlane.c */
	struct cfg_fast_event queue[CFG_FAST_QUEUE];
	size_t head;
	size_t count;
};

/*
 * Where a value sits, for the prefix of a message: "settings: ",
 * "rule \"ssh\": ", "interface #2: ", or nothing at the top level. Only
 * formatted when an error is reported.
 */
struct cfg_ctx {
	const char *section; /* "settings", "rule", "interface"; NULL: the top level */
	const char *name;    /* the item's valid name, or NULL to use its number */
	size_t number;       /* 1-based place of a list item; 0: not a list item */
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
	uint32_t name_hash;  /* set when name_ok */
	uint32_t match_hash; /* set when match_ok */
	bool name_ok;  /* rule.name holds a valid name */
	bool match_ok; /* src, port and proto are valid and match something */
};

struct cfg_parser {
	const char *name; /* for messages */
	const char *text;
	size_t len;
	yaml_parser_t yaml;
	bool fast;        /* events come from the fast lane, not from yaml */
	struct cfg_fast lane;
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
	struct cfg_arena nodes; /* the node tree being read */
};

/* config_yaml.c: events -> nodes, and the diagnostics list. */
void cfg_error(struct cfg_parser *p, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same, with the message after ctx's prefix. */
void cfg_ctx_error(struct cfg_parser *p, const struct cfg_ctx *ctx, int line, int col,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int cfg_next_event(struct cfg_parser *p, yaml_event_t *ev);
void cfg_event_delete(struct cfg_parser *p, yaml_event_t *ev);
bool cfg_fast_lane_fits(const char *text, size_t len);
/* The next event from the fast lane; -1 when it gives up. */
int cfg_fast_next(struct cfg_parser *p, yaml_event_t *ev);
/* The index of the first non-ASCII byte of s[i, len), or len. */
size_t cfg_skip_ascii(const unsigned char *s, size_t i, size_t len);
void cfg_fast_start(struct cfg_parser *p);
void cfg_check_props(struct cfg_parser *p, const yaml_event_t *ev);
/* Only one tree is alive at a time: cfg_nodes_free() ends the last one read. */
struct cfg_node *cfg_read_node(struct cfg_parser *p, yaml_event_t *ev);
void cfg_nodes_free(struct cfg_parser *p);
void cfg_arena_destroy(struct cfg_arena *a);
void cfg_check_utf8(struct cfg_parser *p);
void cfg_print_diags(struct cfg_parser *p, FILE *diag);
void cfg_diags_free(struct cfg_parser *p);

/* config_value.c: what scalars mean, and the keys of a mapping. */
struct cfg_word {
	const char *word;
	int value;
};

const char *cfg_ctx_label(const struct cfg_ctx *ctx, char *buf, size_t size);
const char *cfg_kind_name(const struct cfg_node *n);
bool cfg_is_null(const struct cfg_node *n);
bool cfg_is_text(const struct cfg_node *n);
const struct cfg_node *cfg_find(const struct cfg_node *map, const char *key);
bool cfg_text(struct cfg_parser *p, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key);
bool cfg_uint(struct cfg_parser *p, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key, uint32_t min, uint32_t max, uint32_t *out);
bool cfg_enum(struct cfg_parser *p, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const char *key, const struct cfg_word *words, size_t nwords, int *out);
void cfg_fields(struct cfg_parser *p, const struct cfg_node *map, const struct cfg_ctx *ctx,
		const char *const *known, size_t nknown, const struct cfg_node **values);
const char *cfg_suggest(const char *word, const char *const *known, size_t nknown);
void cfg_unknown_key(struct cfg_parser *p, const struct cfg_node *key, const struct cfg_ctx *ctx,
		     const char *const *known, size_t nknown);

/* config_rules.c */
int cfg_read_rules(struct cfg_parser *p, yaml_event_t *start);
void cfg_check_rules(struct cfg_parser *p);

#endif /* FW_CONFIG_INTERNAL_H */
