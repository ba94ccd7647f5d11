// SPDX-License-Identifier: GPL-2.0
/* Config parsing: the checks across rules, once every rule is read. */
#include <string.h>
#include "checks.h"
#include "hashtab.h"

static void cfg_check_capacity(struct cfg_parser *p)
{
	const struct fw_ruleset *rs = &p->cfg->rules;
	uint32_t cap = p->cfg->capacity;
	const struct fw_rule *first_extra;

	if (!p->capacity_ok || rs->count <= cap)
		return;
	first_extra = &rs->rules[cap];
	if (rs->count > CFG_MAX_RULES)
		cfg_error(&p->diags, first_extra->line, first_extra->col,
			  "too many rules: %zu, but at most %u are supported; remove some",
			  rs->count, CFG_MAX_RULES);
	else if (p->capacity_set)
		cfg_error(&p->diags, first_extra->line, first_extra->col,
			  "too many rules: %zu, but settings.max_rules is %u; raise settings.max_rules to at least %zu",
			  rs->count, cap, rs->count);
	else
		cfg_error(&p->diags, first_extra->line, first_extra->col,
			  "too many rules: %zu, more than the default capacity of %u; raise settings.max_rules to at least %zu",
			  rs->count, cap, rs->count);
}

/* One of the duplicate checks: by name, or by match. */
struct cfg_duplicate_check {
	bool (*takes_part)(const struct cfg_rule_meta *meta);
	uint32_t (*hash)(const struct cfg_rule_meta *meta);
	fw_hashtab_equal_fn *equal; /* ctx: the rules; key: a rule */
	void (*report)(struct cfg_parser *p, size_t idx, size_t first);
};

/* How many rules ahead the table slot is fetched into the cache. */
#define CFG_PREFETCH_AHEAD 8

/* Reports each later rule equal to an earlier one, with the first of them, in file order. */
static void cfg_find_duplicates(struct cfg_parser *p, struct fw_hashtab *t,
				const struct cfg_duplicate_check *check)
{
	const struct fw_rule *rules = p->cfg->rules.rules;
	size_t i, count = p->cfg->rules.count;

	for (i = 0; i < count; i++) {
		uint32_t first;

		if (i + CFG_PREFETCH_AHEAD < count)
			fw_hashtab_prefetch(t, check->hash(&p->meta[i + CFG_PREFETCH_AHEAD]));
		if (!check->takes_part(&p->meta[i]))
			continue;
		first = fw_hashtab_add_unique(t, check->hash(&p->meta[i]), (uint32_t)i, check->equal,
					      rules, &rules[i]);
		if (first != i)
			check->report(p, i, first);
	}
}

static bool cfg_same_name(const void *rules, uint32_t item, const void *rule)
{
	const struct fw_rule *other = &((const struct fw_rule *)rules)[item];

	return !strcmp(other->name, ((const struct fw_rule *)rule)->name);
}

static bool cfg_same_match(const void *rules, uint32_t item, const void *rule)
{
	return fw_rule_same_match(&((const struct fw_rule *)rules)[item], rule);
}

static void cfg_report_duplicate_name(struct cfg_parser *p, size_t idx, size_t first)
{
	cfg_error(&p->diags, p->meta[idx].name_line, p->meta[idx].name_col,
		  "rule name \"%s\" is already used by the rule at line %d; give each rule its own name",
		  p->cfg->rules.rules[idx].name, p->meta[first].name_line);
}

static void cfg_report_duplicate_match(struct cfg_parser *p, size_t idx, size_t first)
{
	const struct fw_rule *rules = p->cfg->rules.rules;
	char label[CFG_CTX_MAX], first_label[CFG_CTX_MAX];
	const struct cfg_ctx ctx = cfg_rule_ctx(p, idx), first_ctx = cfg_rule_ctx(p, first);

	cfg_error(&p->diags, rules[idx].line, rules[idx].col,
		  "%s has the same match as %s at line %d; remove one of them",
		  cfg_ctx_label(&ctx, label, sizeof(label)),
		  cfg_ctx_label(&first_ctx, first_label, sizeof(first_label)), rules[first].line);
}

static bool cfg_name_takes_part(const struct cfg_rule_meta *meta)
{
	return meta->name_ok;
}

static uint32_t cfg_name_hash_of(const struct cfg_rule_meta *meta)
{
	return meta->name_hash;
}

static bool cfg_match_takes_part(const struct cfg_rule_meta *meta)
{
	return meta->match_ok;
}

static uint32_t cfg_match_hash_of(const struct cfg_rule_meta *meta)
{
	return meta->match_hash;
}

void cfg_check_rules(struct cfg_parser *p)
{
	static const struct cfg_duplicate_check names = {
		cfg_name_takes_part, cfg_name_hash_of, cfg_same_name, cfg_report_duplicate_name,
	};
	static const struct cfg_duplicate_check matches = {
		cfg_match_takes_part, cfg_match_hash_of, cfg_same_match, cfg_report_duplicate_match,
	};
	struct fw_hashtab table;
	int err;

	cfg_check_capacity(p);
	if (!p->cfg->rules.count)
		return;
	err = fw_hashtab_init(&table, p->cfg->rules.count);
	if (err) {
		p->diags.err = err;
		return;
	}
	cfg_find_duplicates(p, &table, &names);
	fw_hashtab_clear(&table);
	cfg_find_duplicates(p, &table, &matches);
	fw_hashtab_free(&table);
}
