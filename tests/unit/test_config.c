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
#include "config.h"

#define NAME "t.yaml"
#define MAX_WANT 4

/* ---- helpers ---------------------------------------------------------- */

struct parsed {
	int rc;
	struct fw_config cfg;
	char *diag;
	size_t diag_len;
	bool fast; /* the fast lane produced the result */
};

static void parse_reader(const char *text, size_t len, enum fw_config_reader reader,
			 struct parsed *res)
{
	FILE *diag = open_memstream(&res->diag, &res->diag_len);

	assert_non_null(diag);
	memset(&res->cfg, 0xa5, sizeof(res->cfg)); /* must be reset whatever it held */
	res->fast = true;
	res->rc = fw_config_parse_with(NAME, text, len, reader, &res->cfg, diag, &res->fast);
	fclose(diag);
}

static void parse_text(const char *text, size_t len, struct parsed *res)
{
	parse_reader(text, len, FW_READER_AUTO, res);
}

static void parse_str(const char *text, struct parsed *res)
{
	parse_text(text, strlen(text), res);
}

static void parsed_free(struct parsed *res)
{
	fw_config_free(&res->cfg);
	free(res->diag);
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
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The index-th line of s (0-based), copied into buf without its newline. */
static const char *nth_line(const char *s, size_t index, char *buf, size_t size)
{
	const char *end;

	while (index-- && (s = strchr(s, '\n')))
		s++;
	assert_non_null(s);
	end = strchr(s, '\n');
	assert_non_null(end);
	assert_true((size_t)(end - s) < size);
	memcpy(buf, s, (size_t)(end - s));
	buf[end - s] = '\0';
	return buf;
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

struct want {
	const char *where;  /* "LINE:COL" */
	const char *phrase; /* must appear in the message */
};

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
	"    src: 198.18.0.0/24\n"      /* 11 */ \
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
	{ .name = "port_list", .yaml = R("    port: [22]\n"), .want = { { "3:11", "port must be a single value, found a list" } } },
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
	{ .name = "src_prefix_v4", .yaml = R("    src: 198.18.0.0/15\n"),
	  .want = { { "3:10", "src \"198.18.0.0/15\" is a prefix; prefixes are not supported, write one address per rule" } } },
	{ .name = "src_prefix_v6", .yaml = R("    src: 2001:2::/48\n"), .want = { { "3:10", "prefixes are not supported" } } },
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
	{ .name = "unknown_top_far", .yaml = "firewall: 1\n", .want = { { "1:1", "unknown key \"firewall\"; expected one of interfaces, settings, rules" } } },
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
	{ .name = "top_list", .yaml = "- name: r\n", .want = { { "1:1", "the config must be a mapping with the keys interfaces, settings and rules, found a list" } } },
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
	size_t i, n = want_count(c);
	struct parsed res, libyaml;
	size_t len = c->len ? c->len : strlen(c->yaml);
	char line[512], prefix[64];

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
	for (i = 0; i < n; i++) {
		nth_line(res.diag, i, line, sizeof(line));
		snprintf(prefix, sizeof(prefix), "%s:%s: ", NAME, c->want[i].where);
		if (strncmp(line, prefix, strlen(prefix)) || !strstr(line, c->want[i].phrase))
			fail_msg("%s: want \"%s%s\", got \"%s\"", c->name, prefix, c->want[i].phrase,
				 line);
		if (c->exact && i == 0 && strcmp(line + strlen(prefix), c->want[i].phrase))
			fail_msg("%s: want exactly \"%s\", got \"%s\"", c->name, c->want[i].phrase,
				 line + strlen(prefix));
	}
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
};

static const uint8_t v4_mapped_198_18_0_1[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
						   198, 18, 0, 1 };
static const uint8_t v6_2001_2__1[16] = { 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

static const struct rule_case rule_cases[] = {
	{ "port_1", "    port: 1\n", NULL, NULL, 1, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "port_65535", "    port: 65535\n    proto: tcp\n", NULL, NULL, 65535, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "port_udp_pass", "    port: 53\n    proto: udp\n    action: pass\n", NULL, NULL, 53, FW_PROTO_UDP, FW_ACTION_PASS },
	{ "proto_icmp", "    proto: icmp\n", NULL, NULL, 0, FW_PROTO_ICMP, FW_ACTION_DROP },
	{ "proto_icmpv6", "    proto: icmpv6\n", NULL, NULL, 0, FW_PROTO_ICMPV6, FW_ACTION_DROP },
	{ "proto_tcp_no_port", "    proto: tcp\n", NULL, NULL, 0, FW_PROTO_TCP, FW_ACTION_DROP },
	{ "src_v4_is_v4_mapped", "    src: 198.18.0.1\n", "198.18.0.1", v4_mapped_198_18_0_1, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "src_v4_mapped_literal", "    src: ::ffff:198.18.0.1\n", "198.18.0.1", v4_mapped_198_18_0_1, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "src_v4_mapped_hex", "    src: \"::ffff:c612:1\"\n", "198.18.0.1", v4_mapped_198_18_0_1, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "src_v6_short", "    src: 2001:2::1\n", "2001:2::1", v6_2001_2__1, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "src_v6_long", "    src: 2001:0002:0:0:0:0:0:1\n", "2001:2::1", v6_2001_2__1, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "src_v6_quoted", "    src: '2001:2::1'\n", "2001:2::1", v6_2001_2__1, 0, FW_PROTO_ANY, FW_ACTION_DROP },
	{ "src_port_proto_pass", "    src: 198.19.255.255\n    port: 443\n    proto: tcp\n    action: pass\n", "198.19.255.255", NULL, 443, FW_PROTO_TCP, FW_ACTION_PASS },
	{ "src_icmpv6", "    src: 2001:2:0:1::7\n    proto: icmpv6\n", "2001:2:0:1::7", NULL, 0, FW_PROTO_ICMPV6, FW_ACTION_DROP },
	{ "explicit_drop", "    port: 23\n    action: drop\n", NULL, NULL, 23, FW_PROTO_ANY, FW_ACTION_DROP },
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
 * Plain configs (ASCII, LF line ends, one-word values) are read by the fast
 * lane, without libyaml; anything else (a non-ASCII comment, CRLF line ends,
 * quotes, flow style, ...) makes it give up and libyaml read the text. Either
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
	};
	/* Outside the plain subset: the lane gives up, libyaml reads them. */
	static const char *const other[] = {
		"rules:\n  - name: \"quoted\"\n    port: 22\n",
		"rules:\n- name: a\n  port: 22\n",
		"rules:\n  - name: a\n    port:\n",
		"rules: []\n",
		"rules:\n  - name: a\n    port: 22\n---\n",
		"rules:\n  - name: a\n    port: 22\n  bad: [\n",
		"rules:\n  - name: x:\n",
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
		  NAME ":4:5: rule \"r\": unknown key \"po\\r\\nrt\"; expected one of name, src, port, proto, action" },
		{ "rules:\n  - name: r\n    src: \"a\\\\b\\x7f\\t\"\n",
		  NAME ":3:10: rule \"r\": src \"a\\\\b\\x7f\\t\" is not an IPv4 or IPv6 address; "
		  "write one address, e.g. 198.18.0.1 or 2001:2::1" },
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

/* "FILE:LINE:COL:" of each message, one per line. */
static char *diag_prefixes(const char *diag, const char *path)
{
	size_t plen = strlen(path), len = 0;
	char *out = NULL;
	FILE *f = open_memstream(&out, &len);
	const char *line;

	assert_non_null(f);
	for (line = diag; *line; line = strchr(line, '\n') + 1) {
		const char *p = line + plen;
		int n = 0;

		if (strncmp(line, path, plen) || sscanf(p, ":%*d:%*d:%n", &n) != 0 || !n)
			fprintf(f, "(unexpected) %.*s\n", (int)(strchr(line, '\n') - line), line);
		else
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

static void test_broken_file(void **state)
{
	const char *path = *state;
	char expected_path[512];
	struct fw_config cfg;
	char *diag, *got, *want;
	int rc;

	snprintf(expected_path, sizeof(expected_path), "%.*s.expected",
		 (int)(strlen(path) - strlen(".yaml")), path);
	want = read_text(expected_path);
	diag = capture_load(path, &cfg, &rc);
	got = diag_prefixes(diag, path);
	if (rc != -EINVAL || strcmp(got, want) || !*want)
		fail_msg("%s: rc %d\nwant:\n%sgot:\n%sfull output:\n%s", path, rc, want, got, diag);
	assert_config_empty(&cfg);
	free(diag);
	free(got);
	free(want);
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
	glob_t broken, conf;

	(void)state;
	assert_int_equal(glob("tests/conf/broken/*.yaml", 0, NULL, &broken), 0);
	assert_true(broken.gl_pathc >= 10);
	assert_int_equal(glob("conf/examples/*.yaml", 0, NULL, &conf), 0);
	assert_true(conf.gl_pathc >= 3);
	globfree(&broken);
	globfree(&conf);
}

int main(int argc, char **argv)
{
	static struct CMUnitTest tests[ERROR_CASES + RULE_CASES + 256];
	const size_t cap = sizeof(tests) / sizeof(tests[0]);
	glob_t broken, conf, examples;
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
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_default_config_is_conservative);
	n = add_file_tests(tests, n, cap, "tests/conf/broken/*.yaml", &broken, test_broken_file);
	n = add_file_tests(tests, n, cap, "conf/*.yaml", &conf, test_shipped_config);
	n = add_file_tests(tests, n, cap, "conf/examples/*.yaml", &examples, test_shipped_config);
	rc = _cmocka_run_group_tests("config", tests, n, NULL, NULL);
	globfree(&broken);
	globfree(&conf);
	globfree(&examples);
	return rc;
}
