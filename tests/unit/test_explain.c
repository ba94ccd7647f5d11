// SPDX-License-Identifier: GPL-2.0
/*
 * `xdpfw explain`: the query's parser, the answer from a config (every
 * precedence step, prefixes, a list-file set, an `elements:` set, IPv6 and
 * v4-mapped sources), the same answers from the maps once that config is in
 * force, what a list file changed or gone since does to them, and the
 * printed text and JSON.
 */
#include <errno.h>
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
#include "config.h"
#include "explain.h"
#include "in_force.h"
#include "names.h"

static const char list_text[] =
	"# a list in the FireHOL and Spamhaus styles\n"
	"198.18.64.0/18 ; covers the lab's /24\n"
	"198.19.0.0/16\n"
	"198.19.7.7   # inside the /16: the longer one matches\n"
	"2001:2:0:66::/64 ; SBL1\n";

static const char config_text[] =
	"interfaces:\n"
	"  - name: eth0\n"
	"settings:\n"
	"  default_action: drop\n"
	"sets:\n"
	"  blocklist:\n"
	"    file: block.txt\n"
	"  office:\n"
	"    elements: [198.18.3.0/24, 2001:2:0:9::/64]\n"
	"rules:\n"
	"  - name: block\n"
	"    src: \"@blocklist\"\n"
	"  - name: ssh-office\n"
	"    src: \"@office\"\n"
	"    port: 22\n"
	"    proto: tcp\n"
	"    action: pass\n"
	"  - name: lab-dns\n"
	"    src: 198.18.64.0/24\n"
	"    port: 53\n"
	"    action: pass\n"
	"  - name: lab-icmp\n"
	"    src: 198.18.64.0/24\n"
	"    proto: icmp\n"
	"    action: pass\n"
	"  - name: host-any\n"
	"    src: 198.18.64.7\n"
	"    action: pass\n"
	"  - name: web\n"
	"    port: [80, 443, 8000-8099]\n"
	"    proto: tcp\n"
	"    action: pass\n"
	"  - name: dns\n"
	"    port: 53\n"
	"    action: pass\n"
	"  - name: ping\n"
	"    proto: icmp\n"
	"    action: pass\n"
	"  - name: ping6\n"
	"    proto: icmpv6\n"
	"    action: pass\n";

struct explain_case {
	const char *addr;
	const char *port;    /* PORT[/PROTO] or PROTO; NULL = none */
	const char *verdict;
	const char *rule;    /* NULL: the default decides */
	int step;
	const char *prefix;  /* the prefix or element that matched; NULL = none */
	const char *set;
	const char *element; /* how its line starts, in the list file or (office) the config */
};

static const struct explain_case cases[] = {
	{ "198.18.64.9", "53/udp", "pass", "lab-dns", 2, "198.18.64.0/24", NULL, NULL },
	{ "198.18.64.9", "icmp", "pass", "lab-icmp", 3, "198.18.64.0/24", NULL, NULL },
	{ "198.18.64.9", NULL, "pass", "lab-icmp", 3, "198.18.64.0/24", NULL, NULL },
	{ "198.18.64.7", "22/tcp", "pass", "host-any", 4, "198.18.64.7", NULL, NULL },
	/* The /24's rules name other ports and protocols: the /18 of the list decides. */
	{ "198.18.64.9", "22", "drop", "block", 4, "198.18.64.0/18", "blocklist", "198.18.64.0/18" },
	{ "198.18.3.4", "22/tcp", "pass", "ssh-office", 1, "198.18.3.0/24", "office",
	  "    elements:" },
	{ "198.18.3.4", "8050", "pass", "web", 5, NULL, NULL, NULL },
	{ "198.18.3.4", "53/udp", "pass", "dns", 6, NULL, NULL, NULL },
	{ "198.18.3.4", "icmp", "pass", "ping", 7, NULL, NULL, NULL },
	{ "198.18.3.4", "other", "drop", NULL, 8, NULL, NULL, NULL },
	{ "198.18.3.4", "22/udp", "drop", NULL, 8, NULL, NULL, NULL },
	/* A source rule beats a source-less one: the list's /16 over web's port 8050. */
	{ "198.19.1.1", "8050/tcp", "drop", "block", 4, "198.19.0.0/16", "blocklist",
	  "198.19.0.0/16" },
	{ "198.19.7.7", "443", "drop", "block", 4, "198.19.7.7", "blocklist", "198.19.7.7" },
	/* An IPv6 packet from ::ffff:a.b.c.d meets IPv4 prefixes; it carries ICMPv6. */
	{ "::ffff:198.19.7.7", "icmpv6", "drop", "block", 4, "198.19.7.7", "blocklist",
	  "198.19.7.7" },
	{ "::ffff:198.18.3.1", "22", "pass", "ssh-office", 1, "198.18.3.0/24", "office",
	  "    elements:" },
	{ "2001:2:0:66::5", "443/tcp", "drop", "block", 4, "2001:2:0:66::/64", "blocklist",
	  "2001:2:0:66::/64" },
	{ "2001:2:0:9::1", "22/tcp", "pass", "ssh-office", 1, "2001:2:0:9::/64", "office",
	  "    elements:" },
	{ "2001:2::1", NULL, "pass", "ping6", 7, NULL, NULL, NULL },
	{ "2001:2::1", "8000/tcp", "pass", "web", 5, NULL, NULL, NULL },
	{ "2001:2::1", "udp", NULL, NULL, 0, NULL, NULL, NULL }, /* refused: udp has ports */
};

#define CASES (sizeof(cases) / sizeof(cases[0]))

static struct conf_dir dir;
static const char *config_path, *list_path;

static int files_up(void **state)
{
	(void)state;
	conf_dir_init(&dir);
	list_path = conf_dir_write(&dir, "block.txt", list_text);
	config_path = conf_dir_write(&dir, "xdpfw.yaml", config_text);
	return 0;
}

static int files_down(void **state)
{
	(void)state;
	conf_dir_free(&dir);
	return 0;
}

static bool parse_case(const struct explain_case *c, struct fw_explain_query *q)
{
	return fw_explain_parse(c->addr, c->port, q) == 0;
}

/* The answer must be the case's; from the maps, an `elements:` set's element is not known. */
static void check_answer(const struct explain_case *c, const struct fw_explain_answer *a,
			 bool from_maps)
{
	char rule_name[80], prefix[FW_PREFIX_TEXT_MAX];
	bool in_config = c->set && !strcmp(c->set, "office");
	bool element_known = c->element && !(from_maps && in_config);

	snprintf(rule_name, sizeof(rule_name), "- name: %s\n", c->rule ? c->rule : "?");
	print_message("%s %s from the %s\n", c->addr, c->port ? c->port : "-",
		      from_maps ? "maps" : "config");
	assert_string_equal(fw_stat_is_drop(a->reason) ? "drop" : "pass", c->verdict);
	assert_int_equal(a->by_rule, c->rule != NULL);
	assert_int_equal(a->step, c->step);
	if (c->rule) {
		assert_string_equal(a->rule, c->rule);
		assert_int_equal(a->rule_line, conf_line_of(config_text, rule_name));
	}
	assert_int_equal(a->has_set, c->set != NULL);
	if (c->set)
		assert_string_equal(a->set, c->set);
	assert_int_equal(a->has_prefix, c->prefix && (!c->set || element_known));
	if (a->has_prefix)
		assert_string_equal(fw_prefix_format(&a->prefix, prefix), c->prefix);
	if (element_known) {
		assert_string_equal(a->file, in_config ? config_path : list_path);
		assert_int_equal(a->line, conf_line_of(in_config ? config_text : list_text,
						       c->element));
	} else {
		assert_int_equal(a->line, 0);
	}
	/* The note is there exactly when the element cannot be named. */
	assert_int_equal(a->note[0] != '\0', c->set && !element_known);
	assert_int_equal(a->from_config, !from_maps);
}

static void explain_config_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < CASES; i++) {
		struct fw_explain_query q;
		struct fw_explain_answer a;

		if (!cases[i].verdict) {
			assert_false(parse_case(&cases[i], &q));
			continue;
		}
		assert_true(parse_case(&cases[i], &q));
		assert_int_equal(fw_explain_config(config_path, &q, &a), 0);
		check_answer(&cases[i], &a, false);
		assert_string_equal(a.source, config_path);
	}
}

/* The config in force in the test's own datapath, as `apply` puts it. */
static struct fw_datapath *config_in_force(void)
{
	struct fw_datapath *dp = in_force(config_path);

	assert_non_null(dp);
	return dp;
}

static void explain_maps_agree_with_config(void **state)
{
	struct fw_datapath *dp = config_in_force();

	(void)state;
	for (size_t i = 0; i < CASES; i++) {
		struct fw_explain_query q;
		struct fw_explain_answer a;

		if (!cases[i].verdict)
			continue;
		assert_true(parse_case(&cases[i], &q));
		assert_int_equal(fw_explain_maps(dp, "/pins", &q, &a), 0);
		check_answer(&cases[i], &a, true);
		assert_string_equal(a.source, "/pins");
	}
}

/* The list file as it is now names the element, and the answer says when that may be off. */
static void explain_maps_list_file_changed_or_gone(void **state)
{
	struct fw_datapath *dp = config_in_force();
	struct fw_explain_query q;
	struct fw_explain_answer a;
	char prefix[FW_PREFIX_TEXT_MAX];

	(void)state;
	assert_int_equal(fw_explain_parse("198.19.1.1", "80", &q), 0);
	conf_dir_write(&dir, "block.txt", "198.19.0.0/17\n198.19.0.0/16\n");
	assert_int_equal(fw_explain_maps(dp, "/pins", &q, &a), 0);
	assert_string_equal(a.rule, "block");
	assert_string_equal(fw_prefix_format(&a.prefix, prefix), "198.19.0.0/17");
	assert_int_equal(a.line, 1);
	assert_non_null(strstr(a.note, "changed since it was applied"));

	conf_dir_write(&dir, "block.txt", "198.18.64.0/18\n");
	assert_int_equal(fw_explain_maps(dp, "/pins", &q, &a), 0);
	assert_string_equal(a.rule, "block"); /* the maps still decide as applied */
	assert_false(a.has_prefix);
	assert_non_null(strstr(a.note, "no element of"));

	conf_dir_unlink(&dir, "block.txt");
	assert_int_equal(fw_explain_maps(dp, "/pins", &q, &a), 0);
	assert_string_equal(a.rule, "block");
	assert_false(a.has_prefix);
	assert_non_null(strstr(a.note, "cannot read the list file"));
	conf_dir_write(&dir, "block.txt", list_text);
}

struct parse_case {
	const char *addr;
	const char *port;
	bool ok;
	uint16_t dport;
	uint8_t proto;
	bool ipv6;
};

static void explain_parse_table(void **state)
{
	static const struct parse_case table[] = {
		{ "198.18.0.1", NULL, true, 0, FW_PROTO_ICMP, false },
		{ "198.18.0.1", "22", true, 22, FW_PROTO_TCP, false },
		{ "198.18.0.1", "65535/udp", true, 65535, FW_PROTO_UDP, false },
		{ "198.18.0.1", "1/tcp", true, 1, FW_PROTO_TCP, false },
		{ "198.18.0.1", "other", true, 0, FW_PROTO_OTHER, false },
		{ "2001:2::1", NULL, true, 0, FW_PROTO_ICMPV6, true },
		{ "2001:2::1", "icmpv6", true, 0, FW_PROTO_ICMPV6, true },
		{ "::ffff:198.18.0.1", "53/udp", true, 53, FW_PROTO_UDP, true },
		{ "198.18.0.0/15", NULL, false, 0, 0, false },
		{ "198.18.0.256", NULL, false, 0, 0, false },
		{ "example.org", NULL, false, 0, 0, false },
		{ "", NULL, false, 0, 0, false },
		{ "198.18.0.1", "0", false, 0, 0, false },
		{ "198.18.0.1", "65536", false, 0, 0, false },
		{ "198.18.0.1", "022222", false, 0, 0, false },
		{ "198.18.0.1", "+22", false, 0, 0, false },
		{ "198.18.0.1", "22/", false, 0, 0, false },
		{ "198.18.0.1", "/tcp", false, 0, 0, false },
		{ "198.18.0.1", "22/sctp", false, 0, 0, false },
		{ "198.18.0.1", "22/icmp", false, 0, 0, false },
		{ "198.18.0.1", "22/any", false, 0, 0, false },
		{ "198.18.0.1", "tcp", false, 0, 0, false },
		{ "198.18.0.1", "icmpv6", false, 0, 0, false },
		{ "2001:2::1", "icmp", false, 0, 0, false },
		{ "::ffff:198.18.0.1", "icmp", false, 0, 0, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct parse_case *c = &table[i];
		struct fw_explain_query q;
		int err = fw_explain_parse(c->addr, c->port, &q);

		print_message("explain %s %s\n", c->addr, c->port ? c->port : "");
		assert_int_equal(err, c->ok ? 0 : -EINVAL);
		if (!c->ok)
			continue;
		assert_int_equal(q.pkt.kind, FW_FRAME_IP);
		assert_int_equal(q.pkt.dport, c->dport);
		assert_int_equal(q.pkt.proto, c->proto);
		assert_int_equal(q.ipv6, c->ipv6);
		assert_false(q.pkt.fragment);
	}
}

static char *printed(const struct fw_explain_query *q, const struct fw_explain_answer *a,
		     bool json, size_t *len)
{
	char *text = NULL;
	FILE *out = open_memstream(&text, len);

	assert_non_null(out);
	assert_int_equal(fw_explain_print(out, q, a, json), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

static const char *json_text(struct json_object *doc, const char *key)
{
	struct json_object *value = NULL;

	if (!json_object_object_get_ex(doc, key, &value))
		fail_msg("no \"%s\" in the JSON", key);
	return value ? json_object_get_string(value) : NULL;
}

static void explain_prints_text_and_json(void **state)
{
	struct fw_explain_query q;
	struct fw_explain_answer a;
	struct json_object *doc;
	size_t len;
	char *text, line[64];

	(void)state;
	assert_int_equal(fw_explain_parse("198.19.7.7", "443/tcp", &q), 0);
	assert_int_equal(fw_explain_config(config_path, &q, &a), 0);
	text = printed(&q, &a, false, &len);
	snprintf(line, sizeof(line), "block.txt:%u\n", conf_line_of(list_text, "198.19.7.7"));
	assert_non_null(strstr(text, "packet   from 198.19.7.7, to port 443/tcp\n"));
	assert_non_null(strstr(text, "verdict  drop\n"));
	assert_non_null(strstr(text, "rule     block (line 11)\n"));
	assert_non_null(strstr(text, "step     4 of 8: source prefix\n"));
	assert_non_null(strstr(text, "matched  198.19.7.7, element of @blocklist at "));
	assert_non_null(strstr(text, line));
	free(text);

	text = printed(&q, &a, true, &len);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	assert_string_equal(json_text(doc, "address"), "198.19.7.7");
	assert_string_equal(json_text(doc, "port"), "443");
	assert_string_equal(json_text(doc, "proto"), "tcp");
	assert_string_equal(json_text(doc, "verdict"), "drop");
	assert_string_equal(json_text(doc, "decided_by"), "rule");
	assert_string_equal(json_text(doc, "rule"), "block");
	assert_string_equal(json_text(doc, "line"), "11");
	assert_string_equal(json_text(doc, "step"), "4");
	assert_string_equal(json_text(doc, "step_text"), "source prefix");
	assert_string_equal(json_text(doc, "prefix"), "198.19.7.7");
	assert_string_equal(json_text(doc, "set"), "blocklist");
	assert_string_equal(json_text(doc, "file"), list_path);
	assert_string_equal(json_text(doc, "file_line"), "4");
	assert_string_equal(json_text(doc, "from"), "config");
	assert_string_equal(json_text(doc, "config"), config_path);
	json_object_put(doc);
	free(text);

	/* No rule: "default", step 8, no prefix, set or file. */
	assert_int_equal(fw_explain_parse("198.18.3.4", "other", &q), 0);
	assert_int_equal(fw_explain_config(config_path, &q, &a), 0);
	text = printed(&q, &a, true, &len);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	assert_null(json_text(doc, "port"));
	assert_string_equal(json_text(doc, "proto"), "other");
	assert_string_equal(json_text(doc, "decided_by"), "default");
	assert_string_equal(json_text(doc, "rule"), "default");
	assert_null(json_text(doc, "line"));
	assert_string_equal(json_text(doc, "step"), "8");
	assert_string_equal(json_text(doc, "step_text"), "default_action");
	assert_null(json_text(doc, "prefix"));
	assert_null(json_text(doc, "set"));
	assert_null(json_text(doc, "file"));
	json_object_put(doc);
	free(text);
	text = printed(&q, &a, false, &len);
	assert_non_null(strstr(text, "packet   from 198.18.3.4, other (no port)\n"));
	assert_non_null(strstr(text, "rule     default (no rule matches; default_action drop)\n"));
	free(text);
}

static void explain_config_refuses_an_invalid_config(void **state)
{
	struct fw_explain_query q;
	struct fw_explain_answer a;
	const char *bad = conf_dir_write(&dir, "bad.yaml",
					 "interfaces:\n  - name: eth0\nrules:\n"
					 "  - name: x\n    src: \"@nowhere\"\n");

	(void)state;
	assert_int_equal(fw_explain_parse("198.18.0.1", NULL, &q), 0);
	assert_int_equal(fw_explain_config(bad, &q, &a), -EINVAL);
	assert_int_equal(fw_explain_config("/nonexistent/xdpfw.yaml", &q, &a), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(explain_parse_table),
		cmocka_unit_test(explain_config_table),
		cmocka_unit_test(explain_maps_agree_with_config),
		cmocka_unit_test(explain_maps_list_file_changed_or_gone),
		cmocka_unit_test(explain_prints_text_and_json),
		cmocka_unit_test(explain_config_refuses_an_invalid_config),
	};

	return cmocka_run_group_tests(tests, files_up, files_down);
}
