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

/* The datapath holds FW_MAX_LIMITS limit policies: report the first rule past them. */
static void cfg_check_limits(struct cfg_parser *p)
{
	const struct fw_ruleset *rs = &p->cfg->rules;
	size_t limits = 0, first_extra = 0;

	for (size_t i = 0; i < rs->count; i++)
		if (rs->rules[i].limit.interval && ++limits == FW_MAX_LIMITS + 1)
			first_extra = i;
	if (limits > FW_MAX_LIMITS)
		cfg_error(&p->diags, rs->rules[first_extra].line, rs->rules[first_extra].col,
			  "too many rules with a limit: %zu, but at most %u are supported; remove the limit from %zu of them, or share one limit with a set",
			  limits, FW_MAX_LIMITS, limits - FW_MAX_LIMITS);
}

/* One of the duplicate checks: by name, or by match. */
struct cfg_duplicate_check {
	bool (*takes_part)(const struct cfg_rule_meta *meta);
	uint32_t (*hash)(const struct cfg_rule_meta *meta);
	fw_hashtab_equal_fn *equal; /* ctx: the rule set; key: a rule */
	void (*report)(struct cfg_parser *p, size_t idx, size_t first);
};

/* How many rules ahead the table slot is fetched into the cache. */
#define CFG_PREFETCH_AHEAD 8

/* Reports each later rule equal to an earlier one, with the first of them, in file order. */
static void cfg_find_duplicates(struct cfg_parser *p, struct fw_hashtab *t,
				const struct cfg_duplicate_check *check)
{
	const struct fw_ruleset *rs = &p->cfg->rules;
	const struct fw_rule *rules = rs->rules;
	size_t i, count = rs->count;

	for (i = 0; i < count; i++) {
		uint32_t first;

		if (i + CFG_PREFETCH_AHEAD < count)
			fw_hashtab_prefetch(t, check->hash(&p->meta[i + CFG_PREFETCH_AHEAD]));
		if (!check->takes_part(&p->meta[i]))
			continue;
		first = fw_hashtab_add_unique(t, check->hash(&p->meta[i]), (uint32_t)i, check->equal,
					      rs, &rules[i]);
		if (first != i)
			check->report(p, i, first);
	}
}

static bool cfg_same_name(const void *rs, uint32_t item, const void *rule)
{
	const struct fw_rule *other = &((const struct fw_ruleset *)rs)->rules[item];

	return !strcmp(other->name, ((const struct fw_rule *)rule)->name);
}

/* The same ports, whether written as a number, a one-item list or a range N-N. */
static bool cfg_same_ports(const struct fw_ruleset *rs, const struct fw_rule *a,
			   const struct fw_rule *b)
{
	const struct fw_port_range *ra, *rb;
	struct fw_port_range one_a, one_b;
	size_t na = fw_rule_ports(rs, a, &ra, &one_a), nb = fw_rule_ports(rs, b, &rb, &one_b);

	return na == nb && !memcmp(ra, rb, na * sizeof(*ra));
}

/* Same source (the same prefix, or the same set), ports, protocol and TCP flags. */
bool cfg_rule_same_match(const struct fw_ruleset *rs, const struct fw_rule *a,
			 const struct fw_rule *b)
{
	if (a->has_src != b->has_src || a->proto != b->proto || a->set_ref != b->set_ref ||
	    a->tcp_flags != b->tcp_flags)
		return false;
	if (a->has_src && !a->set_ref &&
	    (fw_rule_src_len(a) != fw_rule_src_len(b) || memcmp(a->src, b->src, sizeof(a->src))))
		return false;
	return cfg_same_ports(rs, a, b);
}

static bool cfg_same_match(const void *rs, uint32_t item, const void *rule)
{
	return cfg_rule_same_match(rs, &((const struct fw_ruleset *)rs)->rules[item], rule);
}

/* Over what cfg_rule_same_match() compares. */
static uint32_t cfg_match_hash(const struct fw_ruleset *rs, const struct fw_rule *r)
{
	unsigned char match[sizeof(r->src) + 8];
	const struct fw_port_range *ranges;
	struct fw_port_range one;
	size_t n = fw_rule_ports(rs, r, &ranges, &one);
	bool prefix = r->has_src && !r->set_ref;

	memset(match, 0, sizeof(match));
	if (prefix)
		memcpy(match, r->src, sizeof(r->src));
	match[sizeof(r->src)] = r->has_src;
	match[sizeof(r->src) + 1] = prefix ? fw_rule_src_len(r) : 0;
	match[sizeof(r->src) + 2] = r->proto;
	memcpy(&match[sizeof(r->src) + 3], &r->set_ref, sizeof(r->set_ref));
	match[sizeof(r->src) + 7] = r->tcp_flags;
	return fw_hash_bytes(match, sizeof(match)) ^
	       (n ? fw_hash_bytes(ranges, n * sizeof(*ranges)) * 0x9e3779b1u : 0);
}

/* Once sets are resolved and ports known: each rule's match_tag, and the hashes that find duplicates. */
static void cfg_finish_matches(struct cfg_parser *p)
{
	struct fw_ruleset *rs = &p->cfg->rules;

	for (size_t i = 0; i < rs->count; i++) {
		rs->rules[i].match_tag = fw_rule_match_tag(rs, &rs->rules[i]);
		if (p->meta[i].match_ok)
			p->meta[i].match_hash = cfg_match_hash(rs, &rs->rules[i]);
	}
}

static void cfg_report_duplicate_name(struct cfg_parser *p, size_t idx, size_t first)
{
	const struct cfg_rule_meta *at = &p->meta[idx], *other = &p->meta[first];
	char place[CFG_PLACE_MAX];

	cfg_error(&p->diags, at->name_line, at->name_col,
		  "rule name \"%s\" is already used by the rule at %s; give each rule its own name",
		  p->cfg->rules.rules[idx].name,
		  cfg_place_text(&p->diags, p->name, at->name_line, other->name_line,
				 other->name_col, place, sizeof(place)));
}

static void cfg_report_duplicate_match(struct cfg_parser *p, size_t idx, size_t first)
{
	const struct fw_rule *rules = p->cfg->rules.rules;
	char label[CFG_CTX_MAX], first_label[CFG_CTX_MAX], place[CFG_PLACE_MAX];
	const struct cfg_ctx ctx = cfg_rule_ctx(p, idx), first_ctx = cfg_rule_ctx(p, first);

	cfg_error(&p->diags, rules[idx].line, rules[idx].col,
		  "%s has the same match as %s at %s; remove one of them",
		  cfg_ctx_label(&ctx, label, sizeof(label)),
		  cfg_ctx_label(&first_ctx, first_label, sizeof(first_label)),
		  cfg_place_text(&p->diags, p->name, rules[idx].line, rules[first].line,
				 rules[first].col, place, sizeof(place)));
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
	cfg_check_limits(p);
	if (!p->cfg->rules.count)
		return;
	cfg_finish_matches(p);
	err = fw_hashtab_init(&table, p->cfg->rules.count);
	if (err) {
		p->diags.err = err;
		return;
	}
	cfg_find_duplicates(p, &table, &names);
	fw_hashtab_clear(&table);
	cfg_find_duplicates(p, &table, &matches);
	fw_hashtab_free(&table);
	cfg_check_ties(p);
}
