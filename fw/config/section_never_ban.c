// SPDX-License-Identifier: GPL-2.0
/*
 * Config parsing: settings.never_ban (DESIGN §1b), addresses, prefixes and
 * "@set"s that no ban may cover. Sets may be defined after settings:, so
 * the entries are kept as written and made one set once the sets are read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "section.h"
#include "sets.h"

static const struct cfg_ctx cfg_settings_ctx = { .section = "settings" };

/* One entry; false once reported. */
static bool cfg_never_ban_entry(struct cfg_parser *p, const struct cfg_node *n,
				struct cfg_never_ban_item *item)
{
	char problem[FW_PREFIX_PROBLEM_MAX];
	enum fw_prefix_error err;

	if (!cfg_text(&p->diags, n, &cfg_settings_ctx, "each never_ban entry"))
		return false;
	memset(item, 0, sizeof(*item));
	item->line = n->line;
	item->col = n->col;
	if (n->text[0] == '@') {
		if (cfg_name_valid(n->text + 1, n->len - 1)) {
			memcpy(item->name, n->text + 1, n->len);
			return true;
		}
		cfg_ctx_error(&p->diags, &cfg_settings_ctx, n->line, n->col,
			      "never_ban entry \"%s\" is not a set name: write \"@\" and then the set's name (1-%d letters, digits, _ . : -)",
			      n->text, FW_RULE_NAME_MAX - 1);
		return false;
	}
	err = fw_prefix_parse(n->text, n->len, &item->prefix);
	if (err == FW_PREFIX_OK)
		return true;
	fw_prefix_problem(err, n->text, n->len, &item->prefix, problem);
	if (err == FW_PREFIX_SYNTAX)
		cfg_ctx_error(&p->diags, &cfg_settings_ctx, n->line, n->col,
			      "never_ban entry %s; write an address, a prefix or \"@set\", e.g. 198.18.0.1, 2001:2::/48 or \"@office\"",
			      problem);
	else if (err == FW_PREFIX_ZERO_LEN)
		cfg_ctx_error(&p->diags, &cfg_settings_ctx, n->line, n->col,
			      "never_ban entry %s, so no ban could be made; name the addresses to protect instead",
			      problem);
	else
		cfg_ctx_error(&p->diags, &cfg_settings_ctx, n->line, n->col, "never_ban entry %s",
			      problem);
	return false;
}

void cfg_read_never_ban(struct cfg_parser *p, const struct cfg_node *list)
{
	bool ok = true;

	if (list->kind != CFG_SEQUENCE) {
		if (list->kind != CFG_BROKEN)
			cfg_ctx_error(&p->diags, &cfg_settings_ctx, list->line, list->col,
				      "never_ban must be a list like [\"@office\", 198.18.0.1, 2001:2::/48], found %s",
				      cfg_kind_name(list));
		return;
	}
	p->never_ban = malloc((list->nkids ? list->nkids : 1) * sizeof(*p->never_ban));
	if (!p->never_ban) {
		p->diags.err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < list->nkids; i++) {
		bool entry_ok = cfg_never_ban_entry(p, list->kids[i], &p->never_ban[p->never_ban_count]);

		p->never_ban_count += entry_ok;
		ok &= entry_ok;
	}
	if (ok) {
		p->never_ban_line = list->line;
		p->never_ban_col = list->col;
	}
}

/* Each "@name" found (its set marked used), and how many elements the whole list makes. */
static bool cfg_never_ban_sets(struct cfg_parser *p, const struct fw_hashtab *sets,
			       int64_t *found, size_t *total)
{
	bool ok = true;

	*total = 0;
	for (size_t i = 0; i < p->never_ban_count; i++) {
		const struct cfg_never_ban_item *item = &p->never_ban[i];

		found[i] = -1;
		if (!item->name[0]) {
			(*total)++;
			continue;
		}
		found[i] = cfg_find_set(p, sets, item->name);
		if (found[i] < 0) {
			cfg_unknown_set(p, &cfg_settings_ctx, "never_ban entry", item->name, item->line,
					item->col);
			ok = false;
			continue;
		}
		p->set_meta[found[i]].used = true;
		/* A set already reported invalid makes the list moot. */
		ok &= p->set_meta[found[i]].ok;
		*total += p->cfg->rules.sets[found[i]].count;
	}
	return ok;
}

/* The datapath's tries hold FW_NEVER_BAN_MAX prefixes per address family. */
static bool cfg_never_ban_fits(struct cfg_parser *p, const struct fw_set *set)
{
	if (set->v4 <= FW_NEVER_BAN_MAX && set->v6 <= FW_NEVER_BAN_MAX)
		return true;
	cfg_ctx_error(&p->diags, &cfg_settings_ctx, p->never_ban_line, p->never_ban_col,
		      "never_ban holds %zu IPv4 and %zu IPv6 addresses and prefixes, sets included, but at most %u of each are supported; name shorter prefixes that cover them",
		      set->v4, set->v6, FW_NEVER_BAN_MAX);
	return false;
}

void cfg_build_never_ban(struct cfg_parser *p, const struct fw_hashtab *sets)
{
	struct fw_set *out = &p->cfg->rules.never_ban;
	int64_t *found;
	size_t total;

	if (!p->never_ban_count && !p->never_ban_line)
		return;
	found = malloc((p->never_ban_count ? p->never_ban_count : 1) * sizeof(*found));
	if (!found) {
		p->diags.err = -ENOMEM;
		return;
	}
	/* Sets are looked up even when an entry was wrong: every error is reported. */
	if (!cfg_never_ban_sets(p, sets, found, &total) || !p->never_ban_line)
		goto out;
	memset(out, 0, sizeof(*out));
	strcpy(out->name, "never_ban");
	out->line = p->never_ban_line;
	out->col = p->never_ban_col;
	out->elements = malloc((total ? total : 1) * sizeof(*out->elements));
	if (!out->elements) {
		p->diags.err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < p->never_ban_count; i++) {
		const struct cfg_never_ban_item *item = &p->never_ban[i];
		const struct fw_set *set = found[i] >= 0 ? &p->cfg->rules.sets[found[i]] : NULL;

		if (!set) {
			fw_set_add(out, &item->prefix, (uint32_t)item->line, (uint32_t)item->col);
			continue;
		}
		/* A set's elements count as written where never_ban names the set. */
		for (size_t e = 0; e < set->count; e++)
			fw_set_add(out, &set->elements[e].prefix, (uint32_t)item->line,
				   (uint32_t)item->col);
	}
	cfg_never_ban_fits(p, out);
out:
	free(found);
}
