/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic blocklists for the issue 9 benchmarks: n non-overlapping
 * prefixes with the prefix-length mix of FireHOL level1 (IPv4) or a mix of
 * /32 /48 /56 /64 /128 (IPv6), at random places, seeded.
 *
 * IPv4: lengths up to /16 as many as in the file (they are bogons and
 * allocations, which do not grow with a list); /17-/23 scaled with the
 * file up to 1M elements; /24-/32 scaled to make up the rest. Placed in
 * 1.0.0.0-223.255.255.255 outside 127/8 and 198.18.0.0/15, except the
 * element 198.18.0.0/24 (one of the /24s): the wire benchmark's source
 * 198.18.0.7 lies in it, and nothing else lies in 198.18.0.0/15.
 * IPv6: 2% /32, 20% /48, 10% /56, 38% /64, 30% /128 (DROPv6-style
 * allocations beside attack sources), each in a /32 of its own inside
 * 2000::/3, none in 2001:2::/32.
 */
#ifndef BENCH_SYNTH_H
#define BENCH_SYNTH_H

#include <stddef.h>
#include <stdint.h>
#include "ruleset.h"

struct bench_synth {
	struct fw_prefix *elements; /* sorted by address, non-overlapping */
	size_t count;
	int v6;
};

/* FireHOL level1 (the snapshot in ../shared/data): prefixes per length /0-/32. */
extern const uint32_t bench_firehol_lengths[33];

/* 0, or -ENOMEM. */
int bench_synth_make(struct bench_synth *s, int v6, size_t n, uint64_t seed);
void bench_synth_free(struct bench_synth *s);

/* count addresses, each inside a random element (uniform over elements). */
void bench_synth_hits(const struct bench_synth *s, size_t count, uint64_t seed,
		      uint8_t (*out)[16]);
/* count random addresses (uniform over the space the set was placed in) inside no element. */
void bench_synth_misses(const struct bench_synth *s, size_t count, uint64_t seed,
			uint8_t (*out)[16]);
/* An address in the middle of the first element of this written length; -ENOENT if none. */
int bench_synth_hit_of_len(const struct bench_synth *s, unsigned int written_len,
			   uint8_t out[16]);
/* The element holding addr, or NULL. */
const struct fw_prefix *bench_synth_find(const struct bench_synth *s, const uint8_t addr[16]);

/* The bench's random numbers: splitmix64. */
uint64_t bench_rand(uint64_t *state);

#endif
