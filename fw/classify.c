// SPDX-License-Identifier: GPL-2.0
/*
 * The reference classifier: DESIGN §1 and §1b in plain C, one rule (and one
 * set element) at a time. Slow on purpose, and written from the contract,
 * not from the compiler: it is the oracle the datapath is checked against.
 */
#include <string.h>
#include "classify.h"
#include "ruleset.h"

enum { FW_NO_MATCH = 0 };

/*
 * One way a rule can decide: the rule, the prefix it matched at (len 0 for
 * a rule without a source) and its precedence level there; syn: the rule
 * asks for tcp_flags: syn, which beats a plain tcp rule at the same level.
 */
struct fw_candidate {
	long rule;
	int level;
	bool syn;
	struct fw_prefix prefix;
	long set;
	long element;
};

/* Whether the first len bits of a and b agree. */
static bool fw_bits_equal(const uint8_t a[16], const uint8_t b[16], unsigned int len)
{
	unsigned int bytes = len / 8, bits = len % 8;
	uint8_t mask = (uint8_t)(0xff00u >> bits);

	if (memcmp(a, b, bytes))
		return false;
	return !bits || !((a[bytes] ^ b[bytes]) & mask);
}

/*
 * Whether a packet from src (16-byte form: IPv4 sources, from IPv4 packets
 * or v4-mapped IPv6 ones alike, are ::ffff:a.b.c.d) lies in p. So IPv4
 * prefixes hold IPv4 sources, and so does an IPv6 prefix over all of
 * ::ffff:0:0/96, such as ::/8.
 */
static bool fw_prefix_meets(const struct fw_prefix *p, const uint8_t src[16])
{
	return p->len >= 1 && p->len <= 128 && fw_bits_equal(p->addr, src, p->len);
}

/*
 * The rule's level for the packet's port and protocol, counted as if it
 * named a source (1-4: port+proto, port, proto, neither), or FW_NO_MATCH.
 */
static int fw_port_proto_level(const struct fw_ruleset *rs, const struct fw_rule *r,
			       const struct fw_frame_facts *pkt)
{
	const struct fw_port_range *ranges;
	struct fw_port_range one;
	bool named_port = fw_rule_ports(rs, r, &ranges, &one) > 0;
	bool named_proto = r->proto != FW_PROTO_ANY;

	/* Only TCP and UDP carry a port (dport 0: none), so `any` with a port means TCP or UDP. */
	if (named_port && (!pkt->dport || !fw_rule_has_port(rs, r, pkt->dport)))
		return FW_NO_MATCH;
	if (named_proto && r->proto != pkt->proto)
		return FW_NO_MATCH;
	if ((r->tcp_flags & FW_TCP_FLAGS_SYN) && !pkt->tcp_syn)
		return FW_NO_MATCH;
	return 1 + (named_port ? 0 : 2) + (named_proto ? 0 : 1);
}

/*
 * Whether c decides before best: the longer prefix first (a rule without a
 * source has none, so it comes after every source rule), then the lower
 * level, then a syn rule before a tcp one. Equal ones leave best, the one
 * found first: the rule listed first, and within a set, the element listed
 * first.
 */
static bool fw_candidate_beats(const struct fw_candidate *c, const struct fw_candidate *best)
{
	if (best->rule < 0)
		return true;
	if (c->prefix.len != best->prefix.len)
		return c->prefix.len > best->prefix.len;
	if (c->level != best->level)
		return c->level < best->level;
	return c->syn && !best->syn;
}

static void fw_candidate_offer(struct fw_candidate *best, const struct fw_candidate *c)
{
	if (fw_candidate_beats(c, best))
		*best = *c;
}

/* Offers rule i at every prefix of its source that the packet meets. */
static void fw_offer_source_rule(const struct fw_ruleset *rs, long i, int level,
				 const struct fw_frame_facts *pkt, struct fw_candidate *best)
{
	const struct fw_rule *r = &rs->rules[i];
	const struct fw_set *set = fw_rule_set(rs, r);
	struct fw_candidate c = { .rule = i, .level = level, .syn = r->tcp_flags != 0,
				  .set = -1, .element = -1 };

	if (r->set_ref) {
		for (size_t e = 0; set && e < set->count; e++) {
			if (!fw_prefix_meets(&set->elements[e].prefix, pkt->src))
				continue;
			c.prefix = set->elements[e].prefix;
			c.set = (long)(r->set_ref - 1);
			c.element = (long)e;
			fw_candidate_offer(best, &c);
		}
		return;
	}
	memcpy(c.prefix.addr, r->src, sizeof(c.prefix.addr));
	c.prefix.len = fw_rule_src_len(r);
	if (fw_prefix_meets(&c.prefix, pkt->src))
		fw_candidate_offer(best, &c);
}

/* The rule that decides, if any: DESIGN §1b's precedence over every rule and element. */
static struct fw_candidate fw_best_candidate(const struct fw_ruleset *rs,
					     const struct fw_frame_facts *pkt)
{
	struct fw_candidate best = { .rule = -1, .set = -1, .element = -1 };

	for (size_t i = 0; i < rs->count; i++) {
		const struct fw_rule *r = &rs->rules[i];
		int level = fw_port_proto_level(rs, r, pkt);

		if (level == FW_NO_MATCH)
			continue;
		if (r->has_src) {
			fw_offer_source_rule(rs, (long)i, level, pkt, &best);
		} else if (level != 4) { /* no source, port or proto: never a valid rule */
			struct fw_candidate c = { .rule = (long)i, .level = level + 4,
						  .syn = r->tcp_flags != 0, .set = -1, .element = -1 };

			fw_candidate_offer(&best, &c);
		}
	}
	return best;
}

static struct fw_explanation fw_explained(enum fw_stat reason, int step)
{
	return (struct fw_explanation){
		.verdict = { .reason = reason, .rule = -1 },
		.step = step,
		.set = -1,
		.element = -1,
	};
}

struct fw_explanation fw_classify_explain(const struct fw_ruleset *rs,
					  const struct fw_frame_facts *pkt)
{
	struct fw_explanation out;
	struct fw_candidate best;

	switch (pkt->kind) {
	case FW_FRAME_MALFORMED:
		return fw_explained(FW_STAT_DROP_MALFORMED, 0);
	case FW_FRAME_LINK:
		return fw_explained(FW_STAT_PASS_LINK, 0);
	case FW_FRAME_NON_IP:
		return fw_explained(FW_STAT_PASS_NON_IP, 0);
	case FW_FRAME_IP:
		break;
	}
	if (pkt->fragment && rs->fragments == FW_FRAGMENTS_DROP)
		return fw_explained(FW_STAT_DROP_FRAGMENT, 0);

	best = fw_best_candidate(rs, pkt);
	if (best.rule < 0)
		return fw_explained(rs->default_action == FW_ACTION_DROP ? FW_STAT_DROP_DEFAULT
									 : FW_STAT_PASS_DEFAULT,
				    8);
	/* A limit rule passes what is within its rate: the excess is the datapath's state. */
	out = fw_explained(fw_rule_ref_action(&rs->rules[best.rule]) == FW_ACTION_DROP
				   ? FW_STAT_DROP_RULE
				   : FW_STAT_PASS_RULE,
			   best.level);
	out.verdict.rule = best.rule;
	out.matched = best.prefix;
	out.set = best.set;
	out.element = best.element;
	return out;
}

struct fw_verdict fw_classify(const struct fw_ruleset *rs, const uint8_t *frame, size_t len)
{
	struct fw_frame_facts pkt = fw_frame_read(frame, len);

	return fw_classify_explain(rs, &pkt).verdict;
}
