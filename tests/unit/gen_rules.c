// SPDX-License-Identifier: GPL-2.0
/*
 * Random valid rule sets for the differential test: exact addresses, nested
 * and overlapping prefixes of both families, sets with duplicate and shared
 * elements, port ranges and lists, and rules made to tie.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"
#include "prefix.h"

#define GEN_LENGTHS 5  /* prefix lengths per family in one rule set, so its prefixes nest */
#define GEN_MAX_LIST 4 /* items in a port list */

static void *gen_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

/* ---- addresses at the edges of prefixes ---- */

static void gen_set_bit(uint8_t addr[16], unsigned int bit, bool one)
{
	uint8_t mask = (uint8_t)(0x80u >> (bit % 8));

	addr[bit / 8] = one ? addr[bit / 8] | mask : addr[bit / 8] & (uint8_t)~mask;
}

/* Adds step (+1 or -1) to the address, over its last 4 bytes for IPv4, so it stays IPv4. */
static void gen_step(uint8_t addr[16], bool v4, int step)
{
	for (int i = 15; i >= (v4 ? 12 : 0); i--) {
		uint8_t before = addr[i];

		addr[i] = (uint8_t)(before + step);
		if ((step > 0 && addr[i] != 0) || (step < 0 && before != 0))
			return; /* no carry or borrow into the next byte */
	}
}

void gen_prefix_address(struct gen_rng *rng, const struct fw_prefix *p, uint8_t out[16])
{
	bool v4 = fw_prefix_is_v4(p);
	unsigned roll = gen_below(rng, 100);

	memcpy(out, p->addr, 16);
	for (unsigned int bit = p->len; bit < 128; bit++) {
		if (roll < 25) /* the first */
			break;
		gen_set_bit(out, bit, roll < 50 || roll >= 90 ? true : gen_chance(rng, 50));
	}
	if (roll >= 80 && roll < 90)
		gen_step(out, v4, -1); /* just before the first */
	else if (roll >= 90)
		gen_step(out, v4, +1); /* just past the last */
}

/* ---- the pool: sources, prefixes, ports ---- */

struct gen_lengths {
	uint8_t v4[GEN_LENGTHS]; /* fw_prefix lengths: 96 + n */
	uint8_t v6[GEN_LENGTHS];
};

static uint8_t gen_prefix_len(struct gen_rng *rng, const struct gen_lengths *lengths, bool v4)
{
	if (gen_chance(rng, 15)) /* any length, one address included */
		return (uint8_t)(v4 ? 97 + gen_below(rng, 32) : 1 + gen_below(rng, 128));
	return v4 ? lengths->v4[gen_below(rng, GEN_LENGTHS)] : lengths->v6[gen_below(rng, GEN_LENGTHS)];
}

static void gen_prefix_add(struct gen_pool *pool, const uint8_t addr[16], unsigned int len)
{
	struct fw_prefix *p = &pool->prefixes[pool->n_prefixes++];

	memcpy(p->addr, addr, 16);
	p->len = (uint8_t)len;
	fw_prefix_mask(p->addr, len);
}

/*
 * Chains of nested prefixes around random addresses, and around addresses
 * at the edges of earlier prefixes, so prefixes nest, neighbour and repeat.
 */
static void gen_prefix_pool(struct gen_rng *rng, size_t bases, struct gen_pool *pool)
{
	struct gen_lengths lengths;

	for (int i = 0; i < GEN_LENGTHS; i++) {
		lengths.v4[i] = (uint8_t)(96 + 1 + gen_below(rng, 31));
		lengths.v6[i] = (uint8_t)(1 + gen_below(rng, 127));
	}
	pool->prefixes = gen_calloc(3 * bases, sizeof(*pool->prefixes));
	for (size_t b = 0; b < bases; b++) {
		size_t chain = 1 + gen_below(rng, 3);
		uint8_t base[16];
		bool v4;

		if (pool->n_prefixes && gen_chance(rng, 30))
			gen_prefix_address(rng, &pool->prefixes[gen_below(rng, (uint32_t)pool->n_prefixes)],
					   base);
		else
			gen_address(rng, base);
		v4 = fw_addr_is_v4_mapped(base);
		if (v4 && gen_chance(rng, 3)) {
			/* An IPv6 prefix over all of IPv4, such as ::/8: it holds every IPv4 source. */
			gen_prefix_add(pool, base, 1 + gen_below(rng, 95));
			continue;
		}
		for (size_t c = 0; c < chain; c++)
			gen_prefix_add(pool, base, gen_prefix_len(rng, &lengths, v4));
	}
}

static void gen_pool_fill(struct gen_rng *rng, size_t n_sources, struct gen_pool *pool)
{
	static const uint16_t well_known[] = { 22, 53, 80, 443, 1, 65535 };

	gen_prefix_pool(rng, n_sources, pool);
	pool->n_sources = n_sources;
	pool->sources = gen_calloc(n_sources, sizeof(*pool->sources));
	/* Half of them inside or beside prefixes, so addresses nest in prefixes too. */
	for (size_t i = 0; i < n_sources; i++)
		if (gen_chance(rng, 50))
			gen_prefix_address(rng, &pool->prefixes[gen_below(rng, (uint32_t)pool->n_prefixes)],
					   pool->sources[i]);
		else
			gen_address(rng, pool->sources[i]);
	for (size_t i = 0; i < GEN_PORTS; i++)
		pool->ports[i] = i < sizeof(well_known) / sizeof(well_known[0])
					 ? well_known[i]
					 : (uint16_t)(1 + gen_below(rng, 65535));
}

/* ---- sets ---- */

static void gen_element(struct gen_rng *rng, const struct gen_pool *pool,
			const struct fw_ruleset *rs, size_t s, const struct fw_set *set, size_t e,
			struct fw_prefix *p)
{
	unsigned roll = gen_below(rng, 100);

	if (e && roll < 10) {
		*p = set->elements[gen_below(rng, (uint32_t)e)].prefix; /* a duplicate */
	} else if (s && roll < 25) {
		const struct fw_set *other = &rs->sets[gen_below(rng, (uint32_t)s)];

		*p = other->elements[gen_below(rng, (uint32_t)other->count)].prefix; /* shared */
	} else if (roll < 40) {
		memcpy(p->addr, pool->sources[gen_below(rng, (uint32_t)pool->n_sources)], 16);
		p->len = 128;
	} else if (roll < 55) { /* a prefix of its own, as in a blocklist */
		gen_address(rng, p->addr);
		p->len = (uint8_t)(fw_addr_is_v4_mapped(p->addr) ? 105 + gen_below(rng, 24)
								 : 48 + gen_below(rng, 81));
		fw_prefix_mask(p->addr, p->len);
	} else {
		*p = pool->prefixes[gen_below(rng, (uint32_t)pool->n_prefixes)];
	}
}

static void gen_sets(struct gen_rng *rng, const struct gen_shape *shape,
		     const struct gen_pool *pool, struct fw_ruleset *rs)
{
	rs->sets = gen_calloc(shape->sets, sizeof(*rs->sets));
	for (size_t s = 0; s < shape->sets; s++) {
		struct fw_set *set = &rs->sets[s];
		size_t n = 1 + gen_below(rng, (uint32_t)shape->set_elements);

		snprintf(set->name, sizeof(set->name), "s%zu", s);
		set->elements = gen_calloc(n, sizeof(*set->elements));
		for (size_t e = 0; e < n; e++) {
			gen_element(rng, pool, rs, s, set, e, &set->elements[e].prefix);
			set->elements[e].line = (uint32_t)e + 1;
			set->elements[e].col = 1;
			if (fw_prefix_is_v4(&set->elements[e].prefix))
				set->v4++;
			else
				set->v6++;
		}
		set->count = n;
		rs->set_count = s + 1; /* later sets share elements with this one */
	}
}

/* ---- rules ---- */

/* rs->port_ranges, growing as rules name ranges. */
struct gen_ranges {
	size_t cap;
};

static uint32_t gen_range_push(struct fw_ruleset *rs, struct gen_ranges *g,
			       struct fw_port_range range)
{
	if (rs->port_range_count == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		rs->port_ranges = realloc(rs->port_ranges, g->cap * sizeof(*rs->port_ranges));
		if (!rs->port_ranges)
			abort();
	}
	rs->port_ranges[rs->port_range_count] = range;
	return (uint32_t)rs->port_range_count++;
}

static struct fw_port_range gen_port_range(struct gen_rng *rng, const struct gen_pool *pool)
{
	uint32_t first = pool->ports[gen_below(rng, GEN_PORTS)], last = first;

	/* Mostly narrow: the datapath may hold a range port by port. */
	if (!gen_chance(rng, 30))
		last += gen_chance(rng, 75) ? 1 + gen_below(rng, 16) : 1 + gen_below(rng, 300);
	return (struct fw_port_range){ (uint16_t)first, (uint16_t)(last > 65535 ? 65535 : last) };
}

/* Any port, one port (as a number or a one-item list), or a range or list of ranges. */
static void gen_rule_ports(struct gen_rng *rng, const struct gen_shape *shape,
			   const struct gen_pool *pool, struct fw_ruleset *rs, struct gen_ranges *g,
			   struct fw_rule *r)
{
	r->port = 0;
	r->ports_at = 0;
	r->ports_count = 0;
	if (!gen_chance(rng, shape->port_pct))
		return;
	if (!gen_chance(rng, shape->list_pct)) {
		r->port = pool->ports[gen_below(rng, GEN_PORTS)];
		if (gen_chance(rng, 20)) {
			r->ports_at = gen_range_push(rs, g, (struct fw_port_range){ r->port, r->port });
			r->ports_count = 1;
		}
		return;
	}
	r->ports_count = 1 + gen_below(rng, GEN_MAX_LIST);
	r->ports_at = gen_range_push(rs, g, gen_port_range(rng, pool));
	for (uint32_t i = 1; i < r->ports_count; i++)
		gen_range_push(rs, g, gen_port_range(rng, pool));
	r->port = rs->port_ranges[r->ports_at].first;
}

static void gen_rule_src(struct gen_rng *rng, const struct gen_shape *shape,
			 const struct gen_pool *pool, const struct fw_ruleset *rs, struct fw_rule *r)
{
	unsigned roll = gen_below(rng, 100);

	r->has_src = true;
	if (roll < shape->prefix_pct) {
		const struct fw_prefix *p = &pool->prefixes[gen_below(rng, (uint32_t)pool->n_prefixes)];

		memcpy(r->src, p->addr, 16);
		r->src_len = p->len;
	} else if (roll < shape->prefix_pct + shape->set_pct && rs->set_count) {
		r->set_ref = 1 + gen_below(rng, (uint32_t)rs->set_count);
	} else if (gen_chance(rng, 67)) {
		memcpy(r->src, pool->sources[gen_below(rng, (uint32_t)pool->n_sources)], 16);
		r->src_len = gen_chance(rng, 50) ? 0 : 128; /* 0 reads as one address */
	} else {
		r->has_src = false;
	}
}

/* A valid rule: never match-all, a port only with tcp, udp or any. */
static void gen_rule(struct gen_rng *rng, const struct gen_shape *shape,
		     const struct gen_pool *pool, struct fw_ruleset *rs, struct gen_ranges *g,
		     struct fw_rule *r)
{
	static const uint8_t port_protos[] = { FW_PROTO_ANY, FW_PROTO_TCP, FW_PROTO_UDP };

	do {
		memset(r, 0, sizeof(*r));
		gen_rule_src(rng, shape, pool, rs, r);
		gen_rule_ports(rng, shape, pool, rs, g, r);
		r->proto = r->port ? port_protos[gen_below(rng, sizeof(port_protos))]
				   : (uint8_t)gen_below(rng, FW_RULE_PROTOS);
		if (shape->syn_pct && gen_chance(rng, shape->syn_pct)) {
			r->proto = FW_PROTO_TCP;
			r->tcp_flags = FW_TCP_FLAGS_SYN;
		}
	} while (!r->has_src && !r->port && r->proto == FW_PROTO_ANY);
}

/*
 * A limit as the datapath takes it, never reached: 1e9 packets a second
 * and a burst of 2^30, so the rule decides every packet it matches, as the
 * reference classifier says. Half are per source, half ban.
 */
static void gen_rule_limit(struct gen_rng *rng, const struct gen_shape *shape, struct fw_rule *r)
{
	if (!shape->limit_pct || !gen_chance(rng, shape->limit_pct))
		return;
	r->action = FW_ACTION_DROP;
	r->limit = (struct fw_rule_limit){ .interval = 1, .burst = 1u << 30,
					   .per_source = gen_chance(rng, 50),
					   .ban_for = gen_chance(rng, 50) ? 3600ull * 1000000000 : 0 };
}

static bool gen_prefix_equal(const struct fw_prefix *a, const struct fw_prefix *b)
{
	return a->len == b->len && !memcmp(a->addr, b->addr, 16);
}

/* A set other than `not` (1 + index, or 0) holding p: 1 + its index, or 0. */
static uint32_t gen_set_holding(const struct fw_ruleset *rs, const struct fw_prefix *p,
				uint32_t not)
{
	for (size_t s = 0; s < rs->set_count; s++)
		for (size_t e = 0; s + 1 != not && e < rs->sets[s].count; e++)
			if (gen_prefix_equal(&rs->sets[s].elements[e].prefix, p))
				return (uint32_t)s + 1;
	return 0;
}

/*
 * Makes r tie with e at some prefix, at the same level: on e's source with
 * a port list overlapping e's, or with e's ports on a source sharing a
 * prefix with e's (a set holding e's prefix, or one of e's set's elements).
 * False if e offers neither.
 */
static bool gen_rule_tie(struct gen_rng *rng, const struct gen_pool *pool, struct fw_ruleset *rs,
			 struct gen_ranges *g, const struct fw_rule *e, struct fw_rule *r)
{
	const struct fw_port_range *ranges;
	struct fw_port_range one;
	size_t n = fw_rule_ports(rs, e, &ranges, &one);
	struct fw_prefix p;

	*r = *e;
	if (n && gen_chance(rng, 50)) {
		struct fw_port_range in = ranges[gen_below(rng, (uint32_t)n)];
		uint16_t port = (uint16_t)(in.first + gen_below(rng, in.last - in.first + 1u));

		r->ports_at = gen_range_push(rs, g, (struct fw_port_range){ port, port });
		r->ports_count = 1;
		if (gen_chance(rng, 60)) {
			gen_range_push(rs, g, gen_port_range(rng, pool));
			r->ports_count = 2;
		}
		r->port = port;
		return true;
	}
	if (!e->has_src)
		return false;
	if (e->set_ref) {
		const struct fw_set *set = &rs->sets[e->set_ref - 1];

		p = set->elements[gen_below(rng, (uint32_t)set->count)].prefix;
		r->set_ref = gen_chance(rng, 50) ? gen_set_holding(rs, &p, e->set_ref) : 0;
		if (!r->set_ref) { /* a prefix rule at the element */
			memcpy(r->src, p.addr, 16);
			r->src_len = p.len;
		}
		return true;
	}
	memcpy(p.addr, e->src, 16);
	p.len = fw_rule_src_len(e);
	r->set_ref = gen_set_holding(rs, &p, 0);
	return r->set_ref != 0;
}

/* Orders rules by what they match: equal ones would be a config error. */
static int gen_rule_cmp_match(const void *a, const void *b, void *ctx)
{
	const struct fw_ruleset *rs = ctx;
	const struct fw_rule *x = a, *y = b;
	const struct fw_port_range *rx, *ry;
	struct fw_port_range ox, oy;
	size_t nx, ny;
	int c;

	if (x->has_src != y->has_src)
		return x->has_src ? 1 : -1;
	if (x->set_ref != y->set_ref)
		return x->set_ref < y->set_ref ? -1 : 1;
	if (x->has_src && !x->set_ref) {
		if (fw_rule_src_len(x) != fw_rule_src_len(y))
			return fw_rule_src_len(x) < fw_rule_src_len(y) ? -1 : 1;
		c = memcmp(x->src, y->src, 16);
		if (c)
			return c;
	}
	if (x->proto != y->proto)
		return (int)x->proto - (int)y->proto;
	if (x->tcp_flags != y->tcp_flags)
		return (int)x->tcp_flags - (int)y->tcp_flags;
	nx = fw_rule_ports(rs, x, &rx, &ox);
	ny = fw_rule_ports(rs, y, &ry, &oy);
	if (nx != ny)
		return nx < ny ? -1 : 1;
	for (size_t i = 0; i < nx; i++) {
		if (rx[i].first != ry[i].first)
			return rx[i].first < ry[i].first ? -1 : 1;
		if (rx[i].last != ry[i].last)
			return rx[i].last < ry[i].last ? -1 : 1;
	}
	return 0;
}

/* Drops rules whose match another rule already has; returns the new count. */
static size_t gen_rules_unique(const struct fw_ruleset *rs, struct fw_rule *rules, size_t n)
{
	size_t kept = 0;

	qsort_r(rules, n, sizeof(*rules), gen_rule_cmp_match, (void *)rs);
	for (size_t i = 0; i < n; i++)
		if (!kept || gen_rule_cmp_match(&rules[kept - 1], &rules[i], (void *)rs))
			rules[kept++] = rules[i];
	return kept;
}

static void gen_rules_shuffle(struct gen_rng *rng, struct fw_rule *rules, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = gen_below(rng, (uint32_t)i);
		struct fw_rule tmp = rules[i - 1];

		rules[i - 1] = rules[j];
		rules[j] = tmp;
	}
}

void gen_ruleset(struct gen_rng *rng, const struct gen_shape *shape, struct fw_ruleset *rs,
		 struct gen_pool *pool)
{
	size_t candidates = 2 * shape->rules + 1; /* spare for the duplicates dropped */
	struct fw_rule *rules = gen_calloc(candidates, sizeof(*rules));
	struct gen_ranges ranges = { 0 };
	size_t count;

	memset(rs, 0, sizeof(*rs));
	memset(pool, 0, sizeof(*pool));
	/* A quarter as many sources as rules, so one source often has several rules. */
	gen_pool_fill(rng, shape->rules / 4 + 1, pool);
	gen_sets(rng, shape, pool, rs);
	for (size_t i = 0; i < candidates; i++) {
		if (!i || !gen_chance(rng, shape->tie_pct) ||
		    !gen_rule_tie(rng, pool, rs, &ranges, &rules[gen_below(rng, (uint32_t)i)],
				  &rules[i]))
			gen_rule(rng, shape, pool, rs, &ranges, &rules[i]);
		rules[i].action = gen_chance(rng, 50) ? FW_ACTION_PASS : FW_ACTION_DROP;
		gen_rule_limit(rng, shape, &rules[i]);
	}
	count = gen_rules_unique(rs, rules, candidates);
	gen_rules_shuffle(rng, rules, count);
	if (count > shape->rules)
		count = shape->rules;
	for (size_t i = 0; i < count; i++) {
		rules[i].id = (uint32_t)i;
		snprintf(rules[i].name, sizeof(rules[i].name), "r%zu", i);
		rules[i].match_tag = fw_rule_match_tag(rs, &rules[i]);
	}
	rs->rules = rules;
	rs->count = count;
	rs->default_action = shape->default_action;
	rs->fragments = shape->fragments;
	pool->rs = rs;
	pool->clean_pct = shape->clean_pct;
}

void gen_ruleset_free(struct fw_ruleset *rs, struct gen_pool *pool)
{
	free(rs->rules);
	fw_ruleset_free_sets(rs);
	free(pool->sources);
	free(pool->prefixes);
	memset(rs, 0, sizeof(*rs));
	memset(pool, 0, sizeof(*pool));
}

/* ---- what frames aim at ---- */

void gen_rule_source(struct gen_rng *rng, const struct fw_ruleset *rs, const struct fw_rule *r,
		     uint8_t out[16])
{
	const struct fw_set *set = fw_rule_set(rs, r);
	struct fw_prefix p;

	if (set) {
		p = set->elements[gen_below(rng, (uint32_t)set->count)].prefix;
	} else {
		memcpy(p.addr, r->src, 16);
		p.len = fw_rule_src_len(r);
	}
	gen_prefix_address(rng, &p, out);
}

uint16_t gen_rule_port(struct gen_rng *rng, const struct fw_ruleset *rs, const struct fw_rule *r)
{
	const struct fw_port_range *ranges;
	struct fw_port_range one;
	size_t n = fw_rule_ports(rs, r, &ranges, &one);
	struct fw_port_range in;
	unsigned roll = gen_below(rng, 100);
	uint32_t port;

	if (!n)
		return 0;
	in = ranges[gen_below(rng, (uint32_t)n)];
	if (roll < 30)
		port = in.first;
	else if (roll < 60)
		port = in.last;
	else if (roll < 80)
		port = in.first + gen_below(rng, in.last - in.first + 1u);
	else if (roll < 90)
		port = in.first - 1u; /* just below */
	else
		port = in.last + 1u; /* just above */
	return port >= 1 && port <= 65535 ? (uint16_t)port : in.first;
}
