// SPDX-License-Identifier: GPL-2.0
/* fw_duration_parse() and fw_duration_format(): ban_for, poll, ban --for. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "duration.h"

#define SEC FW_NS_PER_SEC

static uint64_t parsed(const char *text)
{
	uint64_t ns = 12345;
	int err = fw_duration_parse(text, strlen(text), &ns);

	if (err)
		fail_msg("\"%s\": %d", text, err);
	return ns;
}

static void expect_error(const char *text, int want)
{
	uint64_t ns = 12345;
	int err = fw_duration_parse(text, strlen(text), &ns);

	if (err != want)
		fail_msg("\"%s\": want %d, got %d (%llu ns)", text, want, err,
			 (unsigned long long)ns);
	assert_int_equal(ns, 12345); /* untouched on error */
}

static void test_units(void **state)
{
	(void)state;
	assert_int_equal(parsed("30s"), 30 * SEC);
	assert_int_equal(parsed("10m"), 600 * SEC);
	assert_int_equal(parsed("2h"), 7200 * SEC);
	assert_int_equal(parsed("7d"), 7 * 86400 * SEC);
	assert_int_equal(parsed("100ms"), 100 * FW_NS_PER_MS);
	assert_int_equal(parsed("0s"), 0);
	assert_int_equal(parsed("007s"), 7 * SEC);
}

static void test_combinations(void **state)
{
	(void)state;
	assert_int_equal(parsed("1h30m"), 5400 * SEC);
	assert_int_equal(parsed("1d12h"), 36 * 3600 * SEC);
	assert_int_equal(parsed("1m30s500ms"), 90 * SEC + 500 * FW_NS_PER_MS);
	assert_int_equal(parsed("2d0h5s"), 2 * 86400 * SEC + 5 * SEC);
	/* "m" then "ms": the longest unit name is read. */
	assert_int_equal(parsed("1m1ms"), 60 * SEC + FW_NS_PER_MS);
}

static void test_not_durations(void **state)
{
	static const char *const bad[] = {
		"", "s", "10", "10x", "10 s", " 10s", "10s ", "10S", "1.5h", "-1s", "+1s",
		"30m1h", "1h1h", "10s5", "1ms5s", "ms", "10sec", "1w", "10mss", "h1",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_error(bad[i], -EINVAL);
}

static void test_length_is_respected(void **state)
{
	uint64_t ns = 0;

	(void)state;
	/* Not NUL-terminated where len ends. */
	assert_int_equal(fw_duration_parse("10mXYZ", 3, &ns), 0);
	assert_int_equal(ns, 600 * SEC);
	assert_int_equal(fw_duration_parse("1h30m", 2, &ns), 0);
	assert_int_equal(ns, 3600 * SEC);
}

static void test_overflow(void **state)
{
	(void)state;
	/* UINT64_MAX ns is 213503d23h34m33s709ms and a little. */
	assert_int_equal(parsed("213503d23h34m33s709ms"), 18446744073709000000ull);
	expect_error("213503d23h34m33s710ms", -ERANGE);
	expect_error("213504d", -ERANGE);
	expect_error("18446744073709551616ms", -ERANGE);
	expect_error("99999999999999999999999999d", -ERANGE);
}

static void test_format(void **state)
{
	char buf[FW_DURATION_TEXT_MAX];

	(void)state;
	assert_string_equal(fw_duration_format(0, buf), "0s");
	assert_string_equal(fw_duration_format(30 * SEC, buf), "30s");
	assert_string_equal(fw_duration_format(5400 * SEC, buf), "1h30m");
	assert_string_equal(fw_duration_format(7 * 86400 * SEC, buf), "7d");
	assert_string_equal(fw_duration_format(1500 * FW_NS_PER_MS, buf), "1s500ms");
	assert_string_equal(fw_duration_format(999999, buf), "0s");
	assert_string_equal(fw_duration_format(UINT64_MAX, buf), "213503d23h34m33s709ms");
}

/* What format writes, parse reads back (to the millisecond). */
static void test_round_trip(void **state)
{
	static const uint64_t values[] = {
		1 * FW_NS_PER_MS, 59 * SEC, 61 * SEC, 3599 * SEC, 90061001 * FW_NS_PER_MS,
		18446744073709000000ull,
	};
	char buf[FW_DURATION_TEXT_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		assert_int_equal(parsed(fw_duration_format(values[i], buf)), values[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_combinations),
		cmocka_unit_test(test_not_durations),
		cmocka_unit_test(test_length_is_respected),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
