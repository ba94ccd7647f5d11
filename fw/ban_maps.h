/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The four ban maps seen alike: which one holds a prefix, its key there,
 * and all of one map's entries read at once.
 */
#ifndef FW_BAN_MAPS_H
#define FW_BAN_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "datapath.h"
#include "hashtab.h"

/* In the order of their fds in struct fw_datapath. */
enum fw_ban_map {
	FW_BAN_MAP_EXACT4,  /* fw_bans4: one IPv4 address, __be32 */
	FW_BAN_MAP_EXACT6,  /* fw_bans6: one IPv6 address */
	FW_BAN_MAP_PREFIX4, /* fw_ban_prefix4: IPv4 /1-/31 */
	FW_BAN_MAP_PREFIX6, /* fw_ban_prefix6: IPv6 /1-/127 */
};

#define FW_BAN_KEY_MAX 20 /* the largest key: struct fw_ban_prefix6_key */

struct fw_ban_map_kind {
	const char *name;
	size_t key_size;
	uint32_t bit; /* FW_BANS_* in FW_PARAM_BANS */
};

extern const struct fw_ban_map_kind fw_ban_map_kinds[FW_BAN_MAPS];

static inline int fw_ban_map_fd(const struct fw_datapath *dp, enum fw_ban_map m)
{
	return dp->fds[FW_KEPT_FD0 + m];
}

/* The map that holds a ban of p, and p's key there; -EINVAL for a /0. */
int fw_ban_key(const struct fw_prefix *p, enum fw_ban_map *map, uint8_t key[FW_BAN_KEY_MAX]);
/* The ban a key of map stands for. */
void fw_ban_key_prefix(enum fw_ban_map map, const void *key, struct fw_prefix *out);

/* LPM trie keys (never_ban holds /32 and /128 too): p must be /1 or longer. */
void fw_lpm4_key(const struct fw_prefix *p, struct fw_ban_prefix4_key *key);
void fw_lpm6_key(const struct fw_prefix *p, struct fw_ban_prefix6_key *key);
void fw_lpm4_prefix(const struct fw_ban_prefix4_key *key, struct fw_prefix *out);
void fw_lpm6_prefix(const struct fw_ban_prefix6_key *key, struct fw_prefix *out);

/* One ban map's entries, read at once. */
struct fw_ban_dump {
	uint8_t *keys; /* key_size each */
	struct fw_ban_value *values;
	size_t count;
	size_t key_size;
	struct fw_hashtab index; /* over the keys, when asked for */
};

int fw_ban_dump_read(const struct fw_datapath *dp, enum fw_ban_map map, struct fw_ban_dump *d);
/* Indexes a dump's keys for fw_ban_dump_find(). */
int fw_ban_dump_index(struct fw_ban_dump *d);
/* fw_ban_dump_read() and fw_ban_dump_index(). */
int fw_ban_dump_read_indexed(const struct fw_datapath *dp, enum fw_ban_map map,
			     struct fw_ban_dump *d);
/* The entry of an indexed dump with this key, or NULL. */
struct fw_ban_value *fw_ban_dump_find(const struct fw_ban_dump *d, const uint8_t *key);
void fw_ban_dump_free(struct fw_ban_dump *d);

/* Whether a ban has expired at now (the datapath's clock). */
static inline bool fw_ban_expired(const struct fw_ban_value *v, uint64_t now)
{
	return v->expires && v->expires <= now;
}

/*
 * Deletes count keys of key_size from fd; a key not there is skipped and,
 * when missing is given, named by its index. Returns how many were not there.
 */
long fw_ban_keys_delete(int fd, size_t key_size, const uint8_t *keys, size_t count,
			void (*missing)(void *ctx, size_t i), void *ctx);

/* Whether a map holds nothing; an error counts as not empty. */
bool fw_map_empty(int fd);

/*
 * Clears the FW_PARAM_BANS bit of every map in mask that is empty, then
 * sets it again if a ban came meanwhile (the datapath bans for ban_for).
 */
void fw_ban_bits_settle(const struct fw_datapath *dp, uint32_t mask);

#endif /* FW_BAN_MAPS_H */
