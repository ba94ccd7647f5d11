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

/* The sources, ports and rules of a rule set, so that frames drawn from them hit rules. */
struct gen_pool {
	uint8_t (*sources)[16];
	size_t n_sources;
	uint16_t ports[GEN_PORTS];
	const struct fw_rule *rules; /* the rule set's own array, for frames aimed at one rule */
	size_t n_rules;
};

/*
 * Fills rs with up to n_rules valid, distinct rules (ids 0..count-1) and pool
 * with what they name. Free both with gen_ruleset_free().
 */
void gen_ruleset(struct gen_rng *rng, size_t n_rules, uint32_t default_action,
		 uint32_t fragments, struct fw_ruleset *rs, struct gen_pool *pool);
void gen_ruleset_free(struct fw_ruleset *rs, struct gen_pool *pool);

/*
 * Writes a random, often mutated frame into buf (PKT_MAX bytes): padded to
 * 60 bytes with zeros or junk, sometimes with a trailer, with AH chains, or
 * with IP length fields that disagree with its headers. Returns its length (>= 14).
 */
size_t gen_frame(struct gen_rng *rng, const struct gen_pool *pool, uint8_t *buf);

#endif /* TEST_GEN_H */
