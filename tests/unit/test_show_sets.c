// SPDX-License-Identifier: GPL-2.0
/*
 * `xdpfw rules` and `xdpfw sets` once a config with sets, prefixes and port
 * lists is in force, as `apply` puts it: a set rule shows its set and
 * element count, a prefix rule its prefix, a rule with a port range or
 * list its first port and that more follow; `sets` lists every set with
 * its counts, file and the rules that use it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "conf_dir.h"
#include "in_force.h"
#include "show.h"

static const char list_text[] =
	"; Spamhaus DROP style\n"
	"198.18.64.0/18 ; SBL1\n"
	"198.19.0.0/16 ; SBL2\n"
	"198.19.0.0/16 ; listed twice: counted as written\n"
	"2001:2:0:66::/64 ; SBL3\n";

static const char config_text[] =
	"interfaces:\n"
	"  - name: eth0\n"
	"sets:\n"
	"  blocklist:\n"
	"    file: block.txt\n"
	"  office:\n"
	"    elements: [198.18.3.0/24, 2001:2:0:9::/64, 198.18.4.4]\n"
	"  idle:\n"
	"    elements: [198.18.5.0/24]\n"
	"rules:\n"
	"  - name: block\n"
	"    src: \"@blocklist\"\n"
	"  - name: office-web\n"
	"    src: \"@office\"\n"
	"    port: [80, 443]\n"
	"    proto: tcp\n"
	"    action: pass\n"
	"  - name: office-ssh\n"
	"    src: \"@office\"\n"
	"    port: 22\n"
	"    proto: tcp\n"
	"    action: pass\n"
	"  - name: lab\n"
	"    src: 198.18.64.0/24\n"
	"    port: 8000-8099\n"
	"    action: pass\n"
	"  - name: host\n"
	"    src: 2001:2::7\n"
	"  - name: one-port-list\n"
	"    port: [53]\n"
	"    proto: udp\n"
	"    action: pass\n";

static struct conf_dir dir;
static const char *list_path;
static struct fw_datapath *dp;

static int files_up(void **state)
{
	(void)state;
	conf_dir_init(&dir);
	list_path = conf_dir_write(&dir, "block.txt", list_text);
	dp = in_force(conf_dir_write(&dir, "xdpfw.yaml", config_text));
	return dp ? 0 : -1;
}

static int files_down(void **state)
{
	(void)state;
	conf_dir_free(&dir);
	return 0;
}

static char *shown(int (*show)(FILE *, const struct fw_datapath *, bool), bool json)
{
	char *text = NULL;
	size_t len;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(show(out, dp, json), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

/* The value's text, "null" for null, or "absent". */
static const char *json_text(struct json_object *obj, const char *key)
{
	struct json_object *value = NULL;

	if (!json_object_object_get_ex(obj, key, &value))
		return "absent";
	return value ? json_object_get_string(value) : "null";
}

static struct json_object *by_name(struct json_object *array, const char *name)
{
	for (size_t i = 0; i < json_object_array_length(array); i++) {
		struct json_object *obj = json_object_array_get_idx(array, i);

		if (!strcmp(json_text(obj, "name"), name))
			return obj;
	}
	fail_msg("no \"%s\" in %s", name, json_object_to_json_string(array));
	return NULL;
}

struct rule_want {
	const char *name, *src, *set, *elements, *port, *more_ports;
};

static void rules_json_shows_sets_prefixes_and_port_lists(void **state)
{
	static const struct rule_want want[] = {
		{ "block", "@blocklist", "blocklist", "4", "null", "absent" },
		{ "office-web", "@office", "office", "3", "80", "true" },
		{ "office-ssh", "@office", "office", "3", "22", "absent" },
		{ "lab", "198.18.64.0/24", "absent", "absent", "8000", "true" },
		{ "host", "2001:2::7", "absent", "absent", "null", "absent" },
		{ "one-port-list", "null", "absent", "absent", "53", "absent" },
	};
	char *text = shown(fw_show_rules, true);
	struct json_object *rules = json_tokener_parse(text);

	(void)state;
	assert_non_null(rules);
	assert_int_equal(json_object_array_length(rules), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct json_object *rule = json_object_array_get_idx(rules, i);

		print_message("%s\n", json_object_to_json_string(rule));
		assert_string_equal(json_text(rule, "name"), want[i].name); /* in config order */
		assert_string_equal(json_text(rule, "src"), want[i].src);
		assert_string_equal(json_text(rule, "set"), want[i].set);
		assert_string_equal(json_text(rule, "elements"), want[i].elements);
		assert_string_equal(json_text(rule, "port"), want[i].port);
		assert_string_equal(json_text(rule, "more_ports"), want[i].more_ports);
	}
	json_object_put(rules);
	free(text);
}

static void rules_table_shows_sets_prefixes_and_port_lists(void **state)
{
	char *text = shown(fw_show_rules, false);

	(void)state;
	print_message("%s", text);
	assert_non_null(strstr(text, "6 rules in force; default pass"));
	assert_non_null(strstr(text, "block          @blocklist (4 elements)       any  any"));
	assert_non_null(strstr(text, "office-web     @office (3 elements)       80,...  tcp"));
	assert_non_null(strstr(text, "office-ssh     @office (3 elements)           22  tcp"));
	assert_non_null(strstr(text, "lab            198.18.64.0/24           8000,...  any"));
	assert_non_null(strstr(text, "host           2001:2::7                     any  any"));
	assert_non_null(strstr(text, "one-port-list  any                            53  udp"));
	free(text);
}

static void sets_json_lists_every_set_with_its_rules(void **state)
{
	char *text = shown(fw_show_sets, true);
	struct json_object *sets = json_tokener_parse(text), *set, *rules;

	(void)state;
	assert_non_null(sets);
	assert_int_equal(json_object_array_length(sets), 3);

	set = by_name(sets, "blocklist");
	assert_string_equal(json_text(set, "file"), list_path);
	assert_string_equal(json_text(set, "line"), "4");
	assert_string_equal(json_text(set, "ipv4"), "3");
	assert_string_equal(json_text(set, "ipv6"), "1");
	assert_string_equal(json_text(set, "elements"), "4");
	assert_true(json_object_object_get_ex(set, "rules", &rules));
	assert_int_equal(json_object_array_length(rules), 1);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(rules, 0)), "block");

	set = by_name(sets, "office");
	assert_string_equal(json_text(set, "file"), "null");
	assert_string_equal(json_text(set, "line"), "6");
	assert_string_equal(json_text(set, "ipv4"), "2");
	assert_string_equal(json_text(set, "ipv6"), "1");
	assert_true(json_object_object_get_ex(set, "rules", &rules));
	assert_int_equal(json_object_array_length(rules), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(rules, 0)),
			    "office-web");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(rules, 1)),
			    "office-ssh");

	set = by_name(sets, "idle");
	assert_true(json_object_object_get_ex(set, "rules", &rules));
	assert_int_equal(json_object_array_length(rules), 0);
	json_object_put(sets);
	free(text);
}

static void sets_table_lists_every_set_with_its_rules(void **state)
{
	char *text = shown(fw_show_sets, false);
	char row[512];

	(void)state;
	print_message("%s", text);
	assert_non_null(strstr(text, "3 sets in force\n"));
	snprintf(row, sizeof(row), "blocklist           3           1  %s", list_path);
	assert_non_null(strstr(text, row));
	assert_non_null(strstr(text, "  block\n"));
	assert_non_null(strstr(text, "office              2           1  elements: at line 6"));
	assert_non_null(strstr(text, "  office-web, office-ssh\n"));
	assert_non_null(strstr(text, "idle                1           0  elements: at line 8"));
	assert_non_null(strstr(text, "  -\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_json_shows_sets_prefixes_and_port_lists),
		cmocka_unit_test(rules_table_shows_sets_prefixes_and_port_lists),
		cmocka_unit_test(sets_json_lists_every_set_with_its_rules),
		cmocka_unit_test(sets_table_lists_every_set_with_its_rules),
	};

	return cmocka_run_group_tests(tests, files_up, files_down);
}
