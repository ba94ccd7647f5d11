/* SPDX-License-Identifier: GPL-2.0 */
/* Random rule sets and random, mutated frames for the differential test. */
#ifndef TEST_GEN_H
#define TEST_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ruleset.h"

#define GEN_PORTS 48

/* splitmix64: tiny, and the whole run replays from one seed. */
struct gen_rng {
	uint64_t state;
};

uint64_t gen_next(struct gen_rng *rng);
uint32_t gen_below(struct gen_rng *rng, uint32_t n);
bool gen_chance(struct gen_rng *rng, unsigned percent);

/* What a random rule set holds; percentages are of its rules. */
struct gen_shape {
	size_t rules;          /* at most; duplicates drawn are dropped */
	unsigned prefix_pct;   /* src is a prefix (IPv4 /1-/32, IPv6 /1-/128) */
	unsigned set_pct;      /* src is a set */
	unsigned port_pct;     /* rules that name ports */
	unsigned list_pct;     /* of those: a range or a list */
	unsigned tie_pct;      /* made to tie with an earlier rule: same prefix and level */
	unsigned clean_pct;    /* frames left well-formed (else often mutated or malformed) */
	size_t sets;           /* sets the rules draw from */
	size_t set_elements;   /* elements per set, at most: duplicates and overlaps included */
	unsigned syn_pct;      /* rules made `proto: tcp` with `tcp_flags: syn` */
	unsigned limit_pct;    /* rules given a limit never reached, so the verdict stays the rule's */
	uint32_t default_action;
	uint32_t fragments;
};

/* The sources, prefixes, ports and rules of a rule set, so that frames drawn from them hit rules. */
struct gen_pool {
	uint8_t (*sources)[16];
	size_t n_sources;
	struct fw_prefix *prefixes; /* what prefix rules and set elements name: nested chains */
	size_t n_prefixes;
	uint16_t ports[GEN_PORTS];
	const struct fw_ruleset *rs; /* rules, sets and port ranges, for frames aimed at one rule */
	unsigned clean_pct;          /* gen_shape's */
};

/*
 * Fills rs with up to shape->rules valid, distinct rules (ids 0..count-1),
 * their sets and port ranges, and pool with what they name. Free both with
 * gen_ruleset_free().
 */
void gen_ruleset(struct gen_rng *rng, const struct gen_shape *shape, struct fw_ruleset *rs,
		 struct gen_pool *pool);
void gen_ruleset_free(struct fw_ruleset *rs, struct gen_pool *pool);

/* A random address: IPv4 (v4-mapped) or IPv6 under 2001:2::/48 (its last 80 bits). */
void gen_address(struct gen_rng *rng, uint8_t out[16]);

/* An address at the edge of p or in it: its first, its last, one inside, or one just outside. */
void gen_prefix_address(struct gen_rng *rng, const struct fw_prefix *p, uint8_t out[16]);

/* A source some prefix of the rule's names (or its address), mostly inside. */
void gen_rule_source(struct gen_rng *rng, const struct fw_ruleset *rs, const struct fw_rule *r,
		     uint8_t out[16]);

/* A destination port at the edge of one of the rule's ranges or in it; 0 if it names none. */
uint16_t gen_rule_port(struct gen_rng *rng, const struct fw_ruleset *rs, const struct fw_rule *r);

/*
 * Writes a random, often mutated frame into buf (PKT_MAX bytes): padded to
 * 60 bytes with zeros or junk, sometimes with a trailer, with AH chains, or
 * with IP length fields that disagree with its headers. Returns its length (>= 14).
 */
size_t gen_frame(struct gen_rng *rng, const struct gen_pool *pool, uint8_t *buf);

#endif /* TEST_GEN_H */
