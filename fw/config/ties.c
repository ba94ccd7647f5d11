// SPDX-License-Identifier: GPL-2.0
/*
 * Config parsing: ties (DESIGN §1b). Two rules on one prefix at one level
 * with different actions or limits: the first listed decides, and check
 * says so.
 *
 * Rules are grouped by what they are written on, their "owner": a set, one
 * prefix, or no source. Two owners meet where a prefix is in both (found by
 * hashing every element once, so a set of a million elements costs a million
 * lookups, not a million squared); rules on owners that meet, or on the same
 * owner, are compared only where their port spans overlap, after a sort.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks.h"
#include "hashtab.h"
#include "names.h"
#include "prefix.h"

/* Ties reported one by one; past these, one more warning counts the rest. */
#define CFG_TIES_SHOWN 20
#define CFG_NO_OWNER UINT32_MAX

/* An owner's prefix, in the chain of owners that hold it. */
struct cfg_tie_entry {
	const struct fw_prefix *prefix;
	uint32_t owner;
	uint32_t next; /* index + 1 of the next owner holding this prefix; 0 ends */
	bool head;     /* the first owner found holding it: the chain starts here */
};

/* Two owners that share a prefix (a < b), and the first one found. */
struct cfg_tie_pair {
	uint32_t a;
	uint32_t b;
	const struct fw_prefix *prefix;
};

/* A rule as the sweep sees it: its level, and the span of its ports. */
struct cfg_tie_cand {
	uint32_t rule;
	uint8_t side; /* 0: the first owner, 1: the second */
	uint8_t proto;
	uint8_t has_port;
	uint16_t first;
	uint16_t last;
};

struct cfg_ties {
	struct cfg_parser *p;
	uint32_t sets;              /* owners 0..sets-1 are the sets */
	uint32_t owners;            /* then no source, then one per distinct prefix */
	uint32_t *owner_of;         /* per rule, or CFG_NO_OWNER when it takes no part */
	struct fw_prefix *prefixes; /* of the prefix owners, from sets + 1 */
	uint32_t *starts;           /* owner o's rules are rules[starts[o] .. starts[o + 1]) */
	uint32_t *rules;
	struct cfg_tie_entry *entries;
	size_t entry_count;
	struct cfg_tie_pair *pairs;
	size_t pair_count;
	struct cfg_tie_cand *cands;
	size_t reported;
	const struct fw_rule *more_at; /* where the first tie not shown is */
};

static bool cfg_ties_oom(struct cfg_ties *t)
{
	t->p->diags.err = -ENOMEM;
	return false;
}

/* The level a rule sits at among its prefix's: a SYN rule beats a plain TCP one. */
static uint8_t cfg_tie_proto(const struct fw_rule *r)
{
	return r->tcp_flags ? FW_PROTO_TCP_SYN : r->proto;
}

/* Whether a and b do the same to a packet: the same action, and the same limit if any. */
static bool cfg_same_effect(const struct fw_rule *a, const struct fw_rule *b)
{
	return a->action == b->action && a->limit.interval == b->limit.interval &&
	       a->limit.burst == b->limit.burst && a->limit.per_source == b->limit.per_source &&
	       a->limit.ban_for == b->limit.ban_for;
}

static const char *cfg_effect_name(const struct fw_rule *r)
{
	return r->limit.interval ? "limit" : fw_action_name(r->action);
}

static void cfg_rule_prefix(const struct fw_rule *r, struct fw_prefix *out)
{
	memcpy(out->addr, r->src, sizeof(out->addr));
	out->len = fw_rule_src_len(r);
}

static bool cfg_same_prefix_rule(const void *rules, uint32_t item, const void *rule)
{
	const struct fw_rule *a = &((const struct fw_rule *)rules)[item], *b = rule;

	return fw_rule_src_len(a) == fw_rule_src_len(b) && !memcmp(a->src, b->src, sizeof(a->src));
}

static uint32_t cfg_prefix_hash(const struct fw_prefix *p)
{
	return fw_hash_bytes(p->addr, sizeof(p->addr)) ^ p->len;
}

static bool cfg_entry_prefix_is(const void *entries, uint32_t item, const void *prefix)
{
	const struct fw_prefix *a = ((const struct cfg_tie_entry *)entries)[item].prefix;

	return !memcmp(a, prefix, sizeof(*a));
}

static void cfg_ties_enter(struct cfg_ties *t, struct fw_hashtab *table,
			   const struct fw_prefix *prefix, uint32_t owner);

/*
 * Whether a rule on a prefix, or on no source, can tie: on no source or a
 * prefix in no set, only through overlapping port lists.
 */
static bool cfg_prefix_takes_part(const struct cfg_ties *t, const struct fw_hashtab *index,
				  const struct fw_rule *r, const struct fw_prefix *prefix,
				  bool lists, bool *in_sets)
{
	*in_sets = r->has_src && index->slots &&
		   fw_hashtab_find(index, cfg_prefix_hash(prefix), cfg_entry_prefix_is, t->entries,
				   prefix) >= 0;
	return *in_sets || (lists && r->port);
}

/*
 * Each rule's owner (rules on one prefix share one), or CFG_NO_OWNER for a
 * rule that cannot tie; a prefix also in a set joins the index.
 */
static bool cfg_ties_owners(struct cfg_ties *t, struct fw_hashtab *index, bool lists)
{
	const struct fw_ruleset *rs = &t->p->cfg->rules;
	struct fw_hashtab table;
	struct fw_prefix prefix;

	t->owner_of = malloc(rs->count * sizeof(*t->owner_of));
	t->prefixes = malloc(rs->count * sizeof(*t->prefixes));
	if (!t->owner_of || !t->prefixes || fw_hashtab_init(&table, rs->count))
		return cfg_ties_oom(t);
	for (size_t i = 0; i < rs->count; i++) {
		const struct fw_rule *r = &rs->rules[i];
		uint32_t first;
		bool in_sets;

		t->owner_of[i] = CFG_NO_OWNER;
		if (!t->p->meta[i].match_ok)
			continue;
		if (r->set_ref) {
			t->owner_of[i] = r->set_ref - 1;
			continue;
		}
		cfg_rule_prefix(r, &prefix);
		if (!cfg_prefix_takes_part(t, index, r, &prefix, lists, &in_sets))
			continue;
		if (!r->has_src) {
			t->owner_of[i] = t->sets;
			continue;
		}
		first = fw_hashtab_add_unique(&table, cfg_prefix_hash(&prefix), (uint32_t)i,
					      cfg_same_prefix_rule, rs->rules, r);
		if (first != i) {
			t->owner_of[i] = t->owner_of[first];
			continue;
		}
		t->prefixes[t->owners - t->sets - 1] = prefix;
		t->owner_of[i] = t->owners++;
		if (in_sets)
			cfg_ties_enter(t, index, &t->prefixes[t->owners - t->sets - 2],
				       t->owner_of[i]);
	}
	fw_hashtab_free(&table);
	return true;
}

/* Each owner's rules, in file order: a counting sort. */
static bool cfg_ties_group(struct cfg_ties *t)
{
	const size_t count = t->p->cfg->rules.count;

	t->starts = calloc((size_t)t->owners + 1, sizeof(*t->starts));
	t->rules = malloc(count * sizeof(*t->rules));
	if (!t->starts || !t->rules)
		return cfg_ties_oom(t);
	for (size_t i = 0; i < count; i++)
		if (t->owner_of[i] != CFG_NO_OWNER)
			t->starts[t->owner_of[i] + 1]++;
	for (uint32_t o = 0; o < t->owners; o++)
		t->starts[o + 1] += t->starts[o];
	for (size_t i = 0; i < count; i++)
		if (t->owner_of[i] != CFG_NO_OWNER)
			t->rules[t->starts[t->owner_of[i]]++] = (uint32_t)i;
	/* The fill moved each start to the next owner's: move them back. */
	for (uint32_t o = t->owners; o > 0; o--)
		t->starts[o] = t->starts[o - 1];
	t->starts[0] = 0;
	return true;
}

/* Adds owner to the chain of prefix, once. */
static void cfg_ties_enter(struct cfg_ties *t, struct fw_hashtab *table,
			   const struct fw_prefix *prefix, uint32_t owner)
{
	uint32_t n = (uint32_t)t->entry_count, head;
	struct cfg_tie_entry *e = &t->entries[n];

	e->prefix = prefix;
	e->owner = owner;
	e->next = 0;
	e->head = false;
	head = fw_hashtab_add_unique(table, cfg_prefix_hash(prefix), n, cfg_entry_prefix_is,
				     t->entries, prefix);
	if (head == n) {
		e->head = true;
		t->entry_count++;
		return;
	}
	/* An owner enters all its prefixes in a row, each new one right after the head. */
	if (t->entries[head].owner == owner ||
	    (t->entries[head].next && t->entries[t->entries[head].next - 1].owner == owner))
		return;
	e->next = t->entries[head].next;
	t->entries[head].next = n + 1;
	t->entry_count++;
}

/*
 * The chains, first of every element of every set a rule uses; room is left
 * for the prefixes rules are written on (cfg_ties_owners() adds them).
 */
static bool cfg_ties_index(struct cfg_ties *t, struct fw_hashtab *table, const bool *used)
{
	const struct fw_ruleset *rs = &t->p->cfg->rules;
	size_t total = rs->count;

	for (uint32_t s = 0; s < t->sets; s++)
		if (used[s])
			total += rs->sets[s].count;
	t->entries = malloc((total ? total : 1) * sizeof(*t->entries));
	if (!t->entries || fw_hashtab_init(table, total))
		return cfg_ties_oom(t);
	for (uint32_t s = 0; s < t->sets; s++)
		if (used[s])
			for (size_t i = 0; i < rs->sets[s].count; i++)
				cfg_ties_enter(t, table, &rs->sets[s].elements[i].prefix, s);
	return true;
}

static bool cfg_pair_is(const void *pairs, uint32_t item, const void *key)
{
	const struct cfg_tie_pair *a = &((const struct cfg_tie_pair *)pairs)[item], *b = key;

	return a->a == b->a && a->b == b->b;
}

/* Every two owners that share a prefix, once, with the first prefix found. */
static bool cfg_ties_pairs(struct cfg_ties *t)
{
	struct fw_hashtab table;
	size_t bound = 0;

	for (size_t i = 0; i < t->entry_count; i++) {
		size_t k = 0;

		if (!t->entries[i].head)
			continue;
		for (uint32_t e = t->entries[i].next; e; e = t->entries[e - 1].next)
			k++;
		bound += k * (k + 1) / 2; /* k + 1 owners hold this prefix */
	}
	t->pairs = malloc((bound ? bound : 1) * sizeof(*t->pairs));
	if (!t->pairs || fw_hashtab_init(&table, bound))
		return cfg_ties_oom(t);
	for (size_t i = 0; i < t->entry_count; i++) {
		if (!t->entries[i].head || !t->entries[i].next)
			continue;
		for (uint32_t x = (uint32_t)i + 1; x; x = t->entries[x - 1].next) {
			for (uint32_t y = t->entries[x - 1].next; y; y = t->entries[y - 1].next) {
				uint32_t a = t->entries[x - 1].owner, b = t->entries[y - 1].owner;
				struct cfg_tie_pair *pair = &t->pairs[t->pair_count];

				pair->a = a < b ? a : b;
				pair->b = a < b ? b : a;
				pair->prefix = t->entries[i].prefix;
				if (fw_hashtab_add_unique(&table,
							  fw_hash_bytes(pair, 2 * sizeof(uint32_t)),
							  (uint32_t)t->pair_count, cfg_pair_is, t->pairs,
							  pair) == t->pair_count)
					t->pair_count++;
			}
		}
	}
	fw_hashtab_free(&table);
	return true;
}

static int cfg_cand_cmp(const void *a, const void *b)
{
	const struct cfg_tie_cand *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->has_port != y->has_port)
		return x->has_port < y->has_port ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* The first port both rules name, as a range; false if none (or neither names a port). */
static bool cfg_ports_meet(const struct fw_ruleset *rs, const struct fw_rule *a,
			   const struct fw_rule *b, struct fw_port_range *out)
{
	const struct fw_port_range *ra, *rb;
	struct fw_port_range one_a, one_b;
	size_t na = fw_rule_ports(rs, a, &ra, &one_a), nb = fw_rule_ports(rs, b, &rb, &one_b);
	size_t i = 0, j = 0;

	while (i < na && j < nb) {
		uint16_t first = ra[i].first > rb[j].first ? ra[i].first : rb[j].first;
		uint16_t last = ra[i].last < rb[j].last ? ra[i].last : rb[j].last;

		if (first <= last) {
			out->first = first;
			out->last = last;
			return true;
		}
		if (ra[i].last < rb[j].last)
			i++;
		else
			j++;
	}
	return false;
}

/* "198.18.0.0/24", "198.18.200.0/24 (in @a and @b)", "every element of @a", "any source". */
static const char *cfg_tie_where(const struct cfg_ties *t, uint32_t x, uint32_t y,
				 const struct fw_prefix *prefix, char *buf, size_t size)
{
	const struct fw_set *sets = t->p->cfg->rules.sets;
	char text[FW_PREFIX_TEXT_MAX];

	if (x == t->sets)
		snprintf(buf, size, "any source");
	else if (x == y && x < t->sets)
		snprintf(buf, size, "every element of @%s", sets[x].name);
	else if (x == y)
		snprintf(buf, size, "%s", fw_prefix_format(prefix, text));
	else if (y < t->sets)
		snprintf(buf, size, "%s (in @%s and @%s)", fw_prefix_format(prefix, text),
			 sets[x].name, sets[y].name);
	else
		snprintf(buf, size, "%s (in @%s)", fw_prefix_format(prefix, text), sets[x].name);
	return buf;
}

static void cfg_report_tie(struct cfg_ties *t, uint32_t x, uint32_t y,
			   const struct fw_prefix *prefix, uint32_t first, uint32_t later,
			   const struct fw_port_range *ports)
{
	const struct fw_rule *rules = t->p->cfg->rules.rules;
	const struct fw_rule *a = &rules[first], *b = &rules[later];
	const struct cfg_ctx ctx_a = cfg_rule_ctx(t->p, first), ctx_b = cfg_rule_ctx(t->p, later);
	char where[FW_PREFIX_TEXT_MAX + 2 * FW_RULE_NAME_MAX + 32], port[32], proto[32];
	char label_a[CFG_CTX_MAX], label_b[CFG_CTX_MAX], place[CFG_PLACE_MAX];

	if (++t->reported > CFG_TIES_SHOWN) {
		if (t->reported == CFG_TIES_SHOWN + 1)
			t->more_at = b;
		return;
	}
	if (!ports)
		snprintf(port, sizeof(port), "any port");
	else if (ports->first == ports->last)
		snprintf(port, sizeof(port), "port %u", ports->first);
	else
		snprintf(port, sizeof(port), "ports %u-%u", ports->first, ports->last);
	if (a->proto == FW_PROTO_ANY)
		snprintf(proto, sizeof(proto), "any protocol");
	else if (a->tcp_flags)
		snprintf(proto, sizeof(proto), "proto tcp with tcp_flags syn");
	else
		snprintf(proto, sizeof(proto), "proto %s", fw_proto_name(a->proto));
	cfg_ctx_label(&ctx_a, label_a, sizeof(label_a));
	cfg_ctx_label(&ctx_b, label_b, sizeof(label_b));
	cfg_warning(&t->p->diags, b->line, b->col,
		    "%s ties with %s (%s): both match %s, %s, %s, at the same level; %s (%s), listed first, decides there, not %s (%s)",
		    label_b, label_a,
		    cfg_place_text(&t->p->diags, t->p->name, b->line, a->line, a->col, place,
				   sizeof(place)),
		    cfg_tie_where(t, x, y, prefix, where, sizeof(where)),
		    port, proto, label_a, cfg_effect_name(a), label_b, cfg_effect_name(b));
}

/* The rules of owners x and y (or of x alone) that tie: a sweep over their port spans. */
static void cfg_ties_between(struct cfg_ties *t, uint32_t x, uint32_t y,
			     const struct fw_prefix *prefix)
{
	const struct fw_ruleset *rs = &t->p->cfg->rules;
	size_t n = 0;

	for (int side = 0; side < (x == y ? 1 : 2); side++) {
		uint32_t o = side ? y : x;

		for (uint32_t k = t->starts[o]; k < t->starts[o + 1]; k++) {
			const struct fw_rule *r = &rs->rules[t->rules[k]];
			const struct fw_port_range *ranges;
			struct fw_port_range one;
			size_t count = fw_rule_ports(rs, r, &ranges, &one);
			struct cfg_tie_cand *c = &t->cands[n++];

			c->rule = t->rules[k];
			c->side = (uint8_t)side;
			c->proto = cfg_tie_proto(r);
			c->has_port = count > 0;
			/* No port is every port: all such rules of one protocol meet. */
			c->first = count ? ranges[0].first : 0;
			c->last = count ? ranges[count - 1].last : 65535;
		}
	}
	qsort(t->cands, n, sizeof(*t->cands), cfg_cand_cmp);
	for (size_t i = 0; i < n; i++) {
		const struct cfg_tie_cand *c = &t->cands[i];

		for (size_t j = i + 1; j < n; j++) {
			const struct cfg_tie_cand *d = &t->cands[j];
			const struct fw_rule *a, *b;
			struct fw_port_range meet;

			if (d->proto != c->proto || d->has_port != c->has_port || d->first > c->last)
				break;
			if (x != y && c->side == d->side)
				continue;
			a = &rs->rules[c->rule < d->rule ? c->rule : d->rule];
			b = &rs->rules[c->rule < d->rule ? d->rule : c->rule];
			if (cfg_same_effect(a, b) || (x == y && cfg_rule_same_match(rs, a, b)))
				continue;
			if (c->has_port && !cfg_ports_meet(rs, a, b, &meet))
				continue;
			cfg_report_tie(t, x, y, prefix, (uint32_t)(a - rs->rules),
				       (uint32_t)(b - rs->rules), c->has_port ? &meet : NULL);
		}
	}
}

static void cfg_ties_compare(struct cfg_ties *t)
{
	const size_t count = t->p->cfg->rules.count;

	t->cands = malloc((count ? count : 1) * sizeof(*t->cands));
	if (!t->cands) {
		cfg_ties_oom(t);
		return;
	}
	for (uint32_t o = 0; o < t->owners; o++)
		if (t->starts[o + 1] - t->starts[o] > 1)
			cfg_ties_between(t, o, o,
					 o > t->sets ? &t->prefixes[o - t->sets - 1] : NULL);
	for (size_t i = 0; i < t->pair_count; i++)
		cfg_ties_between(t, t->pairs[i].a, t->pairs[i].b, t->pairs[i].prefix);
	if (t->reported > CFG_TIES_SHOWN)
		cfg_warning(&t->p->diags, t->more_at->line, t->more_at->col,
			    "%zu more ties, from this rule on, are not shown one by one",
			    t->reported - CFG_TIES_SHOWN);
}

static void cfg_ties_free(struct cfg_ties *t)
{
	free(t->owner_of);
	free(t->prefixes);
	free(t->starts);
	free(t->rules);
	free(t->entries);
	free(t->pairs);
	free(t->cands);
}

void cfg_check_ties(struct cfg_parser *p)
{
	const struct fw_ruleset *rs = &p->cfg->rules;
	struct cfg_ties t = { .p = p, .sets = (uint32_t)rs->set_count };
	struct fw_hashtab index = { 0 };
	bool sets_used = false, lists = false;
	bool *used = calloc(rs->set_count + 1, sizeof(*used));

	if (!used) {
		p->diags.err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < rs->count; i++) {
		if (!p->meta[i].match_ok)
			continue;
		if (rs->rules[i].set_ref)
			sets_used = used[rs->rules[i].set_ref - 1] = true;
		lists |= rs->rules[i].ports_count > 0;
	}
	t.owners = t.sets + 1;
	/* Without sets or port lists, rules tie only by having the same match: an error already. */
	if ((sets_used || lists) && (!sets_used || cfg_ties_index(&t, &index, used)) &&
	    cfg_ties_owners(&t, &index, lists) && cfg_ties_group(&t) &&
	    (!sets_used || cfg_ties_pairs(&t)))
		cfg_ties_compare(&t);
	fw_hashtab_free(&index);
	cfg_ties_free(&t);
	free(used);
}
