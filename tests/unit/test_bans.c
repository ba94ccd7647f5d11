// SPDX-License-Identifier: GPL-2.0
/* The time a ban has left as `bans` shows it, and which bans settings.never_ban refuses. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "ban_cmd.h"
#include "never_ban.h"
#include "prefix.h"
#include "prefix_text.h"

#define SEC FW_NS_PER_SEC

static void test_left_text(void **state)
{
	static const struct {
		uint64_t ns;
		const char *text;
	} cases[] = {
		{ 0, "0s" },		    { 1, "1s" },		{ SEC, "1s" },
		{ SEC + 1, "2s" },	    { 59 * SEC, "59s" },	{ 61 * SEC, "1m1s" },
		{ 7199 * SEC, "1h59m" },    { 7200 * SEC, "2h" },	{ 3605 * SEC, "1h" },
		{ 7 * 86400 * SEC, "7d" }, { 90061 * SEC, "1d1h" },
	};
	char buf[FW_DURATION_TEXT_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(fw_ban_left_text(cases[i].ns, buf), cases[i].text);
}

/* The config line of the never_ban entry text overlaps, 0 for none. */
static uint32_t overlap_line(const struct fw_never_ban *nb, const char *text)
{
	struct fw_prefix p = pfx(text);
	const struct fw_never_ban_entry *e = fw_never_ban_overlap(nb, &p);

	return e ? e->line : 0;
}

static void never_ban_of(struct fw_never_ban *nb, const char *const *texts, size_t n)
{
	*nb = (struct fw_never_ban){ 0 };
	for (size_t i = 0; i < n; i++) {
		struct fw_prefix p = pfx(texts[i]);

		assert_int_equal(fw_never_ban_add(nb, &p, (uint32_t)(i + 1)), 0);
	}
	assert_int_equal(fw_never_ban_seal(nb), 0);
}

static void test_never_ban_overlap(void **state)
{
	static const char *const never[] = {
		"198.18.0.1",	   /* 1 */
		"198.19.64.0/18",  /* 2 */
		"198.19.65.0/24",  /* 3 */
		"198.19.66.0/24",  /* 4 */
		"2001:2:0:a::/64", /* 5 */
		"2001:2:0:a::1",   /* 6 */
		"198.18.200.0/24", /* 7 */
	};
	struct fw_never_ban nb;
	uint32_t line;

	(void)state;
	never_ban_of(&nb, never, sizeof(never) / sizeof(never[0]));
	/* A ban that covers a protected address, or is one. */
	assert_int_equal(overlap_line(&nb, "198.18.0.0/17"), 1);
	assert_int_equal(overlap_line(&nb, "198.18.0.0/31"), 1);
	assert_int_equal(overlap_line(&nb, "198.18.0.1"), 1);
	line = overlap_line(&nb, "198.18.0.0/16"); /* covers two: either may be named */
	assert_true(line == 1 || line == 7);
	/* Its neighbours are fine. */
	assert_int_equal(overlap_line(&nb, "198.18.0.0"), 0);
	assert_int_equal(overlap_line(&nb, "198.18.0.2/31"), 0);
	assert_int_equal(overlap_line(&nb, "198.19.0.0/18"), 0);
	/* Inside a protected prefix: the widest reaches past the nested ones. */
	assert_int_equal(overlap_line(&nb, "198.19.100.0/24"), 2);
	assert_int_equal(overlap_line(&nb, "198.19.127.255"), 2);
	assert_in_range(overlap_line(&nb, "198.19.65.3"), 2, 3);
	assert_int_equal(overlap_line(&nb, "198.19.128.0/18"), 0);
	assert_int_equal(overlap_line(&nb, "198.19.63.255"), 0);
	assert_int_equal(overlap_line(&nb, "198.18.200.255"), 7);
	assert_int_equal(overlap_line(&nb, "198.18.201.0"), 0);
	/* IPv6, and IPv4 written as IPv4-mapped IPv6. */
	assert_in_range(overlap_line(&nb, "2001:2:0:a::1"), 5, 6);
	assert_int_equal(overlap_line(&nb, "2001:2:0:a:ffff::/80"), 5);
	assert_int_equal(overlap_line(&nb, "2001:2::/48"), 5);
	assert_int_equal(overlap_line(&nb, "2001:2:0:b::/64"), 0);
	assert_int_equal(overlap_line(&nb, "::ffff:198.19.99.9"), 2);
	assert_int_equal(overlap_line(&nb, "::ffff:198.19.137.9"), 0);
	fw_never_ban_free(&nb);
}

static void test_never_ban_empty(void **state)
{
	struct fw_never_ban nb;

	(void)state;
	never_ban_of(&nb, NULL, 0);
	assert_int_equal(overlap_line(&nb, "198.18.0.1"), 0);
	assert_int_equal(overlap_line(&nb, "2001:2::/48"), 0);
	fw_never_ban_free(&nb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_left_text),
		cmocka_unit_test(test_never_ban_overlap),
		cmocka_unit_test(test_never_ban_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
