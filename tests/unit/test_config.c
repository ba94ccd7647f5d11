// SPDX-License-Identifier: GPL-2.0
/*
 * The YAML config (DESIGN §1 schema version 1): every error message with its
 * FILE:LINE:COL, every field and its default, edge values, and the shipped
 * config files. Broken files under tests/conf/broken/ must report exactly
 * the prefixes listed in their .expected sibling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "conf_parse.h"
#include "config.h"

#define NAME "t.yaml"
#define MAX_WANT 4

/* ---- helpers ---------------------------------------------------------- */

static void parse_reader(const char *text, size_t len, enum fw_config_reader reader,
			 struct parsed *res)
{
	conf_parse(NAME, text, len, reader, res);
}

static void parse_text(const char *text, size_t len, struct parsed *res)
{
	parse_reader(text, len, FW_READER_AUTO, res);
}

static void parse_str(const char *text, struct parsed *res)
{
	parse_text(text, strlen(text), res);
}

/* Two readings of text gave the same result and the same messages. */
static void assert_same_parse(const struct parsed *a, const struct parsed *b, const char *text,
			      const char *what)
{
	if (a->rc != b->rc || strcmp(a->diag, b->diag))
		fail_msg("%s differs:\n%s\nrc %d:\n%s\nrc %d:\n%s", what, text, a->rc, a->diag,
			 b->rc, b->diag);
	assert_int_equal(a->cfg.capacity, b->cfg.capacity);
	assert_int_equal(a->cfg.rules.default_action, b->cfg.rules.default_action);
	assert_int_equal(a->cfg.rules.fragments, b->cfg.rules.fragments);
	assert_int_equal(a->cfg.interface_count, b->cfg.interface_count);
	assert_int_equal(a->cfg.rules.count, b->cfg.rules.count);
	if (a->cfg.interface_count)
		assert_memory_equal(a->cfg.interfaces, b->cfg.interfaces,
				    a->cfg.interface_count * sizeof(*a->cfg.interfaces));
	if (a->cfg.rules.count)
		assert_memory_equal(a->cfg.rules.rules, b->cfg.rules.rules,
				    a->cfg.rules.count * sizeof(*a->cfg.rules.rules));
	assert_int_equal(a->cfg.rules.port_range_count, b->cfg.rules.port_range_count);
	if (a->cfg.rules.port_range_count)
		assert_memory_equal(a->cfg.rules.port_ranges, b->cfg.rules.port_ranges,
				    a->cfg.rules.port_range_count * sizeof(*a->cfg.rules.port_ranges));
	assert_int_equal(a->cfg.rules.set_count, b->cfg.rules.set_count);
	for (size_t i = 0; i < a->cfg.rules.set_count; i++) {
		const struct fw_set *x = &a->cfg.rules.sets[i], *y = &b->cfg.rules.sets[i];

		assert_string_equal(x->name, y->name);
		assert_int_equal(!x->file, !y->file);
		if (x->file)
			assert_string_equal(x->file, y->file);
		assert_int_equal(x->count, y->count);
		assert_int_equal(x->v4, y->v4);
		assert_int_equal(x->v6, y->v6);
		assert_int_equal(x->line, y->line);
		assert_int_equal(x->col, y->col);
		if (x->count)
			assert_memory_equal(x->elements, y->elements, x->count * sizeof(*x->elements));
	}
}

static void assert_config_empty(const struct fw_config *cfg)
{
	struct fw_config zero;

	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(cfg, &zero, sizeof(zero));
}

static void addr_of(const char *text, uint8_t out[16])
{
	struct in_addr v4;

	if (inet_pton(AF_INET, text, &v4) == 1)
		fw_addr_from_ipv4(out, &v4);
	else
		assert_int_equal(inet_pton(AF_INET6, text, out), 1);
}

/* ---- errors: one table row per message ---------------------------------- */

struct error_case {
	const char *name;
	const char *yaml;
	size_t len;         /* 0: strlen(yaml) */
	struct want want[MAX_WANT];
	bool exact;         /* want[0].phrase is the whole message */
	bool more;          /* the file has more messages than listed */
};

#define R(body) "rules:\n  - name: r\n" body
#define N10 "abcdefghij"
#define NAME63 N10 N10 N10 N10 N10 N10 "abc"
#define NAME64 N10 N10 N10 N10 N10 N10 "abcd"
#define NESTED20 "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]"
#define BAD_PORT "rules:\n  - name: a\n    port: 0\n"
#define NUL_FILE "rules:\n  - name: a\0\n"
#define SEVERAL_ERRORS \
	"interfaces:\n"                 /* 1 */ \
	"  - name: eth0\n"              /* 2 */ \
	"    mode: turbo\n"             /* 3 */ \
	"settings:\n"                   /* 4 */ \
	"  default_action: allow\n"     /* 5 */ \
	"  fragmets: drop\n"            /* 6 */ \
	"rules:\n"                      /* 7 */ \
	"  - name: a\n"                 /* 8 */ \
	"    port: 70000\n"             /* 9 */ \
	"  - name: b\n"                 /* 10 */ \
	"    src: 198.18.0.1/24\n"      /* 11 */ \
	"  - name: a\n"                 /* 12 */ \
	"    port: 22\n"                /* 13 */ \
	"    proto: icmp\n"             /* 14 */

static const struct error_case error_cases[] = {
	/* port */
	{ .name = "port_zero", .yaml = R("    port: 0\n"), .want = { { "3:11", "rule \"r\": port 0 out of range; use 1-65535" } } },
	{ .name = "port_65536", .yaml = R("    port: 65536\n"), .want = { { "3:11", "port 65536 out of range; use 1-65535" } } },
	{ .name = "port_70000_message", .yaml = "rules:\n  - name: web\n    port: 70000\n",
	  .want = { { "3:11", "rule \"web\": port 70000 out of range; use 1-65535" } }, .exact = true },
	{ .name = "port_negative", .yaml = R("    port: -1\n"), .want = { { "3:11", "port -1 out of range" } } },
	{ .name = "port_huge", .yaml = R("    port: 99999999999999999999999\n"), .want = { { "3:11", "out of range; use 1-65535" } } },
	{ .name = "port_suffix", .yaml = R("    port: 22abc\n"), .want = { { "3:11", "port \"22abc\" is not an integer" } } },
	{ .name = "port_exponent", .yaml = R("    port: 1e3\n"), .want = { { "3:11", "port \"1e3\" is not an integer" } } },
	{ .name = "port_float", .yaml = R("    port: 22.0\n"), .want = { { "3:11", "port \"22.0\" is not an integer" } } },
	{ .name = "port_hex", .yaml = R("    port: 0x16\n"), .want = { { "3:11", "port \"0x16\" is not an integer" } } },
	{ .name = "port_plus", .yaml = R("    port: +22\n"), .want = { { "3:11", "port \"+22\" is not an integer" } } },
	{ .name = "port_quoted", .yaml = R("    port: \"22\"\n"), .want = { { "3:11", "port \"22\" is quoted text; write it as a plain number" } } },
	{ .name = "port_leading_zero", .yaml = R("    port: 022\n"), .want = { { "3:11", "port 022 has a leading zero" } } },
	{ .name = "port_bool", .yaml = R("    port: yes\n"), .want = { { "3:11", "port is the YAML boolean yes" } } },
	{ .name = "port_null", .yaml = R("    port: null\n"), .want = { { "3:11", "port is empty; give it a value or remove the key" } } },
	{ .name = "port_empty", .yaml = R("    port:\n"), .want = { { "3:10", "port is empty" } } },
	{ .name = "port_list_in_list", .yaml = R("    port: [[22]]\n"), .want = { { "3:12", "port must be a single value, found a list" } } },
	{ .name = "port_list_empty", .yaml = R("    port: []\n"),
	  .want = { { "3:11", "rule \"r\": port is an empty list; name at least one port or range, or remove the key" } }, .exact = true },
	{ .name = "port_list_item_zero", .yaml = R("    port: [22, 0]\n"), .want = { { "3:16", "rule \"r\": port 0 out of range; use 1-65535" } } },
	{ .name = "port_list_item_text", .yaml = R("    port: [22, ssh]\n"), .want = { { "3:16", "port \"ssh\" is not an integer" } } },
	{ .name = "port_list_twice", .yaml = R("    port: [443, 80, 443]\n"),
	  .want = { { "3:21", "rule \"r\": port 443 is in the list twice; name each port once" } }, .exact = true },
	{ .name = "port_list_overlap", .yaml = R("    port: [8000-8099, 80, 8080]\n"),
	  .want = { { "3:27", "rule \"r\": port 8080 overlaps 8000-8099, named before it in the list; name each port once" } }, .exact = true },
	{ .name = "port_list_overlap_earlier_later", .yaml = R("    port: [8080, 8000-8099]\n"),
	  .want = { { "3:18", "port 8000-8099 overlaps 8080, named before it in the list" } } },
	{ .name = "port_range_reversed", .yaml = R("    port: 8099-8000\n"),
	  .want = { { "3:11", "rule \"r\": port range 8099-8000 is reversed; write 8000-8099" } }, .exact = true },
	{ .name = "port_range_zero", .yaml = R("    port: 0-80\n"),
	  .want = { { "3:11", "rule \"r\": port range 0-80 is out of range; ports are 1-65535" } }, .exact = true },
	{ .name = "port_range_65536", .yaml = R("    port: 1-65536\n"), .want = { { "3:11", "port range 1-65536 is out of range" } } },
	{ .name = "port_range_huge", .yaml = R("    port: 1-99999999999\n"), .want = { { "3:11", "port range 1-99999999999 is out of range" } } },
	{ .name = "port_range_text", .yaml = R("    port: 80-http\n"),
	  .want = { { "3:11", "rule \"r\": port \"80-http\" is neither a port number nor a range; write a number 1-65535 or a range like 8000-8099" } }, .exact = true },
	{ .name = "port_range_open", .yaml = R("    port: 80-\n"), .want = { { "3:11", "is neither a port number nor a range" } } },
	{ .name = "port_range_three", .yaml = R("    port: 1-2-3\n"), .want = { { "3:11", "is neither a port number nor a range" } } },
	{ .name = "port_range_in_list_reversed", .yaml = R("    port: [22, 90-80]\n"), .want = { { "3:16", "port range 90-80 is reversed; write 80-90" } } },
	{ .name = "port_mapping", .yaml = R("    port: {tcp: 22}\n"), .want = { { "3:11", "port must be a single value, found a mapping" } } },
	/* name */
	{ .name = "name_64_chars", .yaml = "rules:\n  - name: " NAME64 "\n    port: 22\n",
	  .want = { { "2:11", "is 64 characters long; use at most 63" } } },
	{ .name = "name_space", .yaml = "rules:\n  - name: \"a b\"\n    port: 22\n", .want = { { "2:11", "name \"a b\" has invalid characters" } } },
	{ .name = "name_slash", .yaml = "rules:\n  - name: a/b\n    port: 22\n", .want = { { "2:11", "has invalid characters; use only letters, digits and _ . : -" } } },
	{ .name = "name_missing", .yaml = "rules:\n  - port: 22\n", .want = { { "2:5", "rule #1 has no name; add \"name: ...\"" } } },
	{ .name = "name_bool", .yaml = "rules:\n  - name: no\n    port: 22\n", .want = { { "2:11", "rule #1: name is the YAML boolean no, not text; quote it" } } },
	{ .name = "name_null", .yaml = "rules:\n  - name: ~\n    port: 22\n", .want = { { "2:11", "rule #1: name is empty" } } },
	{ .name = "name_quoted_empty", .yaml = "rules:\n  - name: \"\"\n    port: 22\n", .want = { { "2:11", "rule #1: name is empty" } } },
	{ .name = "name_mapping", .yaml = "rules:\n  - name: {a: 1}\n    port: 22\n", .want = { { "2:11", "name must be a single value, found a mapping" } } },
	{ .name = "name_second_rule_label", .yaml = "rules:\n  - name: a\n    port: 22\n  - port: 0\n",
	  .want = { { "4:5", "rule #2 has no name" }, { "4:11", "rule #2: port 0 out of range" } } },
	/* src */
	{ .name = "src_host_bits_v4", .yaml = R("    src: 198.18.0.1/15\n"),
	  .want = { { "3:10", "rule \"r\": src 198.18.0.1/15 has host bits set; did you mean 198.18.0.0/15?" } }, .exact = true },
	{ .name = "src_host_bits_v6", .yaml = R("    src: 2001:2::1/48\n"),
	  .want = { { "3:10", "rule \"r\": src 2001:2::1/48 has host bits set; did you mean 2001:2::/48?" } }, .exact = true },
	{ .name = "src_host_bits_mapped", .yaml = R("    src: ::ffff:198.18.0.1/120\n"), .want = { { "3:10", "did you mean 198.18.0.0/24?" } } },
	{ .name = "src_zero_v4", .yaml = R("    src: 0.0.0.0/0\n"),
	  .want = { { "3:10", "rule \"r\": src 0.0.0.0/0 is a /0 prefix, which matches every IPv4 address; leave src out instead" } }, .exact = true },
	{ .name = "src_zero_v6", .yaml = R("    src: ::/0\n"),
	  .want = { { "3:10", "rule \"r\": src ::/0 is a /0 prefix, which matches every address; leave src out instead" } }, .exact = true },
	{ .name = "src_zero_host_bits", .yaml = R("    src: 198.18.0.1/0\n"), .want = { { "3:10", "is a /0 prefix" } } },
	{ .name = "src_zero_mapped", .yaml = R("    src: ::ffff:0:0/96\n"), .want = { { "3:10", "src ::ffff:0:0/96 is a /0 prefix, which matches every IPv4 address" } } },
	{ .name = "src_len_33", .yaml = R("    src: 198.18.0.0/33\n"),
	  .want = { { "3:10", "rule \"r\": src \"198.18.0.0/33\" has a prefix length out of range; use /1-/32 for IPv4, /1-/128 for IPv6" } }, .exact = true },
	{ .name = "src_len_129", .yaml = R("    src: 2001:2::/129\n"), .want = { { "3:10", "has a prefix length out of range" } } },
	{ .name = "src_len_text", .yaml = R("    src: 198.18.0.0/a\n"), .want = { { "3:10", "has a prefix length out of range" } } },
	{ .name = "src_len_empty", .yaml = R("    src: 198.18.0.0/\n"), .want = { { "3:10", "has a prefix length out of range" } } },
	{ .name = "src_set_no_name", .yaml = R("    src: \"@\"\n"),
	  .want = { { "3:10", "rule \"r\": src \"@\" is not a set name: write \"@\" and then the set's name (1-63 letters, digits, _ . : -)" } }, .exact = true },
	{ .name = "src_set_bad_name", .yaml = R("    src: \"@a/b\"\n"), .want = { { "3:10", "src \"@a/b\" is not a set name" } } },
	{ .name = "src_set_name_64", .yaml = R("    src: \"@" NAME64 "\"\n"), .want = { { "3:10", "is not a set name" } } },
	{ .name = "src_set_unknown", .yaml = R("    src: \"@blocklist\"\n"),
	  .want = { { "3:10", "rule \"r\": src \"@blocklist\" names no set; define it under the top-level key sets:, as blocklist: {file: PATH} (a list file) or blocklist: {elements: [198.18.0.0/15, ...]}" } }, .exact = true },
	{ .name = "src_set_typo", .yaml = "sets:\n  office: {elements: [198.18.0.1]}\nrules:\n  - name: r\n    src: \"@ofice\"\n",
	  .want = { { "2:3", "warning: set \"office\" is not used by any rule" }, { "5:10", "rule \"r\": src \"@ofice\" names no set; did you mean \"@office\"?" } } },
	{ .name = "src_set_unquoted", .yaml = R("    src: @x\n"), .want = { { "3:10", "YAML syntax error: found character that cannot start any token" } } },
	{ .name = "src_octet_256", .yaml = R("    src: 198.18.0.256\n"), .want = { { "3:10", "src \"198.18.0.256\" is not an IPv4 or IPv6 address" } } },
	{ .name = "src_three_octets", .yaml = R("    src: 198.18.1\n"), .want = { { "3:10", "is not an IPv4 or IPv6 address" } } },
	{ .name = "src_double_colon", .yaml = R("    src: 2001:2::1::2\n"), .want = { { "3:10", "is not an IPv4 or IPv6 address" } } },
	{ .name = "src_zone", .yaml = R("    src: fe80::1%eth0\n"), .want = { { "3:10", "is not an IPv4 or IPv6 address" } } },
	{ .name = "src_hostname", .yaml = R("    src: localhost\n"), .want = { { "3:10", "is not an IPv4 or IPv6 address" } } },
	{ .name = "src_empty", .yaml = R("    src:\n"), .want = { { "3:9", "src is empty" } } },
	{ .name = "src_bool", .yaml = R("    src: off\n"), .want = { { "3:10", "src is the YAML boolean off" } } },
	/* proto and action */
	{ .name = "proto_typo", .yaml = R("    proto: tpc\n"),
	  .want = { { "3:12", "proto \"tpc\" is not one of tcp, udp, icmp, icmpv6, any; did you mean \"tcp\"?" } } },
	{ .name = "proto_upper", .yaml = R("    proto: TCP\n"), .want = { { "3:12", "did you mean \"tcp\"?" } } },
	{ .name = "proto_number", .yaml = R("    proto: 6\n"), .want = { { "3:12", "proto \"6\" is not one of tcp, udp, icmp, icmpv6, any" } } },
	{ .name = "proto_bool", .yaml = R("    proto: yes\n"), .want = { { "3:12", "proto is the YAML boolean yes, not text; use one of tcp" } } },
	{ .name = "action_allow", .yaml = R("    port: 22\n    action: allow\n"), .want = { { "4:13", "action \"allow\" is not one of drop, pass" } } },
	{ .name = "action_typo", .yaml = R("    port: 22\n    action: dorp\n"), .want = { { "4:13", "did you mean \"drop\"?" } } },
	{ .name = "action_bool", .yaml = R("    port: 22\n    action: off\n"), .want = { { "4:13", "action is the YAML boolean off, not text; use one of drop, pass" } } },
	/* combinations */
	{ .name = "port_with_icmp", .yaml = R("    port: 22\n    proto: icmp\n"),
	  .want = { { "3:11", "port 22 cannot be used with proto icmp; only tcp, udp and any have ports" } } },
	{ .name = "port_with_icmpv6", .yaml = R("    port: 22\n    proto: icmpv6\n"), .want = { { "3:11", "cannot be used with proto icmpv6" } } },
	{ .name = "match_all_name_only", .yaml = "rules:\n  - name: r\n",
	  .want = { { "2:5", "rule \"r\" matches every packet (no src, port or proto); add a match" } } },
	{ .name = "match_all_proto_any", .yaml = R("    proto: any\n    action: pass\n"), .want = { { "2:5", "rule \"r\" matches every packet" } } },
	/* unknown keys */
	{ .name = "unknown_top_close", .yaml = "rule:\n  - name: r\n    port: 22\n", .want = { { "1:1", "unknown key \"rule\"; did you mean \"rules\"?" } }, .exact = true },
	{ .name = "unknown_top_far", .yaml = "firewall: 1\n", .want = { { "1:1", "unknown key \"firewall\"; expected one of interfaces, settings, sets, rules" } } },
	{ .name = "unknown_rule_close", .yaml = R("    port: 22\n    prot: tcp\n"), .want = { { "4:5", "rule \"r\": unknown key \"prot\"; did you mean \"proto\"?" } } },
	{ .name = "unknown_rule_longer", .yaml = R("    port: 22\n    protocol: tcp\n"), .want = { { "4:5", "rule \"r\": unknown key \"protocol\"; did you mean \"proto\"?" } } },
	{ .name = "unknown_rule_far", .yaml = R("    port: 22\n    dst: 198.18.0.1\n"),
	  .want = { { "4:5", "rule \"r\": unknown key \"dst\"; expected one of name, src, port, proto, action" } } },
	{ .name = "unknown_setting", .yaml = "settings:\n  default_actoin: drop\n",
	  .want = { { "2:3", "settings: unknown key \"default_actoin\"; did you mean \"default_action\"?" } } },
	{ .name = "unknown_interface_key", .yaml = "interfaces:\n  - name: eth0\n    nme: x\n",
	  .want = { { "3:5", "interface \"eth0\": unknown key \"nme\"; did you mean \"name\"?" } } },
	/* wrong node types */
	{ .name = "rules_scalar", .yaml = "rules: 5\n", .want = { { "1:8", "rules must be a list like \"- name: ...\", found a single value" } } },
	{ .name = "rules_mapping", .yaml = "rules:\n  name: r\n", .want = { { "2:3", "rules must be a list like \"- name: ...\", found a mapping" } } },
	{ .name = "rule_scalar", .yaml = "rules:\n  - ssh\n", .want = { { "2:5", "each rule must be a mapping like \"- name: ...\", found a single value" } } },
	{ .name = "rule_null", .yaml = "rules:\n  -\n", .want = { { "2:4", "each rule must be a mapping like \"- name: ...\", found an empty value" } } },
	{ .name = "settings_list", .yaml = "settings:\n  - default_action: drop\n", .want = { { "2:3", "settings must be a mapping of key: value, found a list" } } },
	{ .name = "interfaces_scalar", .yaml = "interfaces: eth0\n", .want = { { "1:13", "interfaces must be a list like \"- name: eth0\", found a single value" } } },
	{ .name = "interface_scalar", .yaml = "interfaces:\n  - eth0\n", .want = { { "2:5", "each interface must be a mapping like \"- name: eth0\"" } } },
	{ .name = "top_list", .yaml = "- name: r\n", .want = { { "1:1", "the config must be a mapping with the keys interfaces, settings, sets, rules and crowdsec, found a list" } } },
	{ .name = "top_scalar", .yaml = "hello\n", .want = { { "1:1", "found a single value" } } },
	{ .name = "key_not_a_word", .yaml = "rules:\n  - name: r\n    port: 22\n    ? [a]\n    : 1\n", .want = { { "4:7", "rule \"r\": keys must be single words, found a list" } } },
	/* duplicates */
	{ .name = "duplicate_key_rule", .yaml = R("    port: 22\n    port: 23\n"),
	  .want = { { "4:5", "rule \"r\": duplicate key \"port\" (first at line 3); give each key once" } } },
	{ .name = "duplicate_key_top", .yaml = "settings:\nsettings:\n", .want = { { "2:1", "duplicate key \"settings\" (first at line 1)" } } },
	{ .name = "duplicate_key_settings", .yaml = "settings:\n  fragments: drop\n  fragments: inspect\n",
	  .want = { { "3:3", "settings: duplicate key \"fragments\" (first at line 2)" } } },
	{ .name = "duplicate_name", .yaml = "rules:\n  - name: a\n    port: 22\n  - name: a\n    port: 23\n",
	  .want = { { "4:11", "rule name \"a\" is already used by the rule at line 2; give each rule its own name" } } },
	{ .name = "duplicate_name_three", .yaml = "rules:\n  - name: a\n    port: 22\n  - name: a\n    port: 23\n  - name: a\n    port: 24\n",
	  .want = { { "4:11", "already used by the rule at line 2" }, { "6:11", "already used by the rule at line 2" } } },
	{ .name = "duplicate_match_v4", .yaml = "rules:\n  - name: a\n    src: 198.18.0.1\n  - name: b\n    src: 198.18.0.1\n",
	  .want = { { "4:5", "rule \"b\" has the same match as rule \"a\" at line 2; remove one of them" } }, .exact = true },
	{ .name = "duplicate_match_v4_mapped", .yaml = "rules:\n  - name: a\n    src: 198.18.0.1\n  - name: b\n    src: ::ffff:198.18.0.1\n",
	  .want = { { "4:5", "rule \"b\" has the same match as rule \"a\" at line 2" } } },
	{ .name = "duplicate_match_v6_forms", .yaml = "rules:\n  - name: a\n    src: 2001:2::1\n  - name: b\n    src: 2001:0002:0:0:0:0:0:1\n",
	  .want = { { "4:5", "rule \"b\" has the same match as rule \"a\" at line 2" } } },
	{ .name = "duplicate_match_port_proto", .yaml = "rules:\n  - name: a\n    port: 22\n    proto: tcp\n  - name: b\n    proto: tcp\n    port: 22\n    action: pass\n",
	  .want = { { "5:5", "rule \"b\" has the same match as rule \"a\" at line 2" } } },
	{ .name = "duplicate_match_explicit_any", .yaml = "rules:\n  - name: a\n    port: 53\n  - name: b\n    port: 53\n    proto: any\n",
	  .want = { { "4:5", "rule \"b\" has the same match as rule \"a\" at line 2" } } },
	{ .name = "duplicate_match_and_name", .yaml = "rules:\n  - name: a\n    port: 22\n  - name: a\n    port: 22\n",
	  .want = { { "4:5", "rule \"a\" has the same match as rule \"a\" at line 2" }, { "4:11", "rule name \"a\" is already used" } } },
	{ .name = "duplicate_interface", .yaml = "interfaces:\n  - name: eth0\n  - name: eth0\n",
	  .want = { { "3:11", "interface \"eth0\" is listed twice (first at line 2); list each interface once" } } },
	/* interfaces */
	{ .name = "interface_name_16_chars", .yaml = "interfaces:\n  - name: abcdefghijklmnop\n",
	  .want = { { "2:11", "interface name \"abcdefghijklmnop\" is not a valid device name; use 1-15 characters" } } },
	{ .name = "interface_name_colon", .yaml = "interfaces:\n  - name: eth0:1\n", .want = { { "2:11", "is not a valid device name" } } },
	{ .name = "interface_name_slash", .yaml = "interfaces:\n  - name: a/b\n", .want = { { "2:11", "is not a valid device name" } } },
	{ .name = "interface_name_space", .yaml = "interfaces:\n  - name: \"eth 0\"\n", .want = { { "2:11", "is not a valid device name" } } },
	{ .name = "interface_name_dotdot", .yaml = "interfaces:\n  - name: ..\n", .want = { { "2:11", "is not a valid device name" } } },
	{ .name = "interface_name_bool", .yaml = "interfaces:\n  - name: on\n", .want = { { "2:11", "interface #1: name is the YAML boolean on" } } },
	{ .name = "interface_no_name", .yaml = "interfaces:\n  - mode: auto\n", .want = { { "2:5", "interface #1 has no name; add \"name: eth0\"" } } },
	{ .name = "interface_mode", .yaml = "interfaces:\n  - name: eth0\n    mode: fast\n",
	  .want = { { "3:11", "interface \"eth0\": mode \"fast\" is not one of native, generic, auto" } } },
	{ .name = "interface_mode_typo", .yaml = "interfaces:\n  - name: eth0\n    mode: nativ\n", .want = { { "3:11", "did you mean \"native\"?" } } },
	/* settings */
	{ .name = "default_action_allow", .yaml = "settings:\n  default_action: allow\n",
	  .want = { { "2:19", "settings: default_action \"allow\" is not one of pass, drop" } } },
	{ .name = "fragments_reassemble", .yaml = "settings:\n  fragments: reassemble\n",
	  .want = { { "2:14", "settings: fragments \"reassemble\" is not one of inspect, drop" } } },
	{ .name = "max_rules_zero", .yaml = "settings:\n  max_rules: 0\n", .want = { { "2:14", "settings: max_rules 0 out of range; use 1-16777216" } } },
	{ .name = "max_rules_above_limit", .yaml = "settings:\n  max_rules: 16777217\n", .want = { { "2:14", "max_rules 16777217 out of range; use 1-16777216" } } },
	{ .name = "max_rules_text", .yaml = "settings:\n  max_rules: many\n", .want = { { "2:14", "max_rules \"many\" is not an integer" } } },
	{ .name = "too_many_rules", .yaml = "settings:\n  max_rules: 1\nrules:\n  - name: a\n    port: 22\n  - name: b\n    port: 23\n",
	  .want = { { "6:5", "too many rules: 2, but settings.max_rules is 1; raise settings.max_rules to at least 2" } } },
	{ .name = "too_many_rules_settings_last", .yaml = "rules:\n  - name: a\n    port: 22\n  - name: b\n    port: 23\n  - name: c\n    port: 24\nsettings:\n  max_rules: 2\n",
	  .want = { { "6:5", "raise settings.max_rules to at least 3" } } },
	/* YAML itself */
	{ .name = "syntax_error", .yaml = "rules:\n  - name: a\n    port: 22\n  bad: [\n", .want = { { "4:3", "YAML syntax error: did not find expected '-' indicator" } } },
	{ .name = "syntax_unclosed_quote", .yaml = "rules:\n  - name: \"a\n", .want = { { "3:1", "YAML syntax error: found unexpected end of stream" } } },
	{ .name = "syntax_tab_indent", .yaml = "rules:\n\t- name: a\n", .want = { { "2:1", "YAML syntax error: found character that cannot start any token" } } },
	{ .name = "syntax_keeps_earlier_errors", .yaml = "rules:\n  - name: a\n    port: 0\n  - name: b\n    port: 2\n  port: 1\n",
	  .want = { { "3:11", "port 0 out of range" }, { "6:3", "YAML syntax error" } } },
	{ .name = "anchor", .yaml = "rules:\n  - &r\n    name: a\n    port: 22\n", .want = { { "2:5", "YAML anchors (&r) are not supported; write each value out in full" } } },
	{ .name = "anchor_and_alias", .yaml = "settings:\n  fragments: &f drop\n  default_action: *f\n",
	  .want = { { "2:14", "YAML anchors (&f) are not supported" }, { "3:19", "YAML aliases (*f) are not supported" } } },
	{ .name = "tag", .yaml = "rules:\n  - name: !!str a\n    port: 22\n", .want = { { "2:11", "YAML tags (tag:yaml.org,2002:str) are not supported; remove the tag" } } },
	{ .name = "two_documents", .yaml = "rules:\n  - name: a\n    port: 22\n---\nrules: []\n",
	  .want = { { "4:1", "a second YAML document starts here; a config is one document" } } },
	{ .name = "not_utf8", .yaml = "rules:\n  - name: caf\xe9\n    port: 22\n", .want = { { "2:14", "not valid UTF-8 (byte 0xe9 at offset 20); save the file as UTF-8" } } },
	{ .name = "utf8_surrogate", .yaml = "rules:\n  - name: \xed\xa0\x80x\n", .want = { { "2:11", "not valid UTF-8 (byte 0xed" } } },
	{ .name = "control_character", .yaml = "settings:\n  fragments: dr\x01op\n", .want = { { "2:16", "unreadable YAML: control characters are not allowed" } } },
	{ .name = "nul_in_quoted", .yaml = "rules:\n  - name: \"a\\0b\"\n    port: 22\n", .want = { { "2:11", "text contains a NUL character" } } },
	{ .name = "nul_byte_in_file", .yaml = NUL_FILE, .len = sizeof(NUL_FILE) - 1, .want = { { "2:12", "control characters are not allowed" } } },
	{ .name = "nested_too_deep", .yaml = "rules: " NESTED20 "\n",
	  .want = { { "1:9", "each rule must be a mapping" }, { "1:25", "nested deeper than 16 levels" } } },
	/* several errors in one file, all reported, in file order */
	{ .name = "several_errors", .yaml = SEVERAL_ERRORS,
	  .want = { { "3:11", "mode \"turbo\"" }, { "5:19", "default_action \"allow\"" }, { "6:3", "did you mean \"fragments\"?" },
	    { "9:11", "port 70000 out of range" } }, .more = true },
};

#define ERROR_CASES (sizeof(error_cases) / sizeof(error_cases[0]))

static size_t want_count(const struct error_case *c)
{
	size_t n = 0;

	while (n < MAX_WANT && c->want[n].where)
		n++;
	return n;
}

/* Every message is one line "NAME:LINE:COL: ...", free of control bytes. */
static void assert_diag_lines(const char *diag, const char *name, size_t want_lines)
{
	size_t lines = 0;
	const char *line;

	for (line = diag; *line; line = strchr(line, '\n') + 1, lines++) {
		const char *end = strchr(line, '\n');

		assert_non_null(end);
		if (strncmp(line, name, strlen(name)) || line[strlen(name)] != ':')
			fail_msg("line %zu does not start with \"%s:\": %.*s", lines + 1, name,
				 (int)(end - line), line);
		for (const char *c = line; c < end; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				fail_msg("line %zu holds control byte 0x%02x: %.*s", lines + 1,
					 (unsigned char)*c, (int)(end - line), line);
	}
	assert_int_equal(lines, want_lines);
}

static void test_error_case(void **state)
{
	const struct error_case *c = *state;
	size_t n = want_count(c);
	struct parsed res, libyaml;
	size_t len = c->len ? c->len : strlen(c->yaml);

	parse_text(c->yaml, len, &res);
	if (res.rc != -EINVAL || count_lines(res.diag) < n)
		fail_msg("%s: rc %d, diagnostics:\n%s", c->name, res.rc, res.diag);
	/* Whichever reader produced them, the messages are libyaml's. */
	parse_reader(c->yaml, len, FW_READER_LIBYAML, &libyaml);
	assert_same_parse(&res, &libyaml, c->name, "the fast lane against libyaml");
	parsed_free(&libyaml);
	assert_config_empty(&res.cfg);
	if (!c->more && count_lines(res.diag) != n)
		fail_msg("%s: want %zu messages, got:\n%s", c->name, n, res.diag);
	assert_diag_lines(res.diag, NAME, count_lines(res.diag));
	assert_messages(c->name, res.diag, NAME, c->want, n, c->exact);
	parsed_free(&res);
}

static void test_several_errors_all_reported(void **state)
{
	struct parsed res;
	char line[512];

	(void)state;
	parse_str(SEVERAL_ERRORS, &res);
	assert_int_equal(res.rc, -EINVAL);
	/* The four in the table, then b's prefix (11:10), a's duplicate name, a's port+icmp. */
	assert_int_equal(count_lines(res.diag), 7);
	assert_true(strstr(nth_line(res.diag, 4, line, sizeof(line)), NAME ":11:10: ") == line);
	assert_true(strstr(nth_line(res.diag, 5, line, sizeof(line)), NAME ":12:11: ") == line);
	assert_non_null(strstr(line, "already used by the rule at line 8"));
	assert_true(strstr(nth_line(res.diag, 6, line, sizeof(line)), NAME ":13:11: ") == line);
	assert_non_null(strstr(line, "with proto icmp"));
	parsed_free(&res);
}

/* ---- valid configs ------------------------------------------------------ */

static void assert_defaults(const struct fw_config *cfg)
{
	assert_int_equal(cfg->rules.default_action, FW_ACTION_PASS);
	assert_int_equal(cfg->rules.fragments, FW_FRAGMENTS_INSPECT);
	assert_int_equal(cfg->capacity, FW_DEFAULT_CAPACITY);
}

static void test_empty_configs_are_valid(void **state)
{
	static const char *const texts[] = {
		"", "---\n", "# only a comment\n", "---\n...\n", "\n\n",
		"interfaces:\nsettings:\nrules:\n", "interfaces: []\nsettings: {}\nrules: []\n",
		"rules: ~\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct parsed res;

		parse_str(texts[i], &res);
		if (res.rc)
			fail_msg("\"%s\": rc %d\n%s", texts[i], res.rc, res.diag);
		assert_int_equal(res.diag_len, 0);
		assert_int_equal(res.cfg.rules.count, 0);
		assert_int_equal(res.cfg.interface_count, 0);
		assert_string_equal(res.cfg.path, NAME);
		assert_defaults(&res.cfg);
		parsed_free(&res);
	}
}

static void test_defaults(void **state)
{
	struct parsed res;
	const struct fw_rule *r;

	(void)state;
	parse_str("interfaces:\n  - name: eth0\nrules:\n  - name: r\n    port: 22\n", &res);
	assert_int_equal(res.rc, 0);
	assert_defaults(&res.cfg);
	assert_int_equal(res.cfg.interface_count, 1);
	assert_string_equal(res.cfg.interfaces[0].name, "eth0");
	assert_int_equal(res.cfg.interfaces[0].mode, FW_MODE_AUTO);
	assert_int_equal(res.cfg.interfaces[0].line, 2);
	assert_int_equal(res.cfg.interfaces[0].col, 5);
	assert_int_equal(res.cfg.rules.count, 1);
	r = &res.cfg.rules.rules[0];
	assert_string_equal(r->name, "r");
	assert_false(r->has_src);
	assert_int_equal(r->port, 22);
	assert_int_equal(r->proto, FW_PROTO_ANY);
	assert_int_equal(r->action, FW_ACTION_DROP);
	assert_int_equal(r->id, 0);
	assert_int_equal(r->line, 4);
	assert_int_equal(r->col, 5);
	parsed_free(&res);
}

static void test_full_config(void **state)
{
	static const char text[] =
		"# every field set\n"
		"interfaces:\n"
		"  - name: eth0\n"
		"    mode: native\n"
		"  - name: veth-a.1\n"
		"    mode: generic\n"
		"  - {name: lo, mode: auto}\n"
		"settings:\n"
		"  default_action: drop\n"
		"  fragments: drop\n"
		"  max_rules: 6\n"
		"rules:\n"
		"  - name: ssh-admin\n"
		"    src: 198.18.0.10\n"
		"    port: 22\n"
		"    proto: tcp\n"
		"    action: pass\n"
		"  - name: dns\n"
		"    port: 53\n"
		"    proto: udp\n"
		"    action: pass\n"
		"  - name: ban.v6\n"
		"    src: 2001:2::bad\n"
		"  - name: ping\n"
		"    proto: icmp\n"
		"    action: pass\n"
		"  - name: ping6\n"
		"    proto: icmpv6\n"
		"    action: pass\n"
		"  - {name: \"web:any\", port: 443, action: pass}\n";
	static const struct {
		const char *name, *src;
		uint16_t port;
		uint8_t proto, action;
		int line, col;
	} want[] = {
		{ "ssh-admin", "198.18.0.10", 22, FW_PROTO_TCP, FW_ACTION_PASS, 13, 5 },
		{ "dns", NULL, 53, FW_PROTO_UDP, FW_ACTION_PASS, 18, 5 },
		{ "ban.v6", "2001:2::bad", 0, FW_PROTO_ANY, FW_ACTION_DROP, 22, 5 },
		{ "ping", NULL, 0, FW_PROTO_ICMP, FW_ACTION_PASS, 24, 5 },
		{ "ping6", NULL, 0, FW_PROTO_ICMPV6, FW_ACTION_PASS, 27, 5 },
		{ "web:any", NULL, 443, FW_PROTO_ANY, FW_ACTION_PASS, 30, 5 },
	};
	struct parsed res;
	size_t i;

	(void)state;
	parse_str(text, &res);
	if (res.rc)
		fail_msg("rc %d\n%s", res.rc, res.diag);
	assert_int_equal(res.cfg.rules.default_action, FW_ACTION_DROP);
	assert_int_equal(res.cfg.rules.fragments, FW_FRAGMENTS_DROP);
	assert_int_equal(res.cfg.capacity, 6);
	assert_int_equal(res.cfg.interface_count, 3);
	assert_string_equal(res.cfg.interfaces[0].name, "eth0");
	assert_int_equal(res.cfg.interfaces[0].mode, FW_MODE_NATIVE);
	assert_string_equal(res.cfg.interfaces[1].name, "veth-a.1");
	assert_int_equal(res.cfg.interfaces[1].mode, FW_MODE_GENERIC);
	assert_int_equal(res.cfg.interfaces[1].line, 5);
	assert_string_equal(res.cfg.interfaces[2].name, "lo");
	assert_int_equal(res.cfg.interfaces[2].mode, FW_MODE_AUTO);
	assert_int_equal(res.cfg.interfaces[2].col, 5);
	assert_int_equal(res.cfg.rules.count, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < res.cfg.rules.count; i++) {
		const struct fw_rule *r = &res.cfg.rules.rules[i];
		uint8_t addr[16] = { 0 };

		assert_string_equal(r->name, want[i].name);
		assert_int_equal(r->has_src, want[i].src != NULL);
		if (want[i].src)
			addr_of(want[i].src, addr);
		assert_memory_equal(r->src, addr, sizeof(addr));
		assert_int_equal(r->port, want[i].port);
		assert_int_equal(r->proto, want[i].proto);
		assert_int_equal(r->action, want[i].action);
		assert_int_equal(r->line, want[i].line);
		assert_int_equal(r->col, want[i].col);
	}
	parsed_free(&res);
}

/* One valid rule each: the fields it must produce. */
struct rule_case {
	const char *name;
	const char *yaml;      /* the lines after "  - name: r" */
	const char *src;       /* in any form inet_pton reads, or NULL */
	const uint8_t *bytes;  /* the exact 16 bytes expected, or NULL */
	uint16_t port;
	uint8_t proto;
	uint8_t action;
	uint8_t src_len;       /* the prefix length over 16 bytes; 0: 128, one address */
};

static const uint8_t v4_mapped_198_18_0_1[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
						   198, 18, 0, 1 };
static const uint8_t v6_2001_2__1[16] = { 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

static const struct rule_case rule_cases[] = {
	{ "port_1", "    port: 1\n", NULL, NULL, 1, FW_PROTO_ANY, FW_ACTION_DROP, 0 },
	{ "port_65535", "    port: 65535\n    proto: tcp\n", NULL, NULL, 65535, FW_PROTO_TCP, FW_ACTION_DROP, 0 },
	{ "port_udp_pass", "    port: 53\n    proto: udp\n    action: pass\n", NULL, NULL, 53, FW_PROTO_UDP, FW_ACTION_PASS, 0 },
	{ "proto_icmp", "    proto: icmp\n", NULL, NULL, 0, FW_PROTO_ICMP, FW_ACTION_DROP, 0 },
	{ "proto_icmpv6", "    proto: icmpv6\n", NULL, NULL, 0, FW_PROTO_ICMPV6, FW_ACTION_DROP, 0 },
	{ "proto_tcp_no_port", "    proto: tcp\n", NULL, NULL, 0, FW_PROTO_TCP, FW_ACTION_DROP, 0 },
	{ "src_v4_is_v4_mapped", "    src: 198.18.0.1\n", "198.18.0.1", v4_mapped_198_18_0_1, 0, FW_PROTO_ANY, FW_ACTION_DROP, 0 },
	{ "src_v4_mapped_literal", "    src: ::ffff:198.18.0.1\n", "198.18.0.1", v4_mapped_198_18_0_1, 0, FW_PROTO_ANY, FW_ACTION_DROP, 0 },
	{ "src_v4_mapped_hex", "    src: \"::ffff:c612:1\"\n", "198.18.0.1", v4_mapped_198_18_0_1, 0, FW_PROTO_ANY, FW_ACTION_DROP, 0 },
	{ "src_v6_short", "    src: 2001:2::1\n", "2001:2::1", v6_2001_2__1, 0, FW_PROTO_ANY, FW_ACTION_DROP, 0 },
	{ "src_v6_long", "    src: 2001:0002:0:0:0:0:0:1\n", "2001:2::1", v6_2001_2__1, 0, FW_PROTO_ANY, FW_ACTION_DROP, 0 },
	{ "src_v6_quoted", "    src: '2001:2::1'\n", "2001:2::1", v6_2001_2__1, 0, FW_PROTO_ANY, FW_ACTION_DROP, 0 },
	{ "src_port_proto_pass", "    src: 198.19.255.255\n    port: 443\n    proto: tcp\n    action: pass\n", "198.19.255.255", NULL, 443, FW_PROTO_TCP, FW_ACTION_PASS, 0 },
	{ "src_icmpv6", "    src: 2001:2:0:1::7\n    proto: icmpv6\n", "2001:2:0:1::7", NULL, 0, FW_PROTO_ICMPV6, FW_ACTION_DROP, 0 },
	{ "explicit_drop", "    port: 23\n    action: drop\n", NULL, NULL, 23, FW_PROTO_ANY, FW_ACTION_DROP, 0 },
	{ "src_prefix_v4", "    src: 198.18.0.0/15\n", "198.18.0.0", NULL, 0, FW_PROTO_ANY, FW_ACTION_DROP, 96 + 15 },
	{ "src_prefix_v4_16", "    src: 198.19.0.0/16\n    port: 22\n", "198.19.0.0", NULL, 22, FW_PROTO_ANY, FW_ACTION_DROP, 96 + 16 },
	{ "src_prefix_v4_31", "    src: 198.18.0.2/31\n", "198.18.0.2", NULL, 0, FW_PROTO_ANY, FW_ACTION_DROP, 96 + 31 },
	{ "src_prefix_v4_1", "    src: 128.0.0.0/1\n", "128.0.0.0", NULL, 0, FW_PROTO_ANY, FW_ACTION_DROP, 96 + 1 },
	{ "src_prefix_v4_32_is_address", "    src: 198.18.0.1/32\n", "198.18.0.1", v4_mapped_198_18_0_1, 0, FW_PROTO_ANY, FW_ACTION_DROP, 128 },
	{ "src_prefix_v6", "    src: 2001:2::/48\n    proto: tcp\n", "2001:2::", NULL, 0, FW_PROTO_TCP, FW_ACTION_DROP, 48 },
	{ "src_prefix_v6_1", "    src: 8000::/1\n", "8000::", NULL, 0, FW_PROTO_ANY, FW_ACTION_DROP, 1 },
	{ "src_prefix_v6_128_is_address", "    src: 2001:2::1/128\n", "2001:2::1", v6_2001_2__1, 0, FW_PROTO_ANY, FW_ACTION_DROP, 128 },
	{ "src_prefix_v4_mapped", "    src: ::ffff:198.18.0.0/120\n", "198.18.0.0", NULL, 0, FW_PROTO_ANY, FW_ACTION_DROP, 120 },
	{ "src_prefix_quoted", "    src: \"198.18.0.0/24\"\n", "198.18.0.0", NULL, 0, FW_PROTO_ANY, FW_ACTION_DROP, 96 + 24 },
	{ "port_range", "    port: 8000-8099\n    proto: tcp\n", NULL, NULL, 8000, FW_PROTO_TCP, FW_ACTION_DROP, 0 },
	{ "port_list_lowest", "    port: [443, 80]\n", NULL, NULL, 80, FW_PROTO_ANY, FW_ACTION_DROP, 0 },
	{ "port_list_one", "    port: [22]\n    proto: udp\n", NULL, NULL, 22, FW_PROTO_UDP, FW_ACTION_DROP, 0 },
};

#define RULE_CASES (sizeof(rule_cases) / sizeof(rule_cases[0]))

static void test_rule_case(void **state)
{
	const struct rule_case *c = *state;
	const struct fw_rule *r;
	struct parsed res;
	uint8_t addr[16] = { 0 };
	char text[512];

	snprintf(text, sizeof(text), "rules:\n  - name: r\n%s", c->yaml);
	parse_str(text, &res);
	if (res.rc)
		fail_msg("%s: rc %d\n%s", c->name, res.rc, res.diag);
	assert_int_equal(res.cfg.rules.count, 1);
	r = &res.cfg.rules.rules[0];
	assert_string_equal(r->name, "r");
	assert_int_equal(r->has_src, c->src != NULL);
	if (c->src)
		addr_of(c->src, addr);
	assert_memory_equal(r->src, addr, sizeof(addr));
	if (c->bytes)
		assert_memory_equal(r->src, c->bytes, 16);
	assert_int_equal(r->src_len, c->src ? (c->src_len ? c->src_len : 128) : 0);
	assert_int_equal(r->set_ref, 0);
	assert_int_equal(r->match_tag, fw_rule_match_tag(&res.cfg.rules, r));
	assert_int_equal(r->port, c->port);
	assert_int_equal(r->proto, c->proto);
	assert_int_equal(r->action, c->action);
	parsed_free(&res);
}

/* Valid configs that look like errors but are not; all they hold is read. */
static void test_edge_values_valid(void **state)
{
	static const struct {
		const char *text;
		size_t rules, interfaces, capacity;
	} cases[] = {
		/* 63-character name, every allowed character */
		{ "rules:\n  - name: " NAME63 "\n    port: 22\n  - name: A-z_0.9:x\n    port: 23\n", 2, 0, 0 },
		/* same source, different proto or port: different matches */
		{ "rules:\n  - name: a\n    src: 198.18.0.1\n  - name: b\n    src: 198.18.0.1\n    proto: tcp\n"
		  "  - name: c\n    src: 198.18.0.1\n    port: 22\n  - name: d\n    src: 198.18.0.1\n    port: 22\n    proto: tcp\n", 4, 0, 0 },
		/* port with any vs tcp, and v4 vs a v6 address with the same low bytes */
		{ "rules:\n  - name: a\n    port: 22\n  - name: b\n    port: 22\n    proto: tcp\n"
		  "  - name: c\n    src: 198.18.0.1\n  - name: d\n    src: \"::198.18.0.1\"\n", 4, 0, 0 },
		/* max_rules equal to the number of rules, and its upper limit */
		{ "settings:\n  max_rules: 2\nrules:\n  - name: a\n    port: 1\n  - name: b\n    port: 2\n", 2, 0, 2 },
		{ "settings:\n  max_rules: 16777216\n", 0, 0, 16777216 },
		/* interface names: 15 characters, dots, dashes, quoted */
		{ "interfaces:\n  - name: abcdefghijklmno\n  - name: veth0.100\n  - name: \"br-lan\"\n", 0, 3, 0 },
		/* a quoted "yes" is text, and numbers are names too */
		{ "rules:\n  - name: \"yes\"\n    port: 22\n  - name: 123\n    port: 23\n", 2, 0, 0 },
		/* CRLF line ends and a byte-order mark */
		{ "\xef\xbb\xbfrules:\r\n  - name: a\r\n    port: 22\r\n", 1, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed res;

		parse_str(cases[i].text, &res);
		if (res.rc)
			fail_msg("case %zu: rc %d\n%s", i, res.rc, res.diag);
		assert_int_equal(res.diag_len, 0);
		assert_int_equal(res.cfg.rules.count, cases[i].rules);
		assert_int_equal(res.cfg.interface_count, cases[i].interfaces);
		assert_int_equal(res.cfg.capacity,
				 cases[i].capacity ? cases[i].capacity : FW_DEFAULT_CAPACITY);
		parsed_free(&res);
	}
}

static void test_name_63_and_crlf_positions(void **state)
{
	struct parsed res;

	(void)state;
	parse_str("rules:\n  - name: " NAME63 "\n    port: 22\n", &res);
	assert_int_equal(res.rc, 0);
	assert_string_equal(res.cfg.rules.rules[0].name, NAME63);
	parsed_free(&res);

	parse_str("rules:\r\n  - name: a\r\n    port: 0\r\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_true(strncmp(res.diag, NAME ":3:11: ", strlen(NAME ":3:11: ")) == 0);
	parsed_free(&res);
}

/*
 * Plain configs (ASCII, LF line ends, one-word values, a few of them as a
 * flow list on one line) are read by the fast lane, without libyaml;
 * anything else (a non-ASCII comment, CRLF line ends, escapes, nested or
 * multi-line flow style, ...) makes it give up and libyaml read the text. Either
 * way the config and the messages must be those of libyaml alone.
 */
/* The default reader gives what libyaml alone gives, by the fast lane if want_fast. */
static void assert_lane_matches_libyaml(const char *text, bool want_fast, const char *what)
{
	struct parsed lane, libyaml;

	parse_reader(text, strlen(text), FW_READER_AUTO, &lane);
	parse_reader(text, strlen(text), FW_READER_LIBYAML, &libyaml);
	if (lane.fast != want_fast)
		fail_msg("%s: the fast lane %s:\n%s", what,
			 want_fast ? "gave up on a config meant for it" : "read a config outside its subset",
			 text);
	assert_false(libyaml.fast);
	assert_same_parse(&lane, &libyaml, text, what);
	parsed_free(&lane);
	parsed_free(&libyaml);
}

static char *with_crlf(const char *text)
{
	char *out = malloc(2 * strlen(text) + 1), *o = out;

	assert_non_null(out);
	for (; *text; text++) {
		if (*text == '\n')
			*o++ = '\r';
		*o++ = *text;
	}
	*o = '\0';
	return out;
}

static void test_fast_lane_matches_libyaml(void **state)
{
	static const char *const plain[] = {
		"# every section\n"
		"interfaces:\n  - name: eth0\n    mode: native\n  - name: veth-a.1\n"
		"settings:\n  default_action: drop   # allow-list\n"
		"  fragments: drop\n  max_rules: 9\n"
		"rules:\n\n  - name: ssh\n    src: 198.18.0.10\n    port: 22\n    proto: tcp\n    action: pass\n"
		"  # a comment between rules\n  - name: ban.v6\n    src: 2001:2::bad\n",
		/* errors in every kind of value, and duplicates */
		SEVERAL_ERRORS,
		"rules:\n - name: a\n   port: 22\n - name: a\n   port: 22\n - port: 0\n",
		("rules:\n    - name: yes\n      src: 198.18.0.0/24\n      proto: tpc\n"
		 "    - name: b\n      prot: tcp\n"),
		"settings:\n  max_rules: 1\n  fragmets: drop\nrules:\n  - name: a\n    port: 1\n  - name: b\n    port: 2\n",
		"interfaces:\n  - name: eth0\n  - name: eth0\n  - mode: fast\nrule:\n  - name: r\n",
		/* list files, prefixes and port ranges, and a set's mistakes */
		"sets:\n  drop:\n    file: tests/conf/warn/lists/drop.txt\n  empty:\n    file: tests/conf/warn/lists/empty.txt\n"
		"rules:\n  - name: net\n    src: 198.18.0.0/15\n    port: 8000-8099\n  - name: net2\n    src: 198.18.0.1/15\n",
		"rules:\n  - name: a\n    port: 22\nsets:\n  bad:\n    flie: x\n  bad.2:\n    file: tests/conf\n",
		/* values quoted on their line, without escapes: "@set" above all */
		"rules:\n  - name: \"quoted\"\n    port: 22\n",
		"sets:\n  office:\n    file: tests/conf/warn/lists/drop.txt\nrules:\n  - name: 'o f'\n    src: \"@office\"  # c\n"
		"  - name: b\n    src: '@office'\n    port: \"22\"\n  - name: c\n    src: \"@nope\"\n"
		"  - name: d\n    src: \" 198.18.0.1\"\n  - name: \"e # f: g\"\n    port: '8000-8099'\n",
		/* flow lists on one line */
		"include: [tests/conf/nothing-here/*.yaml]\nrules:\n  - name: a\n    port: 22\n",
		"rules:\n  - name: r\n    port: [80, 443]\n",
		"sets:\n  a:\n    elements: [198.18.0.1]\nrules:\n  - name: r\n    src: \"@a\"\n",
		"rules: []\n",
	};
	/* Outside the plain subset: the lane gives up, libyaml reads them. */
	static const char *const other[] = {
		"rules:\n  - name: \"\"\n    port: 22\n",
		"rules:\n  - name: \"a\\\\b\"\n    port: 22\n",
		"rules:\n  - name: 'it''s'\n    port: 22\n",
		"rules:\n  - name: \"a\"b\n    port: 22\n",
		"rules:\n  - name: \"a\tb\"\n    port: 22\n",
		"rules:\n  - name: \"a\n    b\"\n    port: 22\n",
		"rules:\n  - name: \"a\" : x\n",
		"rules:\n  - \"name\": a\n",
		"rules:\n- name: a\n  port: 22\n",
		"rules:\n  - name: a\n    port:\n",
		"rules:\n  - name: a\n    port: 22\n---\n",
		"rules:\n  - name: a\n    port: 22\n  bad: [\n",
		"rules:\n  - name: x:\n",
		"sets:\n  a:\n    elements:\n      - 198.18.0.1\n",
		"sets:\n  a:\n",
		"sets:\n  a:\n  b:\n    file: x\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char *variant;

		assert_lane_matches_libyaml(plain[i], true, "plain config");
		/* The same config outside the subset gives the same result too. */
		assert_true(asprintf(&variant, "%s# caf\xc3\xa9\n", plain[i]) > 0);
		assert_lane_matches_libyaml(variant, false, "with a non-ASCII comment");
		free(variant);
		variant = with_crlf(plain[i]);
		assert_lane_matches_libyaml(variant, false, "with CRLF line ends");
		free(variant);
	}
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		assert_lane_matches_libyaml(other[i], false, "config outside the plain subset");
}

/* n rules with distinct sources, flow style to keep the text small. */
static char *many_rules(size_t n, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	size_t i;

	assert_non_null(f);
	fputs("rules:\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, "  - {name: r%zu, src: \"2001:2::%zx:%zx\"}\n", i, i >> 16, i & 0xffff);
	fclose(f);
	return text;
}

/* ---- user text in messages -------------------------------------------- */

struct escape_case {
	const char *yaml;
	const char *want; /* the whole message line, escaped */
};

/* Names and keys with a newline, an ESC or a backslash are quoted escaped, one line each. */
static void test_diag_escapes_config_text(void **state)
{
	static const struct escape_case cases[] = {
		/* A newline that would forge a second FILE:LINE:COL: line, then a colour. */
		{ "rules:\n  - name: \"x\\nt.yaml:9:9: forged\\e[31m\"\n    port: 22\n",
		  NAME ":2:11: rule #1: name \"x\\nt.yaml:9:9: forged\\e[31m\" has invalid characters; "
		  "use only letters, digits and _ . : -" },
		/* A valid device name may hold an ESC; the prefix naming it is escaped too. */
		{ "interfaces:\n  - name: \"e\\e[2J\"\n    mode: fast\n",
		  NAME ":3:11: interface \"e\\e[2J\": mode \"fast\" is not one of native, generic, auto" },
		{ "interfaces:\n  - name: \"e\\e\"\n  - name: \"e\\e\"\n",
		  NAME ":3:11: interface \"e\\e\" is listed twice (first at line 2); list each interface once" },
		{ "rules:\n  - name: r\n    port: 22\n    \"po\\r\\nrt\": 22\n",
		  NAME ":4:5: rule \"r\": unknown key \"po\\r\\nrt\"; expected one of name, src, port, proto, action, tcp_flags, limit, ban_for, log" },
		{ "rules:\n  - name: r\n    src: \"a\\\\b\\x7f\\t\"\n",
		  NAME ":3:10: rule \"r\": src \"a\\\\b\\x7f\\t\" is not an IPv4 or IPv6 address, a prefix or \"@set\"; "
		  "write e.g. 198.18.0.1, 198.18.0.0/15, 2001:2::/48 or \"@office\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed res;

		parse_str(cases[i].yaml, &res);
		assert_int_equal(res.rc, -EINVAL);
		assert_diag_lines(res.diag, NAME, 1);
		if (strncmp(res.diag, cases[i].want, strlen(cases[i].want)) ||
		    res.diag[strlen(cases[i].want)] != '\n')
			fail_msg("case %zu: want\n%s\ngot\n%s", i, cases[i].want, res.diag);
		parsed_free(&res);
	}
}

/* The file name starts every line: it is escaped like the config's own text. */
static void test_diag_escapes_file_name(void **state)
{
	static const char text[] = "rules:\n  - name: r\n    port: 0\n";
	struct fw_config cfg;
	size_t len;
	char *diag;
	FILE *f = open_memstream(&diag, &len);

	(void)state;
	assert_non_null(f);
	assert_int_equal(fw_config_parse("a\nb\x1b.yaml", text, strlen(text), &cfg, f), -EINVAL);
	fclose(f);
	assert_diag_lines(diag, "a\\nb\\e.yaml", 1);
	assert_non_null(strstr(diag, "a\\nb\\e.yaml:3:11: rule \"r\": port 0 out of range"));
	free(diag);
}

/* n interfaces x0..x(n-1), each line "  - name: xI", with repeats at both ends. */
static char *many_interfaces(size_t n, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	size_t i;

	assert_non_null(f);
	fputs("interfaces:\n  - name: x0\n  - name: x0\n", f);     /* lines 2, 3 */
	for (i = 1; i < n; i++)
		fprintf(f, "  - name: x%zu\n", i);                  /* lines 3 + i */
	fprintf(f, "  - name: x%zu\n  - name: x0\n", n - 1);       /* lines n + 3, n + 4 */
	fclose(f);
	return text;
}

/* Duplicates are found by hash: 100k interfaces, each repeat reported with its first. */
static void test_interfaces_listed_twice_among_100k(void **state)
{
	const size_t n = 100000;
	char want[3][128];
	struct parsed res;
	char line[512];
	size_t len;
	char *text = many_interfaces(n, &len);

	(void)state;
	snprintf(want[0], sizeof(want[0]),
		 NAME ":3:11: interface \"x0\" is listed twice (first at line 2)");
	snprintf(want[1], sizeof(want[1]),
		 NAME ":%zu:11: interface \"x%zu\" is listed twice (first at line %zu)", n + 3, n - 1,
		 n + 2);
	snprintf(want[2], sizeof(want[2]),
		 NAME ":%zu:11: interface \"x0\" is listed twice (first at line 2)", n + 4);
	parse_text(text, len, &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_diag_lines(res.diag, NAME, 3);
	for (size_t i = 0; i < 3; i++)
		if (strncmp(nth_line(res.diag, i, line, sizeof(line)), want[i], strlen(want[i])))
			fail_msg("message %zu: want \"%s\", got \"%s\"", i, want[i], line);
	parsed_free(&res);
	free(text);
}

static void test_default_capacity(void **state)
{
	struct parsed res;
	size_t len;
	char *text;

	(void)state;
	text = many_rules(FW_DEFAULT_CAPACITY, &len);
	parse_text(text, len, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.cfg.rules.count, FW_DEFAULT_CAPACITY);
	parsed_free(&res);
	free(text);

	text = many_rules(FW_DEFAULT_CAPACITY + 1, &len);
	parse_text(text, len, &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_int_equal(count_lines(res.diag), 1);
	assert_non_null(strstr(res.diag, NAME ":131074:5: too many rules: 131073, more than the default "
				      "capacity of 131072; raise settings.max_rules to at least 131073"));
	parsed_free(&res);
	free(text);
}

static void test_null_diag(void **state)
{
	struct fw_config cfg;

	(void)state;
	assert_int_equal(fw_config_parse(NAME, "rules: 5\n", 9, &cfg, NULL), -EINVAL);
	assert_config_empty(&cfg);
	assert_int_equal(fw_config_parse(NULL, BAD_PORT, strlen(BAD_PORT), &cfg, NULL), -EINVAL);
	assert_config_empty(&cfg);
	assert_int_equal(fw_config_parse(NULL, NULL, 0, &cfg, NULL), 0);
	assert_string_equal(cfg.path, "<config>");
	fw_config_free(&cfg);
}

static void test_free_is_safe(void **state)
{
	struct fw_config cfg;
	struct parsed res;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	fw_config_free(&cfg);
	fw_config_free(&cfg);
	parse_str("interfaces:\n  - name: eth0\nrules:\n  - name: a\n    port: 1\n", &res);
	assert_int_equal(res.rc, 0);
	fw_config_free(&res.cfg);
	assert_config_empty(&res.cfg);
	parsed_free(&res);
}

/* ---- files -------------------------------------------------------------- */

static char *capture_load(const char *path, struct fw_config *cfg, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *diag = open_memstream(&text, &len);

	assert_non_null(diag);
	*rc = fw_config_load(path, cfg, diag);
	fclose(diag);
	return text;
}

static void test_load_unreadable(void **state)
{
	struct fw_config cfg;
	char *diag;
	int rc;

	(void)state;
	diag = capture_load("tests/conf/does-not-exist.yaml", &cfg, &rc);
	assert_int_equal(rc, -ENOENT);
	assert_string_equal(diag, "tests/conf/does-not-exist.yaml: cannot read the config: No such file or directory\n");
	assert_config_empty(&cfg);
	free(diag);

	diag = capture_load("tests/conf", &cfg, &rc);
	assert_int_equal(rc, -EISDIR);
	assert_non_null(strstr(diag, "tests/conf: cannot read the config: Is a directory"));
	free(diag);

	diag = capture_load("tests/conf/no\nsuch.yaml", &cfg, &rc);
	assert_int_equal(rc, -ENOENT);
	assert_string_equal(diag, "tests/conf/no\\nsuch.yaml: cannot read the config: No such file or directory\n");
	free(diag);
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/xdpfw-test-config-XXXXXX";
	static const char text[] = "rules:\n  - name: a\n    src: 198.18.0.9\n";
	struct fw_config cfg;
	char *diag;
	int fd, rc;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	diag = capture_load(path, &cfg, &rc);
	unlink(path);
	assert_int_equal(rc, 0);
	assert_string_equal(diag, "");
	assert_string_equal(cfg.path, path);
	assert_int_equal(cfg.rules.count, 1);
	assert_true(cfg.rules.rules[0].has_src);
	fw_config_free(&cfg);
	free(diag);
}

/* ---- sets, port ranges and lists, ties (DESIGN §1b) --------------------- */

static const struct fw_port_range *ranges_of(const struct fw_config *cfg, const struct fw_rule *r)
{
	assert_true(r->ports_at + (size_t)r->ports_count <= cfg->rules.port_range_count);
	return &cfg->rules.port_ranges[r->ports_at];
}

static void test_port_forms(void **state)
{
	static const char text[] =
		"rules:\n"
		"  - name: plain\n"                     /* 2 */
		"    port: 22\n"
		"  - name: range\n"                     /* 4 */
		"    port: 8000-8099\n"
		"  - name: list\n"                      /* 6 */
		"    port: [443, 80, 8000-8099]\n"
		"    proto: tcp\n"
		"  - name: one\n"                       /* 9 */
		"    port: [53]\n"
		"    proto: udp\n"
		"  - name: quoted-range\n"              /* 12 */
		"    port: \"1-65535\"\n"
		"    proto: udp\n"
		"  - name: range-of-one\n"              /* 15 */
		"    port: 9-9\n";
	const struct fw_port_range want_list[] = { { 80, 80 }, { 443, 443 }, { 8000, 8099 } };
	const struct fw_rule *r;
	struct parsed res;

	(void)state;
	parse_str(text, &res);
	if (res.rc)
		fail_msg("rc %d\n%s", res.rc, res.diag);
	assert_int_equal(res.cfg.rules.count, 6);
	r = &res.cfg.rules.rules[0];
	assert_int_equal(r->port, 22);
	assert_int_equal(r->ports_count, 0);
	assert_int_equal(r->match_tag, 0);
	r = &res.cfg.rules.rules[1];
	assert_int_equal(r->port, 8000);
	assert_int_equal(r->ports_count, 1);
	assert_int_equal(ranges_of(&res.cfg, r)[0].first, 8000);
	assert_int_equal(ranges_of(&res.cfg, r)[0].last, 8099);
	assert_int_not_equal(r->match_tag, 0);
	assert_true(fw_rule_has_port(&res.cfg.rules, r, 8050));
	assert_false(fw_rule_has_port(&res.cfg.rules, r, 8100));
	r = &res.cfg.rules.rules[2];
	assert_int_equal(r->port, want_list[0].first); /* the lowest named */
	assert_int_equal(r->ports_count, 3);
	assert_memory_equal(ranges_of(&res.cfg, r), want_list, sizeof(want_list)); /* sorted */
	assert_int_equal(r->match_tag, fw_rule_match_tag(&res.cfg.rules, r));
	assert_int_not_equal(r->match_tag, 0);
	r = &res.cfg.rules.rules[3];
	assert_int_equal(r->port, 53);
	assert_int_equal(r->ports_count, 1);
	assert_int_equal(r->match_tag, 0); /* one port, as a list: the v1 match */
	r = &res.cfg.rules.rules[4];
	assert_int_equal(r->port, 1);
	assert_int_equal(ranges_of(&res.cfg, r)[0].last, 65535);
	r = &res.cfg.rules.rules[5];
	assert_int_equal(r->port, 9);
	assert_int_equal(r->ports_count, 1);
	assert_int_equal(r->match_tag, 0);
	assert_int_equal(res.cfg.rules.port_range_count, 1 + 3 + 1 + 1 + 1);
	parsed_free(&res);
}

/* A list's order does not change what the rule is: the same match, so counters carry over. */
static void test_port_list_order_same_tag(void **state)
{
	struct parsed a, b;

	(void)state;
	parse_str("rules:\n  - name: w\n    port: [80, 443, 8000-8099]\n", &a);
	parse_str("rules:\n  - name: w\n    port: [8000-8099, 443, 80]\n", &b);
	assert_int_equal(a.rc, 0);
	assert_int_equal(b.rc, 0);
	assert_int_equal(a.cfg.rules.rules[0].match_tag, b.cfg.rules.rules[0].match_tag);
	assert_true(fw_rule_same_match(&a.cfg.rules.rules[0], &b.cfg.rules.rules[0]));
	parsed_free(&a);
	parsed_free(&b);
}

/* Sets come after the rules that name them; elements keep where they were written. */
static void test_set_elements(void **state)
{
	static const char text[] =
		"rules:\n"
		"  - name: r\n"
		"    src: \"@office\"\n"
		"    port: 22\n"
		"sets:\n"
		"  office:\n"                                                        /* 6 */
		"    elements: [198.18.20.0/24, 2001:2:0:9::/64, 198.18.3.3]\n"   /* 7 */
		"  other:\n"                                                         /* 8 */
		"    elements:\n"
		"      - 198.18.0.0/15\n"                                            /* 10 */
		"      - 198.18.0.0/15\n";
	const struct fw_set *set;
	const struct fw_rule *r;
	struct parsed res;
	uint8_t addr[16];

	(void)state;
	parse_str(text, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(count_lines(res.diag), 1); /* "other" is not used */
	assert_non_null(strstr(res.diag, NAME ":8:3: warning: set \"other\" is not used by any rule; "
				      "name it in a rule as src: \"@other\", or remove it\n"));
	assert_int_equal(res.cfg.rules.set_count, 2);
	set = &res.cfg.rules.sets[0];
	assert_string_equal(set->name, "office");
	assert_null(set->file);
	assert_int_equal(set->line, 6);
	assert_int_equal(set->col, 3);
	assert_int_equal(set->count, 3);
	assert_int_equal(set->v4, 2);
	assert_int_equal(set->v6, 1);
	addr_of("198.18.20.0", addr);
	assert_memory_equal(set->elements[0].prefix.addr, addr, 16);
	assert_int_equal(set->elements[0].prefix.len, 96 + 24);
	assert_int_equal(set->elements[0].line, 7);
	assert_int_equal(set->elements[0].col, 16);
	assert_int_equal(set->elements[1].prefix.len, 64);
	assert_int_equal(set->elements[1].col, 32);
	assert_int_equal(set->elements[2].prefix.len, 128);
	/* Duplicates within a set are fine. */
	assert_int_equal(res.cfg.rules.sets[1].count, 2);
	assert_int_equal(res.cfg.rules.sets[1].elements[1].line, 11);
	r = &res.cfg.rules.rules[0];
	assert_true(r->has_src);
	assert_int_equal(r->set_ref, 1);
	assert_ptr_equal(fw_rule_set(&res.cfg.rules, r), set);
	assert_int_not_equal(r->match_tag, 0);
	assert_int_equal(r->match_tag, fw_rule_match_tag(&res.cfg.rules, r));
	parsed_free(&res);
}

/* `file:` is relative to the config's folder; without a folder, to the current one. */
static void test_set_file_paths(void **state)
{
	static const struct {
		const char *config, *file, *want;
	} cases[] = {
		{ "etc/xdpfw/xdpfw.yaml", "sets/drop.txt", "etc/xdpfw/sets/drop.txt" },
		{ "/etc/xdpfw.yaml", "drop.txt", "/etc/drop.txt" },
		{ "xdpfw.yaml", "sets/drop.txt", "sets/drop.txt" },
		{ "etc/xdpfw.yaml", "/var/lib/drop.txt", "/var/lib/drop.txt" },
		{ "etc/xdpfw.yaml", "../drop.txt", "etc/../drop.txt" },
	};
	const struct fw_config_options opts = { .skip_list_files = true };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fw_config cfg;
		char *text;
		int rc;

		assert_true(asprintf(&text, "sets:\n  s:\n    file: %s\nrules:\n  - name: r\n    src: \"@s\"\n",
				     cases[i].file) > 0);
		rc = fw_config_parse_opts(cases[i].config, text, strlen(text), &opts, &cfg, NULL, NULL);
		assert_int_equal(rc, 0);
		assert_string_equal(cfg.rules.sets[0].file, cases[i].want);
		assert_int_equal(cfg.rules.sets[0].count, 0); /* not read */
		fw_config_free(&cfg);
		free(text);
	}
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A list file in a folder beside the config: comments, CRLF, a BOM, blanks and tabs. */
static void test_set_file_loaded(void **state)
{
	static const char list[] = "\xef\xbb\xbf# Spamhaus-style\r\n"
				   "198.19.3.0/24 ; SBL123\r\n"
				   "\r\n"
				   "\t 2001:2::/48\t# doc\r\n"
				   "198.18.0.1\r\n"
				   "0.0.0.0/8";
	char dir[] = "/tmp/xdpfw-test-sets-XXXXXX", path[128], config[128];
	const struct fw_set *set;
	struct fw_config cfg;
	char *diag, *text;
	uint8_t addr[16];
	int rc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/lists", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/lists/drop.txt", dir);
	write_file(path, list, sizeof(list) - 1);
	snprintf(config, sizeof(config), "%s/xdpfw.yaml", dir);
	assert_true(asprintf(&text, "sets:\n  drop:\n    file: lists/drop.txt\n  abs:\n    file: %s\n"
				    "rules:\n  - name: drop\n    src: \"@drop\"\n  - name: abs\n    src: \"@abs\"\n"
				    "    action: pass\n", path) > 0);
	write_file(config, text, strlen(text));
	diag = capture_load(config, &cfg, &rc);
	/* Both sets hold the same elements, with different actions: each a tie. */
	assert_int_equal(rc, 0);
	assert_int_equal(count_lines(diag), 1);
	assert_non_null(strstr(diag, "warning: rule \"abs\" ties with rule \"drop\" (line 7): both match 198.19.3.0/24 (in @drop and @abs)"));
	set = &cfg.rules.sets[0];
	assert_string_equal(set->file, path);
	assert_string_equal(cfg.rules.sets[1].file, path);
	assert_int_equal(set->count, 4);
	assert_int_equal(set->v4, 3);
	assert_int_equal(set->v6, 1);
	addr_of("198.19.3.0", addr);
	assert_memory_equal(set->elements[0].prefix.addr, addr, 16);
	assert_int_equal(set->elements[0].line, 2);
	assert_int_equal(set->elements[0].col, 1);
	assert_int_equal(set->elements[1].prefix.len, 48);
	assert_int_equal(set->elements[1].line, 4);
	assert_int_equal(set->elements[1].col, 3);
	assert_int_equal(set->elements[2].line, 5);
	assert_int_equal(set->elements[3].prefix.len, 96 + 8); /* 0.0.0.0/8 is not /0 */
	assert_int_equal(set->elements[3].line, 6);
	fw_config_free(&cfg);
	free(diag);
	free(text);
	unlink(config);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lists", dir);
	rmdir(path);
	rmdir(dir);
}

/* The FireHOL level 1 list (bogons included) loads as it is. */
static void test_set_firehol(void **state)
{
	static const char text[] = "sets:\n  firehol:\n    file: /work/shared/data/firehol_level1.netset\n"
				   "rules:\n  - name: firehol\n    src: \"@firehol\"\n";
	struct parsed res;

	(void)state;
	if (access("/work/shared/data/firehol_level1.netset", R_OK))
		skip();
	parse_str(text, &res);
	if (res.rc)
		fail_msg("rc %d\n%s", res.rc, res.diag);
	assert_string_equal(res.diag, "");
	assert_int_equal(res.cfg.rules.sets[0].count, 6273);
	assert_int_equal(res.cfg.rules.sets[0].v4, 6273);
	parsed_free(&res);
}

struct warning_case {
	const char *name;
	const char *yaml;
	const char *want; /* the whole output */
};

static const struct warning_case warning_cases[] = {
	{ "tie_port_lists",
	  "rules:\n  - name: a\n    src: 198.18.0.0/15\n    port: [80, 443]\n    proto: tcp\n"
	  "  - name: b\n    src: 198.18.0.0/15\n    port: 440-450\n    proto: tcp\n    action: pass\n",
	  NAME ":6:5: warning: rule \"b\" ties with rule \"a\" (line 2): both match 198.18.0.0/15, port 443, "
	  "proto tcp, at the same level; rule \"a\" (drop), listed first, decides there, not rule \"b\" (pass)\n" },
	{ "tie_sets",
	  "sets:\n  a: {elements: [198.18.0.1, 2001:2::/48]}\n  b: {elements: [2001:2::/48]}\n"
	  "rules:\n  - name: a\n    src: \"@a\"\n    action: pass\n  - name: b\n    src: \"@b\"\n",
	  NAME ":8:5: warning: rule \"b\" ties with rule \"a\" (line 5): both match 2001:2::/48 (in @a and @b), any port, "
	  "any protocol, at the same level; rule \"a\" (pass), listed first, decides there, not rule \"b\" (drop)\n" },
	{ "tie_set_and_prefix",
	  "sets:\n  a: {elements: [198.18.0.0/24]}\n"
	  "rules:\n  - name: p\n    src: 198.18.0.0/24\n    proto: udp\n  - name: s\n    src: \"@a\"\n    proto: udp\n    action: pass\n",
	  NAME ":7:5: warning: rule \"s\" ties with rule \"p\" (line 4): both match 198.18.0.0/24 (in @a), any port, "
	  "proto udp, at the same level; rule \"p\" (drop), listed first, decides there, not rule \"s\" (pass)\n" },
	{ "tie_same_set",
	  "sets:\n  a: {elements: [198.18.0.0/24]}\n"
	  "rules:\n  - name: p\n    src: \"@a\"\n    port: 1-1000\n  - name: q\n    src: \"@a\"\n    port: [22, 2222]\n    action: pass\n",
	  NAME ":7:5: warning: rule \"q\" ties with rule \"p\" (line 4): both match every element of @a, port 22, "
	  "any protocol, at the same level; rule \"p\" (drop), listed first, decides there, not rule \"q\" (pass)\n" },
	{ "tie_no_source",
	  "rules:\n  - name: p\n    port: 1000-2000\n    proto: udp\n    action: pass\n  - name: q\n    port: [1500-2500]\n    proto: udp\n",
	  NAME ":6:5: warning: rule \"q\" ties with rule \"p\" (line 2): both match any source, ports 1500-2000, "
	  "proto udp, at the same level; rule \"p\" (pass), listed first, decides there, not rule \"q\" (drop)\n" },
	{ "no_tie_same_action",
	  "rules:\n  - name: p\n    port: 1-100\n  - name: q\n    port: 50\n", "" },
	{ "no_tie_other_level",
	  "rules:\n  - name: p\n    port: 1-100\n    proto: tcp\n  - name: q\n    port: 50\n    action: pass\n", "" },
	{ "no_tie_other_proto",
	  "rules:\n  - name: p\n    port: 1-100\n    proto: tcp\n  - name: q\n    port: 50\n    proto: udp\n    action: pass\n", "" },
	{ "no_tie_longer_prefix",
	  "sets:\n  a: {elements: [198.18.0.0/24]}\n"
	  "rules:\n  - name: p\n    src: 198.18.0.0/16\n  - name: s\n    src: \"@a\"\n    action: pass\n", "" },
	{ "no_tie_disjoint_ports",
	  "rules:\n  - name: p\n    port: [1-100, 300]\n  - name: q\n    port: [101-299, 301]\n    action: pass\n", "" },
	{ "unused_set",
	  "sets:\n  idle:\n    elements: [198.18.0.1]\nrules:\n  - name: r\n    port: 22\n",
	  NAME ":2:3: warning: set \"idle\" is not used by any rule; name it in a rule as src: \"@idle\", or remove it\n" },
	{ "empty_set",
	  "sets:\n  none:\n    elements: []\nrules:\n  - name: r\n    src: \"@none\"\n",
	  NAME ":2:3: warning: set \"none\" is empty; its rules match nothing\n" },
};

#define WARNING_CASES (sizeof(warning_cases) / sizeof(warning_cases[0]))

/* Warnings leave the config valid, and say exactly this, whichever reader read it. */
static void test_warning_case(void **state)
{
	const struct warning_case *c = *state;
	struct parsed res, libyaml;

	parse_str(c->yaml, &res);
	if (res.rc || strcmp(res.diag, c->want))
		fail_msg("%s: rc %d\nwant:\n%sgot:\n%s", c->name, res.rc, c->want, res.diag);
	parse_reader(c->yaml, strlen(c->yaml), FW_READER_LIBYAML, &libyaml);
	assert_same_parse(&res, &libyaml, c->name, "the fast lane against libyaml");
	parsed_free(&libyaml);
	parsed_free(&res);
}

/* Ties past 20 are counted, not listed. */
static void test_ties_capped(void **state)
{
	char *text = NULL, line[512];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct parsed res;

	(void)state;
	assert_non_null(f);
	fputs("rules:\n  - name: all\n    port: 1-100\n    proto: tcp\n", f);
	for (int i = 1; i <= 25; i++)
		fprintf(f, "  - name: p%d\n    port: %d\n    proto: tcp\n    action: pass\n", i, i);
	fclose(f);
	parse_text(text, len, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(count_lines(res.diag), 21);
	assert_string_equal(nth_line(res.diag, 20, line, sizeof(line)),
			    NAME ":85:5: warning: 5 more ties, from this rule on, are not shown one by one");
	parsed_free(&res);
	free(text);
}

/*
 * Two sets of 200k elements that share them all, and 100k rules on prefixes
 * also in the sets: the checks hash each element once (a quadratic check
 * would not finish), and report each pair of rules once.
 */
static void test_ties_big_sets(void **state)
{
	const size_t n = 200000, rules = 100000;
	char dir[] = "/tmp/xdpfw-test-big-XXXXXX", path[128];
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	struct parsed res;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/big.txt", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "2001:2:%zx:%zx::/64\n", i >> 16, i & 0xffff);
	fclose(f);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	fprintf(f, "sets:\n  a:\n    file: %s\n  b:\n    file: %s\nrules:\n"
		   "  - name: a\n    src: \"@a\"\n  - name: b\n    src: \"@b\"\n    action: pass\n", path, path);
	for (size_t i = 0; i < rules; i++)
		fprintf(f, "  - name: r%zu\n    src: 2001:2:%zx:%zx::/64\n    proto: tcp\n", i, i >> 16, i & 0xffff);
	fclose(f);
	parse_text(text, len, &res);
	unlink(path);
	rmdir(dir);
	assert_int_equal(res.rc, 0);
	assert_int_equal(count_lines(res.diag), 1);
	assert_non_null(strstr(res.diag, NAME ":9:5: warning: rule \"b\" ties with rule \"a\" (line 7): both match 2001:2::/64 (in @a and @b)"));
	assert_int_equal(res.cfg.rules.sets[0].count, n);
	parsed_free(&res);
	free(text);
}

/*
 * "FILE:LINE:COL:" of each message, one per line, and " warning:" after it
 * for a warning; FILE is the config or a list file it names.
 */
static char *diag_prefixes(const char *diag)
{
	static const char warning[] = " warning:";
	size_t len = 0;
	char *out = NULL;
	FILE *f = open_memstream(&out, &len);
	const char *line;

	assert_non_null(f);
	for (line = diag; *line; line = strchr(line, '\n') + 1) {
		const char *p = strchr(line, ':');
		int n = 0;

		if (!p || sscanf(p, ":%*d:%*d:%n", &n) != 0 || !n) {
			fprintf(f, "(unexpected) %.*s\n", (int)(strchr(line, '\n') - line), line);
			continue;
		}
		if (!strncmp(p + n, warning, strlen(warning)))
			n += (int)strlen(warning);
		fprintf(f, "%.*s\n", (int)(p + n - line), line);
	}
	fclose(f);
	return out;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int c;

	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	out = open_memstream(&text, &len);
	assert_non_null(out);
	while ((c = fgetc(f)) != EOF)
		fputc(c, out);
	fclose(f);
	fclose(out);
	return text;
}

/* path's messages are those its .expected lists, and loading it returns want_rc. */
static void check_fixture(const char *path, int want_rc)
{
	char expected_path[512];
	struct fw_config cfg;
	char *diag, *got, *want;
	int rc;

	snprintf(expected_path, sizeof(expected_path), "%.*s.expected",
		 (int)(strlen(path) - strlen(".yaml")), path);
	want = read_text(expected_path);
	diag = capture_load(path, &cfg, &rc);
	got = diag_prefixes(diag);
	if (rc != want_rc || strcmp(got, want) || !*want)
		fail_msg("%s: rc %d\nwant:\n%sgot:\n%sfull output:\n%s", path, rc, want, got, diag);
	if (rc)
		assert_config_empty(&cfg);
	fw_config_free(&cfg);
	free(diag);
	free(got);
	free(want);
}

static void test_broken_file(void **state)
{
	check_fixture(*state, -EINVAL);
}

/* A config that only warns is valid. */
static void test_warning_file(void **state)
{
	check_fixture(*state, 0);
}

static void test_shipped_config(void **state)
{
	const char *path = *state;
	struct fw_config cfg;
	char *diag;
	int rc;

	diag = capture_load(path, &cfg, &rc);
	if (rc || *diag)
		fail_msg("%s: rc %d\n%s", path, rc, diag);
	if (!cfg.rules.count || !cfg.interface_count)
		fail_msg("%s: %zu rules, %zu interfaces; an example should show both", path,
			 cfg.rules.count, cfg.interface_count);
	fw_config_free(&cfg);
	free(diag);
}

/* The shipped default must not cut the host off: pass by default, no port-less proto drops. */
static void test_default_config_is_conservative(void **state)
{
	struct fw_config cfg;
	char *diag;
	size_t i;
	int rc;

	(void)state;
	diag = capture_load("conf/xdpfw.yaml", &cfg, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(cfg.rules.default_action, FW_ACTION_PASS);
	assert_int_equal(cfg.rules.fragments, FW_FRAGMENTS_INSPECT);
	assert_int_equal(cfg.interface_count, 1);
	assert_string_equal(cfg.interfaces[0].name, "eth0");
	assert_int_equal(cfg.interfaces[0].mode, FW_MODE_AUTO);
	for (i = 0; i < cfg.rules.count; i++) {
		const struct fw_rule *r = &cfg.rules.rules[i];

		assert_int_equal(r->action, FW_ACTION_DROP);
		assert_true(r->has_src || (r->port && r->proto == FW_PROTO_TCP));
		assert_true(r->port != 22 && r->port != 53 && r->port != 80 && r->port != 443);
	}
	fw_config_free(&cfg);
	free(diag);
}

/* ---- main --------------------------------------------------------------- */

/* Paths in tests are relative to the repository root; find it from the binary. */
static void enter_repo_root(const char *argv0)
{
	char buf[4096], *dir;
	struct stat st;

	if (!stat("tests/conf/broken", &st))
		return;
	snprintf(buf, sizeof(buf), "%s", argv0);
	dir = dirname(buf); /* build/tests */
	if (chdir(dir) || chdir("../.."))
		perror("chdir");
}

static size_t add_file_tests(struct CMUnitTest *tests, size_t n, size_t cap, const char *pattern,
			     glob_t *g, void (*fn)(void **))
{
	size_t i;

	memset(g, 0, sizeof(*g));
	if (glob(pattern, 0, NULL, g))
		return n;
	for (i = 0; i < g->gl_pathc && n < cap; i++)
		tests[n++] = (struct CMUnitTest){
			.name = g->gl_pathv[i],
			.test_func = fn,
			.initial_state = g->gl_pathv[i],
		};
	return n;
}

static void test_file_sets_present(void **state)
{
	glob_t broken, conf, warn;

	(void)state;
	assert_int_equal(glob("tests/conf/broken/*.yaml", 0, NULL, &broken), 0);
	assert_true(broken.gl_pathc >= 10);
	assert_int_equal(glob("tests/conf/warn/*.yaml", 0, NULL, &warn), 0);
	assert_true(warn.gl_pathc >= 2);
	globfree(&warn);
	assert_int_equal(glob("conf/examples/*.yaml", 0, NULL, &conf), 0);
	assert_true(conf.gl_pathc >= 3);
	globfree(&broken);
	globfree(&conf);
}

int main(int argc, char **argv)
{
	static struct CMUnitTest tests[ERROR_CASES + RULE_CASES + WARNING_CASES + 256];
	const size_t cap = sizeof(tests) / sizeof(tests[0]);
	glob_t broken, warn, conf, examples;
	size_t i, n = 0;
	int rc;

	(void)argc;
	enter_repo_root(argv[0]);
	for (i = 0; i < ERROR_CASES; i++)
		tests[n++] = (struct CMUnitTest){
			.name = error_cases[i].name,
			.test_func = test_error_case,
			.initial_state = (void *)&error_cases[i],
		};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_several_errors_all_reported);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_empty_configs_are_valid);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_defaults);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_full_config);
	for (i = 0; i < RULE_CASES; i++)
		tests[n++] = (struct CMUnitTest){
			.name = rule_cases[i].name,
			.test_func = test_rule_case,
			.initial_state = (void *)&rule_cases[i],
		};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_edge_values_valid);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_name_63_and_crlf_positions);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_fast_lane_matches_libyaml);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_default_capacity);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_diag_escapes_config_text);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_diag_escapes_file_name);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_interfaces_listed_twice_among_100k);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_null_diag);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_free_is_safe);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_load_unreadable);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_load_file);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_file_sets_present);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_port_forms);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_port_list_order_same_tag);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_set_elements);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_set_file_paths);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_set_file_loaded);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_set_firehol);
	for (i = 0; i < WARNING_CASES; i++)
		tests[n++] = (struct CMUnitTest){
			.name = warning_cases[i].name,
			.test_func = test_warning_case,
			.initial_state = (void *)&warning_cases[i],
		};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_ties_capped);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_ties_big_sets);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_default_config_is_conservative);
	n = add_file_tests(tests, n, cap, "tests/conf/broken/*.yaml", &broken, test_broken_file);
	n = add_file_tests(tests, n, cap, "tests/conf/warn/*.yaml", &warn, test_warning_file);
	n = add_file_tests(tests, n, cap, "conf/*.yaml", &conf, test_shipped_config);
	n = add_file_tests(tests, n, cap, "conf/examples/*.yaml", &examples, test_shipped_config);
	rc = _cmocka_run_group_tests("config", tests, n, NULL, NULL);
	globfree(&broken);
	globfree(&warn);
	globfree(&conf);
	globfree(&examples);
	return rc;
}
