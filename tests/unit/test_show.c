// SPDX-License-Identifier: GPL-2.0
/*
 * `xdpfw rules` and `stats` print what the pinned maps hold, and any process
 * that can write them can put any bytes in a rule name: the JSON must stay
 * valid and give the name back exactly, and the table must stay one line
 * per rule with no control byte reaching the terminal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "harness.h"
#include "identity.h"
#include "show.h"
#include "shown.h"
#include "sync.h"

static const char *const names[] = {
	"plain",
	"q\"uote\"",
	"back\\slash\\",
	"nl\nxdpfw: forged.yaml:1:1: error",
	"esc\x1b[31mred\x1b[0m",
	"tab\tcr\rdel\x7f ctl\x01\x1f",
	"slash/utf8-\xc3\xa9",
};
#define NAMES (sizeof(names) / sizeof(names[0]))
#define LONG_RULE 0 /* its stored name gets all FW_RULE_NAME_MAX bytes, no NUL */

/* Puts a rule per name in force, as `apply` does, and fills one stored name to the brim. */
static struct fw_datapath *rules_in_force(void)
{
	static struct fw_datapath *dp;
	struct rule_spec specs[NAMES] = { 0 };
	struct fw_ruleset rs;
	struct fw_compiled compiled;

	if (dp)
		return dp;
	dp = harness_datapath(16);
	for (size_t i = 0; i < NAMES; i++)
		specs[i] = (struct rule_spec){ names[i], NULL, (uint16_t)(1000 + i), FW_PROTO_TCP,
					       FW_ACTION_DROP };
	specs[1].src = "198.18.0.7";
	harness_ruleset(&rs, specs, NAMES, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
	assert_int_equal(fw_compile(&rs, &compiled), 0);
	assert_int_equal(fw_rules_sync(dp, &rs, &compiled, NULL, NULL), 0);
	memset(dp->rule_infos[rs.rules[LONG_RULE].id].name, 'x', FW_RULE_NAME_MAX);
	fw_compiled_free(&compiled);
	free(rs.rules);
	return dp;
}

/* What show() printed for the rules in force; the caller frees it. */
static char *shown(fw_show_fn *show, bool json, size_t *len)
{
	return shown_by(show, rules_in_force(), json, len);
}

static struct json_object *parsed(const char *text, size_t len, enum json_type type)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error error = json_tokener_get_error(tok);

	if (error != json_tokener_success)
		fail_msg("not valid JSON (%s)", json_tokener_error_desc(error));
	assert_true(json_object_is_type(doc, type));
	json_tokener_free(tok);
	return doc;
}

static struct json_object *field(struct json_object *obj, const char *key)
{
	struct json_object *value = NULL;

	if (!json_object_object_get_ex(obj, key, &value))
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(obj));
	return value;
}

static void rules_json_gives_every_name_back_exactly(void **state)
{
	size_t len, seen = 0;
	char *text = shown(fw_show_rules, true, &len);
	struct json_object *rules = parsed(text, len, json_type_array);
	char longest[FW_RULE_NAME_MAX + 1];

	(void)state;
	memset(longest, 'x', FW_RULE_NAME_MAX);
	longest[FW_RULE_NAME_MAX] = '\0';
	assert_int_equal(json_object_array_length(rules), NAMES);
	for (size_t i = 0; i < NAMES; i++) {
		const char *want = i == LONG_RULE ? longest : names[i];

		for (size_t j = 0; j < NAMES; j++) {
			struct json_object *rule = json_object_array_get_idx(rules, j);
			struct json_object *name = field(rule, "name");

			if (strcmp(json_object_get_string(name), want))
				continue;
			seen++;
			assert_int_equal(json_object_get_string_len(name), strlen(want));
			assert_int_equal(json_object_get_int(field(rule, "port")), 1000 + i);
			assert_string_equal(json_object_get_string(field(rule, "proto")), "tcp");
			assert_string_equal(json_object_get_string(field(rule, "action")), "drop");
			assert_true(json_object_is_type(field(rule, "log"), json_type_boolean));
			assert_false(json_object_get_boolean(field(rule, "log")));
			assert_int_equal(json_object_get_int64(field(rule, "packets")), 0);
			assert_int_equal(json_object_get_int64(field(rule, "bytes")), 0);
			if (i == 1)
				assert_string_equal(json_object_get_string(field(rule, "src")),
						    "198.18.0.7");
			else
				assert_null(field(rule, "src"));
		}
	}
	assert_int_equal(seen, NAMES);
	json_object_put(rules);
	free(text);
}

static void rules_table_escapes_control_characters(void **state)
{
	size_t len, lines = 0;
	char *text = shown(fw_show_rules, false, &len);

	(void)state;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n')
			lines++;
		else if (c < 0x20 || c == 0x7f)
			fail_msg("raw control byte 0x%02x at offset %zu of the table", c, i);
	}
	assert_int_equal(lines, 3 + NAMES); /* summary, blank line, header, one per rule */
	assert_non_null(strstr(text, "nl\\nxdpfw: forged.yaml:1:1: error "));
	assert_non_null(strstr(text, "esc\\e[31mred\\e[0m "));
	assert_non_null(strstr(text, "tab\\tcr\\rdel\\x7f ctl\\x01\\x1f "));
	assert_non_null(strstr(text, "back\\\\slash\\\\ "));
	free(text);
}

static void stats_json_has_every_counter(void **state)
{
	size_t len;
	char *text = shown(fw_show_stats, true, &len);
	struct json_object *doc = parsed(text, len, json_type_object);

	(void)state;
	assert_int_equal(json_object_object_length(doc), FW_STAT_COUNT + 3);
	field(doc, "drop_rule"); /* bench/wire.sh reads this one */
	json_object_object_foreach(doc, name, stat) {
		if (!strncmp(name, "events_", 7)) {
			assert_true(json_object_is_type(stat, json_type_int));
			continue;
		}
		assert_true(json_object_is_type(field(stat, "packets"), json_type_int));
		assert_true(json_object_is_type(field(stat, "bytes"), json_type_int));
	}
	field(doc, "events_sent");
	field(doc, "events_suppressed");
	field(doc, "events_lost");
	json_object_put(doc);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_json_gives_every_name_back_exactly),
		cmocka_unit_test(rules_table_escapes_control_characters),
		cmocka_unit_test(stats_json_has_every_counter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
