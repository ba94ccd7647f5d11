// SPDX-License-Identifier: GPL-2.0
/* Config parsing: the stream, its one document, and the top-level keys. */
#include <string.h>
#include "section.h"

enum cfg_top_key {
	TK_INTERFACES, TK_SETTINGS, TK_SETS, TK_RULES, TK_CROWDSEC, TK_INCLUDE, TK_COUNT
};

static const char *const cfg_top_keys[TK_COUNT] = { "interfaces", "settings", "sets", "rules",
						     "crowdsec", "include" };

/* Which top-level key this is, or -1 once reported as unknown or repeated. */
static int cfg_top_key(struct cfg_parser *p, const struct cfg_node *key, int *seen_line)
{
	static const struct cfg_ctx top_level = { 0 };
	int k;

	if (key->kind == CFG_BROKEN)
		return -1;
	if (key->kind != CFG_SCALAR) {
		cfg_error(&p->diags, key->line, key->col, "keys must be single words, found %s",
			  cfg_kind_name(key));
		return -1;
	}
	for (k = 0; k < TK_COUNT && strcmp(key->text, cfg_top_keys[k]); k++)
		;
	if (k == TK_COUNT) {
		cfg_unknown_key(&p->diags, key, &top_level, cfg_top_keys, TK_COUNT);
		return -1;
	}
	if (seen_line[k]) {
		cfg_error(&p->diags, key->line, key->col,
			  "duplicate key \"%s\" (first at line %d); give each key once", key->text,
			  cfg_local_line(&p->diags, seen_line[k]));
		return -1;
	}
	if (p->included && k != TK_SETS && k != TK_RULES) {
		cfg_error(&p->diags, key->line, key->col,
			  "only the main config sets %s; move it to %s (an included file holds sets and rules only)",
			  key->text, p->name);
		return -1;
	}
	seen_line[k] = key->line;
	return k;
}

static void cfg_apply_section(struct cfg_parser *p, int key, int key_line,
			      const struct cfg_node *value)
{
	/* An empty section, e.g. "rules:" with every rule commented out, is allowed. */
	if (key < 0 || value->kind == CFG_BROKEN || cfg_is_null(value))
		return;
	if (key == TK_INTERFACES)
		cfg_read_interfaces(p, value);
	else if (key == TK_SETTINGS)
		cfg_read_settings(p, value);
	else if (key == TK_SETS)
		cfg_read_sets(p, value);
	else if (key == TK_CROWDSEC)
		cfg_read_crowdsec(p, key_line, value);
	else if (key == TK_INCLUDE)
		cfg_read_include(p, value);
	else
		cfg_error(&p->diags, value->line, value->col,
			  "rules must be a list like \"- name: ...\", found %s", cfg_kind_name(value));
}

static int cfg_read_section(struct cfg_parser *p, int key, int key_line, yaml_event_t *ev)
{
	struct cfg_node *value;

	/* Rules are streamed, so a million rules never become one tree. */
	if (key == TK_RULES && ev->type == YAML_SEQUENCE_START_EVENT)
		return cfg_read_rules(p, ev);
	value = cfg_read_node(&p->nodes, ev);
	if (!value)
		return -1;
	cfg_apply_section(p, key, key_line, value);
	cfg_nodes_free(&p->nodes);
	return 0;
}

static int cfg_read_root(struct cfg_parser *p, yaml_event_t *start)
{
	int seen_line[TK_COUNT] = { 0 };
	yaml_event_t ev;

	cfg_check_props(&p->diags, start);
	cfg_event_delete(&p->reader, start);
	for (;;) {
		struct cfg_node *key;
		int k, line;

		if (cfg_next_event(&p->reader, &ev))
			return -1;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			cfg_event_delete(&p->reader, &ev);
			return 0;
		}
		key = cfg_read_node(&p->nodes, &ev);
		if (!key)
			return -1;
		k = cfg_top_key(p, key, seen_line);
		line = key->line;
		cfg_nodes_free(&p->nodes);
		if (cfg_next_event(&p->reader, &ev) || cfg_read_section(p, k, line, &ev))
			return -1;
	}
}

static int cfg_read_document(struct cfg_parser *p, yaml_event_t *ev)
{
	struct cfg_node *root;

	if (ev->type == YAML_MAPPING_START_EVENT)
		return cfg_read_root(p, ev);
	root = cfg_read_node(&p->nodes, ev);
	if (!root)
		return -1;
	if (root->kind != CFG_BROKEN && !cfg_is_null(root))
		cfg_error(&p->diags, root->line, root->col,
			  p->included ? "an included file must be a mapping with the keys sets and rules, found %s"
				      : "the config must be a mapping with the keys interfaces, settings, sets, rules and crowdsec, found %s",
			  cfg_kind_name(root));
	cfg_nodes_free(&p->nodes);
	return 0;
}

/* One document, or none: an empty file is a valid config without rules. */
void cfg_read_stream(struct cfg_parser *p)
{
	yaml_event_t ev;

	if (cfg_next_event(&p->reader, &ev)) /* stream start */
		return;
	cfg_event_delete(&p->reader, &ev);
	if (cfg_next_event(&p->reader, &ev))
		return;
	if (ev.type == YAML_STREAM_END_EVENT) {
		cfg_event_delete(&p->reader, &ev);
		return;
	}
	cfg_event_delete(&p->reader, &ev); /* document start */
	if (cfg_next_event(&p->reader, &ev) || cfg_read_document(p, &ev))
		return;
	if (cfg_next_event(&p->reader, &ev)) /* document end */
		return;
	cfg_event_delete(&p->reader, &ev);
	if (cfg_next_event(&p->reader, &ev))
		return;
	if (ev.type == YAML_DOCUMENT_START_EVENT)
		cfg_error(&p->diags, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
			  "a second YAML document starts here; a config is one document, remove the \"---\" and what follows or merge it");
	cfg_event_delete(&p->reader, &ev);
}

