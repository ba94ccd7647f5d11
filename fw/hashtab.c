// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hashtab.h"

int fw_hashtab_init(struct fw_hashtab *t, size_t n)
{
	size_t size = 16;

	t->slots = NULL;
	t->mask = 0;
	if (n >= UINT32_MAX)
		return -EOVERFLOW;
	while (size < 2 * n)
		size *= 2;
	t->slots = calloc(size, sizeof(*t->slots));
	if (!t->slots)
		return -ENOMEM;
	t->mask = size - 1;
	return 0;
}

void fw_hashtab_clear(struct fw_hashtab *t)
{
	memset(t->slots, 0, (t->mask + 1) * sizeof(*t->slots));
}

void fw_hashtab_free(struct fw_hashtab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->mask = 0;
}

/* The slot of the item equal to key, or the empty slot where it would go. */
static size_t fw_hashtab_probe(const struct fw_hashtab *t, uint32_t hash,
			       fw_hashtab_equal_fn *equal, const void *ctx, const void *key)
{
	size_t i;

	for (i = hash & t->mask; t->slots[i].item; i = (i + 1) & t->mask)
		if (t->slots[i].hash == hash && equal(ctx, t->slots[i].item - 1, key))
			break;
	return i;
}

int64_t fw_hashtab_find(const struct fw_hashtab *t, uint32_t hash, fw_hashtab_equal_fn *equal,
			const void *ctx, const void *key)
{
	size_t i;

	if (!t->slots)
		return -1;
	i = fw_hashtab_probe(t, hash, equal, ctx, key);
	return (int64_t)t->slots[i].item - 1;
}

void fw_hashtab_add(struct fw_hashtab *t, uint32_t hash, uint32_t item)
{
	size_t i = hash & t->mask;

	while (t->slots[i].item)
		i = (i + 1) & t->mask;
	t->slots[i].hash = hash;
	t->slots[i].item = item + 1;
}

uint32_t fw_hashtab_add_unique(struct fw_hashtab *t, uint32_t hash, uint32_t item,
			       fw_hashtab_equal_fn *equal, const void *ctx, const void *key)
{
	size_t i = fw_hashtab_probe(t, hash, equal, ctx, key);

	if (t->slots[i].item)
		return t->slots[i].item - 1;
	t->slots[i].hash = hash;
	t->slots[i].item = item + 1;
	return item;
}

/* Mixes word into h; a multiply spreads every input bit over the high half. */
static uint64_t fw_hash_word(uint64_t h, uint64_t word)
{
	h = (h ^ word) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 32);
}

/* Eight bytes at a time, the last word zero-padded and marked with the length. */
uint32_t fw_hash_bytes(const void *data, size_t len)
{
	const unsigned char *b = data;
	uint64_t h = 0xcbf29ce484222325ull, word;

	for (; len >= sizeof(word); b += sizeof(word), len -= sizeof(word)) {
		memcpy(&word, b, sizeof(word));
		h = fw_hash_word(h, word);
	}
	word = 0;
	memcpy(&word, b, len);
	h = fw_hash_word(h, word ^ len);
	return (uint32_t)(fw_hash_word(h, 0) >> 32);
}
