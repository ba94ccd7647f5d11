// SPDX-License-Identifier: GPL-2.0
/*
 * Config parsing: the sets section (DESIGN §1b), each set a list file or
 * elements written out; then, once the whole document is read, the list
 * files and each rule's "@name".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hashtab.h"
#include "section.h"
#include "sets.h"

enum cfg_set_key { SETK_FILE, SETK_ELEMENTS, SETK_COUNT };

static const char *const cfg_set_keys[SETK_COUNT] = { "file", "elements" };

static struct fw_set *cfg_new_set(struct cfg_parser *p, const struct cfg_node *key)
{
	struct fw_ruleset *rs = &p->cfg->rules;
	struct fw_set *set;

	if (rs->set_count == p->sets_cap) {
		size_t cap = p->sets_cap ? p->sets_cap * 2 : 8;
		struct fw_set *sets = realloc(rs->sets, cap * sizeof(*sets));
		struct cfg_set_meta *meta;

		if (!sets) {
			p->diags.err = -ENOMEM;
			return NULL;
		}
		rs->sets = sets;
		meta = realloc(p->set_meta, cap * sizeof(*meta));
		if (!meta) {
			p->diags.err = -ENOMEM;
			return NULL;
		}
		p->set_meta = meta;
		p->sets_cap = cap;
	}
	memset(&p->set_meta[rs->set_count], 0, sizeof(p->set_meta[0]));
	set = &rs->sets[rs->set_count++];
	memset(set, 0, sizeof(*set));
	memcpy(set->name, key->text, key->len + 1);
	set->line = key->line;
	set->col = key->col;
	return set;
}

static char *cfg_relative_path(const char *config, const char *file)
{
	const char *slash = strrchr(config, '/');
	char *path;

	if (file[0] == '/' || !slash)
		return strdup(file);
	if (asprintf(&path, "%.*s%s", (int)(slash - config + 1), config, file) < 0)
		return NULL;
	return path;
}

char *cfg_path_in(const struct cfg_parser *p, const char *in_file, const char *file)
{
	char *path;

	if (!p->opts.base_dir || in_file != p->name || file[0] == '/')
		return cfg_relative_path(in_file, file);
	if (asprintf(&path, "%s/%s", p->opts.base_dir, file) < 0)
		return NULL;
	return path;
}

static void cfg_set_file(struct cfg_parser *p, struct fw_set *set, struct cfg_set_meta *meta,
			 const struct cfg_node *file, const struct cfg_ctx *ctx)
{
	if (!cfg_text(&p->diags, file, ctx, "file"))
		return;
	if (!file->len) {
		cfg_ctx_error(&p->diags, ctx, file->line, file->col,
			      "file is empty; give the path of a list file (relative to the config's folder)");
		return;
	}
	set->file = cfg_path_in(p, p->file, file->text);
	if (!set->file) {
		p->diags.err = -ENOMEM;
		return;
	}
	meta->file_line = file->line;
	meta->file_col = file->col;
	meta->ok = true;
}

/* One element of `elements:`; its position is in the config. */
static bool cfg_set_element(struct cfg_parser *p, struct fw_set *set, const struct cfg_node *n,
			    const struct cfg_ctx *ctx)
{
	char problem[FW_PREFIX_PROBLEM_MAX];
	enum fw_prefix_error err;
	struct fw_prefix prefix;

	if (!cfg_text(&p->diags, n, ctx, "each element"))
		return false;
	err = fw_prefix_parse(n->text, n->len, &prefix);
	if (err == FW_PREFIX_OK) {
		fw_set_add(set, &prefix, (uint32_t)n->line, (uint32_t)n->col);
		return true;
	}
	fw_prefix_problem(err, n->text, n->len, &prefix, problem);
	if (err == FW_PREFIX_ZERO_LEN)
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "element %s; remove it (a rule without src already matches every address)",
			      problem);
	else if (err == FW_PREFIX_SYNTAX)
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "element %s; write e.g. 198.18.0.0/15, 2001:2::/48 or 198.18.0.1", problem);
	else
		cfg_ctx_error(&p->diags, ctx, n->line, n->col, "element %s", problem);
	return false;
}

static void cfg_set_elements(struct cfg_parser *p, struct fw_set *set, struct cfg_set_meta *meta,
			     const struct cfg_node *list, const struct cfg_ctx *ctx)
{
	bool ok = true;

	if (list->kind != CFG_SEQUENCE) {
		if (list->kind != CFG_BROKEN)
			cfg_ctx_error(&p->diags, ctx, list->line, list->col,
				      "elements must be a list like [198.18.0.0/15, 2001:2::/48], found %s",
				      cfg_kind_name(list));
		return;
	}
	set->elements = malloc((list->nkids ? list->nkids : 1) * sizeof(*set->elements));
	if (!set->elements) {
		p->diags.err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < list->nkids; i++)
		ok &= cfg_set_element(p, set, list->kids[i], ctx);
	meta->ok = ok;
}

static void cfg_read_set(struct cfg_parser *p, const struct cfg_node *key,
			 const struct cfg_node *value)
{
	static const struct cfg_ctx top_level = { 0 };
	const struct cfg_node *values[SETK_COUNT];
	struct cfg_set_meta *meta;
	struct fw_set *set;
	struct cfg_ctx ctx;

	if (key->kind == CFG_BROKEN || !cfg_name(&p->diags, key, &top_level, "set name"))
		return;
	set = cfg_new_set(p, key);
	if (!set)
		return;
	meta = &p->set_meta[p->cfg->rules.set_count - 1];
	ctx = (struct cfg_ctx){ .section = "set", .name = set->name };
	if (value->kind != CFG_MAPPING) {
		if (value->kind != CFG_BROKEN)
			cfg_error(&p->diags, value->line, value->col,
				  "set \"%s\" must be a mapping with file: PATH or elements: [...], found %s",
				  set->name, cfg_kind_name(value));
		return;
	}
	cfg_fields(&p->diags, value, &ctx, cfg_set_keys, SETK_COUNT, values);
	if (values[SETK_FILE] && values[SETK_ELEMENTS])
		cfg_error(&p->diags, values[SETK_ELEMENTS]->line, values[SETK_ELEMENTS]->col,
			  "set \"%s\" has both file and elements; give one of them", set->name);
	else if (values[SETK_FILE])
		cfg_set_file(p, set, meta, values[SETK_FILE], &ctx);
	else if (values[SETK_ELEMENTS])
		cfg_set_elements(p, set, meta, values[SETK_ELEMENTS], &ctx);
	else if (!value->nkids) /* else an unknown key was reported: likely a typo of one of them */
		cfg_error(&p->diags, key->line, key->col,
			  "set \"%s\" has neither file nor elements; add file: PATH (a list file, one address or prefix per line) or elements: [...]",
			  set->name);
}

void cfg_read_sets(struct cfg_parser *p, const struct cfg_node *map)
{
	if (map->kind != CFG_MAPPING) {
		cfg_error(&p->diags, map->line, map->col,
			  "sets must be a mapping of NAME: {file: PATH} or NAME: {elements: [...]}, found %s",
			  cfg_kind_name(map));
		return;
	}
	for (size_t i = 0; i + 1 < map->nkids && !p->diags.err; i += 2)
		cfg_read_set(p, map->kids[i], map->kids[i + 1]);
}

/* Where a list file's problems go: under its name, sorting where the config names it. */
struct cfg_list_report {
	struct cfg_diags *diags;
	const struct fw_set *set;
	const struct cfg_set_meta *meta;
};

static void cfg_list_problem(void *ctx, uint32_t line, uint32_t col, const char *msg)
{
	const struct cfg_list_report *r = ctx;

	cfg_file_error(r->diags, r->meta->file_line, r->meta->file_col, r->set->file, line, col,
		       msg);
}

static void cfg_read_list_file(struct cfg_parser *p, struct fw_set *set, struct cfg_set_meta *meta)
{
	struct cfg_list_report report = { &p->diags, set, meta };
	const struct cfg_ctx ctx = { .section = "set", .name = set->name };
	long problems;

	if (p->opts.skip_list_files)
		return;
	problems = fw_set_read_file(set->file, set, cfg_list_problem, &report);
	if (problems)
		meta->ok = false;
	if (problems == -ENOMEM)
		p->diags.err = -ENOMEM;
	else if (problems == -EINVAL)
		cfg_ctx_error(&p->diags, &ctx, meta->file_line, meta->file_col,
			      "the list file %s is not a regular file; name a file of addresses, one per line",
			      set->file);
	else if (problems < 0)
		cfg_ctx_error(&p->diags, &ctx, meta->file_line, meta->file_col,
			      "cannot read the list file %s: %s", set->file, strerror((int)-problems));
}

static bool cfg_set_named(const void *sets, uint32_t item, const void *name)
{
	return !strcmp(((const struct fw_set *)sets)[item].name, name);
}

static uint32_t cfg_set_hash(const char *name)
{
	return fw_hash_bytes(name, strlen(name));
}

/* The closest set name to a misspelt one, or NULL. */
static const char *cfg_close_set(const struct fw_ruleset *rs, const char *name)
{
	const char *found = NULL;

	for (size_t i = 0; i < rs->set_count && !found; i++) {
		const char *one[1] = { rs->sets[i].name };

		found = cfg_suggest(name, one, 1);
	}
	return found;
}

void cfg_unknown_set(struct cfg_parser *p, const struct cfg_ctx *ctx, const char *key,
		     const char *name, int line, int col)
{
	const char *close = cfg_close_set(&p->cfg->rules, name);

	if (close)
		cfg_ctx_error(&p->diags, ctx, line, col, "%s \"@%s\" names no set; did you mean \"@%s\"?",
			      key, name, close);
	else
		cfg_ctx_error(&p->diags, ctx, line, col,
			      "%s \"@%s\" names no set; define it under the top-level key sets:, as %s: {file: PATH} (a list file) or %s: {elements: [198.18.0.0/15, ...]}",
			      key, name, name, name);
}

int64_t cfg_find_set(const struct cfg_parser *p, const struct fw_hashtab *t, const char *name)
{
	const struct fw_ruleset *rs = &p->cfg->rules;

	return fw_hashtab_find(t, cfg_set_hash(name), cfg_set_named, rs->sets, name);
}

/* Every set in a table by name, the names checked unique; each rule's "@name" resolved. */
static void cfg_resolve_sets(struct cfg_parser *p, struct fw_hashtab *t)
{
	struct fw_ruleset *rs = &p->cfg->rules;

	for (size_t i = 0; i < rs->set_count; i++) {
		uint32_t first = fw_hashtab_add_unique(t, cfg_set_hash(rs->sets[i].name), (uint32_t)i,
						       cfg_set_named, rs->sets, rs->sets[i].name);

		if (first != i) {
			char place[CFG_PLACE_MAX];

			cfg_error(&p->diags, rs->sets[i].line, rs->sets[i].col,
				  "set name \"%s\" is already used by the set at %s; give each set its own name",
				  rs->sets[i].name,
				  cfg_place_text(&p->diags, p->name, rs->sets[i].line,
						 rs->sets[first].line, rs->sets[first].col, place,
						 sizeof(place)));
			p->set_meta[i].ok = false;
		}
	}
	for (size_t i = 0; i < p->set_ref_count; i++) {
		const struct cfg_set_ref *ref = &p->set_refs[i];
		int64_t found = cfg_find_set(p, t, ref->name);

		if (found < 0) {
			const struct cfg_ctx ctx = cfg_rule_ctx(p, ref->rule);

			cfg_unknown_set(p, &ctx, "src", ref->name, ref->line, ref->col);
			p->meta[ref->rule].match_ok = false;
			continue;
		}
		rs->rules[ref->rule].set_ref = (uint32_t)found + 1;
		p->set_meta[found].used = true;
		/* A set already reported invalid makes its rules' checks moot. */
		if (!p->set_meta[found].ok)
			p->meta[ref->rule].match_ok = false;
	}
}

/* Sets that change nothing: likely a mistake, but the config still means what it says. */
static void cfg_warn_idle_sets(struct cfg_parser *p)
{
	const struct fw_ruleset *rs = &p->cfg->rules;

	for (size_t i = 0; i < rs->set_count; i++) {
		const struct fw_set *set = &rs->sets[i];

		if (!p->set_meta[i].ok)
			continue;
		if (!p->set_meta[i].used)
			cfg_warning(&p->diags, set->line, set->col,
				    "set \"%s\" is not used by any rule; name it in a rule as src: \"@%s\", or remove it",
				    set->name, set->name);
		else if (!set->count && set->file)
			cfg_warning(&p->diags, set->line, set->col,
				    "set \"%s\" is empty: its list file %s holds no address; its rules match nothing",
				    set->name, set->file);
		else if (!set->count)
			cfg_warning(&p->diags, set->line, set->col,
				    "set \"%s\" is empty; its rules match nothing", set->name);
	}
}

void cfg_load_sets(struct cfg_parser *p)
{
	struct fw_ruleset *rs = &p->cfg->rules;
	struct fw_hashtab table;
	int err;

	for (size_t i = 0; i < rs->set_count && !p->diags.err; i++)
		if (rs->sets[i].file && p->set_meta[i].ok && cfg_source_file(p, rs->sets[i].file))
			cfg_read_list_file(p, &rs->sets[i], &p->set_meta[i]);
	if (p->diags.err)
		return;
	err = fw_hashtab_init(&table, rs->set_count);
	if (err) {
		p->diags.err = err;
		return;
	}
	cfg_resolve_sets(p, &table);
	cfg_build_never_ban(p, &table);
	fw_hashtab_free(&table);
	cfg_warn_idle_sets(p);
}
