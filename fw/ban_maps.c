// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "ban_maps.h"
#include "mapio.h"
#include "prefix.h"

const struct fw_ban_map_kind fw_ban_map_kinds[FW_BAN_MAPS] = {
	[FW_BAN_MAP_EXACT4] = { "fw_bans4", sizeof(__be32), FW_BANS_EXACT4 },
	[FW_BAN_MAP_EXACT6] = { "fw_bans6", 16, FW_BANS_EXACT6 },
	[FW_BAN_MAP_PREFIX4] = { "fw_ban_prefix4", sizeof(struct fw_ban_prefix4_key),
				 FW_BANS_PREFIX4 },
	[FW_BAN_MAP_PREFIX6] = { "fw_ban_prefix6", sizeof(struct fw_ban_prefix6_key),
				 FW_BANS_PREFIX6 },
};

_Static_assert(sizeof(struct fw_ban_prefix6_key) == FW_BAN_KEY_MAX, "the largest ban key");

void fw_lpm4_key(const struct fw_prefix *p, struct fw_ban_prefix4_key *key)
{
	key->prefixlen = p->len - 96u;
	memcpy(&key->addr, p->addr + 12, sizeof(key->addr));
}

void fw_lpm6_key(const struct fw_prefix *p, struct fw_ban_prefix6_key *key)
{
	key->prefixlen = p->len;
	memcpy(key->addr, p->addr, sizeof(key->addr));
}

void fw_lpm4_prefix(const struct fw_ban_prefix4_key *key, struct fw_prefix *out)
{
	memset(out, 0, sizeof(*out));
	out->addr[10] = out->addr[11] = 0xff;
	memcpy(out->addr + 12, &key->addr, sizeof(key->addr));
	out->len = (uint8_t)(96 + (key->prefixlen > 32 ? 32 : key->prefixlen));
	fw_prefix_mask(out->addr, out->len);
}

void fw_lpm6_prefix(const struct fw_ban_prefix6_key *key, struct fw_prefix *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->addr, key->addr, sizeof(key->addr));
	out->len = (uint8_t)(key->prefixlen > 128 ? 128 : key->prefixlen);
	fw_prefix_mask(out->addr, out->len);
}

int fw_ban_key(const struct fw_prefix *p, enum fw_ban_map *map, uint8_t key[FW_BAN_KEY_MAX])
{
	bool v4 = fw_prefix_is_v4(p);

	if (!p->len || (v4 && p->len == 96) || p->len > 128)
		return -EINVAL;
	if (p->len == 128) {
		*map = v4 ? FW_BAN_MAP_EXACT4 : FW_BAN_MAP_EXACT6;
		memcpy(key, v4 ? p->addr + 12 : p->addr, v4 ? 4 : 16);
	} else if (v4) {
		*map = FW_BAN_MAP_PREFIX4;
		fw_lpm4_key(p, (struct fw_ban_prefix4_key *)key);
	} else {
		*map = FW_BAN_MAP_PREFIX6;
		fw_lpm6_key(p, (struct fw_ban_prefix6_key *)key);
	}
	return 0;
}

void fw_ban_key_prefix(enum fw_ban_map map, const void *key, struct fw_prefix *out)
{
	switch (map) {
	case FW_BAN_MAP_EXACT4:
		fw_lpm4_prefix(&(struct fw_ban_prefix4_key){ 32, *(const __be32 *)key }, out);
		break;
	case FW_BAN_MAP_EXACT6:
		memcpy(out->addr, key, 16);
		out->len = 128;
		break;
	case FW_BAN_MAP_PREFIX4:
		fw_lpm4_prefix(key, out);
		break;
	case FW_BAN_MAP_PREFIX6:
		fw_lpm6_prefix(key, out);
		break;
	}
}

int fw_ban_dump_read(const struct fw_datapath *dp, enum fw_ban_map map, struct fw_ban_dump *d)
{
	void *keys, *values;
	int err;

	*d = (struct fw_ban_dump){ .key_size = fw_ban_map_kinds[map].key_size };
	err = fw_map_dump(fw_ban_map_fd(dp, map), d->key_size, sizeof(struct fw_ban_value), &keys,
			  &values, &d->count);
	d->keys = keys;
	d->values = values;
	return err;
}

int fw_ban_dump_index(struct fw_ban_dump *d)
{
	int err = fw_hashtab_init(&d->index, d->count);

	for (size_t i = 0; i < d->count && !err; i++)
		fw_hashtab_add(&d->index, fw_hash_bytes(d->keys + i * d->key_size, d->key_size),
			       (uint32_t)i);
	return err;
}

int fw_ban_dump_read_indexed(const struct fw_datapath *dp, enum fw_ban_map map,
			     struct fw_ban_dump *d)
{
	int err = fw_ban_dump_read(dp, map, d);

	if (!err)
		err = fw_ban_dump_index(d);
	if (err)
		fw_ban_dump_free(d);
	return err;
}

static bool fw_ban_dump_equal(const void *ctx, uint32_t item, const void *key)
{
	const struct fw_ban_dump *d = ctx;

	return !memcmp(d->keys + (size_t)item * d->key_size, key, d->key_size);
}

struct fw_ban_value *fw_ban_dump_find(const struct fw_ban_dump *d, const uint8_t *key)
{
	int64_t at = fw_hashtab_find(&d->index, fw_hash_bytes(key, d->key_size), fw_ban_dump_equal,
				     d, key);

	return at < 0 ? NULL : &d->values[at];
}

void fw_ban_dump_free(struct fw_ban_dump *d)
{
	free(d->keys);
	free(d->values);
	fw_hashtab_free(&d->index);
	*d = (struct fw_ban_dump){ 0 };
}

long fw_ban_keys_delete(int fd, size_t key_size, const uint8_t *keys, size_t count,
			void (*missing)(void *ctx, size_t i), void *ctx)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	size_t done = 0;
	long absent = 0;

	while (done < count) {
		__u32 n = (__u32)(count - done);

		if (!bpf_map_delete_batch(fd, keys + done * key_size, &n, &opts))
			break;
		if (errno != ENOENT)
			return -errno;
		done += n; /* the batch stopped at a key not there */
		if (missing)
			missing(ctx, done);
		absent++;
		done++;
	}
	return absent;
}

bool fw_map_empty(int fd)
{
	uint8_t key[FW_BAN_KEY_MAX];

	return bpf_map_get_next_key(fd, NULL, key) && errno == ENOENT;
}

void fw_ban_bits_settle(const struct fw_datapath *dp, uint32_t mask)
{
	for (int m = 0; m < FW_BAN_MAPS; m++) {
		uint32_t bit = fw_ban_map_kinds[m].bit;
		int fd = fw_ban_map_fd(dp, m);

		if (!(mask & bit) || !fw_map_empty(fd))
			continue;
		fw_param_clear_bits(dp, FW_PARAM_BANS, bit);
		if (!fw_map_empty(fd))
			fw_param_set_bits(dp, FW_PARAM_BANS, bit);
	}
}
