// SPDX-License-Identifier: GPL-2.0
/*
 * What a sync puts in force for events (DESIGN §1b): FW_PARAM_LOG says
 * which packets are worth one (0 when nothing logs), fw_log[0] holds the
 * log_rate bucket (interval, burst * interval), fw_rule_info[id].flags
 * says FW_RULE_LOG for a rule with `log: true`. A reload that flips `log`
 * alone keeps the rule's id and counters and rewrites its flag, even for a
 * rule whose entry the sync would otherwise leave alone; an unchanged
 * policy keeps the bucket's state; new maps get the policy too. `rules`
 * shows which rules log.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <json-c/json.h>
#include "harness.h"
#include "identity.h"
#include "log_policy.h"
#include "show.h"
#include "shown.h"
#include "sync.h"
#include "sync_log.h"

#define MS 1000000ull

enum { SSH, WEB, FLOOD, RULES };

static const struct rule_spec specs[RULES] = {
	[SSH] = { "ssh-others", NULL, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	[WEB] = { "web", NULL, 443, FW_PROTO_TCP, FW_ACTION_PASS },
	[FLOOD] = { "dns-flood", "198.18.0.0", 53, FW_PROTO_UDP, FW_ACTION_DROP },
};

#define CAPACITY 64

static struct fw_datapath *datapath(void)
{
	return harness_datapath(CAPACITY);
}

/* The rule set of the DESIGN example, nothing logged; FLOOD has a limit. */
static void example(struct fw_ruleset *rs)
{
	harness_ruleset(rs, specs, RULES, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
	rs->rules[FLOOD].limit = (struct fw_rule_limit){ 10 * MS, 5, true, 0 };
}

static struct fw_sync_report sync_on(struct fw_datapath *dp, struct fw_ruleset *rs)
{
	struct fw_sync_report report = { 0 };
	struct fw_compiled compiled;

	assert_int_equal(fw_compile(rs, &compiled), 0);
	assert_int_equal(fw_rules_sync(dp, rs, &compiled, &report, NULL), 0);
	fw_compiled_free(&compiled);
	return report;
}

static struct fw_sync_report sync_rules(struct fw_ruleset *rs)
{
	return sync_on(datapath(), rs);
}

static uint32_t param_log(const struct fw_datapath *dp)
{
	uint32_t bits;

	assert_int_equal(fw_param_read(dp, FW_PARAM_LOG, &bits), 0);
	return bits;
}

static struct fw_limit_value bucket(void)
{
	struct fw_limit_value v;
	uint32_t key = 0;

	assert_int_equal(bpf_map_lookup_elem(datapath()->log_fd, &key, &v), 0);
	return v;
}

/* The datapath's state of the bucket, as if events had been sent. */
static void set_tat(uint64_t tat)
{
	struct fw_limit_value v = bucket();
	uint32_t key = 0;

	v.tat = tat;
	assert_int_equal(bpf_map_update_elem(datapath()->log_fd, &key, &v, BPF_EXIST), 0);
}

static uint32_t flags_of(const struct fw_ruleset *rs, int rule)
{
	return datapath()->rule_infos[rs->rules[rule].id].flags;
}

static void test_nothing_logs(void **state)
{
	struct fw_ruleset rs;
	struct fw_limit_value v;

	(void)state;
	example(&rs);
	sync_rules(&rs);
	assert_int_equal(param_log(datapath()), 0);
	for (int i = 0; i < RULES; i++)
		assert_int_equal(flags_of(&rs, i), 0);
	/* interval 0 in a rule set made by a test: the default, 100/s with a burst of 100. */
	v = bucket();
	assert_int_equal(v.interval, 10 * MS);
	assert_int_equal(v.burst_window, FW_DEFAULT_LOG_RATE * 10 * MS);
	free(rs.rules);
}

static void test_everything_logs(void **state)
{
	struct fw_ruleset rs;
	struct fw_limit_value v;

	(void)state;
	example(&rs);
	rs.rules[SSH].log = true;
	rs.log = (struct fw_log_policy){ .interval = 20 * MS, .burst = 7, .bans = true,
					 .limits = true };
	sync_rules(&rs);
	assert_int_equal(param_log(datapath()), FW_LOG_RULES | FW_LOG_BANS | FW_LOG_LIMITS);
	assert_int_equal(flags_of(&rs, SSH), FW_RULE_LOG);
	assert_int_equal(flags_of(&rs, WEB), 0);
	assert_int_equal(flags_of(&rs, FLOOD), 0);
	v = bucket();
	assert_int_equal(v.interval, 20 * MS);
	assert_int_equal(v.burst_window, 7 * 20 * MS);
	free(rs.rules);
}

/* Each setting alone sets its bit alone. */
static void test_each_bit(void **state)
{
	static const struct {
		bool rule, bans, limits;
		uint32_t want;
	} cases[] = {
		{ true, false, false, FW_LOG_RULES },
		{ false, true, false, FW_LOG_BANS },
		{ false, false, true, FW_LOG_LIMITS },
		{ false, false, false, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fw_ruleset rs;

		example(&rs);
		rs.rules[WEB].log = cases[i].rule;
		rs.log.bans = cases[i].bans;
		rs.log.limits = cases[i].limits;
		assert_int_equal(fw_log_bits(&rs), cases[i].want);
		sync_rules(&rs);
		assert_int_equal(param_log(datapath()), cases[i].want);
		assert_int_equal(flags_of(&rs, WEB), cases[i].rule ? FW_RULE_LOG : 0);
		free(rs.rules);
	}
}

/* Syncs the example, with SSH logging or not, twice: the second finds SSH's entry in both sets. */
static void settle_example(bool ssh_logs, uint32_t ids[RULES])
{
	for (int round = 0; round < 2; round++) {
		struct fw_ruleset rs;

		example(&rs);
		rs.rules[SSH].log = ssh_logs;
		sync_rules(&rs);
		for (int i = 0; i < RULES; i++)
			ids[i] = rs.rules[i].id;
		free(rs.rules);
	}
}

/* Flips SSH's log and syncs: same ids, counters kept, the flag and the param follow. */
static void flip(bool ssh_logs, const uint32_t ids[RULES], const struct fw_counter before[RULES])
{
	struct fw_ruleset rs;
	struct fw_sync_report report;
	struct fw_counter after;

	example(&rs);
	rs.rules[SSH].log = ssh_logs;
	report = sync_rules(&rs);
	assert_int_equal(report.kept, RULES);
	assert_int_equal(report.added + report.removed + report.changed, 0);
	for (int i = 0; i < RULES; i++) {
		assert_int_equal(rs.rules[i].id, ids[i]);
		assert_int_equal(fw_counter_read(datapath(), ids[i], &after), 0);
		assert_int_equal(after.packets, before[i].packets);
		assert_int_equal(after.bytes, before[i].bytes);
	}
	assert_int_equal(flags_of(&rs, SSH), ssh_logs ? FW_RULE_LOG : 0);
	assert_int_equal(flags_of(&rs, WEB), 0);
	assert_int_equal(param_log(datapath()), ssh_logs ? FW_LOG_RULES : 0);
	free(rs.rules);
}

static void test_log_flip_keeps_the_rule(void **state)
{
	struct fw_counter before[RULES];
	uint32_t ids[RULES];

	(void)state;
	settle_example(false, ids);
	for (int i = 0; i < RULES; i++) {
		struct fw_counter add = { 10 + (uint64_t)i, 1000 + 100 * (uint64_t)i };

		assert_int_equal(fw_counter_add(datapath(), ids[i], &add), 0);
		assert_int_equal(fw_counter_read(datapath(), ids[i], &before[i]), 0);
	}
	flip(true, ids, before);
	settle_example(true, ids); /* both sets hold SSH logging now */
	flip(false, ids, before);
	flip(true, ids, before);
}

static void test_same_policy_keeps_the_bucket(void **state)
{
	struct fw_ruleset rs;
	struct fw_limit_value v;

	(void)state;
	example(&rs);
	rs.rules[SSH].log = true;
	rs.log = (struct fw_log_policy){ .interval = 20 * MS, .burst = 7 };
	sync_rules(&rs);
	set_tat(123456789);
	rs.log.bans = true; /* what logs is no part of the bucket */
	sync_rules(&rs);
	assert_int_equal(bucket().tat, 123456789);

	rs.log.burst = 8;
	sync_rules(&rs);
	v = bucket();
	assert_int_equal(v.tat, 0);
	assert_int_equal(v.burst_window, 8 * 20 * MS);
	set_tat(987654321);
	rs.log.interval = 30 * MS;
	sync_rules(&rs);
	v = bucket();
	assert_int_equal(v.tat, 0);
	assert_int_equal(v.interval, 30 * MS);
	assert_int_equal(v.burst_window, 8 * 30 * MS);
	free(rs.rules);
}

/* A burst left 0 is one second's worth at the rate, at least 1. */
static void test_policy_defaults(void **state)
{
	struct fw_log_policy p = { .interval = 3 * 1000 * MS };

	(void)state;
	fw_log_policy_fill(&p);
	assert_int_equal(p.burst, 1);
	p = (struct fw_log_policy){ .interval = 2 * MS };
	fw_log_policy_fill(&p);
	assert_int_equal(p.burst, 500);
	p = (struct fw_log_policy){ .interval = 2 * MS, .burst = 3 };
	fw_log_policy_fill(&p);
	assert_int_equal(p.burst, 3);
	p = (struct fw_log_policy){ 0 };
	fw_log_policy_fill(&p);
	assert_int_equal(p.interval, FW_DEFAULT_LOG_INTERVAL);
	assert_int_equal(p.burst, FW_DEFAULT_LOG_RATE);
}

/* The sync of rule sets made by tests writes the policy too. */
static void test_datapath_sync_writes_it(void **state)
{
	struct fw_ruleset rs;

	(void)state;
	example(&rs);
	rs.rules[FLOOD].log = true;
	rs.log.limits = true;
	assert_int_equal(fw_datapath_sync(datapath(), &rs), 0);
	assert_int_equal(param_log(datapath()), FW_LOG_RULES | FW_LOG_LIMITS);
	free(rs.rules);
	example(&rs);
	assert_int_equal(fw_datapath_sync(datapath(), &rs), 0);
	assert_int_equal(param_log(datapath()), 0);
	free(rs.rules);
}

/* New maps (a bigger config) share fw_log with the old, and their sync writes their params. */
static void test_new_maps_get_the_policy(void **state)
{
	struct fw_room room = fw_room_for_capacity(2 * CAPACITY);
	struct fw_datapath fresh;
	struct fw_ruleset rs;
	uint32_t key = 0;
	struct fw_limit_value v;

	(void)state;
	example(&rs);
	rs.rules[WEB].log = true;
	rs.log = (struct fw_log_policy){ .interval = 20 * MS, .burst = 7, .bans = true };
	sync_rules(&rs);
	set_tat(555);

	fw_datapath_init(&fresh);
	assert_int_equal(fw_datapath_load_over(&fresh, 2 * CAPACITY, &room, datapath()->max_bans,
					       datapath()),
			 0);
	assert_int_equal(param_log(&fresh), 0);
	sync_on(&fresh, &rs);
	assert_int_equal(param_log(&fresh), FW_LOG_RULES | FW_LOG_BANS);
	assert_int_equal(fresh.rule_infos[rs.rules[WEB].id].flags, FW_RULE_LOG);
	assert_int_equal(bpf_map_lookup_elem(fresh.log_fd, &key, &v), 0);
	assert_int_equal(v.tat, 555); /* the same map, the same policy: the state stays */
	assert_int_equal(v.burst_window, 7 * 20 * MS);
	fw_datapath_close(&fresh);
	free(rs.rules);
}

static char *shown(bool json)
{
	return shown_by(fw_show_rules, datapath(), json, NULL);
}

/* The table's line of a rule: the one that starts with its name. */
static const char *row_of(const char *text, const char *name)
{
	for (const char *line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (!strncmp(line, name, strlen(name)) && line[strlen(name)] == ' ')
			return line;
	fail_msg("no row %s in:\n%s", name, text);
	return NULL;
}

static void assert_row(const char *text, const char *name, const char *part)
{
	const char *row = row_of(text, name), *end = strchr(row, '\n');
	const char *at = strstr(row, part);

	if (!at || (end && at > end))
		fail_msg("no \"%s\" in the row of %s:\n%s", part, name, text);
}

static bool json_log_of(struct json_object *doc, const char *name)
{
	for (size_t i = 0; i < json_object_array_length(doc); i++) {
		struct json_object *rule = json_object_array_get_idx(doc, i), *log;

		if (strcmp(json_object_get_string(json_object_object_get(rule, "name")), name))
			continue;
		if (!json_object_object_get_ex(rule, "log", &log) ||
		    !json_object_is_type(log, json_type_boolean))
			fail_msg("rule %s: no boolean \"log\" in %s", name,
				 json_object_to_json_string(rule));
		return json_object_get_boolean(log);
	}
	fail_msg("no rule %s in the JSON", name);
	return false;
}

static void test_rules_show_log(void **state)
{
	struct fw_ruleset rs;
	struct json_object *doc;
	char *text;

	(void)state;
	example(&rs);
	rs.rules[SSH].log = true;
	sync_rules(&rs);
	text = shown(false);
	if (!strstr(text, "  ACTION  LOG  LIMIT "))
		fail_msg("no LOG column before LIMIT in:\n%s", text);
	assert_row(text, "ssh-others", "  drop    yes  -  ");
	assert_row(text, "web", "  pass    -    -  ");
	assert_row(text, "dns-flood", "  drop    -    100/s burst 5 per source  ");
	free(text);

	text = shown(true);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	assert_true(json_log_of(doc, "ssh-others"));
	assert_false(json_log_of(doc, "web"));
	assert_false(json_log_of(doc, "dns-flood"));
	json_object_put(doc);
	free(text);

	/* Nothing logs: no LOG column, and "log": false everywhere. */
	rs.rules[SSH].log = false;
	sync_rules(&rs);
	text = shown(false);
	assert_null(strstr(text, "LOG"));
	assert_row(text, "ssh-others", "  drop    -  ");
	free(text);
	text = shown(true);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	assert_false(json_log_of(doc, "ssh-others"));
	json_object_put(doc);
	free(text);
	free(rs.rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_logs),
		cmocka_unit_test(test_everything_logs),
		cmocka_unit_test(test_each_bit),
		cmocka_unit_test(test_log_flip_keeps_the_rule),
		cmocka_unit_test(test_same_policy_keeps_the_bucket),
		cmocka_unit_test(test_policy_defaults),
		cmocka_unit_test(test_datapath_sync_writes_it),
		cmocka_unit_test(test_new_maps_get_the_policy),
		cmocka_unit_test(test_rules_show_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
