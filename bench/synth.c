// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "prefix.h"
#include "synth.h"

const uint32_t bench_firehol_lengths[33] = {
	0, 0, 0, 1, 0, 0, 0, 0, 4, 2, 5, 2, 5, 3, 18, 26, 209,
	28, 73, 133, 213, 349, 569, 938, 1729, 25, 19, 12, 1, 3, 0, 22, 1884,
};

/* The IPv6 mix: percent of the elements per length. */
static const struct {
	unsigned int len, percent;
} bench_v6_mix[] = { { 32, 2 }, { 48, 20 }, { 56, 10 }, { 64, 38 }, { 128, 30 } };

#define SYNTH_BLOCKS (1u << 24) /* IPv4 /24s */
#define SYNTH_TRIES 100000

enum { BLOCK_FREE, BLOCK_SHORT, BLOCK_RESERVED, BLOCK_LONG0 };

uint64_t bench_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int bench_prefix_cmp(const void *a, const void *b)
{
	return memcmp(((const struct fw_prefix *)a)->addr, ((const struct fw_prefix *)b)->addr, 16);
}

/* Elements per IPv4 length for a set of n; see synth.h. */
static void bench_v4_counts(size_t n, size_t counts[33])
{
	const uint32_t *fh = bench_firehol_lengths;
	size_t shorts = 0, mids = 0, longs = 0, left;
	double f, f1m;

	for (int l = 0; l <= 32; l++) {
		if (l <= 16)
			shorts += fh[l];
		else if (l <= 23)
			mids += fh[l];
		else
			longs += fh[l];
	}
	f = n > shorts ? (double)(n - shorts) / (mids + longs) : 0;
	f1m = (1000000.0 - shorts) / (mids + longs);
	left = n;
	for (int l = 0; l <= 32; l++) {
		counts[l] = l <= 16 ? fh[l] : (size_t)(fh[l] * (l <= 23 && f > f1m ? f1m : f));
		counts[l] = counts[l] < left ? counts[l] : left;
		left -= counts[l];
	}
	/* What rounding and the /17-/23 cap left goes to /24-/32 in proportion, the rest to /32. */
	for (size_t l = 24, share = left; l <= 32 && share; l++) {
		size_t more = (size_t)((double)share * fh[l] / longs);

		counts[l] += more;
		left -= more;
	}
	counts[32] += left;
}

struct bench_v4_space {
	uint32_t *block;        /* per /24: BLOCK_* or BLOCK_LONG0 + its bitmap */
	uint64_t (*bits)[4];    /* addresses taken in blocks that hold /25-/32s */
	size_t bit_count, bit_room;
};

static void bench_v4_reserve(struct bench_v4_space *sp, uint32_t first8, uint32_t last8)
{
	for (uint32_t b = first8 << 16; b < (last8 + 1) << 16; b++)
		sp->block[b] = BLOCK_RESERVED;
}

/* Takes a random free place for a /len; returns its address, or 0 when none was found. */
static uint32_t bench_v4_place(struct bench_v4_space *sp, unsigned int len, uint64_t *rng)
{
	for (int tries = 0; tries < SYNTH_TRIES; tries++) {
		if (len <= 24) {
			uint32_t span = 1u << (24 - len);
			uint32_t first = (uint32_t)(bench_rand(rng) % (SYNTH_BLOCKS / span)) * span;
			uint32_t b;

			for (b = first; b < first + span && sp->block[b] == BLOCK_FREE; b++)
				;
			if (b < first + span)
				continue;
			for (b = first; b < first + span; b++)
				sp->block[b] = BLOCK_SHORT;
			return first << 8;
		} else {
			uint32_t b = bench_rand(rng) % SYNTH_BLOCKS, size = 1u << (32 - len);
			uint32_t off = (uint32_t)(bench_rand(rng) % (256 / size)) * size, i;
			uint64_t *bits;

			if (sp->block[b] == BLOCK_SHORT || sp->block[b] == BLOCK_RESERVED)
				continue;
			if (sp->block[b] == BLOCK_FREE) {
				if (sp->bit_count == sp->bit_room) {
					size_t room = sp->bit_room ? 2 * sp->bit_room : 65536;
					void *more = realloc(sp->bits, room * sizeof(*sp->bits));

					if (!more)
						return 0;
					sp->bits = more;
					sp->bit_room = room;
				}
				memset(sp->bits[sp->bit_count], 0, sizeof(sp->bits[0]));
				sp->block[b] = BLOCK_LONG0 + sp->bit_count++;
			}
			bits = sp->bits[sp->block[b] - BLOCK_LONG0];
			for (i = off; i < off + size && !(bits[i / 64] >> (i % 64) & 1); i++)
				;
			if (i < off + size)
				continue;
			for (i = off; i < off + size; i++)
				bits[i / 64] |= 1ull << (i % 64);
			return b << 8 | off;
		}
	}
	return 0;
}

static void bench_v4_element(struct fw_prefix *p, uint32_t addr, unsigned int len)
{
	uint8_t be[4] = { addr >> 24, addr >> 16, addr >> 8, addr };

	fw_addr_from_ipv4(p->addr, be);
	p->len = 96 + len;
}

static int bench_synth_v4(struct bench_synth *s, size_t n, uint64_t rng)
{
	struct bench_v4_space sp = { .block = calloc(SYNTH_BLOCKS, sizeof(uint32_t)) };
	size_t counts[33], at = 0;
	int err = 0;

	s->elements = calloc(n + 1, sizeof(*s->elements));
	if (!sp.block || !s->elements) {
		free(sp.block);
		return -ENOMEM;
	}
	bench_v4_reserve(&sp, 0, 0);
	bench_v4_reserve(&sp, 127, 127);
	bench_v4_reserve(&sp, 224, 255);
	for (uint32_t b = (198u << 16) | (18u << 8); b < ((198u << 16) | (20u << 8)); b++)
		sp.block[b] = BLOCK_RESERVED;
	bench_v4_counts(n, counts);
	if (n && counts[24]) {
		bench_v4_element(&s->elements[at++], 0xc6120000u, 24); /* 198.18.0.0/24 */
		counts[24]--;
	}
	for (unsigned int len = 1; len <= 32 && !err; len++)
		for (size_t k = 0; k < counts[len]; k++) {
			uint32_t addr = bench_v4_place(&sp, len, &rng);

			if (!addr) {
				err = -ENOSPC;
				break;
			}
			bench_v4_element(&s->elements[at++], addr, len);
		}
	s->count = at;
	free(sp.block);
	free(sp.bits);
	return err;
}

static int bench_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* n distinct /32s of 2000::/3 other than 2001:2::/32, as their top 32 bits. */
static uint32_t *bench_v6_tops(size_t n, uint64_t *rng)
{
	uint32_t *tops = malloc((n + n / 8 + 64) * sizeof(*tops));
	size_t have = 0;

	while (tops && have < n) {
		size_t want = n + n / 8 + 64, u = 0;

		while (have < want) {
			uint32_t t = 0x20000000u | (uint32_t)(bench_rand(rng) & 0x1fffffffu);

			if (t != 0x20010002u)
				tops[have++] = t;
		}
		qsort(tops, have, sizeof(*tops), bench_u32_cmp);
		for (size_t i = 0; i < have; i++)
			if (!u || tops[i] != tops[u - 1])
				tops[u++] = tops[i];
		have = u;
	}
	/* Shuffle, so the lengths fall at random over the address space. */
	for (size_t i = have; tops && i > 1; i--) {
		size_t j = bench_rand(rng) % i;
		uint32_t t = tops[i - 1];

		tops[i - 1] = tops[j];
		tops[j] = t;
	}
	return tops;
}

static int bench_synth_v6(struct bench_synth *s, size_t n, uint64_t rng)
{
	uint32_t *tops = bench_v6_tops(n, &rng);
	size_t at = 0;

	s->elements = calloc(n + 1, sizeof(*s->elements));
	if (!tops || !s->elements) {
		free(tops);
		return -ENOMEM;
	}
	for (size_t m = 0; m < sizeof(bench_v6_mix) / sizeof(bench_v6_mix[0]); m++) {
		size_t count = m + 1 < sizeof(bench_v6_mix) / sizeof(bench_v6_mix[0])
				       ? n * bench_v6_mix[m].percent / 100
				       : n - at;

		for (size_t k = 0; k < count; k++, at++) {
			struct fw_prefix *p = &s->elements[at];
			uint64_t lo = bench_rand(&rng), hi = bench_rand(&rng);

			p->addr[0] = tops[at] >> 24;
			p->addr[1] = tops[at] >> 16;
			p->addr[2] = tops[at] >> 8;
			p->addr[3] = tops[at];
			memcpy(&p->addr[4], &lo, 8);
			memcpy(&p->addr[12], &hi, 4);
			p->len = bench_v6_mix[m].len;
			fw_prefix_mask(p->addr, p->len);
		}
	}
	s->count = at;
	free(tops);
	return 0;
}

int bench_synth_make(struct bench_synth *s, int v6, size_t n, uint64_t seed)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->v6 = v6;
	err = v6 ? bench_synth_v6(s, n, seed) : bench_synth_v4(s, n, seed);
	if (err) {
		bench_synth_free(s);
		return err;
	}
	qsort(s->elements, s->count, sizeof(*s->elements), bench_prefix_cmp);
	return 0;
}

void bench_synth_free(struct bench_synth *s)
{
	free(s->elements);
	s->elements = NULL;
	s->count = 0;
}

const struct fw_prefix *bench_synth_find(const struct bench_synth *s, const uint8_t addr[16])
{
	size_t lo = 0, hi = s->count;

	/* The last element that starts at or before addr is the only one that can hold it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(s->elements[mid].addr, addr, 16) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && fw_prefix_contains(&s->elements[lo - 1], addr) ? &s->elements[lo - 1] : NULL;
}

/* addr's bits past len replaced by random ones. */
static void bench_random_inside(const struct fw_prefix *p, uint64_t *rng, uint8_t out[16])
{
	uint64_t r[2] = { bench_rand(rng), bench_rand(rng) };

	memcpy(out, r, 16);
	for (unsigned int bit = 0; bit < p->len; bit++) {
		uint8_t m = 0x80 >> (bit % 8);

		out[bit / 8] = (out[bit / 8] & ~m) | (p->addr[bit / 8] & m);
	}
}

void bench_synth_hits(const struct bench_synth *s, size_t count, uint64_t seed,
		      uint8_t (*out)[16])
{
	for (size_t i = 0; i < count && s->count; i++)
		bench_random_inside(&s->elements[bench_rand(&seed) % s->count], &seed, out[i]);
}

void bench_synth_misses(const struct bench_synth *s, size_t count, uint64_t seed,
			uint8_t (*out)[16])
{
	struct fw_prefix space = { .len = 3, .addr = { 0x20 } };

	if (!s->v6) {
		space.len = 96;
		fw_addr_from_ipv4(space.addr, "\0\0\0\0");
	}
	for (size_t i = 0; i < count;) {
		uint8_t *a = out[i];
		uint32_t top;

		bench_random_inside(&space, &seed, a);
		top = (uint32_t)a[s->v6 ? 0 : 12] << 24 | a[s->v6 ? 1 : 13] << 16 |
		      a[s->v6 ? 2 : 14] << 8 | a[s->v6 ? 3 : 15];
		if (s->v6 ? top == 0x20010002u
			  : top < 0x01000000u || top >= 0xe0000000u || top >> 24 == 127 ||
				    top >> 17 == 0xc612u >> 1)
			continue; /* outside the space the set was placed in */
		if (!bench_synth_find(s, a))
			i++;
	}
}

int bench_synth_hit_of_len(const struct bench_synth *s, unsigned int written_len,
			   uint8_t out[16])
{
	unsigned int len = s->v6 ? written_len : 96 + written_len;

	for (size_t i = 0; i < s->count; i++) {
		const struct fw_prefix *p = &s->elements[i];

		if (p->len != len)
			continue;
		memcpy(out, p->addr, 16);
		if (len < 128) /* the middle of the prefix: its first host bit set */
			out[len / 8] |= 0x80 >> (len % 8);
		return 0;
	}
	return -ENOENT;
}
