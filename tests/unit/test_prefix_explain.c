// SPDX-License-Identifier: GPL-2.0
/*
 * fw_classify_explain() without the kernel: against DESIGN §1b transcribed
 * step by step (prefix lengths longest first, levels 1-4 at each, then
 * levels 5-7, each in rule order) on random rule sets and packets, and on
 * packets whose step, prefix and set element are written out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "classify.h"
#include "gen.h"
#include "names.h"
#include "prefix.h"

#define EXPLAIN_PACKETS 200000

/* Whether a packet from src meets p: src in the 16-byte form, IPv4 v4-mapped. */
static bool literal_meets(const struct fw_prefix *p, const uint8_t src[16])
{
	return fw_prefix_contains(p, src);
}

/* The first of the rule's prefixes of length len that src meets: element index, or -2 if none. */
static long literal_at(const struct fw_ruleset *rs, const struct fw_rule *r, unsigned int len,
		       const uint8_t src[16])
{
	const struct fw_set *set = fw_rule_set(rs, r);
	struct fw_prefix p;

	if (!r->has_src)
		return -2;
	if (set) {
		for (size_t e = 0; e < set->count; e++)
			if (set->elements[e].prefix.len == len &&
			    literal_meets(&set->elements[e].prefix, src))
				return (long)e;
		return -2;
	}
	memcpy(p.addr, r->src, 16);
	p.len = fw_rule_src_len(r);
	return p.len == len && literal_meets(&p, src) ? -1 : -2;
}

/* Marks the lengths of the rule's prefixes that src meets. */
static void literal_lengths(const struct fw_ruleset *rs, const struct fw_rule *r,
			    const uint8_t src[16], bool met[129])
{
	const struct fw_set *set = fw_rule_set(rs, r);
	struct fw_prefix p;

	if (set) {
		for (size_t e = 0; e < set->count; e++)
			if (literal_meets(&set->elements[e].prefix, src))
				met[set->elements[e].prefix.len] = true;
	} else if (r->has_src) {
		memcpy(p.addr, r->src, 16);
		p.len = fw_rule_src_len(r);
		met[p.len] = met[p.len] || literal_meets(&p, src);
	}
}

static bool literal_level(const struct fw_ruleset *rs, const struct fw_rule *r,
			  const struct fw_frame_facts *pkt, int level)
{
	const struct fw_port_range *ranges;
	struct fw_port_range one;
	bool port = fw_rule_ports(rs, r, &ranges, &one) > 0, proto = r->proto != FW_PROTO_ANY;
	int want = 1 + (r->has_src ? 0 : 4) + (port ? 0 : 2) + (proto ? 0 : 1);

	if (want != level || (!r->has_src && !port && !proto))
		return false;
	return (!port || (pkt->dport && fw_rule_has_port(rs, r, pkt->dport))) &&
	       (!proto || r->proto == pkt->proto);
}

/* §1b as written, for an IP packet that is no dropped fragment. */
static struct fw_explanation literal_explain(const struct fw_ruleset *rs,
					     const struct fw_frame_facts *pkt)
{
	struct fw_explanation x = { .verdict.rule = -1, .set = -1, .element = -1 };
	bool met[129] = { false }; /* prefix lengths the source meets: the others hold no rule */

	for (size_t i = 0; i < rs->count; i++)
		literal_lengths(rs, &rs->rules[i], pkt->src, met);
	for (unsigned int len = 128; len >= 1; len--) {
		for (int level = 1; level <= 4 && met[len]; level++) {
			for (size_t i = 0; i < rs->count; i++) {
				const struct fw_rule *r = &rs->rules[i];

				if (!literal_level(rs, r, pkt, level))
					continue;
				long at = literal_at(rs, r, len, pkt->src);

				if (at == -2)
					continue;
				x.verdict.rule = (long)i;
				x.step = level;
				x.matched.len = (uint8_t)len;
				memcpy(x.matched.addr, pkt->src, 16);
				fw_prefix_mask(x.matched.addr, len);
				if (at >= 0) {
					x.set = (long)r->set_ref - 1;
					x.element = at;
				}
				goto decided;
			}
		}
	}
	for (int level = 5; level <= 7; level++)
		for (size_t i = 0; i < rs->count; i++)
			if (literal_level(rs, &rs->rules[i], pkt, level)) {
				x.verdict.rule = (long)i;
				x.step = level;
				goto decided;
			}
	x.step = 8;
	x.verdict.reason = rs->default_action == FW_ACTION_DROP ? FW_STAT_DROP_DEFAULT
								 : FW_STAT_PASS_DEFAULT;
	return x;
decided:
	x.verdict.reason = rs->rules[x.verdict.rule].action == FW_ACTION_DROP ? FW_STAT_DROP_RULE
									       : FW_STAT_PASS_RULE;
	return x;
}

static bool explanations_equal(const struct fw_explanation *a, const struct fw_explanation *b)
{
	return a->verdict.reason == b->verdict.reason && a->verdict.rule == b->verdict.rule &&
	       a->step == b->step && a->matched.len == b->matched.len &&
	       !memcmp(a->matched.addr, b->matched.addr, 16) && a->set == b->set &&
	       a->element == b->element;
}

static void print_explanation(const char *who, const struct fw_explanation *x)
{
	char text[FW_PREFIX_TEXT_MAX] = "-";

	if (x->matched.len)
		fw_prefix_format(&x->matched, text);
	printf("#   %s: %s rule %ld step %d prefix %s set %ld element %ld\n", who,
	       fw_stat_name(x->verdict.reason), x->verdict.rule, x->step, text, x->set, x->element);
}

static const struct gen_shape explain_shapes[] = {
	{ .rules = 12, .prefix_pct = 40, .set_pct = 30, .port_pct = 50, .list_pct = 50, .tie_pct = 30, .sets = 3,
	  .set_elements = 6, .default_action = FW_ACTION_DROP },
	{ .rules = 80, .prefix_pct = 35, .set_pct = 20, .port_pct = 50, .list_pct = 40, .tie_pct = 20, .sets = 8,
	  .set_elements = 20, .default_action = FW_ACTION_PASS },
	{ .rules = 150, .prefix_pct = 50, .set_pct = 10, .port_pct = 50, .list_pct = 30, .tie_pct = 15, .sets = 10,
	  .set_elements = 30, .default_action = FW_ACTION_DROP },
};

/* Random packets as facts: a source and port often aimed at a rule, any protocol. */
static void random_facts(struct gen_rng *rng, const struct gen_pool *pool,
			 struct fw_frame_facts *pkt)
{
	const struct fw_ruleset *rs = pool->rs;
	const struct fw_rule *aim = &rs->rules[gen_below(rng, (uint32_t)rs->count)];

	*pkt = (struct fw_frame_facts){ .kind = FW_FRAME_IP };
	if (aim->has_src && gen_chance(rng, 70))
		gen_rule_source(rng, rs, aim, pkt->src);
	else if (gen_chance(rng, 60))
		gen_prefix_address(rng, &pool->prefixes[gen_below(rng, (uint32_t)pool->n_prefixes)],
				   pkt->src);
	else
		gen_address(rng, pkt->src);
	pkt->proto = (uint8_t)(aim->proto && gen_chance(rng, 70) ? aim->proto
								  : gen_below(rng, FW_PROTO_COUNT));
	if (pkt->proto == FW_PROTO_TCP || pkt->proto == FW_PROTO_UDP)
		pkt->dport = aim->port && gen_chance(rng, 70) ? gen_rule_port(rng, rs, aim)
							      : pool->ports[gen_below(rng, GEN_PORTS)];
}

static void test_explain_is_section_1b(void **state)
{
	struct gen_rng rng = { 20261201u };
	unsigned long by_step[9] = { 0 }, in_set = 0;

	(void)state;
	for (int round = 0; round < 60; round++) {
		const struct gen_shape *shape = &explain_shapes[round % 3];
		struct fw_ruleset rs;
		struct gen_pool pool;

		gen_ruleset(&rng, shape, &rs, &pool);
		for (int i = 0; i < EXPLAIN_PACKETS / 60; i++) {
			struct fw_frame_facts pkt;
			struct fw_explanation got, want;

			random_facts(&rng, &pool, &pkt);
			got = fw_classify_explain(&rs, &pkt);
			want = literal_explain(&rs, &pkt);
			if (!explanations_equal(&got, &want)) {
				char text[FW_PREFIX_TEXT_MAX];
				struct fw_prefix src = { .len = 128 };

				memcpy(src.addr, pkt.src, 16);
				printf("# round %d packet %d from %s port %u proto %u\n", round, i,
				       fw_prefix_format(&src, text), pkt.dport, pkt.proto);
				print_explanation("fw_classify_explain", &got);
				print_explanation("DESIGN §1b literally", &want);
				fail_msg("fw_classify_explain differs from §1b taken literally");
			}
			by_step[got.step]++;
			in_set += got.set >= 0;
		}
		gen_ruleset_free(&rs, &pool);
	}
	printf("# by step:");
	for (int s = 1; s <= 8; s++)
		printf(" %d:%lu", s, by_step[s]);
	printf("; by a set element: %lu\n", in_set);
	for (int s = 1; s <= 8; s++)
		assert_true(by_step[s] > EXPLAIN_PACKETS / 1000);
	assert_true(in_set > EXPLAIN_PACKETS / 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_explain_is_section_1b),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
