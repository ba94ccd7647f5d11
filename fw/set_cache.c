// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "mapio.h"
#include "set_cache.h"

static uint32_t fw_map_id(int fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

void fw_set_cache_drop(struct fw_set_cache *cache, uint8_t set)
{
	struct fw_set_image *image = &cache->sets[set];

	fw_compiled_free(&image->entries);
	image->token = 0;
	image->map_id = 0;
}

void fw_set_cache_free(struct fw_set_cache *cache)
{
	for (uint8_t set = 0; set < FW_SETS; set++)
		fw_set_cache_drop(cache, set);
}

const struct fw_set_image *fw_set_cache_find(const struct fw_set_cache *cache,
					     const struct fw_datapath *dp, uint8_t set)
{
	const struct fw_set_image *image = &cache->sets[set];
	uint32_t token = 0;

	if (!image->token || fw_param_read(dp, FW_PARAM_SET0_TOKEN + set, &token))
		return NULL;
	if (token != image->token || fw_map_id(dp->sources6_fd[set]) != image->map_id)
		return NULL;
	return image;
}

void fw_set_cache_keep(struct fw_set_cache *cache, const struct fw_datapath *dp, uint8_t set,
		       uint32_t token, struct fw_compiled *compiled)
{
	struct fw_set_image *image = &cache->sets[set];

	fw_set_cache_drop(cache, set);
	image->entries = *compiled;
	memset(compiled, 0, sizeof(*compiled));
	free(image->entries.ports); /* rewritten whole by every sync */
	image->entries.ports = NULL;
	image->token = token;
	image->map_id = fw_map_id(dp->sources6_fd[set]);
}

/* The order fw_compile() emits keys in: class, then port and protocol. */
static int fw_port_rule_key_cmp(const void *a, const void *b, size_t size)
{
	const struct fw_port_rule_key *x = a, *y = b;

	(void)size;
	if (x->port_class != y->port_class)
		return x->port_class < y->port_class ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (int)x->proto - (int)y->proto;
}

static int fw_bytes_cmp(const void *a, const void *b, size_t size)
{
	return memcmp(a, b, size);
}

struct fw_entries_view {
	const uint8_t *keys;
	const uint8_t *values;
	size_t count;
};

/*
 * An ARRAY map's change: the indices whose value differs, or that old did
 * not reach. Indices past the new count are left: nothing points there.
 */
static int fw_array_change_apply(int fd, const void *old_values, size_t old_count,
				 const void *new_values, size_t new_count, size_t value_size)
{
	const uint8_t *before = old_values, *after = new_values;
	uint32_t *keys = malloc((new_count + 1) * sizeof(*keys));
	uint8_t *values = malloc(new_count * value_size + 1);
	size_t n = 0;
	int err = keys && values ? 0 : -ENOMEM;

	for (size_t i = 0; i < new_count && !err; i++) {
		if (i < old_count && !memcmp(before + i * value_size, after + i * value_size, value_size))
			continue;
		keys[n] = (uint32_t)i;
		memcpy(values + n++ * value_size, after + i * value_size, value_size);
	}
	if (!err)
		err = fw_map_write(fd, keys, values, n);
	free(keys);
	free(values);
	return err;
}

/* The trie's blocks that differ, through memory. */
static void fw_trie_change_apply(uint32_t *trie, const struct fw_compiled *old,
				 const struct fw_compiled *c)
{
	const size_t block = FW_PREFIX4_BLOCK_SIZE * sizeof(*c->prefix4);

	for (size_t at = 0; at < c->prefix4_entries; at += FW_PREFIX4_BLOCK_SIZE)
		if (at >= old->prefix4_entries || memcmp(old->prefix4 + at, c->prefix4 + at, block))
			memcpy(trie + at, c->prefix4 + at, block);
}

/* One hash map's entries, old and new, both in fw_compile() order. */
struct fw_map_change {
	int fd;
	size_t key_size, value_size;
	int (*cmp)(const void *a, const void *b, size_t key_size);
	struct fw_entries_view old, new;
};

/* A merge of the two sorted lists: keys only in old go, entries new or changed are written. */
static int fw_map_change_apply(const struct fw_map_change *m)
{
	uint8_t *gone = malloc(m->old.count * m->key_size + 1);
	uint8_t *put_keys = malloc(m->new.count * m->key_size + 1);
	uint8_t *put_values = malloc(m->new.count * m->value_size + 1);
	size_t i = 0, j = 0, ngone = 0, nput = 0;
	int err = gone && put_keys && put_values ? 0 : -ENOMEM;

	while (!err && (i < m->old.count || j < m->new.count)) {
		const uint8_t *ok = m->old.keys + i * m->key_size;
		const uint8_t *nk = m->new.keys + j * m->key_size;
		const uint8_t *nv = m->new.values + j * m->value_size;
		int c = i == m->old.count ? 1 : j == m->new.count ? -1 : m->cmp(ok, nk, m->key_size);

		if (c < 0) {
			memcpy(gone + ngone++ * m->key_size, ok, m->key_size);
			i++;
			continue;
		}
		if (c > 0 || memcmp(m->old.values + i * m->value_size, nv, m->value_size)) {
			memcpy(put_keys + nput * m->key_size, nk, m->key_size);
			memcpy(put_values + nput++ * m->value_size, nv, m->value_size);
		}
		i += c == 0;
		j++;
	}
	if (!err)
		err = fw_map_delete(m->fd, gone, ngone);
	if (!err)
		err = fw_map_write(m->fd, put_keys, put_values, nput);
	free(gone);
	free(put_keys);
	free(put_values);
	return err;
}

/* One hash map's change, from the fields of struct fw_compiled that hold its entries. */
#define FW_MAP_CHANGE(map_fd, compare, keys, values, count)                                 \
	{ .fd = (map_fd),                                                                   \
	  .key_size = sizeof(*c->keys),                                                     \
	  .value_size = sizeof(*c->values),                                                 \
	  .cmp = (compare),                                                                 \
	  .old = { (const uint8_t *)old->keys, (const uint8_t *)old->values, old->count },  \
	  .new = { (const uint8_t *)c->keys, (const uint8_t *)c->values, c->count } }

int fw_set_write_difference(const struct fw_datapath *dp, uint8_t set,
			    const struct fw_compiled *old, const struct fw_compiled *c)
{
	const struct fw_map_change maps[] = {
		FW_MAP_CHANGE(dp->sources4_fd[set], fw_bytes_cmp, source4_keys, source4_values,
			      sources4),
		FW_MAP_CHANGE(dp->sources6_fd[set], fw_bytes_cmp, source6_keys, source6_values,
			      sources6),
		FW_MAP_CHANGE(dp->port_rules_fd[set], fw_port_rule_key_cmp, port_rule_keys,
			      port_rule_values, port_rules),
		FW_MAP_CHANGE(dp->prefix6_fd[set], fw_bytes_cmp, prefix6_keys, prefix6_values,
			      prefixes6),
	};
	int err = 0;

	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]) && !err; i++)
		err = fw_map_change_apply(&maps[i]);
	if (!err)
		err = fw_array_change_apply(dp->classes_fd[set], old->classes, old->class_count,
					    c->classes, c->class_count, sizeof(*c->classes));
	if (!err)
		fw_trie_change_apply(dp->prefix4_mem[set], old, c);
	return err;
}
