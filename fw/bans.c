// SPDX-License-Identifier: GPL-2.0
/*
 * Adding and lifting bans: the prefixes sorted by the map that holds them,
 * checked against never_ban, and written a batch per map.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include "ban_maps.h"
#include "bans.h"
#include "log.h"
#include "mapio.h"
#include "never_ban.h"

/* Refusals reported one by one; past these, one line counts the rest. */
#define FW_BANS_SHOWN 20
/* Up to this many bans of a hash map look their old entries up one by one; more read the map. */
#define FW_BANS_LOOKUPS 1024

uint64_t fw_bans_clock(const struct fw_datapath *dp)
{
	uint32_t lo = 0, hi = 0;
	struct timespec now;

	clock_gettime(CLOCK_BOOTTIME, &now);
	fw_param_read(dp, FW_PARAM_CLOCK_LO, &lo);
	fw_param_read(dp, FW_PARAM_CLOCK_HI, &hi);
	return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec +
	       ((uint64_t)hi << 32 | lo);
}

/* Messages about single bans: the first FW_BANS_SHOWN, then how many more. */
struct fw_ban_report {
	long count;
	bool quiet;
};

static void fw_ban_report(struct fw_ban_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fw_ban_report(struct fw_ban_report *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (r->quiet || ++r->count > FW_BANS_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fw_error("%s", msg);
}

static void fw_ban_report_end(const struct fw_ban_report *r, const char *what)
{
	if (!r->quiet && r->count > FW_BANS_SHOWN)
		fw_error("%ld more %s, not shown one by one", r->count - FW_BANS_SHOWN, what);
}

/* The bans of one map: keys, values, and the index of each in the caller's array. */
struct fw_ban_batch {
	uint8_t *keys;
	struct fw_ban_value *values;
	size_t *from;
	size_t count;
};

static void fw_ban_batches_free(struct fw_ban_batch batches[FW_BAN_MAPS])
{
	for (int m = 0; m < FW_BAN_MAPS; m++) {
		free(batches[m].keys);
		free(batches[m].values);
		free(batches[m].from);
		batches[m] = (struct fw_ban_batch){ 0 };
	}
}

/* Room for sizes[m] entries in each map's batch; values only when asked. */
static int fw_ban_batches_alloc(struct fw_ban_batch batches[FW_BAN_MAPS],
				const size_t sizes[FW_BAN_MAPS], bool values)
{
	for (int m = 0; m < FW_BAN_MAPS; m++) {
		size_t n = sizes[m] ? sizes[m] : 1;

		batches[m].keys = malloc(n * fw_ban_map_kinds[m].key_size);
		batches[m].from = malloc(n * sizeof(size_t));
		batches[m].values = values ? malloc(n * sizeof(struct fw_ban_value)) : NULL;
		if (!batches[m].keys || !batches[m].from || (values && !batches[m].values)) {
			fw_ban_batches_free(batches);
			return -ENOMEM;
		}
	}
	return 0;
}

static void fw_ban_batch_add(struct fw_ban_batch *b, enum fw_ban_map map, const uint8_t *key,
			     size_t from)
{
	size_t key_size = fw_ban_map_kinds[map].key_size;

	memcpy(b->keys + b->count * key_size, key, key_size);
	b->from[b->count++] = from;
}

/* A ban that is there and in force keeps its start and counters. */
static void fw_ban_keep(struct fw_ban_value *v, const struct fw_ban_value *old, uint64_t now)
{
	if (fw_ban_expired(old, now))
		return;
	v->since = old->since;
	v->packets = old->packets;
	v->bytes = old->bytes;
}

/* The old entries of a large batch, or of a trie (whose lookups match prefixes, not keys). */
static int fw_ban_keep_from_dump(const struct fw_datapath *dp, enum fw_ban_map map,
				 struct fw_ban_batch *b, uint64_t now)
{
	struct fw_ban_dump old;
	int err = fw_ban_dump_read_indexed(dp, map, &old);

	for (size_t i = 0; i < b->count && !err; i++) {
		const struct fw_ban_value *v = fw_ban_dump_find(&old, b->keys + i * old.key_size);

		if (v)
			fw_ban_keep(&b->values[i], v, now);
	}
	fw_ban_dump_free(&old);
	return err;
}

static int fw_ban_keep_old(const struct fw_datapath *dp, enum fw_ban_map map,
			   struct fw_ban_batch *b, uint64_t now)
{
	int fd = fw_ban_map_fd(dp, map);
	bool hash = map == FW_BAN_MAP_EXACT4 || map == FW_BAN_MAP_EXACT6;

	if (!b->count || fw_map_empty(fd))
		return 0;
	if (!hash || b->count > FW_BANS_LOOKUPS)
		return fw_ban_keep_from_dump(dp, map, b, now);
	for (size_t i = 0; i < b->count; i++) {
		struct fw_ban_value old;

		if (!bpf_map_lookup_elem(fd, b->keys + i * fw_ban_map_kinds[map].key_size, &old))
			fw_ban_keep(&b->values[i], &old, now);
	}
	return 0;
}

static bool fw_map_full(int err)
{
	return err == -E2BIG || err == -ENOSPC;
}

/*
 * One batch at a time from where the last stopped: a full map refuses the
 * ban it stopped at (after one reclaim of expired bans) and goes on, as
 * bans already there still take their new expiry.
 */
static long fw_ban_write_each(const struct fw_datapath *dp, enum fw_ban_map map,
			      const struct fw_ban_batch *b, const struct fw_prefix *prefixes,
			      struct fw_ban_report *report)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
	size_t key_size = fw_ban_map_kinds[map].key_size, done = 0;
	int fd = fw_ban_map_fd(dp, map);
	bool reclaimed = false;
	long refused = 0;

	while (done < b->count) {
		__u32 n = (__u32)(b->count - done);
		char text[FW_PREFIX_TEXT_MAX];
		int err;

		err = bpf_map_update_batch(fd, b->keys + done * key_size, b->values + done, &n,
					   &opts) ? -errno : 0;
		done += n;
		if (!err)
			break;
		if (!fw_map_full(err))
			return err;
		if (!reclaimed) {
			reclaimed = true;
			if (!fw_bans_reclaim(dp))
				continue;
		}
		fw_ban_report(report, "ban %s refused: %s is full (settings.max_bans: %u); raise "
			      "settings.max_bans, or unban some",
			      fw_prefix_format(&prefixes[b->from[done]], text),
			      fw_ban_map_kinds[map].name, dp->max_bans);
		refused++;
		done++;
	}
	return refused;
}

static long fw_ban_write(const struct fw_datapath *dp, enum fw_ban_map map,
			 const struct fw_ban_batch *b, const struct fw_prefix *prefixes,
			 struct fw_ban_report *report)
{
	int err;

	if (!b->count)
		return 0;
	err = fw_map_write(fw_ban_map_fd(dp, map), b->keys, b->values, b->count);
	if (fw_map_full(err))
		return fw_ban_write_each(dp, map, b, prefixes, report);
	return err;
}

/* Why p may not be banned, said once; false when it may. */
static bool fw_ban_refused(const struct fw_never_ban *nb, const struct fw_prefix *p,
			   struct fw_ban_report *report)
{
	char text[FW_PREFIX_TEXT_MAX], other[FW_PREFIX_TEXT_MAX];
	const struct fw_never_ban_entry *e;

	if (!p->len || (fw_prefix_is_v4(p) && p->len == 96)) {
		fw_ban_report(report, "ban %s refused: a /0 would ban every source",
			      fw_prefix_format(p, text));
		return true;
	}
	e = fw_never_ban_overlap(nb, p);
	if (!e)
		return false;
	fw_prefix_format(p, text);
	fw_prefix_format(&e->prefix, other);
	if (e->prefix.len <= p->len)
		fw_ban_report(report, "ban %s refused: it lies inside %s, which settings.never_ban "
			      "protects (config line %u); take %s out of never_ban to ban it",
			      text, other, e->line, other);
	else
		fw_ban_report(report, "ban %s refused: it covers %s, which settings.never_ban "
			      "protects (config line %u); ban narrower prefixes around it",
			      text, other, e->line);
	return true;
}

/*
 * Sorts the prefixes into one batch per map (map[i] = FW_BAN_MAPS for the
 * refused), with the values they get.
 */
static long fw_bans_sort(const struct fw_prefix *prefixes, size_t count,
			 const struct fw_never_ban *nb, const struct fw_ban_value *value,
			 struct fw_ban_batch batches[FW_BAN_MAPS], struct fw_ban_report *report)
{
	size_t sizes[FW_BAN_MAPS] = { 0 };
	uint8_t key[FW_BAN_KEY_MAX];
	uint8_t *maps = malloc(count ? count : 1);
	long refused = 0;
	int err;

	if (!maps)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		enum fw_ban_map map;

		if (fw_ban_refused(nb, &prefixes[i], report) ||
		    fw_ban_key(&prefixes[i], &map, key)) {
			maps[i] = FW_BAN_MAPS;
			refused++;
			continue;
		}
		maps[i] = (uint8_t)map;
		sizes[map]++;
	}
	err = fw_ban_batches_alloc(batches, sizes, true);
	for (size_t i = 0; i < count && !err; i++) {
		struct fw_ban_batch *b = &batches[maps[i]];
		enum fw_ban_map map;

		if (maps[i] == FW_BAN_MAPS)
			continue;
		fw_ban_key(&prefixes[i], &map, key);
		b->values[b->count] = *value;
		fw_ban_batch_add(b, map, key, i);
	}
	free(maps);
	return err ? err : refused;
}

long fw_bans_add(const struct fw_datapath *dp, const struct fw_prefix *prefixes, size_t count,
		 uint64_t duration, const char *origin)
{
	struct fw_ban_batch batches[FW_BAN_MAPS] = { 0 };
	struct fw_ban_report report = { 0 };
	uint64_t now = fw_bans_clock(dp);
	struct fw_ban_value value = { .expires = duration ? now + duration : 0, .since = now };
	struct fw_never_ban nb;
	uint32_t bits = 0;
	long refused;
	int err;

	err = fw_bans_origin(dp, origin, &value.origin);
	if (err)
		return err;
	err = fw_never_ban_read(dp, &nb);
	if (err) {
		fw_error("reading settings.never_ban from the maps failed: %s", strerror(-err));
		return err;
	}
	refused = fw_bans_sort(prefixes, count, &nb, &value, batches, &report);
	fw_never_ban_free(&nb);
	for (int m = 0; m < FW_BAN_MAPS && refused >= 0; m++) {
		long more;

		err = fw_ban_keep_old(dp, m, &batches[m], now);
		more = err ? err : fw_ban_write(dp, m, &batches[m], prefixes, &report);
		refused = more < 0 ? more : refused + more;
		if (batches[m].count)
			bits |= fw_ban_map_kinds[m].bit;
	}
	/* After the entries: the datapath reads a map once its bit says so. */
	fw_param_set_bits(dp, FW_PARAM_BANS, bits);
	fw_ban_batches_free(batches);
	fw_ban_report_end(&report, "bans refused");
	if (refused < 0)
		fw_error("writing the bans failed: %s", strerror((int)-refused));
	return refused;
}

struct fw_ban_missing {
	const struct fw_ban_batch *batch;
	const struct fw_prefix *prefixes;
	struct fw_ban_report *report;
};

static void fw_ban_missing(void *ctx, size_t i)
{
	const struct fw_ban_missing *m = ctx;
	char text[FW_PREFIX_TEXT_MAX];

	fw_ban_report(m->report, "%s: not banned",
		      fw_prefix_format(&m->prefixes[m->batch->from[i]], text));
}

long fw_bans_remove(const struct fw_datapath *dp, const struct fw_prefix *prefixes, size_t count,
		    bool quiet)
{
	struct fw_ban_batch batches[FW_BAN_MAPS] = { 0 };
	struct fw_ban_report report = { .quiet = quiet };
	size_t sizes[FW_BAN_MAPS] = { 0 };
	uint8_t key[FW_BAN_KEY_MAX];
	uint32_t touched = 0;
	long missing = 0;
	int err;

	for (size_t i = 0; i < count; i++) {
		enum fw_ban_map map;

		if (!fw_ban_key(&prefixes[i], &map, key))
			sizes[map]++;
	}
	err = fw_ban_batches_alloc(batches, sizes, false);
	if (err)
		return err;
	for (size_t i = 0; i < count; i++) {
		char text[FW_PREFIX_TEXT_MAX];
		enum fw_ban_map map;

		if (!fw_ban_key(&prefixes[i], &map, key)) {
			fw_ban_batch_add(&batches[map], map, key, i);
			continue;
		}
		fw_ban_report(&report, "%s: not banned", fw_prefix_format(&prefixes[i], text));
		missing++;
	}
	for (int m = 0; m < FW_BAN_MAPS && missing >= 0; m++) {
		struct fw_ban_missing ctx = { &batches[m], prefixes, &report };
		long more = fw_ban_keys_delete(fw_ban_map_fd(dp, m), fw_ban_map_kinds[m].key_size,
					       batches[m].keys, batches[m].count, fw_ban_missing,
					       &ctx);

		missing = more < 0 ? more : missing + more;
		if (batches[m].count)
			touched |= fw_ban_map_kinds[m].bit;
	}
	fw_ban_batches_free(batches);
	fw_ban_bits_settle(dp, touched);
	fw_ban_report_end(&report, "were not banned");
	if (missing < 0)
		fw_error("lifting the bans failed: %s", strerror((int)-missing));
	return missing;
}
