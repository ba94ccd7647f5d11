// SPDX-License-Identifier: GPL-2.0
/*
 * What a sync does with `limit` and `tcp_flags: syn` rules beyond the rule
 * sets: fw_limits holds each limit rule's policy by its id, named bans'
 * origin "limit:RULE"; an unchanged policy is not rewritten (a `per: rule`
 * bucket keeps its state), a changed one starts afresh, a gone one is
 * deleted; a limit that comes or goes keeps the rule's id and counters,
 * tcp_flags does not. FW_ACTIVE_TCP_SYN is set only while a syn rule is,
 * and a config without one compiles to no TCP_SYN entry at all. `rules`
 * shows tcp_flags and the limit as the config writes them.
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
#include "show.h"
#include "shown.h"
#include "sync.h"
#include "sync_limits.h"

#define MS 1000000ull
#define S (1000 * MS)

enum { FLOOD, RULE_WIDE, PLAIN, RULES };

static const struct rule_spec specs[RULES] = {
	[FLOOD] = { "ssh-syn-flood", NULL, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	[RULE_WIDE] = { "web-cap", NULL, 80, FW_PROTO_TCP, FW_ACTION_DROP },
	[PLAIN] = { "plain", "198.18.0.1", 443, FW_PROTO_TCP, FW_ACTION_DROP },
};

/* The rule set of the DESIGN example: a per-source SYN limit with a ban, a per-rule cap. */
static void example(struct fw_ruleset *rs)
{
	harness_ruleset(rs, specs, RULES, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
	rs->rules[FLOOD].tcp_flags = FW_TCP_FLAGS_SYN;
	rs->rules[FLOOD].limit = (struct fw_rule_limit){ 50 * MS, 40, true, 600 * S };
	rs->rules[RULE_WIDE].limit = (struct fw_rule_limit){ 10 * MS, 5, false, 0 };
}

static struct fw_datapath *datapath(void)
{
	return harness_datapath(64);
}

static struct fw_sync_report sync_rules(struct fw_ruleset *rs)
{
	struct fw_sync_report report = { 0 };
	struct fw_compiled compiled;

	assert_int_equal(fw_compile(rs, &compiled), 0);
	assert_int_equal(fw_rules_sync(datapath(), rs, &compiled, &report, NULL), 0);
	fw_compiled_free(&compiled);
	return report;
}

/* Puts the example in force; the id it gave rule. */
static uint32_t example_in_force(int rule)
{
	struct fw_ruleset rs;
	uint32_t id;

	example(&rs);
	sync_rules(&rs);
	id = rs.rules[rule].id;
	free(rs.rules);
	return id;
}

static bool limit_of(uint32_t id, struct fw_limit_value *v)
{
	return !bpf_map_lookup_elem(datapath()->limits_fd, &id, v);
}

static uint32_t limits_held(void)
{
	uint32_t key, next, n = 0;
	void *at = NULL;

	while (!bpf_map_get_next_key(datapath()->limits_fd, at, &next)) {
		n++;
		key = next;
		at = &key;
	}
	return n;
}

static void assert_origin(uint32_t index, const char *name)
{
	struct fw_ban_origin origin;

	assert_int_equal(bpf_map_lookup_elem(datapath()->ban_origins_fd, &index, &origin), 0);
	assert_string_equal(origin.name, name);
}

static uint32_t active_word(void)
{
	uint32_t word;

	assert_int_equal(fw_param_read(datapath(), FW_PARAM_ACTIVE, &word), 0);
	return word;
}

static void test_limits_written(void **state)
{
	struct fw_ruleset rs;
	struct fw_limit_value v;
	const struct fw_rule_info *info;

	(void)state;
	example(&rs);
	sync_rules(&rs);
	assert_true(limit_of(rs.rules[FLOOD].id, &v));
	assert_int_equal(v.interval, 50 * MS);
	assert_int_equal(v.burst_window, 40 * 50 * MS);
	assert_int_equal(v.ban_for, 600 * S);
	assert_int_equal(v.per_source, 1);
	assert_int_equal(v.tat, 0);
	assert_origin(v.ban_origin, "limit:ssh-syn-flood");
	assert_true(limit_of(rs.rules[RULE_WIDE].id, &v));
	assert_int_equal(v.interval, 10 * MS);
	assert_int_equal(v.burst_window, 50 * MS);
	assert_int_equal(v.ban_for, 0);
	assert_int_equal(v.per_source, 0);
	assert_false(limit_of(rs.rules[PLAIN].id, &v));
	assert_int_equal(limits_held(), 2);

	info = &datapath()->rule_infos[rs.rules[FLOOD].id];
	assert_int_equal(info->action, FW_ACTION_LIMIT);
	assert_int_equal(info->proto, FW_PROTO_TCP);
	assert_int_equal(info->tcp_flags, FW_TCP_FLAGS_SYN);
	assert_int_equal(datapath()->rule_infos[rs.rules[PLAIN].id].action, FW_ACTION_DROP);
	assert_true(active_word() & FW_ACTIVE_TCP_SYN);
	free(rs.rules);
}

/* The datapath's state of a per-rule bucket, as if packets had come. */
static void set_tat(uint32_t id, uint64_t tat)
{
	struct fw_limit_value v;

	assert_true(limit_of(id, &v));
	v.tat = tat;
	assert_int_equal(bpf_map_update_elem(datapath()->limits_fd, &id, &v, BPF_EXIST), 0);
}

static void test_unchanged_limit_keeps_its_bucket(void **state)
{
	struct fw_ruleset rs;
	struct fw_limit_value v;
	struct fw_sync_report report;
	uint32_t ids[RULES];

	(void)state;
	example(&rs);
	sync_rules(&rs);
	for (int i = 0; i < RULES; i++)
		ids[i] = rs.rules[i].id;
	set_tat(ids[RULE_WIDE], 123456789);
	free(rs.rules);

	example(&rs);
	report = sync_rules(&rs);
	assert_int_equal(report.kept, RULES);
	for (int i = 0; i < RULES; i++)
		assert_int_equal(rs.rules[i].id, ids[i]);
	assert_true(limit_of(ids[RULE_WIDE], &v));
	assert_int_equal(v.tat, 123456789);
	free(rs.rules);
}

static void test_changed_limit_keeps_the_rule(void **state)
{
	struct fw_ruleset rs;
	struct fw_limit_value v;
	struct fw_counter counter;
	struct fw_sync_report report;
	uint32_t id;

	(void)state;
	id = example_in_force(RULE_WIDE);
	assert_int_equal(fw_counter_add(datapath(), id, &(struct fw_counter){ 7, 700 }), 0);
	set_tat(id, 987654321);

	example(&rs);
	rs.rules[RULE_WIDE].limit.interval = 20 * MS; /* 50/s, was 100/s */
	report = sync_rules(&rs);
	assert_int_equal(rs.rules[RULE_WIDE].id, id);
	assert_int_equal(report.kept, RULES);
	assert_true(limit_of(id, &v));
	assert_int_equal(v.interval, 20 * MS);
	assert_int_equal(v.burst_window, 5 * 20 * MS);
	assert_int_equal(v.tat, 0);
	assert_int_equal(fw_counter_read(datapath(), id, &counter), 0);
	assert_true(counter.packets >= 7);
	free(rs.rules);
}

static void test_limit_gone_keeps_the_rule(void **state)
{
	struct fw_ruleset rs;
	struct fw_limit_value v;
	struct fw_counter before, after;
	struct fw_sync_report report;
	uint32_t id;

	(void)state;
	id = example_in_force(FLOOD);
	assert_int_equal(fw_counter_add(datapath(), id, &(struct fw_counter){ 3, 300 }), 0);
	assert_int_equal(fw_counter_read(datapath(), id, &before), 0);

	example(&rs);
	rs.rules[FLOOD].limit = (struct fw_rule_limit){ 0 }; /* a plain drop rule now */
	report = sync_rules(&rs);
	assert_int_equal(rs.rules[FLOOD].id, id);
	assert_int_equal(report.changed, 1);
	assert_false(limit_of(id, &v));
	assert_int_equal(limits_held(), 1);
	assert_int_equal(datapath()->rule_infos[id].action, FW_ACTION_DROP);
	assert_int_equal(fw_counter_read(datapath(), id, &after), 0);
	assert_int_equal(after.packets, before.packets);
	free(rs.rules);

	example(&rs);
	report = sync_rules(&rs); /* and back */
	assert_int_equal(rs.rules[FLOOD].id, id);
	assert_int_equal(report.changed, 1);
	assert_true(limit_of(id, &v));
	assert_int_equal(datapath()->rule_infos[id].action, FW_ACTION_LIMIT);
	free(rs.rules);
}

static void test_tcp_flags_are_the_match(void **state)
{
	struct fw_ruleset rs;
	struct fw_sync_report report;
	uint32_t id;

	(void)state;
	id = example_in_force(FLOOD);

	example(&rs);
	rs.rules[FLOOD].tcp_flags = 0;
	report = sync_rules(&rs);
	assert_int_not_equal(rs.rules[FLOOD].id, id);
	assert_int_equal(report.changed, 1);
	assert_int_equal(datapath()->rule_infos[rs.rules[FLOOD].id].tcp_flags, 0);
	assert_false(active_word() & FW_ACTIVE_TCP_SYN);
	free(rs.rules);
}

static void test_too_many_limits(void **state)
{
	struct fw_ruleset rs;

	(void)state;
	harness_ruleset(&rs, specs, 1, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
	rs.count = FW_MAX_LIMITS + 1; /* the same rule as written, many times: only the count counts */
	rs.rules = realloc(rs.rules, rs.count * sizeof(*rs.rules));
	assert_non_null(rs.rules);
	for (size_t i = 0; i < rs.count; i++) {
		rs.rules[i] = rs.rules[0];
		rs.rules[i].limit = (struct fw_rule_limit){ MS, 1, true, 0 };
		rs.rules[i].id = (uint32_t)i;
	}
	assert_int_equal(fw_limits_write(datapath(), &rs), -E2BIG);
	free(rs.rules);
}

static void test_origin_name_fits(void **state)
{
	char name[FW_RULE_NAME_MAX], rule[FW_RULE_NAME_MAX];

	(void)state;
	memset(rule, 'r', sizeof(rule) - 1);
	rule[sizeof(rule) - 1] = '\0';
	fw_limit_origin_name(name, rule);
	assert_int_equal(strlen(name), FW_RULE_NAME_MAX - 1);
	assert_memory_equal(name, "limit:rrr", 9);
	fw_limit_origin_name(name, "ssh");
	assert_string_equal(name, "limit:ssh");
}

/* No syn rule: SYNs get what TCP gets, in every slot, and no TCP_SYN port entry exists. */
static void test_no_syn_rule_no_syn_entries(void **state)
{
	static const struct rule_spec plain[] = {
		{ "a", "198.18.0.0", 22, FW_PROTO_TCP, FW_ACTION_PASS },
		{ "b", "198.18.0.0", 0, FW_PROTO_TCP, FW_ACTION_DROP },
		{ "c", "2001:2::1", 53, FW_PROTO_ANY, FW_ACTION_PASS },
		{ "d", NULL, 80, FW_PROTO_TCP, FW_ACTION_PASS },
		{ "e", NULL, 0, FW_PROTO_TCP, FW_ACTION_DROP },
	};
	struct fw_ruleset rs;
	struct fw_compiled c;

	(void)state;
	harness_ruleset(&rs, plain, sizeof(plain) / sizeof(plain[0]), FW_ACTION_PASS,
			FW_FRAGMENTS_INSPECT);
	rs.rules[0].src_len = 96 + 16;
	assert_int_equal(fw_compile(&rs, &c), 0);
	assert_int_equal(c.tcp_syn, 0);
	for (size_t i = 0; i < c.port_rules; i++)
		assert_int_not_equal(c.port_rule_keys[i].proto, FW_PROTO_TCP_SYN);
	for (size_t port = 0; port < FW_PORTS; port++)
		assert_memory_equal(&c.ports[port].by_proto[FW_PROTO_TCP_SYN],
				    &c.ports[port].by_proto[FW_PROTO_TCP], sizeof(struct fw_rule_ref));
	for (size_t i = 0; i < c.sources6; i++)
		assert_memory_equal(&c.source6_values[i].by_proto[FW_PROTO_TCP_SYN],
				    &c.source6_values[i].by_proto[FW_PROTO_TCP],
				    sizeof(struct fw_rule_ref));
	assert_true(c.class_count > 1);
	for (size_t i = 0; i < c.class_count; i++)
		assert_memory_equal(&c.classes[i].by_proto[FW_PROTO_TCP_SYN],
				    &c.classes[i].by_proto[FW_PROTO_TCP], sizeof(struct fw_rule_ref));
	fw_compiled_free(&c);
	free(rs.rules);
}

static char *shown(bool json)
{
	return shown_by(fw_show_rules, datapath(), json, NULL);
}

static void contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("no \"%s\" in:\n%s", part, text);
}

static struct json_object *rule_json(struct json_object *doc, const char *name)
{
	for (size_t i = 0; i < json_object_array_length(doc); i++) {
		struct json_object *rule = json_object_array_get_idx(doc, i);

		if (!strcmp(json_object_get_string(json_object_object_get(rule, "name")), name))
			return rule;
	}
	fail_msg("no rule %s in the JSON", name);
	return NULL;
}

static const char *field(struct json_object *obj, const char *key)
{
	struct json_object *value = NULL;

	if (!json_object_object_get_ex(obj, key, &value))
		return "(absent)";
	return value ? json_object_get_string(value) : "(null)";
}

static void test_rules_show_flags_and_limits(void **state)
{
	struct fw_ruleset rs;
	struct json_object *doc, *rule, *limit;
	char *text;

	(void)state;
	example(&rs);
	sync_rules(&rs);
	text = shown(false);
	contains(text, "PROTO    ACTION  LIMIT                              ");
	contains(text, "tcp syn  drop    20/s burst 40 per source, ban 10m  ");
	contains(text, "tcp      drop    100/s burst 5 per rule             ");
	contains(text, "tcp      drop    -                                  ");
	free(text);

	text = shown(true);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	rule = rule_json(doc, "ssh-syn-flood");
	assert_string_equal(field(rule, "proto"), "tcp");
	assert_string_equal(field(rule, "tcp_flags"), "syn");
	assert_string_equal(field(rule, "action"), "drop");
	assert_true(json_object_object_get_ex(rule, "limit", &limit));
	assert_string_equal(field(limit, "rate"), "20/s");
	assert_string_equal(field(limit, "burst"), "40");
	assert_string_equal(field(limit, "per"), "source");
	assert_string_equal(field(rule, "ban_for"), "10m");
	rule = rule_json(doc, "web-cap");
	assert_string_equal(field(rule, "tcp_flags"), "(absent)");
	assert_string_equal(field(rule, "ban_for"), "(null)");
	assert_true(json_object_object_get_ex(rule, "limit", &limit));
	assert_string_equal(field(limit, "per"), "rule");
	rule = rule_json(doc, "plain");
	assert_string_equal(field(rule, "limit"), "(absent)");
	json_object_put(doc);
	free(text);

	/* Without limits, the table is as it was: no LIMIT column. */
	rs.rules[FLOOD].limit = (struct fw_rule_limit){ 0 };
	rs.rules[RULE_WIDE].limit = (struct fw_rule_limit){ 0 };
	sync_rules(&rs);
	text = shown(false);
	contains(text, "  PROTO    ACTION       PACKETS");
	assert_null(strstr(text, "LIMIT"));
	free(text);
	free(rs.rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits_written),
		cmocka_unit_test(test_unchanged_limit_keeps_its_bucket),
		cmocka_unit_test(test_changed_limit_keeps_the_rule),
		cmocka_unit_test(test_limit_gone_keeps_the_rule),
		cmocka_unit_test(test_tcp_flags_are_the_match),
		cmocka_unit_test(test_too_many_limits),
		cmocka_unit_test(test_origin_name_fits),
		cmocka_unit_test(test_no_syn_rule_no_syn_entries),
		cmocka_unit_test(test_rules_show_flags_and_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
