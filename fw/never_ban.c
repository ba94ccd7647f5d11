// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ban_maps.h"
#include "bans.h"
#include "log.h"
#include "mapio.h"
#include "never_ban.h"

static fw_u128 fw_u128_of(const uint8_t addr[16])
{
	fw_u128 v = 0;

	for (int i = 0; i < 16; i++)
		v = v << 8 | addr[i];
	return v;
}

/* The first and last addresses of p. */
static void fw_prefix_span(const struct fw_prefix *p, fw_u128 *first, fw_u128 *last)
{
	fw_u128 host = p->len >= 128 ? 0 : ((fw_u128)1 << (128 - p->len)) - 1;

	*first = fw_u128_of(p->addr) & ~host;
	*last = *first | host;
}

int fw_never_ban_add(struct fw_never_ban *nb, const struct fw_prefix *p, uint32_t line)
{
	struct fw_never_ban_entry *e;

	if (nb->count == nb->room) {
		size_t room = nb->room ? nb->room * 2 : 64;

		e = realloc(nb->entries, room * sizeof(*e));
		if (!e)
			return -ENOMEM;
		nb->entries = e;
		nb->room = room;
	}
	e = &nb->entries[nb->count++];
	fw_prefix_span(p, &e->first, &e->last);
	e->prefix = *p;
	e->line = line;
	return 0;
}

static int fw_never_ban_cmp(const void *a, const void *b)
{
	const struct fw_never_ban_entry *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

int fw_never_ban_seal(struct fw_never_ban *nb)
{
	free(nb->reach);
	nb->reach = malloc((nb->count ? nb->count : 1) * sizeof(*nb->reach));
	if (!nb->reach)
		return -ENOMEM;
	if (nb->count)
		qsort(nb->entries, nb->count, sizeof(*nb->entries), fw_never_ban_cmp);
	for (size_t i = 0; i < nb->count; i++)
		nb->reach[i] = i && nb->entries[nb->reach[i - 1]].last >= nb->entries[i].last
				       ? nb->reach[i - 1]
				       : i;
	return 0;
}

/*
 * Prefixes either nest or are apart, so they overlap when their spans do:
 * among the entries starting at or before p's last address, the one that
 * reaches furthest overlaps p if any does.
 */
const struct fw_never_ban_entry *fw_never_ban_overlap(const struct fw_never_ban *nb,
						       const struct fw_prefix *p)
{
	const struct fw_never_ban_entry *e;
	size_t lo = 0, hi = nb->count;
	fw_u128 first, last;

	fw_prefix_span(p, &first, &last);
	while (lo < hi) { /* lo: how many entries start at or before last */
		size_t mid = lo + (hi - lo) / 2;

		if (nb->entries[mid].first <= last)
			lo = mid + 1;
		else
			hi = mid;
	}
	e = lo ? &nb->entries[nb->reach[lo - 1]] : NULL;
	return e && e->last >= first ? e : NULL;
}

/* One never_ban trie's entries into nb. */
static int fw_never_ban_read_map(int fd, bool v4, struct fw_never_ban *nb)
{
	size_t key_size = v4 ? sizeof(struct fw_ban_prefix4_key) : sizeof(struct fw_ban_prefix6_key);
	void *keys, *values;
	size_t count;
	int err = fw_map_dump(fd, key_size, sizeof(__u32), &keys, &values, &count);

	for (size_t i = 0; i < count && !err; i++) {
		const void *key = (const uint8_t *)keys + i * key_size;
		struct fw_prefix p;

		if (v4)
			fw_lpm4_prefix(key, &p);
		else
			fw_lpm6_prefix(key, &p);
		err = fw_never_ban_add(nb, &p, ((const __u32 *)values)[i]);
	}
	free(keys);
	free(values);
	return err;
}

int fw_never_ban_read(const struct fw_datapath *dp, struct fw_never_ban *nb)
{
	int err;

	*nb = (struct fw_never_ban){ 0 };
	err = fw_never_ban_read_map(dp->never_ban4_fd, true, nb);
	if (!err)
		err = fw_never_ban_read_map(dp->never_ban6_fd, false, nb);
	if (!err)
		err = fw_never_ban_seal(nb);
	if (err)
		fw_never_ban_free(nb);
	return err;
}

void fw_never_ban_free(struct fw_never_ban *nb)
{
	free(nb->entries);
	free(nb->reach);
	*nb = (struct fw_never_ban){ 0 };
}

/* A never_ban trie key, zero-padded to FW_BAN_KEY_MAX so both families compare alike. */
struct fw_never_key {
	uint8_t key[FW_BAN_KEY_MAX];
	uint32_t line;
	bool there; /* the trie holds it with this line already */
};

static int fw_never_key_cmp(const void *a, const void *b)
{
	const struct fw_never_key *x = a, *y = b;
	int c = memcmp(x->key, y->key, sizeof(x->key));

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int fw_never_key_cmp_key(const void *a, const void *b)
{
	return memcmp(((const struct fw_never_key *)a)->key, ((const struct fw_never_key *)b)->key,
		      FW_BAN_KEY_MAX);
}

/* Makes one trie hold want[0..n) (sorted, duplicates dropped here) and nothing else. */
static int fw_never_sync(int fd, size_t key_size, struct fw_never_key *want, size_t n)
{
	void *keys = NULL, *values = NULL;
	uint8_t *gone = NULL, *add_keys = NULL;
	__u32 *add_lines = NULL;
	size_t count = 0, kept = 0, ngone = 0, nadd = 0;
	int err;

	qsort(want, n, sizeof(*want), fw_never_key_cmp);
	for (size_t i = 0; i < n; i++) /* the first line that names a prefix stays */
		if (!kept || memcmp(want[kept - 1].key, want[i].key, sizeof(want[i].key)))
			want[kept++] = want[i];
	err = fw_map_dump(fd, key_size, sizeof(__u32), &keys, &values, &count);
	if (!err) {
		gone = malloc(count * key_size + 1);
		add_keys = malloc(kept * key_size + 1);
		add_lines = malloc(kept * sizeof(*add_lines) + 1);
		if (!gone || !add_keys || !add_lines)
			err = -ENOMEM;
	}
	for (size_t i = 0; i < count && !err; i++) {
		struct fw_never_key old = { .line = 0 }, *hit;

		memcpy(old.key, (uint8_t *)keys + i * key_size, key_size);
		hit = bsearch(&old, want, kept, sizeof(*want), fw_never_key_cmp_key);
		if (!hit)
			memcpy(gone + ngone++ * key_size, old.key, key_size);
		else if (hit->line == ((__u32 *)values)[i])
			hit->there = true;
	}
	for (size_t i = 0; i < kept && !err; i++) {
		if (want[i].there)
			continue;
		memcpy(add_keys + nadd * key_size, want[i].key, key_size);
		add_lines[nadd++] = want[i].line;
	}
	/* What came first, then what went: a prefix in both configs is never missing. */
	if (!err)
		err = fw_map_write(fd, add_keys, add_lines, nadd);
	if (!err) {
		long absent = fw_ban_keys_delete(fd, key_size, gone, ngone, NULL, NULL);

		err = absent < 0 ? (int)absent : 0;
	}
	free(keys);
	free(values);
	free(gone);
	free(add_keys);
	free(add_lines);
	return err;
}

int fw_bans_set_never(const struct fw_datapath *dp, const struct fw_set *never_ban)
{
	struct fw_never_key *want[2];
	size_t n[2] = { 0 };
	int err = 0;

	if (never_ban->count > FW_NEVER_BAN_MAX) {
		fw_error("settings.never_ban holds %zu addresses and prefixes, more than %u; "
			 "protect fewer, wider prefixes", never_ban->count, FW_NEVER_BAN_MAX);
		return -E2BIG;
	}
	want[0] = calloc(never_ban->count + 1, sizeof(*want[0]));
	want[1] = calloc(never_ban->count + 1, sizeof(*want[1]));
	if (!want[0] || !want[1])
		err = -ENOMEM;
	for (size_t i = 0; i < never_ban->count && !err; i++) {
		const struct fw_set_element *e = &never_ban->elements[i];
		bool v4 = fw_prefix_is_v4(&e->prefix);
		struct fw_never_key *k = &want[!v4][n[!v4]++];

		if (v4)
			fw_lpm4_key(&e->prefix, (struct fw_ban_prefix4_key *)k->key);
		else
			fw_lpm6_key(&e->prefix, (struct fw_ban_prefix6_key *)k->key);
		k->line = e->line;
	}
	if (!err)
		err = fw_never_sync(dp->never_ban4_fd, sizeof(struct fw_ban_prefix4_key), want[0],
				    n[0]);
	if (!err)
		err = fw_never_sync(dp->never_ban6_fd, sizeof(struct fw_ban_prefix6_key), want[1],
				    n[1]);
	if (err)
		fw_error("writing settings.never_ban into the maps failed: %s", strerror(-err));
	free(want[0]);
	free(want[1]);
	return err;
}
