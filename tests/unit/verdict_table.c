// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/bpf.h>
#include "verdict_table.h"

/* The fixture the datapath holds now, so rows sharing one sync it once. */
static const struct fixture *fixture_in_force;

struct fw_datapath *test_datapath(void)
{
	return harness_datapath(TEST_CAPACITY);
}

void fixture_sync(struct fw_datapath *dp, const struct fixture *f)
{
	struct fw_ruleset rs;
	int err;

	fixture_in_force = NULL;
	harness_ruleset(&rs, f->rules, f->count, f->default_action, f->fragments);
	err = fw_datapath_sync(dp, &rs);
	free(rs.rules);
	if (err)
		fail_msg("fw_datapath_sync(%s): %s", f->name, strerror(-err));
	fixture_in_force = f;
}

void fixture_use(struct fw_datapath *dp, const struct fixture *f)
{
	if (fixture_in_force != f)
		fixture_sync(dp, f);
}

void fixture_reset_counters(struct fw_datapath *dp, const struct fixture *f)
{
	for (uint32_t id = 0; id < f->count; id++)
		assert_int_equal(fw_counter_reset(dp, id), 0);
	assert_int_equal(fw_stats_reset(dp), 0);
}

const char *xdp_action_name(int action)
{
	switch (action) {
	case XDP_ABORTED: return "XDP_ABORTED";
	case XDP_DROP: return "XDP_DROP";
	case XDP_PASS: return "XDP_PASS";
	case XDP_TX: return "XDP_TX";
	case XDP_REDIRECT: return "XDP_REDIRECT";
	default: return "XDP_?";
	}
}

void row_mismatch(struct row_check *c, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	print_error("%s: %s\n", c->desc, what);
	c->failures++;
}

void row_check_stats(struct fw_datapath *dp, struct row_check *c,
		     const struct fw_stat_value want[FW_STAT_COUNT])
{
	struct fw_stat_value got[FW_STAT_COUNT];

	if (fw_stats_read(dp, got)) {
		row_mismatch(c, "fw_stats_read failed");
		return;
	}
	for (int slot = 0; slot < FW_STAT_COUNT; slot++)
		if (got[slot].packets != want[slot].packets || got[slot].bytes != want[slot].bytes)
			row_mismatch(c, "stats[%s] = %" PRIu64 " packets / %" PRIu64
				     " bytes, want %" PRIu64 " / %" PRIu64,
				     fw_stat_name(slot), (uint64_t)got[slot].packets,
				     (uint64_t)got[slot].bytes, (uint64_t)want[slot].packets,
				     (uint64_t)want[slot].bytes);
}

void row_check_counter(struct fw_datapath *dp, struct row_check *c, uint32_t id,
		       const char *name, uint64_t packets, uint64_t bytes)
{
	struct fw_counter got;

	if (fw_counter_read(dp, id, &got)) {
		row_mismatch(c, "fw_counter_read(%u) failed", id);
		return;
	}
	if (got.packets != packets || got.bytes != bytes)
		row_mismatch(c, "rule \"%s\" counted %" PRIu64 " packets / %" PRIu64
			     " bytes, want %" PRIu64 " / %" PRIu64,
			     name, (uint64_t)got.packets, (uint64_t)got.bytes, packets, bytes);
}

static long fixture_rule_id(const struct fixture *f, const char *name)
{
	for (size_t i = 0; i < f->count; i++)
		if (!strcmp(f->rules[i].name, name))
			return (long)i;
	return -1;
}

/* The table itself must be coherent, or a wrong row could pass for the wrong reason. */
static void check_row_is_coherent(const struct verdict_case *vc, struct row_check *c)
{
	int by_rule = vc->reason == FW_STAT_PASS_RULE || vc->reason == FW_STAT_DROP_RULE;

	if ((unsigned)vc->reason >= FW_STAT_COUNT)
		row_mismatch(c, "table error: reason %d is no stats slot", (int)vc->reason);
	if (by_rule != (vc->rule != NULL))
		row_mismatch(c, "table error: reason %s %s a rule name", fw_stat_name(vc->reason),
			     by_rule ? "needs" : "takes no");
	if (vc->rule && fixture_rule_id(vc->fixture, vc->rule) < 0)
		row_mismatch(c, "table error: no rule \"%s\" in fixture %s", vc->rule,
			     vc->fixture->name);
}

static void check_rule_counters(struct fw_datapath *dp, struct row_check *c,
				const struct verdict_case *vc, size_t len)
{
	const struct fixture *f = vc->fixture;
	long winner = vc->rule ? fixture_rule_id(f, vc->rule) : -1;

	for (uint32_t id = 0; id < f->count; id++) {
		int won = (long)id == winner;

		row_check_counter(dp, c, id, f->rules[id].name, won ? 1 : 0, won ? len : 0);
	}
}

static void run_verdict_case(void **state)
{
	const struct verdict_case *vc = *state;
	struct row_check check = { .desc = vc->desc };
	struct fw_stat_value want[FW_STAT_COUNT] = { 0 };
	struct fw_datapath *dp = test_datapath();
	uint8_t frame[PKT_MAX];
	size_t len = pkt_build(&vc->pkt, frame);
	int action;

	check_row_is_coherent(vc, &check);
	if (check.failures)
		fail();
	fixture_use(dp, vc->fixture);
	fixture_reset_counters(dp, vc->fixture);

	action = harness_run(dp, frame, len);

	if (action != vc->action)
		row_mismatch(&check, "XDP action %s, want %s", xdp_action_name(action),
			     xdp_action_name(vc->action));
	want[vc->reason] = (struct fw_stat_value){ .packets = 1, .bytes = len };
	row_check_stats(dp, &check, want);
	check_rule_counters(dp, &check, vc, len);
	if (check.failures)
		fail_msg("%s: %d mismatch(es) under rule set \"%s\"", vc->desc, check.failures,
			 vc->fixture->name);
}

int verdict_tables_run(const char *group, const struct verdict_table *tables, size_t count)
{
	struct CMUnitTest *tests;
	size_t n = 0, total = 0;
	int failures;

	for (size_t t = 0; t < count; t++)
		total += tables[t].count;
	tests = calloc(total, sizeof(*tests));
	if (!tests)
		abort();
	for (size_t t = 0; t < count; t++) {
		for (size_t r = 0; r < tables[t].count; r++, n++) {
			const struct verdict_case *vc = &tables[t].rows[r];
			char *name;

			if (asprintf(&name, "%s: %s", tables[t].name, vc->desc) < 0)
				abort();
			tests[n].name = name;
			tests[n].test_func = run_verdict_case;
			tests[n].initial_state = (void *)vc;
		}
	}
	failures = _cmocka_run_group_tests(group, tests, total, NULL, NULL);
	for (size_t i = 0; i < total; i++)
		free((char *)tests[i].name);
	free(tests);
	return failures;
}
