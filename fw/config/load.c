// SPDX-License-Identifier: GPL-2.0
/* The YAML config (DESIGN §1): file reading, the document's top level, interfaces, settings. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "section.h"

enum cfg_top_key { TK_INTERFACES, TK_SETTINGS, TK_RULES, TK_COUNT };

static const char *const cfg_top_keys[TK_COUNT] = { "interfaces", "settings", "rules" };

enum cfg_interface_key { IK_NAME, IK_MODE, IK_COUNT };

static const char *const cfg_interface_keys[IK_COUNT] = { "name", "mode" };

static const struct cfg_word cfg_modes[] = {
	{ "native", FW_MODE_NATIVE },
	{ "generic", FW_MODE_GENERIC },
	{ "auto", FW_MODE_AUTO },
};

enum cfg_setting_key { SK_DEFAULT_ACTION, SK_FRAGMENTS, SK_MAX_RULES, SK_COUNT };

static const char *const cfg_setting_keys[SK_COUNT] = { "default_action", "fragments",
							 "max_rules" };

static const struct cfg_word cfg_default_actions[] = {
	{ "pass", FW_ACTION_PASS },
	{ "drop", FW_ACTION_DROP },
};

static const struct cfg_word cfg_fragment_policies[] = {
	{ "inspect", FW_FRAGMENTS_INSPECT },
	{ "drop", FW_FRAGMENTS_DROP },
};

#define CFG_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* What the kernel's dev_valid_name() accepts. */
static bool cfg_interface_name_valid(const char *name, size_t len)
{
	size_t i;

	if (!len || len >= IF_NAMESIZE || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == ':' || isspace((unsigned char)name[i]))
			return false;
	return true;
}

static const struct fw_interface *cfg_find_interface(const struct fw_config *cfg,
						     const char *name)
{
	size_t i;

	for (i = 0; i < cfg->interface_count; i++)
		if (!strcmp(cfg->interfaces[i].name, name))
			return &cfg->interfaces[i];
	return NULL;
}

static struct fw_interface *cfg_new_interface(struct cfg_parser *p, const struct cfg_node *item)
{
	struct fw_config *cfg = p->cfg;
	struct fw_interface *iface;

	if (cfg->interface_count == p->interfaces_cap) {
		size_t cap = p->interfaces_cap ? p->interfaces_cap * 2 : 4;
		struct fw_interface *grown = realloc(cfg->interfaces, cap * sizeof(*grown));

		if (!grown) {
			p->err = -ENOMEM;
			return NULL;
		}
		cfg->interfaces = grown;
		p->interfaces_cap = cap;
	}
	iface = &cfg->interfaces[cfg->interface_count++];
	memset(iface, 0, sizeof(*iface));
	iface->mode = FW_MODE_AUTO;
	iface->line = item->line;
	iface->col = item->col;
	return iface;
}

static void cfg_interface_name(struct cfg_parser *p, struct fw_interface *iface,
			       const struct cfg_node *name, size_t idx)
{
	const struct cfg_ctx ctx = { .section = "interface", .number = idx + 1 };
	const struct fw_interface *first;

	if (!name) {
		cfg_error(p, iface->line, iface->col,
			  "interface #%zu has no name; add \"name: eth0\" with the device's name",
			  idx + 1);
		return;
	}
	if (!cfg_text(p, name, &ctx, "name"))
		return;
	if (!cfg_interface_name_valid(name->text, name->len)) {
		cfg_error(p, name->line, name->col,
			  "interface name \"%s\" is not a valid device name; use 1-15 characters without '/', ':' or spaces",
			  name->text);
		return;
	}
	first = cfg_find_interface(p->cfg, name->text);
	if (first) {
		cfg_error(p, name->line, name->col,
			  "interface \"%s\" is listed twice (first at line %d); list each interface once",
			  name->text, first->line);
		return;
	}
	memcpy(iface->name, name->text, name->len + 1);
}

static void cfg_read_interface(struct cfg_parser *p, const struct cfg_node *item, size_t idx)
{
	struct cfg_ctx ctx = { .section = "interface", .number = idx + 1 };
	const struct cfg_node *values[IK_COUNT], *name;
	struct fw_interface *iface;
	int mode;

	if (item->kind != CFG_MAPPING) {
		if (item->kind != CFG_BROKEN)
			cfg_error(p, item->line, item->col,
				  "each interface must be a mapping like \"- name: eth0\", found %s",
				  cfg_kind_name(item));
		return;
	}
	iface = cfg_new_interface(p, item);
	if (!iface)
		return;
	name = cfg_find(item, "name");
	cfg_interface_name(p, iface, name, idx);
	if (name && cfg_is_text(name) && cfg_interface_name_valid(name->text, name->len))
		ctx.name = name->text;
	cfg_fields(p, item, &ctx, cfg_interface_keys, IK_COUNT, values);
	if (values[IK_MODE] &&
	    cfg_enum(p, values[IK_MODE], &ctx, "mode", cfg_modes, CFG_COUNT(cfg_modes), &mode))
		iface->mode = (enum fw_xdp_mode)mode;
}

static void cfg_read_interfaces(struct cfg_parser *p, const struct cfg_node *list)
{
	size_t i;

	if (list->kind != CFG_SEQUENCE) {
		cfg_error(p, list->line, list->col,
			  "interfaces must be a list like \"- name: eth0\", found %s",
			  cfg_kind_name(list));
		return;
	}
	for (i = 0; i < list->nkids && !p->err; i++)
		cfg_read_interface(p, list->kids[i], i);
}

static void cfg_read_settings(struct cfg_parser *p, const struct cfg_node *map)
{
	static const struct cfg_ctx ctx = { .section = "settings" };
	const struct cfg_node *values[SK_COUNT];
	struct fw_config *cfg = p->cfg;
	int word;

	if (map->kind != CFG_MAPPING) {
		cfg_error(p, map->line, map->col, "settings must be a mapping of key: value, found %s",
			  cfg_kind_name(map));
		return;
	}
	cfg_fields(p, map, &ctx, cfg_setting_keys, SK_COUNT, values);
	if (values[SK_DEFAULT_ACTION] &&
	    cfg_enum(p, values[SK_DEFAULT_ACTION], &ctx, "default_action", cfg_default_actions,
		     CFG_COUNT(cfg_default_actions), &word))
		cfg->rules.default_action = (uint32_t)word;
	if (values[SK_FRAGMENTS] &&
	    cfg_enum(p, values[SK_FRAGMENTS], &ctx, "fragments", cfg_fragment_policies,
		     CFG_COUNT(cfg_fragment_policies), &word))
		cfg->rules.fragments = (uint32_t)word;
	if (values[SK_MAX_RULES]) {
		p->capacity_set = true;
		p->capacity_ok = cfg_uint(p, values[SK_MAX_RULES], &ctx, "max_rules", 1,
					  CFG_MAX_RULES, &cfg->capacity);
	}
}

/* Which top-level key this is, or -1 once reported as unknown or repeated. */
static int cfg_top_key(struct cfg_parser *p, const struct cfg_node *key, int *seen_line)
{
	static const struct cfg_ctx top_level = { 0 };
	int k;

	if (key->kind == CFG_BROKEN)
		return -1;
	if (key->kind != CFG_SCALAR) {
		cfg_error(p, key->line, key->col, "keys must be single words, found %s",
			  cfg_kind_name(key));
		return -1;
	}
	for (k = 0; k < TK_COUNT && strcmp(key->text, cfg_top_keys[k]); k++)
		;
	if (k == TK_COUNT) {
		cfg_unknown_key(p, key, &top_level, cfg_top_keys, TK_COUNT);
		return -1;
	}
	if (seen_line[k]) {
		cfg_error(p, key->line, key->col,
			  "duplicate key \"%s\" (first at line %d); give each key once", key->text,
			  seen_line[k]);
		return -1;
	}
	seen_line[k] = key->line;
	return k;
}

static void cfg_apply_section(struct cfg_parser *p, int key, const struct cfg_node *value)
{
	/* An empty section, e.g. "rules:" with every rule commented out, is allowed. */
	if (key < 0 || value->kind == CFG_BROKEN || cfg_is_null(value))
		return;
	if (key == TK_INTERFACES)
		cfg_read_interfaces(p, value);
	else if (key == TK_SETTINGS)
		cfg_read_settings(p, value);
	else
		cfg_error(p, value->line, value->col,
			  "rules must be a list like \"- name: ...\", found %s", cfg_kind_name(value));
}

static int cfg_read_section(struct cfg_parser *p, int key, yaml_event_t *ev)
{
	struct cfg_node *value;

	/* Rules are streamed, so a million rules never become one tree. */
	if (key == TK_RULES && ev->type == YAML_SEQUENCE_START_EVENT)
		return cfg_read_rules(p, ev);
	value = cfg_read_node(p, ev);
	if (!value)
		return -1;
	cfg_apply_section(p, key, value);
	cfg_nodes_free(p);
	return 0;
}

static int cfg_read_root(struct cfg_parser *p, yaml_event_t *start)
{
	int seen_line[TK_COUNT] = { 0 };
	yaml_event_t ev;

	cfg_check_props(p, start);
	cfg_event_delete(p, start);
	for (;;) {
		struct cfg_node *key;
		int k;

		if (cfg_next_event(p, &ev))
			return -1;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			cfg_event_delete(p, &ev);
			return 0;
		}
		key = cfg_read_node(p, &ev);
		if (!key)
			return -1;
		k = cfg_top_key(p, key, seen_line);
		cfg_nodes_free(p);
		if (cfg_next_event(p, &ev) || cfg_read_section(p, k, &ev))
			return -1;
	}
}

static int cfg_read_document(struct cfg_parser *p, yaml_event_t *ev)
{
	struct cfg_node *root;

	if (ev->type == YAML_MAPPING_START_EVENT)
		return cfg_read_root(p, ev);
	root = cfg_read_node(p, ev);
	if (!root)
		return -1;
	if (root->kind != CFG_BROKEN && !cfg_is_null(root))
		cfg_error(p, root->line, root->col,
			  "the config must be a mapping with the keys interfaces, settings and rules, found %s",
			  cfg_kind_name(root));
	cfg_nodes_free(p);
	return 0;
}

/* One document, or none: an empty file is a valid config without rules. */
static void cfg_read_stream(struct cfg_parser *p)
{
	yaml_event_t ev;

	if (cfg_next_event(p, &ev)) /* stream start */
		return;
	cfg_event_delete(p, &ev);
	if (cfg_next_event(p, &ev))
		return;
	if (ev.type == YAML_STREAM_END_EVENT) {
		cfg_event_delete(p, &ev);
		return;
	}
	cfg_event_delete(p, &ev); /* document start */
	if (cfg_next_event(p, &ev) || cfg_read_document(p, &ev))
		return;
	if (cfg_next_event(p, &ev)) /* document end */
		return;
	cfg_event_delete(p, &ev);
	if (cfg_next_event(p, &ev))
		return;
	if (ev.type == YAML_DOCUMENT_START_EVENT)
		cfg_error(p, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
			  "a second YAML document starts here; a config is one document, remove the \"---\" and what follows or merge it");
	cfg_event_delete(p, &ev);
}

static void cfg_init(struct cfg_parser *p, const char *name, const char *text, size_t len,
		     struct fw_config *out)
{
	memset(p, 0, sizeof(*p));
	memset(out, 0, sizeof(*out));
	p->name = name ? name : "<config>";
	p->text = text ? text : "";
	p->len = text ? len : 0;
	p->cfg = out;
	p->capacity_ok = true;
	out->rules.default_action = FW_ACTION_PASS;
	out->rules.fragments = FW_FRAGMENTS_INSPECT;
	out->capacity = FW_DEFAULT_CAPACITY;
}

/* One reading of the text, by the fast lane or by libyaml; the outcome is left in p. */
static void cfg_parse_pass(struct cfg_parser *p, bool fast)
{
	if (fast) {
		cfg_fast_start(p);
	} else {
		if (!yaml_parser_initialize(&p->yaml)) {
			p->err = -ENOMEM;
			return;
		}
		yaml_parser_set_encoding(&p->yaml, YAML_UTF8_ENCODING);
		yaml_parser_set_input_string(&p->yaml, (const unsigned char *)p->text, p->len);
		cfg_check_utf8(p); /* the fast lane takes only ASCII */
	}
	cfg_read_stream(p);
	/* After a syntax error the rules are incomplete; checks across them would mislead. */
	if (!p->stopped && !p->err)
		cfg_check_rules(p);
	if (!fast)
		yaml_parser_delete(&p->yaml);
}

static void cfg_parser_free(struct cfg_parser *p)
{
	cfg_diags_free(p);
	cfg_arena_destroy(&p->nodes);
	free(p->meta);
	p->meta = NULL;
}

int fw_config_parse_with(const char *name, const char *text, size_t len,
			 enum fw_config_reader reader, struct fw_config *out, FILE *diag,
			 bool *fast_used)
{
	struct cfg_parser p;
	bool fast = false;
	int err;

	cfg_init(&p, name, text, len, out);
	if (reader == FW_READER_AUTO && cfg_fast_lane_fits(p.text, p.len)) {
		cfg_parse_pass(&p, true);
		fast = !p.lane.gave_up;
		if (p.lane.gave_up) {
			/* Forget what the lane found; libyaml reads the whole text again. */
			cfg_parser_free(&p);
			fw_config_free(out);
			cfg_init(&p, name, text, len, out);
			cfg_parse_pass(&p, false);
		}
	} else {
		cfg_parse_pass(&p, false);
	}

	err = p.err ? p.err : p.ndiags ? -EINVAL : 0;
	if (!err) {
		out->path = strdup(p.name);
		if (!out->path)
			err = -ENOMEM;
	}
	cfg_print_diags(&p, diag);
	cfg_parser_free(&p);
	if (err)
		fw_config_free(out);
	if (fast_used)
		*fast_used = fast;
	return err;
}

int fw_config_parse(const char *name, const char *text, size_t len, struct fw_config *out,
		    FILE *diag)
{
	return fw_config_parse_with(name, text, len, FW_READER_AUTO, out, diag, NULL);
}

static int cfg_read_file(const char *path, char **text, size_t *len)
{
	size_t cap = 65536, used = 0;
	char *buf = NULL;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (!buf || used == cap) {
			size_t want = buf ? cap * 2 : cap;
			char *grown = realloc(buf, want);

			if (!grown) {
				err = -ENOMEM;
				break;
			}
			buf = grown;
			cap = want;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		used += (size_t)n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	*text = buf;
	*len = used;
	return 0;
}

int fw_config_load(const char *path, struct fw_config *out, FILE *diag)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	memset(out, 0, sizeof(*out));
	err = cfg_read_file(path, &text, &len);
	if (err) {
		if (diag)
			fprintf(diag, "%s: cannot read the config: %s\n", path, strerror(-err));
		return err;
	}
	err = fw_config_parse(path, text, len, out, diag);
	free(text);
	return err;
}

void fw_config_free(struct fw_config *cfg)
{
	free(cfg->path);
	free(cfg->interfaces);
	free(cfg->rules.rules);
	memset(cfg, 0, sizeof(*cfg));
}
