// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "defence.h"
#include "xdpfw.skel.h"

int defence_map_fd(struct fw_datapath *dp, const char *name)
{
	int fd = dp->skel ? bpf_object__find_map_fd_by_name(dp->skel->obj, name) : -1;

	if (fd < 0)
		fail_msg("the loaded datapath has no map %s", name);
	return fd;
}

static void map_empty(struct fw_datapath *dp, const char *name)
{
	int fd = defence_map_fd(dp, name);
	uint8_t key[64];

	while (!bpf_map_get_next_key(fd, NULL, key))
		if (bpf_map_delete_elem(fd, key))
			fail_msg("emptying %s: %s", name, strerror(errno));
}

void defence_reset(struct fw_datapath *dp)
{
	static const char *const maps[] = {
		"fw_bans4", "fw_bans6", "fw_ban_prefix4", "fw_ban_prefix6",
		"fw_never_ban4", "fw_never_ban6", "fw_limits", "fw_limit_buckets",
	};

	for (size_t i = 0; i < ARRAY_SIZE(maps); i++)
		map_empty(dp, maps[i]);
	param_set(dp, FW_PARAM_BANS, 0);
	clock_shift_set(dp, 0);
}

uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * SEC + (uint64_t)ts.tv_nsec;
}

uint32_t param_get(struct fw_datapath *dp, uint32_t index)
{
	uint32_t value;

	assert_int_equal(fw_param_read(dp, index, &value), 0);
	return value;
}

void param_set(struct fw_datapath *dp, uint32_t index, uint32_t value)
{
	assert_int_equal(fw_param_write(dp, index, value), 0);
}

uint64_t clock_shift(struct fw_datapath *dp)
{
	return (uint64_t)param_get(dp, FW_PARAM_CLOCK_HI) << 32 | param_get(dp, FW_PARAM_CLOCK_LO);
}

void clock_shift_set(struct fw_datapath *dp, uint64_t shift)
{
	param_set(dp, FW_PARAM_CLOCK_LO, (uint32_t)shift);
	param_set(dp, FW_PARAM_CLOCK_HI, (uint32_t)(shift >> 32));
}

uint64_t clock_set(struct fw_datapath *dp, uint64_t now)
{
	uint64_t shift = now - boot_ns();

	clock_shift_set(dp, shift);
	return shift;
}

struct timed_run run_timed(struct fw_datapath *dp, const uint8_t *frame, size_t len)
{
	uint64_t shift = clock_shift(dp);
	struct timed_run r;

	r.lo = boot_ns() + shift;
	r.action = harness_run(dp, frame, len);
	r.hi = boot_ns() + shift;
	return r;
}

int run_before(struct fw_datapath *dp, const uint8_t *frame, size_t len, uint64_t now,
	       uint64_t deadline)
{
	for (int tries = 0; tries < 50; tries++) {
		struct timed_run r;

		assert_int_equal(fw_stats_reset(dp), 0);
		clock_set(dp, now);
		r = run_timed(dp, frame, len);
		if ((int64_t)(r.hi - deadline) < 0)
			return r.action;
	}
	fail_msg("50 runs meant to end before the deadline all ran past it");
	return -1;
}

struct ban_key {
	uint32_t prefixlen;
	uint8_t addr[16];
};

/* The map and key of a ban or never_ban on text/prefixlen; returns the FW_BANS_* bit. */
static uint32_t ban_where(const char *text, unsigned prefixlen, const char **map,
			  struct ban_key *key, void **map_key, int never)
{
	int v6 = strchr(text, ':') != NULL;
	int exact = prefixlen == (v6 ? 128u : 32u);

	memset(key, 0, sizeof(*key));
	key->prefixlen = prefixlen;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, text, key->addr) != 1)
		fail_msg("table error: %s is no address", text);
	if (never) {
		*map = v6 ? "fw_never_ban6" : "fw_never_ban4";
		*map_key = key;
		return 0;
	}
	*map = exact ? (v6 ? "fw_bans6" : "fw_bans4") : (v6 ? "fw_ban_prefix6" : "fw_ban_prefix4");
	*map_key = exact ? (void *)key->addr : (void *)key;
	if (v6)
		return exact ? FW_BANS_EXACT6 : FW_BANS_PREFIX6;
	return exact ? FW_BANS_EXACT4 : FW_BANS_PREFIX4;
}

void ban_write(struct fw_datapath *dp, const char *text, unsigned prefixlen, uint64_t expires,
	       uint32_t origin)
{
	struct fw_ban_value ban = { .expires = expires, .origin = origin };
	struct ban_key key;
	const char *map;
	void *map_key;
	uint32_t bit = ban_where(text, prefixlen, &map, &key, &map_key, 0);

	if (bpf_map_update_elem(defence_map_fd(dp, map), map_key, &ban, BPF_ANY))
		fail_msg("banning %s/%u: %s", text, prefixlen, strerror(errno));
	param_set(dp, FW_PARAM_BANS, param_get(dp, FW_PARAM_BANS) | bit);
}

int ban_read(struct fw_datapath *dp, const char *text, unsigned prefixlen,
	     struct fw_ban_value *out)
{
	struct ban_key key;
	const char *map;
	void *map_key;

	ban_where(text, prefixlen, &map, &key, &map_key, 0);
	return bpf_map_lookup_elem(defence_map_fd(dp, map), map_key, out) ? -errno : 0;
}

void never_ban_write(struct fw_datapath *dp, const char *text, unsigned prefixlen)
{
	struct ban_key key;
	const char *map;
	void *map_key;
	uint32_t line = 1;

	ban_where(text, prefixlen, &map, &key, &map_key, 1);
	if (bpf_map_update_elem(defence_map_fd(dp, map), map_key, &line, BPF_ANY))
		fail_msg("never_ban %s/%u: %s", text, prefixlen, strerror(errno));
}

struct fw_stat_value stat_get(struct fw_datapath *dp, enum fw_stat slot)
{
	struct fw_stat_value all[FW_STAT_COUNT];

	assert_int_equal(fw_stats_read(dp, all), 0);
	return all[slot];
}

struct fw_counter counter_get(struct fw_datapath *dp, uint32_t id)
{
	struct fw_counter c;

	assert_int_equal(fw_counter_read(dp, id, &c), 0);
	return c;
}

size_t pkt_build_flags(const struct pkt_spec *spec, size_t tcp_offset, uint8_t flags,
		       uint8_t *buf)
{
	size_t len = pkt_build(spec, buf);

	assert_true(tcp_offset + 13 < len);
	buf[tcp_offset + 13] = flags;
	return len;
}
