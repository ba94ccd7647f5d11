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
#include "hashtab.h"
#include "nodes.h"
#include "reader.h"
#include "value.h"

#define CFG_MAX_RULES 16777216u
#define CFG_BURST_MAX 1000000000u /* a token bucket's burst, for limit: and log_burst */
#define CFG_PORTS_TEXT_MAX 96 /* a port list in a message, cut short with "..." */

/* What the cross-rule checks need to know about each rule. */
struct cfg_rule_meta {
	int name_line;
	int name_col;
	uint32_t name_hash;  /* set when name_ok */
	uint32_t match_hash; /* set when match_ok */
	bool name_ok;  /* rule.name holds a valid name */
	bool match_ok; /* src, port and proto are valid and match something */
};

/* What the checks need to know about each set, parallel to cfg->rules.sets. */
struct cfg_set_meta {
	int file_line; /* the value of `file:`, where a list file's messages sort */
	int file_col;
	bool ok;       /* the definition is valid (its elements may still not be) */
	bool used;     /* a rule names it */
};

/* A rule's src "@name", resolved once the whole document is read. */
struct cfg_set_ref {
	size_t rule;
	int line;
	int col;
	char name[FW_RULE_NAME_MAX];
};

/* An entry of settings.never_ban as written: a prefix, or "@name" resolved with the sets. */
struct cfg_never_ban_item {
	struct fw_prefix prefix; /* when name is empty */
	char name[FW_RULE_NAME_MAX];
	int line;
	int col;
};

/* Where a value was written; line 0: it was not. */
struct cfg_place {
	int line;
	int col;
};

/* One pattern of `include:`, as written and as globbed. */
struct cfg_include {
	char *text;    /* as written, for messages */
	char *pattern; /* joined to the config's folder unless absolute */
	int line;
	int col;
};

struct cfg_parser {
	const char *name; /* for messages */
	const char *file; /* the file being read: name, or an included file (relative paths) */
	bool included;    /* reading an included file: sets and rules only */
	bool stopped;     /* a reading stopped early (a syntax error): the rules are incomplete */
	bool gave_up;     /* the fast lane gave up on the config: libyaml reads it again */
	struct cfg_include *includes;
	size_t include_count;
	size_t files_cap; /* of cfg->sources */
	size_t patterns_cap;
	struct fw_config_options opts;
	struct cfg_diags diags;
	struct cfg_reader reader;
	struct cfg_nodes nodes;
	struct fw_config *cfg;
	size_t rules_cap;
	size_t interfaces_cap;
	struct cfg_rule_meta *meta; /* parallel to cfg->rules.rules */
	size_t sets_cap;
	struct cfg_set_meta *set_meta;
	struct cfg_set_ref *set_refs;
	size_t set_ref_count;
	size_t set_refs_cap;
	size_t port_ranges_cap;
	struct cfg_never_ban_item *never_ban; /* settings.never_ban, until the sets are known */
	size_t never_ban_count;
	int never_ban_line; /* where its list starts; 0: not given, or not valid */
	int never_ban_col;
	/* settings' log keys, for warnings once the rules are read */
	struct cfg_place log_rate;
	struct cfg_place log_burst;
	struct cfg_place limit_log;
	bool capacity_ok;  /* settings.max_rules is valid or defaulted */
	bool capacity_set; /* settings.max_rules was given */
};

/* section_top.c: the stream, its one document and the top-level keys. */
void cfg_read_stream(struct cfg_parser *p);
/* section_include.c: the `include:` patterns, read once the config is. */
void cfg_read_include(struct cfg_parser *p, const struct cfg_node *value);
/* include.c: each file the patterns match, in order, after text (len bytes: the config). */
void cfg_read_includes(struct cfg_parser *p, size_t len);
/* Once every check is done: rules and sets from included files get their own files' lines. */
void cfg_local_lines(struct cfg_parser *p);
/* sources.c: a path appended to cfg->sources (copied); false once out of memory. */
bool cfg_source_file(struct cfg_parser *p, const char *path);
bool cfg_source_pattern(struct cfg_parser *p, const char *pattern);
/* load.c: the whole file at path, malloc'd; 0 or a negative errno. */
int cfg_read_file(const char *path, char **text, size_t *len);
/* section_interfaces.c */
void cfg_read_interfaces(struct cfg_parser *p, const struct cfg_node *list);
/* section_settings.c */
void cfg_read_settings(struct cfg_parser *p, const struct cfg_node *map);
/*
 * A file named in in_file (the main file or an included one), as opened:
 * relative to in_file's folder, or opts.base_dir's for the main file,
 * unless absolute; malloc'd.
 */
char *cfg_path_in(const struct cfg_parser *p, const char *in_file, const char *file);
/* section_log.c: log_rate, log_burst, ban_log, limit_log (each NULL when not given). */
void cfg_read_log_settings(struct cfg_parser *p, const struct cfg_node *rate,
			   const struct cfg_node *burst, const struct cfg_node *bans,
			   const struct cfg_node *limits);
/* Once the rules are read: warns of log settings that can do nothing. */
void cfg_check_log(struct cfg_parser *p);
/* section_metrics.c: settings.metrics, ADDR:PORT. */
void cfg_read_metrics(struct cfg_parser *p, const struct cfg_node *n);
/* section_crowdsec.c: the crowdsec section, whose key is at line. */
void cfg_read_crowdsec(struct cfg_parser *p, int line, const struct cfg_node *map);
/* section_sets.c: the sets as written; their list files are read by cfg_load_sets(). */
void cfg_read_sets(struct cfg_parser *p, const struct cfg_node *map);
/* Once the document is read: the list files, then each "@name" resolved to its set. */
void cfg_load_sets(struct cfg_parser *p);
/* The index of the set called name in t (as cfg_load_sets() fills it), or -1. */
int64_t cfg_find_set(const struct cfg_parser *p, const struct fw_hashtab *t, const char *name);
/* "KEY \"@name\" names no set", with the closest set's name when there is one. */
void cfg_unknown_set(struct cfg_parser *p, const struct cfg_ctx *ctx, const char *key,
		     const char *name, int line, int col);
/* section_never_ban.c: settings.never_ban as written, then, once the sets are known, as a set. */
void cfg_read_never_ban(struct cfg_parser *p, const struct cfg_node *list);
void cfg_build_never_ban(struct cfg_parser *p, const struct fw_hashtab *sets);
/* section_rules.c: streamed, one rule tree at a time; start is the list's start event. */
int cfg_read_rules(struct cfg_parser *p, yaml_event_t *start);
/*
 * section_limit.c: a rule's limit (a mapping, or NULL), its ban_for (which
 * needs a limit), and its action, which must then be drop. Call it once
 * the action is read.
 */
void cfg_rule_limit(struct cfg_parser *p, size_t idx, const struct cfg_node *limit,
		    const struct cfg_node *ban_for, const struct cfg_node *action,
		    const struct cfg_ctx *ctx);
/* What a rate counts, for its messages: a limit's packets, or settings.log_rate's events. */
struct cfg_rate_kind {
	const char *key;     /* "rate" */
	const char *what;    /* "packets" */
	const char *zero;    /* after "KEY 0/s ": why 0 is refused and what to do */
	const char *top;     /* after "KEY N/s is more than 1000000000/s, ": the same */
	const char *example; /* "20/s" */
};

/*
 * section_limit.c: "N/s", "N/m" or "N/h" as a token bucket's ns per token
 * (rounded up) and one second's worth of tokens (at least 1), the default
 * burst; false once reported.
 */
bool cfg_rate(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const struct cfg_rate_kind *kind, uint64_t *interval, uint32_t *per_second);
/* Whether a burst of tokens at interval keeps the bucket's window in range; reported at burst if not. */
bool cfg_burst_fits(struct cfg_diags *d, const struct cfg_ctx *ctx, const char *key,
		    const struct cfg_node *burst, uint32_t tokens, uint64_t interval,
		    const char *rate_key, const char *rate);
/* ports.c: `port` as a number, a range "A-B" or a list of those, into r; false once reported. */
bool cfg_rule_ports(struct cfg_parser *p, struct fw_rule *r, const struct cfg_node *n,
		    const struct cfg_ctx *ctx);
/* "22", "8000-8099", "[80, 443, 8000-8099]": a rule's ports for messages. */
const char *cfg_ports_text(const struct fw_ruleset *rs, const struct fw_rule *r, char *buf,
			   size_t size);
/* "rule \"ssh\"" once rule idx has a valid name, else "rule #3". */
struct cfg_ctx cfg_rule_ctx(const struct cfg_parser *p, size_t idx);

#endif /* FW_CONFIG_SECTION_H */
