/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An index over items the caller keeps in an array: open addressing with
 * linear probing, at most half full. Each slot holds an item's number and
 * its hash, so most probes never touch the items themselves.
 */
#ifndef FW_HASHTAB_H
#define FW_HASHTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fw_hashtab_slot {
	uint32_t hash;
	uint32_t item; /* index + 1; 0: empty */
};

struct fw_hashtab {
	struct fw_hashtab_slot *slots;
	size_t mask;
};

/* Whether item (an index) is the one key stands for; ctx is the caller's array. */
typedef bool fw_hashtab_equal_fn(const void *ctx, uint32_t item, const void *key);

/* Room for n items; 0, -EOVERFLOW past what a slot can number, or -ENOMEM. */
int fw_hashtab_init(struct fw_hashtab *t, size_t n);
void fw_hashtab_clear(struct fw_hashtab *t);
void fw_hashtab_free(struct fw_hashtab *t);

/* The item equal to key, or -1. */
int64_t fw_hashtab_find(const struct fw_hashtab *t, uint32_t hash, fw_hashtab_equal_fn *equal,
			const void *ctx, const void *key);

/* Adds item; at most the n items of fw_hashtab_init() may be added. */
void fw_hashtab_add(struct fw_hashtab *t, uint32_t hash, uint32_t item);

/*
 * Adds item unless an equal one (equal(ctx, other, key)) is there already:
 * returns that earlier item, or item itself once added.
 */
uint32_t fw_hashtab_add_unique(struct fw_hashtab *t, uint32_t hash, uint32_t item,
			       fw_hashtab_equal_fn *equal, const void *ctx, const void *key);

/* Fetches the slot a hash starts at into the cache, ahead of its use. */
static inline void fw_hashtab_prefetch(const struct fw_hashtab *t, uint32_t hash)
{
	__builtin_prefetch(&t->slots[hash & t->mask]);
}

/* A hash of len bytes whose low bits are as good as its high ones. */
uint32_t fw_hash_bytes(const void *data, size_t len);

#endif /* FW_HASHTAB_H */
