// SPDX-License-Identifier: GPL-2.0
/* `xdpfw top`'s arithmetic: rates by rule name across reloads, the order of the rows, the units. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "top_data.h"

#define SECOND 1000000000ull

static struct fw_top_rule rule(const char *name, uint64_t packets, uint64_t bytes)
{
	struct fw_top_rule r = { .counter = { packets, bytes } };

	strncpy(r.info.name, name, sizeof(r.info.name));
	return r;
}

/* A sample at `seconds` of rules, sorted by name as fw_top_sample_read() sorts them. */
static struct fw_top_sample sample(double seconds, struct fw_top_rule *rules, size_t count)
{
	return (struct fw_top_sample){ .when_ns = (uint64_t)(seconds * SECOND), .rules = rules,
				       .rule_count = count };
}

static const struct fw_top_row *row_of(const struct fw_top_view *v, const char *name)
{
	for (size_t i = 0; i < v->count; i++)
		if (!strcmp(v->rows[i].rule->info.name, name))
			return &v->rows[i];
	fail_msg("no row %s", name);
	return NULL;
}

static void test_rates_follow_names_not_ids(void **state)
{
	/* Samples know rules by name: a reload that gives a-rule another id keeps its rate. */
	struct fw_top_rule then[] = { rule("a-rule", 100, 10000), rule("b-rule", 50, 500) };
	struct fw_top_rule now[] = { rule("a-rule", 400, 40000), rule("b-rule", 50, 500),
				     rule("c-new", 70, 700) };
	struct fw_top_sample s0 = sample(10, then, 2), s1 = sample(12, now, 3);
	struct fw_top_view v;

	(void)state;
	assert_int_equal(fw_top_view_make(&s0, &s1, &v), 0);
	assert_true(v.seconds > 1.999 && v.seconds < 2.001);
	assert_int_equal(v.count, 3);
	assert_int_equal(row_of(&v, "a-rule")->delta.packets, 300);
	assert_int_equal(row_of(&v, "a-rule")->delta.bytes, 30000);
	assert_true(fw_top_rate(&v, row_of(&v, "a-rule")->delta.packets) == 150);
	assert_int_equal(row_of(&v, "b-rule")->delta.packets, 0);
	/* New since the last sample: no rate yet, rather than its whole count at once. */
	assert_int_equal(row_of(&v, "c-new")->delta.packets, 0);
	assert_ptr_equal(row_of(&v, "c-new")->rule, &now[2]);
	fw_top_view_free(&v);
}

static void test_a_counter_that_went_down_started_again(void **state)
{
	/* New maps, or a rule whose match changed: its counter starts at 0. */
	struct fw_top_rule then[] = { rule("web", 1000000, 90000000) };
	struct fw_top_rule now[] = { rule("web", 300, 45000) };
	struct fw_top_sample s0 = sample(1, then, 1), s1 = sample(2, now, 1);
	struct fw_top_view v;

	(void)state;
	s0.stats[FW_STAT_DROP_RULE] = (struct fw_stat_value){ 5000, 500000 };
	s1.stats[FW_STAT_DROP_RULE] = (struct fw_stat_value){ 40, 4000 };
	s0.events_suppressed = 900;
	s1.events_suppressed = 10;
	assert_int_equal(fw_top_view_make(&s0, &s1, &v), 0);
	assert_int_equal(v.rows[0].delta.packets, 300);
	assert_int_equal(v.rows[0].delta.bytes, 45000);
	assert_int_equal(v.stats[FW_STAT_DROP_RULE].packets, 40);
	assert_int_equal(v.stats[FW_STAT_DROP_RULE].bytes, 4000);
	assert_int_equal(v.events_suppressed, 10);
	fw_top_view_free(&v);
}

static void test_stats_sum_by_verdict(void **state)
{
	struct fw_top_sample s0 = sample(0, NULL, 0), s1 = sample(0.5, NULL, 0);
	struct fw_top_view v;

	(void)state;
	s0.stats[FW_STAT_DROP_BAN] = (struct fw_stat_value){ 10, 1000 };
	s1.stats[FW_STAT_DROP_BAN] = (struct fw_stat_value){ 110, 11000 };
	s1.stats[FW_STAT_DROP_LIMIT] = (struct fw_stat_value){ 5, 500 };
	s1.stats[FW_STAT_PASS_DEFAULT] = (struct fw_stat_value){ 7, 700 };
	s1.stats[FW_STAT_PASS_NON_IP] = (struct fw_stat_value){ 1, 60 };
	s0.events_sent = 3;
	s1.events_sent = 8;
	assert_int_equal(fw_top_view_make(&s0, &s1, &v), 0);
	assert_int_equal(v.dropped.packets, 105);
	assert_int_equal(v.dropped.bytes, 10500);
	assert_int_equal(v.passed.packets, 8);
	assert_int_equal(v.passed.bytes, 760);
	assert_true(fw_top_rate(&v, v.dropped.packets) == 210);
	assert_int_equal(v.events_sent, 5);
	fw_top_view_free(&v);
}

static void test_first_sample_has_no_rates(void **state)
{
	struct fw_top_rule now[] = { rule("a", 5, 50) };
	struct fw_top_sample s1 = sample(3, now, 1);
	struct fw_top_view v;

	(void)state;
	s1.stats[FW_STAT_DROP_RULE] = (struct fw_stat_value){ 5, 50 };
	assert_int_equal(fw_top_view_make(NULL, &s1, &v), 0);
	assert_true(v.seconds == 0);
	assert_int_equal(v.count, 1);
	assert_int_equal(v.rows[0].delta.packets, 0);
	assert_int_equal(v.dropped.packets, 0);
	assert_true(fw_top_rate(&v, 5) == 0);
	fw_top_view_free(&v);
}

/* The names of the view's rows, in order, space-separated. */
static const char *order_of(const struct fw_top_view *v, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < v->count; i++) {
		strncat(buf, v->rows[i].rule->info.name, size - strlen(buf) - 1);
		if (i + 1 < v->count)
			strncat(buf, " ", size - strlen(buf) - 1);
	}
	return buf;
}

static void test_sort_busiest_first_ties_by_name(void **state)
{
	struct fw_top_rule then[] = { rule("a", 0, 0), rule("b", 0, 0), rule("c", 0, 0),
				      rule("d", 0, 0), rule("e", 0, 0) };
	/* b and e tie on packets and bytes; a and d tie on packets only. */
	struct fw_top_rule now[] = { rule("a", 10, 100), rule("b", 50, 5000), rule("c", 0, 0),
				     rule("d", 10, 9000), rule("e", 50, 5000) };
	struct fw_top_sample s0 = sample(0, then, 5), s1 = sample(1, now, 5);
	struct fw_top_view v;
	char buf[64];

	(void)state;
	assert_int_equal(fw_top_view_make(&s0, &s1, &v), 0);
	fw_top_view_sort(&v, FW_TOP_BY_PACKETS);
	assert_string_equal(order_of(&v, buf, sizeof(buf)), "b e d a c");
	fw_top_view_sort(&v, FW_TOP_BY_BYTES);
	assert_string_equal(order_of(&v, buf, sizeof(buf)), "d b e a c");
	fw_top_view_sort(&v, FW_TOP_BY_NAME);
	assert_string_equal(order_of(&v, buf, sizeof(buf)), "a b c d e");
	/* However the rows come, equal rates keep their places: no jitter from second to second. */
	for (int round = 0; round < 5; round++) {
		struct fw_top_row first = v.rows[0];

		memmove(&v.rows[0], &v.rows[1], (v.count - 1) * sizeof(v.rows[0]));
		v.rows[v.count - 1] = first;
		fw_top_view_sort(&v, FW_TOP_BY_PACKETS);
		assert_string_equal(order_of(&v, buf, sizeof(buf)), "b e d a c");
	}
	fw_top_view_free(&v);
}

static void expect_human(double value, const char *want)
{
	char buf[FW_TOP_HUMAN_MAX];

	assert_string_equal(fw_top_human(buf, value), want);
}

static void test_human_units(void **state)
{
	(void)state;
	expect_human(0, "0");
	expect_human(0.2, "<1");
	expect_human(0.6, "1");
	expect_human(999, "999");
	expect_human(999.6, "1.00k");
	expect_human(1234, "1.23k");
	expect_human(12345, "12.3k");
	expect_human(99960, "100k");
	expect_human(123456, "123k");
	expect_human(999999, "1.00M");
	expect_human(14.88e6, "14.9M");
	expect_human(4.2e9, "4.20G");
	expect_human(1.25e12, "1.25T");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates_follow_names_not_ids),
		cmocka_unit_test(test_a_counter_that_went_down_started_again),
		cmocka_unit_test(test_stats_sum_by_verdict),
		cmocka_unit_test(test_first_sample_has_no_rates),
		cmocka_unit_test(test_sort_busiest_first_ties_by_name),
		cmocka_unit_test(test_human_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
