/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What this process last wrote into each set's hash maps. A reload writes
 * the idle set, which still holds the set before the one in force, usually
 * nearly the same rules: knowing its entries, a sync writes and deletes
 * only the difference instead of emptying and refilling the set.
 *
 * Every sync puts a fresh token in FW_PARAM_SET0_TOKEN + set before it
 * touches a set; an image counts only while the set's token and map are
 * still the ones it was written with, so another writer or a crash in
 * between makes the next sync rewrite the set whole.
 */
#ifndef FW_SET_CACHE_H
#define FW_SET_CACHE_H

#include "datapath.h"

struct fw_set_image {
	uint32_t token;  /* the set's token once written; 0 = nothing known */
	uint32_t map_id; /* the set's IPv6 source map then */
	struct fw_compiled entries; /* its hash maps' entries (ports is not kept) */
};

struct fw_set_cache {
	struct fw_set_image sets[FW_SETS];
};

void fw_set_cache_free(struct fw_set_cache *cache);
/* The image of set, if what the maps hold is still exactly it; else NULL. */
const struct fw_set_image *fw_set_cache_find(const struct fw_set_cache *cache,
					     const struct fw_datapath *dp, uint8_t set);
/* Forgets set: a sync into it started. */
void fw_set_cache_drop(struct fw_set_cache *cache, uint8_t set);
/* Takes compiled's hash map entries as the image of set, written under token. */
void fw_set_cache_keep(struct fw_set_cache *cache, const struct fw_datapath *dp, uint8_t set,
		       uint32_t token, struct fw_compiled *compiled);

/*
 * Makes set's hash maps hold c, writing only what differs from old, the
 * image of what they hold now. Deletions go first, so writes find room.
 */
int fw_set_write_difference(const struct fw_datapath *dp, uint8_t set,
			    const struct fw_compiled *old, const struct fw_compiled *c);

#endif /* FW_SET_CACHE_H */
