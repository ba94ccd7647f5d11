// SPDX-License-Identifier: GPL-2.0
/*
 * Config parsing: the top-level `include:` key, a list of glob patterns (or
 * one), relative to the config's folder. The files are read once the whole
 * config is (include.c), so the key may come anywhere in it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "section.h"

static const struct cfg_ctx cfg_include_ctx = { .section = "include" };

static void cfg_add_include(struct cfg_parser *p, const struct cfg_node *n)
{
	struct cfg_include *grown, *inc;

	if (!cfg_text(&p->diags, n, &cfg_include_ctx, "each pattern"))
		return;
	if (!n->len) {
		cfg_ctx_error(&p->diags, &cfg_include_ctx, n->line, n->col,
			      "the pattern is empty; write a file or a glob such as conf.d/*.yaml (relative to the config's folder)");
		return;
	}
	grown = realloc(p->includes, (p->include_count + 1) * sizeof(*grown));
	if (!grown) {
		p->diags.err = -ENOMEM;
		return;
	}
	p->includes = grown;
	inc = &p->includes[p->include_count];
	inc->text = strdup(n->text);
	inc->pattern = cfg_path_in(p, p->name, n->text);
	inc->line = n->line;
	inc->col = n->col;
	if (!inc->text || !inc->pattern) {
		free(inc->text);
		free(inc->pattern);
		p->diags.err = -ENOMEM;
		return;
	}
	p->include_count++;
	cfg_source_pattern(p, inc->pattern);
}

void cfg_read_include(struct cfg_parser *p, const struct cfg_node *value)
{
	if (value->kind == CFG_SCALAR) {
		cfg_add_include(p, value);
		return;
	}
	if (value->kind != CFG_SEQUENCE) {
		cfg_error(&p->diags, value->line, value->col,
			  "include must be a list of files or globs like [conf.d/*.yaml], found %s",
			  cfg_kind_name(value));
		return;
	}
	for (size_t i = 0; i < value->nkids && !p->diags.err; i++)
		cfg_add_include(p, value->kids[i]);
}
