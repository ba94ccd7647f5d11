// SPDX-License-Identifier: GPL-2.0
/*
 * The ban API on real maps: where each ban goes, counters kept by a second
 * ban, expiry by the datapath's clock, never_ban and max_bans refusals,
 * origins interned and freed, and ban maps kept or copied by a new program.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include "ban_maps.h"
#include "ban_origins.h"
#include "bans.h"
#include "bans_carry.h"
#include "prefix.h"
#include "prefix_text.h"

#define CAPACITY 64
#define SMALL_BANS 8
#define SEC 1000000000ull

static void load(struct fw_datapath *dp, uint32_t max_bans, const struct fw_datapath *in_force)
{
	struct fw_room room = fw_room_for_capacity(CAPACITY);
	int err = fw_datapath_load_over(dp, CAPACITY, &room, max_bans, in_force);

	if (err)
		fail_msg("loading the XDP program failed: %s", strerror(-err));
}

static long ban(const struct fw_datapath *dp, const char *text, uint64_t duration,
		const char *origin)
{
	struct fw_prefix p = pfx(text);

	return fw_bans_add(dp, &p, 1, duration, origin);
}

/* The ban of text as `bans` lists it; false if it is not listed. */
static bool listed(const struct fw_datapath *dp, const char *text, struct fw_ban *out)
{
	struct fw_prefix want = pfx(text);
	struct fw_ban *bans;
	size_t count;
	bool found = false;

	assert_int_equal(fw_bans_list(dp, &bans, &count), 0);
	for (size_t i = 0; i < count && !found; i++) {
		if (bans[i].prefix.len != want.len || memcmp(bans[i].prefix.addr, want.addr, 16))
			continue;
		found = true;
		if (out)
			*out = bans[i];
	}
	free(bans);
	return found;
}

static size_t ban_count(const struct fw_datapath *dp)
{
	struct fw_ban *bans;
	size_t count;

	assert_int_equal(fw_bans_list(dp, &bans, &count), 0);
	free(bans);
	return count;
}

static uint32_t ban_bits(const struct fw_datapath *dp)
{
	uint32_t bits = 0;

	assert_int_equal(fw_param_read(dp, FW_PARAM_BANS, &bits), 0);
	return bits;
}

static void clock_shift(const struct fw_datapath *dp, uint64_t shift)
{
	fw_param_write(dp, FW_PARAM_CLOCK_LO, (uint32_t)shift);
	fw_param_write(dp, FW_PARAM_CLOCK_HI, (uint32_t)(shift >> 32));
}

static void test_bans_go_to_their_maps(void **state)
{
	static const char *const texts[] = { "198.18.0.7", "2001:2::7", "198.18.4.0/24",
					     "2001:2:0:4::/64", "::ffff:198.18.0.8" };
	struct fw_datapath dp;
	struct fw_prefix p[5];
	struct fw_ban b;
	__be32 key4;

	(void)state;
	load(&dp, SMALL_BANS, NULL);
	assert_int_equal(ban_bits(&dp), 0);
	for (int i = 0; i < 5; i++)
		p[i] = pfx(texts[i]);
	assert_int_equal(fw_bans_add(&dp, p, 5, 0, NULL), 0);
	assert_int_equal(ban_bits(&dp),
			 FW_BANS_EXACT4 | FW_BANS_EXACT6 | FW_BANS_PREFIX4 | FW_BANS_PREFIX6);
	assert_int_equal(ban_count(&dp), 5);
	for (int i = 0; i < 5; i++)
		assert_true(listed(&dp, texts[i], &b));
	assert_true(listed(&dp, "198.18.0.8", &b));
	assert_string_equal(b.origin, "manual");
	assert_int_equal(b.expires, 0);
	/* The datapath's key: the __be32 address. */
	memcpy(&key4, p[0].addr + 12, 4);
	assert_int_equal(bpf_map_lookup_elem(dp.bans4_fd, &key4,
					     &(struct fw_ban_value){ 0 }), 0);

	/* Lifting them: what is not there is counted, and empty maps lose their bit. */
	assert_int_equal(fw_bans_remove(&dp, p, 4, false), 0);
	assert_int_equal(ban_bits(&dp), FW_BANS_EXACT4);
	assert_int_equal(fw_bans_remove(&dp, p, 5, true), 4);
	assert_int_equal(ban_bits(&dp), 0);
	assert_int_equal(ban_count(&dp), 0);
	fw_datapath_close(&dp);
}

static void test_ban_again_keeps_counters(void **state)
{
	struct fw_prefix p = pfx("198.18.0.9");
	struct fw_ban_value v;
	struct fw_datapath dp;
	struct fw_ban b;
	__be32 key;

	(void)state;
	load(&dp, SMALL_BANS, NULL);
	assert_int_equal(ban(&dp, "198.18.0.9", 0, NULL), 0);
	memcpy(&key, p.addr + 12, 4);
	assert_int_equal(bpf_map_lookup_elem(dp.bans4_fd, &key, &v), 0);
	v.packets = 5;
	v.bytes = 300;
	assert_int_equal(bpf_map_update_elem(dp.bans4_fd, &key, &v, BPF_EXIST), 0);

	assert_int_equal(ban(&dp, "198.18.0.9", 60 * SEC, "sshd"), 0);
	assert_true(listed(&dp, "198.18.0.9", &b));
	assert_int_equal(b.packets, 5);
	assert_int_equal(b.bytes, 300);
	assert_int_equal(b.since, v.since);
	assert_string_equal(b.origin, "sshd");
	assert_in_range(b.expires - b.since, 60 * SEC, 61 * SEC);

	/* Expired, then banned again: a new ban, counted from zero. */
	clock_shift(&dp, 120 * SEC);
	assert_false(listed(&dp, "198.18.0.9", NULL));
	v.expires = v.since + 60 * SEC; /* left behind expired, as no reclaim ran */
	assert_int_equal(bpf_map_update_elem(dp.bans4_fd, &key, &v, BPF_NOEXIST), 0);
	assert_int_equal(ban(&dp, "198.18.0.9", 0, NULL), 0);
	assert_true(listed(&dp, "198.18.0.9", &b));
	assert_int_equal(b.packets, 0);
	assert_true(b.since > v.since + 100 * SEC);
	fw_datapath_close(&dp);
}

/* Whether the origin entry index still holds a name. */
static bool origin_in_use(const struct fw_datapath *dp, uint32_t index)
{
	struct fw_ban_origin *names;
	bool used;

	assert_int_equal(fw_ban_origins_read(dp, &names), 0);
	used = names[index].name[0] != '\0';
	free(names);
	return used;
}

static void test_expiry_and_reclaim(void **state)
{
	struct fw_ban_origin *names;
	struct fw_datapath dp;
	uint32_t jail;

	(void)state;
	load(&dp, SMALL_BANS, NULL);
	assert_int_equal(ban(&dp, "198.18.1.1", 10 * SEC, "jail"), 0);
	assert_int_equal(ban(&dp, "198.18.2.0/24", 10 * SEC, "jail"), 0);
	assert_int_equal(ban(&dp, "2001:2::1", 0, "forever"), 0);
	assert_int_equal(fw_bans_origin(&dp, "jail", &jail), 0);
	assert_int_not_equal(jail, FW_BAN_ORIGIN_MANUAL);

	clock_shift(&dp, 9 * SEC);
	assert_int_equal(fw_bans_reclaim(&dp), 0);
	assert_true(origin_in_use(&dp, jail));
	assert_false(fw_map_empty(dp.bans4_fd));
	clock_shift(&dp, 11 * SEC);
	assert_int_equal(fw_bans_reclaim(&dp), 0);
	assert_true(fw_map_empty(dp.bans4_fd));  /* deleted, not only hidden */
	assert_true(fw_map_empty(dp.ban_prefix4_fd));
	assert_int_equal(ban_count(&dp), 1);
	assert_int_equal(ban_bits(&dp), FW_BANS_EXACT6);
	/* The origin no ban uses any more is free; manual stays. */
	assert_false(origin_in_use(&dp, jail));
	assert_int_equal(fw_ban_origins_read(&dp, &names), 0);
	assert_string_equal(names[FW_BAN_ORIGIN_MANUAL].name, "manual");
	free(names);
	fw_datapath_close(&dp);
}

static void test_never_ban_refuses(void **state)
{
	struct fw_set_element elements[2] = { { pfx("198.18.0.0/24"), 7, 5 },
					      { pfx("2001:2::1"), 8, 5 } };
	struct fw_set never = { .elements = elements, .count = 2 };
	struct fw_prefix several[3] = { pfx("198.18.0.5"), pfx("198.19.0.1"), pfx("2001::/16") };
	struct fw_datapath dp;

	(void)state;
	load(&dp, SMALL_BANS, NULL);
	assert_int_equal(fw_bans_set_never(&dp, &never), 0);
	assert_int_equal(ban(&dp, "198.18.0.5", 0, NULL), 1);
	assert_int_equal(ban(&dp, "198.16.0.0/14", 0, NULL), 1);
	assert_int_equal(ban(&dp, "198.18.1.0/24", 0, NULL), 0);
	/* The rest of a call is still banned. */
	assert_int_equal(fw_bans_add(&dp, several, 3, 0, NULL), 2);
	assert_true(listed(&dp, "198.19.0.1", NULL));
	assert_false(listed(&dp, "198.18.0.5", NULL));

	/* A new never_ban: what went is deleted, what came is added. */
	elements[0].prefix = pfx("198.19.0.0/16");
	never.count = 1;
	assert_int_equal(fw_bans_set_never(&dp, &never), 0);
	assert_int_equal(ban(&dp, "198.18.0.5", 0, NULL), 0);
	assert_int_equal(ban(&dp, "2001:2::1", 0, NULL), 0);
	assert_int_equal(ban(&dp, "198.19.9.9", 0, NULL), 1);
	never.count = 0;
	assert_int_equal(fw_bans_set_never(&dp, &never), 0);
	assert_true(fw_map_empty(dp.never_ban4_fd));
	assert_true(fw_map_empty(dp.never_ban6_fd));
	fw_datapath_close(&dp);
}

static void test_full_refuses_never_evicts(void **state)
{
	struct fw_prefix p[SMALL_BANS + 2];
	struct fw_datapath dp;
	char text[32];

	(void)state;
	load(&dp, SMALL_BANS, NULL);
	for (int i = 0; i < SMALL_BANS + 2; i++) {
		snprintf(text, sizeof(text), "198.18.3.%d", i + 1);
		p[i] = pfx(text);
	}
	assert_int_equal(fw_bans_add(&dp, p, SMALL_BANS + 2, 0, NULL), 2);
	assert_int_equal(ban_count(&dp), SMALL_BANS);
	assert_true(listed(&dp, "198.18.3.1", NULL));
	assert_false(listed(&dp, "198.18.3.10", NULL));
	/* A ban already there still takes its new expiry. */
	assert_int_equal(ban(&dp, "198.18.3.1", 30 * SEC, NULL), 0);
	assert_int_equal(ban(&dp, "198.18.3.99", 0, NULL), 1);
	/* Room made by expiry is found when the map is full. */
	clock_shift(&dp, 31 * SEC);
	assert_int_equal(ban(&dp, "198.18.3.99", 0, NULL), 0);
	assert_false(listed(&dp, "198.18.3.1", NULL));
	fw_datapath_close(&dp);
}

/* Many bans at once read the map instead of looking each up: counters still kept. */
static void test_large_batch_keeps_counters(void **state)
{
	const size_t n = 5000;
	struct fw_prefix *p = calloc(n, sizeof(*p));
	struct fw_ban_value v;
	struct fw_datapath dp;
	struct fw_ban b;
	__be32 key;

	(void)state;
	assert_non_null(p);
	load(&dp, 8192, NULL);
	for (size_t i = 0; i < n; i++) {
		char text[32];

		snprintf(text, sizeof(text), "198.19.%zu.%zu", i / 250, i % 250 + 1);
		p[i] = pfx(text);
	}
	assert_int_equal(ban(&dp, "198.19.0.1", 0, NULL), 0);
	memcpy(&key, p[0].addr + 12, 4);
	assert_int_equal(bpf_map_lookup_elem(dp.bans4_fd, &key, &v), 0);
	v.packets = 77;
	assert_int_equal(bpf_map_update_elem(dp.bans4_fd, &key, &v, BPF_EXIST), 0);
	assert_int_equal(fw_bans_add(&dp, p, n, 0, "list"), 0);
	assert_int_equal(ban_count(&dp), n);
	assert_true(listed(&dp, "198.19.0.1", &b));
	assert_int_equal(b.packets, 77);
	assert_string_equal(b.origin, "list");
	assert_int_equal(fw_bans_remove(&dp, p, n, false), 0);
	assert_int_equal(ban_count(&dp), 0);
	free(p);
	fw_datapath_close(&dp);
}

static uint32_t map_id(int fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	return info.id;
}

static void test_new_program_keeps_or_copies_bans(void **state)
{
	struct fw_datapath old, same, bigger;
	struct fw_bans_carry carry;
	struct fw_ban b;

	(void)state;
	load(&old, SMALL_BANS, NULL);
	assert_int_equal(ban(&old, "198.18.5.5", 0, "kept"), 0);
	assert_int_equal(ban(&old, "2001:2:0:5::/64", 0, NULL), 0);

	/* The same max_bans: the very same maps. */
	load(&same, SMALL_BANS, &old);
	assert_false(same.bans_to_copy);
	for (int i = 0; i < FW_KEPT_MAPS; i++)
		assert_int_equal(map_id(same.fds[FW_KEPT_FD0 + i]), map_id(old.fds[FW_KEPT_FD0 + i]));
	assert_true(listed(&same, "198.18.5.5", &b));
	assert_string_equal(b.origin, "kept");
	fw_datapath_close(&same);

	/* Another max_bans: new ban maps, the rest kept; the bans copied, then the late ones. */
	load(&bigger, 4 * SMALL_BANS, &old);
	assert_true(bigger.bans_to_copy);
	assert_int_not_equal(map_id(bigger.bans4_fd), map_id(old.bans4_fd));
	assert_int_equal(map_id(bigger.ban_origins_fd), map_id(old.ban_origins_fd));
	assert_int_equal(map_id(bigger.never_ban4_fd), map_id(old.never_ban4_fd));
	assert_int_equal(map_id(bigger.limit_buckets_fd), map_id(old.limit_buckets_fd));
	assert_int_equal(fw_bans_carry(&old, &bigger, &carry), 0);
	assert_int_equal(ban_count(&bigger), 2);
	assert_int_equal(ban(&old, "198.18.5.6", 0, NULL), 0); /* as ban_for would, meanwhile */
	assert_int_equal(fw_bans_carry_late(&old, &bigger, &carry), 0);
	fw_bans_carry_free(&carry);
	assert_int_equal(ban_count(&bigger), 3);
	assert_true(listed(&bigger, "198.18.5.5", &b));
	assert_string_equal(b.origin, "kept");
	fw_datapath_close(&bigger);

	/* Too many bans for a smaller max_bans: refused, nothing lost. */
	for (int i = 0; i < SMALL_BANS - 3; i++) {
		char text[32];

		snprintf(text, sizeof(text), "198.18.6.%d", i + 1);
		assert_int_equal(ban(&old, text, 0, NULL), 0);
	}
	load(&bigger, 2, &old);
	assert_int_equal(fw_bans_carry(&old, &bigger, &carry), -E2BIG);
	fw_datapath_close(&bigger);
	assert_int_equal(ban_count(&old), SMALL_BANS);
	fw_datapath_close(&old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bans_go_to_their_maps),
		cmocka_unit_test(test_ban_again_keeps_counters),
		cmocka_unit_test(test_expiry_and_reclaim),
		cmocka_unit_test(test_never_ban_refuses),
		cmocka_unit_test(test_full_refuses_never_evicts),
		cmocka_unit_test(test_large_batch_keeps_counters),
		cmocka_unit_test(test_new_program_keeps_or_copies_bans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
