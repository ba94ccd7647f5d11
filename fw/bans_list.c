// SPDX-License-Identifier: GPL-2.0
/* Reading every ban: listing those in force, deleting the expired, freeing unused origins. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ban_maps.h"
#include "ban_origins.h"
#include "bans.h"
#include "log.h"
#include "mapio.h"

/* Called for each ban in force. */
typedef int fw_ban_visit_fn(void *ctx, enum fw_ban_map map, const uint8_t *key,
			    const struct fw_ban_value *value);

/* Reads each ban map, deletes its expired bans and visits the others; returns how many expired. */
static long fw_bans_walk(const struct fw_datapath *dp, fw_ban_visit_fn *visit, void *ctx)
{
	uint64_t now = fw_bans_clock(dp);
	long expired = 0;
	int err = 0;

	for (int m = 0; m < FW_BAN_MAPS && !err; m++) {
		size_t key_size = fw_ban_map_kinds[m].key_size, gone = 0;
		struct fw_ban_dump d;

		err = fw_ban_dump_read(dp, m, &d);
		for (size_t i = 0; i < d.count && !err; i++) {
			const uint8_t *key = d.keys + i * key_size;

			if (!fw_ban_expired(&d.values[i], now))
				err = visit(ctx, m, key, &d.values[i]);
			else /* compacted in place: the keys to delete */
				memmove(d.keys + gone++ * key_size, key, key_size);
		}
		if (!err && gone) {
			long absent = fw_ban_keys_delete(fw_ban_map_fd(dp, m), key_size, d.keys, gone,
							 NULL, NULL);

			err = absent < 0 ? (int)absent : 0;
			expired += (long)gone;
		}
		fw_ban_dump_free(&d);
	}
	if (expired)
		fw_ban_bits_settle(dp, FW_BANS_EXACT4 | FW_BANS_EXACT6 | FW_BANS_PREFIX4 |
					       FW_BANS_PREFIX6);
	return err ? err : expired;
}

struct fw_ban_list {
	struct fw_ban *bans;
	size_t count;
	size_t room;
	struct fw_ban_origin *origins;
};

static int fw_ban_list_visit(void *ctx, enum fw_ban_map map, const uint8_t *key,
			     const struct fw_ban_value *value)
{
	struct fw_ban_list *l = ctx;
	struct fw_ban *b;

	if (l->count == l->room) {
		size_t room = l->room ? l->room * 2 : 256;

		b = realloc(l->bans, room * sizeof(*b));
		if (!b)
			return -ENOMEM;
		l->bans = b;
		l->room = room;
	}
	b = &l->bans[l->count++];
	memset(b, 0, sizeof(*b));
	fw_ban_key_prefix(map, key, &b->prefix);
	b->expires = value->expires;
	b->since = value->since;
	b->packets = value->packets;
	b->bytes = value->bytes;
	if (value->origin < FW_BAN_ORIGINS && l->origins[value->origin].name[0])
		memcpy(b->origin, l->origins[value->origin].name, sizeof(b->origin) - 1);
	else if (value->origin == FW_BAN_ORIGIN_MANUAL)
		strcpy(b->origin, "manual");
	else
		strcpy(b->origin, "?");
	return 0;
}

int fw_bans_list(const struct fw_datapath *dp, struct fw_ban **out, size_t *count)
{
	struct fw_ban_list l = { 0 };
	int err = fw_ban_origins_read(dp, &l.origins);
	long walked;

	if (err)
		return err;
	walked = fw_bans_walk(dp, fw_ban_list_visit, &l);
	free(l.origins);
	if (walked < 0) {
		free(l.bans);
		return (int)walked;
	}
	*out = l.bans;
	*count = l.count;
	return 0;
}

static int fw_ban_mark_origin(void *ctx, enum fw_ban_map map, const uint8_t *key,
			      const struct fw_ban_value *value)
{
	uint8_t *used = ctx;

	(void)map;
	(void)key;
	if (value->origin < FW_BAN_ORIGINS)
		used[value->origin] = 1;
	return 0;
}

/* Limit rules name the origin of the bans they will make. */
static int fw_limit_origins_mark(const struct fw_datapath *dp, uint8_t *used)
{
	void *keys, *values;
	size_t count;
	int err = fw_map_dump(dp->limits_fd, sizeof(__u32), sizeof(struct fw_limit_value), &keys,
			      &values, &count);

	for (size_t i = 0; i < count && !err; i++) {
		uint32_t origin = ((const struct fw_limit_value *)values)[i].ban_origin;

		if (origin < FW_BAN_ORIGINS)
			used[origin] = 1;
	}
	free(keys);
	free(values);
	return err;
}

int fw_bans_reclaim(const struct fw_datapath *dp)
{
	uint8_t *used = calloc(FW_BAN_ORIGINS, 1);
	long expired, freed = 0;
	int err = 0;

	if (!used)
		return -ENOMEM;
	expired = fw_bans_walk(dp, fw_ban_mark_origin, used);
	if (expired < 0)
		err = (int)expired;
	if (!err)
		err = fw_limit_origins_mark(dp, used);
	if (!err)
		freed = fw_ban_origins_free_unused(dp, used);
	if (freed < 0)
		err = (int)freed;
	free(used);
	if (!err && expired)
		fw_debug("deleted %ld expired bans", expired);
	return err;
}

int fw_bans_count_by_origin(const struct fw_datapath *dp, uint64_t counts[FW_BAN_ORIGINS + 1])
{
	uint64_t now = fw_bans_clock(dp);
	uint32_t bits;
	int err = fw_param_read(dp, FW_PARAM_BANS, &bits);

	for (int m = 0; m < FW_BAN_MAPS && !err; m++) {
		struct fw_ban_dump d;

		/* A map whose bit is clear is empty: reading its million buckets would say so. */
		if (!(bits & fw_ban_map_kinds[m].bit))
			continue;
		err = fw_ban_dump_read(dp, m, &d);
		for (size_t i = 0; i < d.count && !err; i++) {
			uint32_t origin = d.values[i].origin;

			if (!fw_ban_expired(&d.values[i], now))
				counts[origin < FW_BAN_ORIGINS ? origin : FW_BAN_ORIGINS]++;
		}
		fw_ban_dump_free(&d);
	}
	return err;
}
