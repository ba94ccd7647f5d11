/* SPDX-License-Identifier: GPL-2.0 */
/*
 * settings.never_ban as sorted intervals over the 16-byte address space
 * (IPv4 v4-mapped), so whether a ban overlaps one is a binary search.
 */
#ifndef FW_NEVER_BAN_H
#define FW_NEVER_BAN_H

#include <stddef.h>
#include <stdint.h>
#include "datapath.h"

typedef unsigned __int128 fw_u128;

struct fw_never_ban_entry {
	fw_u128 first, last;    /* the addresses it covers, both included */
	struct fw_prefix prefix;
	uint32_t line;          /* in the config */
};

struct fw_never_ban {
	struct fw_never_ban_entry *entries; /* sorted by first, once sealed */
	size_t count;
	size_t room;
	/* reach[i]: the entry of entries[0..i] that reaches furthest (largest last). */
	size_t *reach;
};

int fw_never_ban_add(struct fw_never_ban *nb, const struct fw_prefix *p, uint32_t line);
/* Sorts the entries and indexes them for fw_never_ban_overlap(). */
int fw_never_ban_seal(struct fw_never_ban *nb);
/* The entry p lies inside or covers, or NULL. */
const struct fw_never_ban_entry *fw_never_ban_overlap(const struct fw_never_ban *nb,
						       const struct fw_prefix *p);
/* fw_never_ban4/6 as the last sync wrote them, sealed. */
int fw_never_ban_read(const struct fw_datapath *dp, struct fw_never_ban *nb);
void fw_never_ban_free(struct fw_never_ban *nb);

#endif /* FW_NEVER_BAN_H */
