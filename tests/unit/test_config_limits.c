// SPDX-License-Identifier: GPL-2.0
/*
 * The config keys of DESIGN §1b "Bans and rate limits": a rule's tcp_flags,
 * limit and ban_for, settings.never_ban and max_bans, the crowdsec section.
 * Every message with its LINE:COL, every field and its default, and both
 * YAML readers giving the same result.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include "conf_dir.h"
#include "conf_parse.h"
#include "config.h"
#include "duration.h"
#include "ruleset.h"

#define NAME "t.yaml"
#define SEC FW_NS_PER_SEC

/* ---- helpers ---------------------------------------------------------- */

static void parse_with(const char *name, const char *text, enum fw_config_reader reader,
		       struct parsed *res)
{
	conf_parse(name, text, strlen(text), reader, res);
}

static void assert_same_limit(const struct fw_rule *a, const struct fw_rule *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->proto, b->proto);
	assert_int_equal(a->action, b->action);
	assert_int_equal(a->tcp_flags, b->tcp_flags);
	assert_int_equal(a->limit.interval, b->limit.interval);
	assert_int_equal(a->limit.burst, b->limit.burst);
	assert_int_equal(a->limit.per_source, b->limit.per_source);
	assert_int_equal(a->limit.ban_for, b->limit.ban_for);
}

static void assert_same_config(const struct fw_config *a, const struct fw_config *b)
{
	const struct fw_set *na = &a->rules.never_ban, *nb = &b->rules.never_ban;

	assert_int_equal(a->max_bans, b->max_bans);
	assert_int_equal(!a->crowdsec.url, !b->crowdsec.url);
	if (a->crowdsec.url) {
		assert_string_equal(a->crowdsec.url, b->crowdsec.url);
		assert_string_equal(a->crowdsec.api_key_file, b->crowdsec.api_key_file);
	}
	assert_int_equal(a->crowdsec.poll_ms, b->crowdsec.poll_ms);
	assert_int_equal(a->crowdsec.line, b->crowdsec.line);
	assert_int_equal(a->rules.count, b->rules.count);
	for (size_t i = 0; i < a->rules.count; i++)
		assert_same_limit(&a->rules.rules[i], &b->rules.rules[i]);
	assert_int_equal(na->count, nb->count);
	assert_int_equal(na->line, nb->line);
	if (na->count)
		assert_memory_equal(na->elements, nb->elements, na->count * sizeof(*na->elements));
}

/* Both readers must agree, on these fields too; res is the fast lane's (or its fallback's). */
static void parse_both(const char *text, struct parsed *res)
{
	conf_parse_both(NAME, text, assert_same_config, res);
}

/* A valid config: parsed with no message at all. */
static void parse_valid(const char *text, struct parsed *res)
{
	conf_parse_valid(NAME, text, assert_same_config, res);
}

static void prefix_of(const char *text, struct fw_prefix *p)
{
	char addr[64];
	const char *slash = strchr(text, '/');
	struct in_addr v4;
	unsigned int len = 0;

	snprintf(addr, sizeof(addr), "%.*s", slash ? (int)(slash - text) : (int)strlen(text), text);
	if (slash)
		len = (unsigned int)atoi(slash + 1);
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, addr, &v4) == 1) {
		fw_addr_from_ipv4(p->addr, &v4);
		p->len = (uint8_t)(slash ? 96 + len : 128);
	} else {
		assert_int_equal(inet_pton(AF_INET6, addr, p->addr), 1);
		p->len = (uint8_t)(slash ? len : 128);
	}
}

/* ---- errors: one table row per message ---------------------------------- */

#define MAX_WANT 5

struct error_case {
	const char *name;
	const char *yaml;
	struct want want[MAX_WANT];
	bool exact; /* want[0].phrase is the whole message */
};

#define R(body) "rules:\n  - name: r\n" body
#define TCP "    port: 22\n    proto: tcp\n"
#define BIG_BURST_AT_1H "    port: 22\n    limit: {rate: 1/h, burst: 1300000}\n"

static const struct error_case error_cases[] = {
	/* tcp_flags */
	{ .name = "tcp_flags_ack", .yaml = R(TCP "    tcp_flags: ack\n"),
	  .want = { { "5:16", "rule \"r\": tcp_flags \"ack\" is not one of syn" } }, .exact = true },
	{ .name = "tcp_flags_typo", .yaml = R(TCP "    tcp_flags: sny\n"), .want = { { "5:16", "did you mean \"syn\"?" } } },
	{ .name = "tcp_flags_no_proto", .yaml = R("    port: 22\n    tcp_flags: syn\n"),
	  .want = { { "4:16", "rule \"r\": tcp_flags syn needs proto tcp: TCP flags are only in TCP packets; add \"proto: tcp\"" } }, .exact = true },
	{ .name = "tcp_flags_udp", .yaml = R("    port: 53\n    proto: udp\n    tcp_flags: syn\n"),
	  .want = { { "5:16", "rule \"r\": tcp_flags syn needs proto tcp, not udp: TCP flags are only in TCP packets; write \"proto: tcp\"" } }, .exact = true },
	{ .name = "tcp_flags_any", .yaml = R("    port: 53\n    proto: any\n    tcp_flags: syn\n"), .want = { { "5:16", "needs proto tcp, not any" } } },
	{ .name = "tcp_flags_alone_one_error", .yaml = R("    tcp_flags: syn\n"), .want = { { "3:16", "tcp_flags syn needs proto tcp" } } },
	{ .name = "tcp_flags_bool", .yaml = R(TCP "    tcp_flags: yes\n"), .want = { { "5:16", "tcp_flags is the YAML boolean yes, not text; use one of syn" } } },
	{ .name = "tcp_flags_list", .yaml = R(TCP "    tcp_flags: [syn]\n"), .want = { { "5:16", "tcp_flags must be a single value, found a list" } } },
	{ .name = "duplicate_syn_rules", .yaml = "rules:\n  - name: a\n" TCP "    tcp_flags: syn\n  - name: b\n" TCP "    tcp_flags: syn\n",
	  .want = { { "6:5", "rule \"b\" has the same match as rule \"a\" at line 2; remove one of them" } }, .exact = true },
	/* limit */
	{ .name = "limit_scalar", .yaml = R("    port: 22\n    limit: 20/s\n"),
	  .want = { { "4:12", "rule \"r\": limit must be a mapping like {rate: 20/s, burst: 40, per: source}, found a single value" } }, .exact = true },
	{ .name = "limit_list", .yaml = R("    port: 22\n    limit: [20/s]\n"), .want = { { "4:12", "limit must be a mapping like" } } },
	{ .name = "limit_null", .yaml = R("    port: 22\n    limit:\n"), .want = { { "4:11", "limit must be a mapping like {rate: 20/s, burst: 40, per: source}, found an empty value" } } },
	{ .name = "limit_empty", .yaml = R("    port: 22\n    limit: {}\n"),
	  .want = { { "4:12", "rule \"r\": limit has no rate; add rate: N/s (or N/m, N/h), e.g. {rate: 20/s}" } }, .exact = true },
	{ .name = "limit_no_rate", .yaml = R("    port: 22\n    limit: {burst: 4}\n"), .want = { { "4:12", "limit has no rate" } } },
	{ .name = "limit_rate_typo", .yaml = R("    port: 22\n    limit: {rte: 20/s}\n"),
	  .want = { { "4:13", "limit of rule \"r\": unknown key \"rte\"; did you mean \"rate\"?" } }, .exact = true },
	{ .name = "limit_unknown_key", .yaml = R("    port: 22\n    limit: {rate: 20/s, window: 1s}\n"),
	  .want = { { "4:25", "limit of rule \"r\": unknown key \"window\"; expected one of rate, burst, per" } }, .exact = true },
	{ .name = "limit_duplicate_key", .yaml = R("    port: 22\n    limit: {rate: 20/s, rate: 30/s}\n"), .want = { { "4:25", "duplicate key \"rate\"" } } },
	{ .name = "limit_numbered_rule", .yaml = "rules:\n  - port: 22\n    limit: {rate: 1/x}\n",
	  .want = { { "2:5", "rule #1 has no name" }, { "3:19", "limit of rule #1: rate \"1/x\" is not a rate" } } },
	{ .name = "rate_no_unit", .yaml = R("    port: 22\n    limit: {rate: 20}\n"),
	  .want = { { "4:19", "limit of rule \"r\": rate 20 has no unit; write 20/s (per second), 20/m (per minute) or 20/h (per hour)" } }, .exact = true },
	{ .name = "rate_bad_unit", .yaml = R("    port: 22\n    limit: {rate: 20/d}\n"),
	  .want = { { "4:19", "limit of rule \"r\": rate \"20/d\" is not a rate; write packets per second, minute or hour as N/s, N/m or N/h, e.g. 20/s" } }, .exact = true },
	{ .name = "rate_long_unit", .yaml = R("    port: 22\n    limit: {rate: 20/sec}\n"), .want = { { "4:19", "rate \"20/sec\" is not a rate" } } },
	{ .name = "rate_no_number", .yaml = R("    port: 22\n    limit: {rate: /s}\n"), .want = { { "4:19", "rate \"/s\" is not a rate" } } },
	{ .name = "rate_negative", .yaml = R("    port: 22\n    limit: {rate: -1/s}\n"), .want = { { "4:19", "rate \"-1/s\" is not a rate" } } },
	{ .name = "rate_fraction", .yaml = R("    port: 22\n    limit: {rate: 1.5/s}\n"), .want = { { "4:19", "rate \"1.5/s\" is not a rate" } } },
	{ .name = "rate_words", .yaml = R("    port: 22\n    limit: {rate: fast}\n"), .want = { { "4:19", "rate \"fast\" is not a rate" } } },
	{ .name = "rate_zero", .yaml = R("    port: 22\n    limit: {rate: 0/m}\n"),
	  .want = { { "4:19", "limit of rule \"r\": rate 0/m would drop every packet; give a rate of at least 1, or drop them all with a rule without limit" } }, .exact = true },
	{ .name = "rate_above_1ns", .yaml = R("    port: 22\n    limit: {rate: 1000000001/s}\n"),
	  .want = { { "4:19", "limit of rule \"r\": rate 1000000001/s is more than 1000000000/s, the most a limit counts (one packet per ns); lower it, or remove the limit" } }, .exact = true },
	{ .name = "rate_above_1ns_per_minute", .yaml = R("    port: 22\n    limit: {rate: 60000000001/m}\n"), .want = { { "4:19", "is more than 1000000000/s" } } },
	{ .name = "rate_above_1ns_per_hour", .yaml = R("    port: 22\n    limit: {rate: 3600000000001/h}\n"), .want = { { "4:19", "is more than 1000000000/s" } } },
	{ .name = "rate_huge", .yaml = R("    port: 22\n    limit: {rate: 99999999999999999999999999/s}\n"), .want = { { "4:19", "is more than 1000000000/s" } } },
	{ .name = "rate_empty", .yaml = R("    port: 22\n    limit: {rate: }\n"), .want = { { "4:19", "rate is empty" } } },
	{ .name = "burst_zero", .yaml = R("    port: 22\n    limit: {rate: 20/s, burst: 0}\n"),
	  .want = { { "4:32", "limit of rule \"r\": burst 0 out of range; use 1-1000000000" } }, .exact = true },
	{ .name = "burst_text", .yaml = R("    port: 22\n    limit: {rate: 20/s, burst: lots}\n"), .want = { { "4:32", "burst \"lots\" is not an integer" } } },
	{ .name = "burst_too_big", .yaml = R("    port: 22\n    limit: {rate: 20/s, burst: 1000000001}\n"), .want = { { "4:32", "burst 1000000001 out of range" } } },
	{ .name = "burst_window", .yaml = R(BIG_BURST_AT_1H),
	  .want = { { "4:31", "limit of rule \"r\": burst 1300000 at rate 1/h takes more than a century to refill; lower the burst" } }, .exact = true },
	{ .name = "per_typo", .yaml = R("    port: 22\n    limit: {rate: 20/s, per: sorce}\n"),
	  .want = { { "4:30", "limit of rule \"r\": per \"sorce\" is not one of source, rule; did you mean \"source\"?" } }, .exact = true },
	{ .name = "per_address", .yaml = R("    port: 22\n    limit: {rate: 20/s, per: address}\n"), .want = { { "4:30", "per \"address\" is not one of source, rule" } } },
	{ .name = "limit_all_wrong", .yaml = R("    port: 22\n    limit: {rate: 0/s, burst: 0, per: x, y: 1}\n"),
	  .want = { { "4:19", "rate 0/s" }, { "4:31", "burst 0" }, { "4:39", "per \"x\"" }, { "4:42", "unknown key \"y\"" } } },
	{ .name = "limit_with_pass", .yaml = R("    port: 22\n    limit: {rate: 20/s}\n    action: pass\n"),
	  .want = { { "5:13", "rule \"r\": action pass does not go with a limit: a limit rule passes what is within its rate and drops the excess; remove \"action: pass\"" } }, .exact = true },
	{ .name = "limit_with_pass_before", .yaml = R("    action: pass\n    port: 22\n    limit:\n      rate: 20/s\n"), .want = { { "3:13", "action pass does not go with a limit" } } },
	/* ban_for */
	{ .name = "ban_for_without_limit", .yaml = R("    port: 22\n    ban_for: 10m\n"),
	  .want = { { "4:14", "rule \"r\": ban_for needs a limit: a source is banned when it goes over the rule's limit; add limit: {rate: N/s}, or remove ban_for" } }, .exact = true },
	{ .name = "ban_for_no_unit", .yaml = R("    port: 22\n    limit: {rate: 1/s}\n    ban_for: 600\n"),
	  .want = { { "5:14", "rule \"r\": ban_for 600 has no unit; write 600s for seconds, or a duration like 10m, 2h or 7d" } }, .exact = true },
	{ .name = "ban_for_not_duration", .yaml = R("    port: 22\n    limit: {rate: 1/s}\n    ban_for: 10 minutes\n"),
	  .want = { { "5:14", "rule \"r\": ban_for \"10 minutes\" is not a duration; write e.g. 30s, 10m, 2h, 7d or 1h30m (units ms, s, m, h, d, largest first)" } }, .exact = true },
	{ .name = "ban_for_out_of_order", .yaml = R("    port: 22\n    limit: {rate: 1/s}\n    ban_for: 30m1h\n"), .want = { { "5:14", "ban_for \"30m1h\" is not a duration" } } },
	{ .name = "ban_for_too_long", .yaml = R("    port: 22\n    limit: {rate: 1/s}\n    ban_for: 366d\n"),
	  .want = { { "5:14", "rule \"r\": ban_for 366d is longer than 365d; use at most 365d" } }, .exact = true },
	{ .name = "ban_for_overflow", .yaml = R("    port: 22\n    limit: {rate: 1/s}\n    ban_for: 999999999999d\n"), .want = { { "5:14", "is longer than 365d" } } },
	{ .name = "ban_for_zero", .yaml = R("    port: 22\n    limit: {rate: 1/s}\n    ban_for: 0s\n"),
	  .want = { { "5:14", "rule \"r\": ban_for 0s is shorter than 1s; use at least 1s" } }, .exact = true },
	{ .name = "ban_for_ms", .yaml = R("    port: 22\n    limit: {rate: 1/s}\n    ban_for: 500ms\n"), .want = { { "5:14", "ban_for 500ms is shorter than 1s" } } },
	{ .name = "ban_for_bool", .yaml = R("    port: 22\n    limit: {rate: 1/s}\n    ban_for: no\n"), .want = { { "5:14", "ban_for is the YAML boolean no" } } },
	/* settings */
	{ .name = "max_bans_zero", .yaml = "settings:\n  max_bans: 0\n", .want = { { "2:13", "settings: max_bans 0 out of range; use 1-67108864" } }, .exact = true },
	{ .name = "max_bans_above", .yaml = "settings:\n  max_bans: 67108865\n", .want = { { "2:13", "max_bans 67108865 out of range; use 1-67108864" } } },
	{ .name = "max_bans_text", .yaml = "settings:\n  max_bans: 1M\n", .want = { { "2:13", "max_bans \"1M\" is not an integer" } } },
	{ .name = "max_bans_typo", .yaml = "settings:\n  max_ban: 10\n", .want = { { "2:3", "settings: unknown key \"max_ban\"; did you mean \"max_bans\"?" } }, .exact = true },
	{ .name = "never_ban_scalar", .yaml = "settings:\n  never_ban: 198.18.0.1\n",
	  .want = { { "2:14", "settings: never_ban must be a list like [\"@office\", 198.18.0.1, 2001:2::/48], found a single value" } }, .exact = true },
	{ .name = "never_ban_mapping", .yaml = "settings:\n  never_ban: {a: 1}\n", .want = { { "2:14", "never_ban must be a list like" } } },
	{ .name = "never_ban_host_bits", .yaml = "settings:\n  never_ban: [198.18.0.1/24]\n",
	  .want = { { "2:15", "settings: never_ban entry 198.18.0.1/24 has host bits set; did you mean 198.18.0.0/24?" } }, .exact = true },
	{ .name = "never_ban_zero", .yaml = "settings:\n  never_ban: [\"::/0\"]\n",
	  .want = { { "2:15", "settings: never_ban entry ::/0 is a /0 prefix, which matches every address, so no ban could be made; name the addresses to protect instead" } }, .exact = true },
	{ .name = "never_ban_length", .yaml = "settings:\n  never_ban: [198.18.0.0/33]\n", .want = { { "2:15", "has a prefix length out of range" } } },
	{ .name = "never_ban_word", .yaml = "settings:\n  never_ban: [office]\n",
	  .want = { { "2:15", "settings: never_ban entry \"office\" is not an IPv4 or IPv6 address or prefix; write an address, a prefix or \"@set\", e.g. 198.18.0.1, 2001:2::/48 or \"@office\"" } }, .exact = true },
	{ .name = "never_ban_set_bad_name", .yaml = "settings:\n  never_ban: [\"@a b\"]\n", .want = { { "2:15", "never_ban entry \"@a b\" is not a set name" } } },
	{ .name = "never_ban_set_unknown", .yaml = "settings:\n  never_ban: [\"@office\"]\n",
	  .want = { { "2:15", "settings: never_ban entry \"@office\" names no set; define it under the top-level key sets:, as office: {file: PATH} (a list file) or office: {elements: [198.18.0.0/15, ...]}" } }, .exact = true },
	{ .name = "never_ban_set_typo", .yaml = "sets:\n  office: {elements: [198.18.0.1]}\nsettings:\n  never_ban: [198.18.0.2, \"@ofice\"]\n",
	  .want = { { "2:3", "warning: set \"office\" is not used by any rule" },
	    { "4:27", "settings: never_ban entry \"@ofice\" names no set; did you mean \"@office\"?" } } },
	{ .name = "never_ban_entry_list", .yaml = "settings:\n  never_ban: [[198.18.0.1]]\n", .want = { { "2:15", "each never_ban entry must be a single value, found a list" } } },
	{ .name = "never_ban_entry_null", .yaml = "settings:\n  never_ban:\n    - ~\n", .want = { { "3:7", "each never_ban entry is empty" } } },
	{ .name = "never_ban_all_reported", .yaml = "settings:\n  never_ban: [bad, \"@nope\", 198.18.0.1/8]\n",
	  .want = { { "2:15", "never_ban entry \"bad\"" }, { "2:20", "\"@nope\" names no set" }, { "2:29", "did you mean 198.0.0.0/8?" } } },
	{ .name = "never_ban_set_broken", .yaml = "sets:\n  office: {elements: [198.18.0.1/8]}\nsettings:\n  never_ban: [\"@office\"]\n",
	  .want = { { "2:23", "set \"office\": element 198.18.0.1/8 has host bits set" } } },
	/* crowdsec */
	{ .name = "crowdsec_scalar", .yaml = "crowdsec: http://127.0.0.1:8080/\n",
	  .want = { { "1:11", "crowdsec must be a mapping with url, api_key_file and poll, found a single value" } }, .exact = true },
	{ .name = "crowdsec_no_url", .yaml = "crowdsec:\n  api_key_file: k\n",
	  .want = { { "1:1", "crowdsec has no url; add url: with the Local API's address, e.g. http://127.0.0.1:8080/ (api.server.listen_uri in /etc/crowdsec/config.yaml)" } }, .exact = true },
	{ .name = "crowdsec_no_key_file", .yaml = "crowdsec:\n  url: http://127.0.0.1:8080/\n",
	  .want = { { "1:1", "crowdsec has no api_key_file; add api_key_file: PATH, a file holding the key \"cscli bouncers add xdpfw\" prints (relative to the config's folder)" } }, .exact = true },
	{ .name = "crowdsec_url_scheme", .yaml = "crowdsec:\n  url: ftp://127.0.0.1/\n  api_key_file: k\n",
	  .want = { { "2:8", "crowdsec: url \"ftp://127.0.0.1/\" is not http:// or https://; the Local API speaks HTTP, e.g. http://127.0.0.1:8080/" } }, .exact = true },
	{ .name = "crowdsec_url_no_host", .yaml = "crowdsec:\n  url: \"http://\"\n  api_key_file: k\n",
	  .want = { { "2:8", "crowdsec: url \"http://\" is not a URL (" } } },
	{ .name = "crowdsec_url_port", .yaml = "crowdsec:\n  url: http://127.0.0.1:80a/\n  api_key_file: k\n", .want = { { "2:8", "url \"http://127.0.0.1:80a/\" is not a URL (" } } },
	{ .name = "crowdsec_url_no_scheme", .yaml = "crowdsec:\n  url: 127.0.0.1:8080\n  api_key_file: k\n", .want = { { "2:8", "write the Local API's address, e.g. http://127.0.0.1:8080/" } } },
	{ .name = "crowdsec_url_bool", .yaml = "crowdsec:\n  url: on\n  api_key_file: k\n", .want = { { "2:8", "crowdsec: url is the YAML boolean on" } } },
	{ .name = "crowdsec_key_file_empty", .yaml = "crowdsec:\n  url: http://127.0.0.1:8080/\n  api_key_file: \"\"\n",
	  .want = { { "3:17", "crowdsec: api_key_file is empty; give the path of the file holding the bouncer's key" } }, .exact = true },
	{ .name = "crowdsec_poll_short", .yaml = "crowdsec:\n  url: http://127.0.0.1:8080/\n  api_key_file: k\n  poll: 99ms\n",
	  .want = { { "4:9", "crowdsec: poll 99ms is shorter than 100ms; use at least 100ms" } }, .exact = true },
	{ .name = "crowdsec_poll_long", .yaml = "crowdsec:\n  url: http://127.0.0.1:8080/\n  api_key_file: k\n  poll: 1h1s\n",
	  .want = { { "4:9", "crowdsec: poll 1h1s is longer than 1h; use at most 1h" } }, .exact = true },
	{ .name = "crowdsec_poll_no_unit", .yaml = "crowdsec:\n  url: http://127.0.0.1:8080/\n  api_key_file: k\n  poll: 10\n", .want = { { "4:9", "poll 10 has no unit" } } },
	{ .name = "crowdsec_unknown_key", .yaml = "crowdsec:\n  url: http://127.0.0.1:8080/\n  api_key_file: k\n  key: abc\n",
	  .want = { { "4:3", "crowdsec: unknown key \"key\"" } } },
	{ .name = "crowdsec_twice", .yaml = "crowdsec:\n  url: http://127.0.0.1:8080/\n  api_key_file: k\ncrowdsec:\n", .want = { { "4:1", "duplicate key \"crowdsec\" (first at line 1)" } } },
};

#define ERROR_CASES (sizeof(error_cases) / sizeof(error_cases[0]))

static size_t want_count(const struct error_case *c)
{
	size_t n = 0;

	while (n < MAX_WANT && c->want[n].where)
		n++;
	return n;
}

static void test_error_case(void **state)
{
	const struct error_case *c = *state;
	size_t n = want_count(c);
	struct parsed res;

	parse_both(c->yaml, &res);
	if (res.rc != -EINVAL || count_lines(res.diag) != n)
		fail_msg("%s: rc %d, want %zu messages, got:\n%s", c->name, res.rc, n, res.diag);
	assert_messages(c->name, res.diag, NAME, c->want, n, c->exact);
	parsed_free(&res);
}

/* ---- valid configs ------------------------------------------------------ */

/* One limit each, and the token bucket it makes. */
struct limit_case {
	const char *limit; /* the value of limit: */
	uint64_t interval;
	uint32_t burst;
	bool per_source;
};

static const struct limit_case limit_cases[] = {
	{ "{rate: 20/s}", 50 * FW_NS_PER_MS, 20, true },
	{ "{rate: 20/s, burst: 40, per: source}", 50 * FW_NS_PER_MS, 40, true },
	{ "{rate: 20/s, per: rule}", 50 * FW_NS_PER_MS, 20, false },
	{ "{per: rule, burst: 1, rate: 3/s}", 333333334, 1, false }, /* 1/3 s rounded up */
	{ "{rate: 7/s}", 142857143, 7, true },
	{ "{rate: 1/s}", SEC, 1, true },
	{ "{rate: 30/m}", 2 * SEC, 1, true },           /* half a packet a second: burst 1 */
	{ "{rate: 61/m}", 983606558, 2, true },         /* just over one a second */
	{ "{rate: 600/m}", 100 * FW_NS_PER_MS, 10, true },
	{ "{rate: 1/h}", 3600 * SEC, 1, true },
	{ "{rate: 7200/h}", SEC / 2, 2, true },
	{ "{rate: 1000000000/s}", 1, 1000000000, true },  /* the finest: 1 ns */
	{ "{rate: 60000000000/m}", 1, 1000000000, true },
	{ "{rate: 3/s, burst: 1000000000}", 333333334, 1000000000, true },
	{ "{rate: \"20/s\"}", 50 * FW_NS_PER_MS, 20, true },
	{ "{rate: 020/s}", 50 * FW_NS_PER_MS, 20, true },
	/* the largest window: burst * interval up to 2^62 ns */
	{ "{rate: 1/h, burst: 1281023}", 3600 * SEC, 1281023, true },
};

static void test_limit_values(void **state)
{
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(limit_cases) / sizeof(limit_cases[0]); i++) {
		const struct limit_case *c = &limit_cases[i];
		const struct fw_rule *r;
		struct parsed res;

		snprintf(text, sizeof(text), "rules:\n  - name: r\n    port: 22\n    limit: %s\n",
			 c->limit);
		parse_valid(text, &res);
		r = &res.cfg.rules.rules[0];
		if (r->limit.interval != c->interval || r->limit.burst != c->burst ||
		    r->limit.per_source != c->per_source)
			fail_msg("%s: interval %llu burst %u per_source %d", c->limit,
				 (unsigned long long)r->limit.interval, r->limit.burst,
				 r->limit.per_source);
		assert_int_equal(r->limit.ban_for, 0);
		assert_int_equal(r->action, FW_ACTION_DROP);
		parsed_free(&res);
	}
}

/* Rules without the new keys keep them zero; a limit rule keeps its match and drop action. */
static void test_limit_rule_fields(void **state)
{
	static const char text[] =
		"rules:\n"
		"  - name: ssh-syn-flood\n"
		"    port: 22\n"
		"    proto: tcp\n"
		"    tcp_flags: syn\n"
		"    limit:\n"
		"      rate: 20/s\n"
		"      burst: 40\n"
		"      per: source\n"
		"    ban_for: 10m\n"
		"  - name: ssh\n"
		"    port: 22\n"
		"    proto: tcp\n"
		"  - name: dns\n"
		"    port: 53\n"
		"    proto: udp\n"
		"    action: drop\n"
		"    limit: {rate: 100/s, per: rule}\n"
		"    ban_for: 1h30m\n"
		"  - name: syn-only\n"
		"    src: 198.18.0.0/15\n"
		"    proto: tcp\n"
		"    tcp_flags: syn\n";
	const struct fw_rule *r;
	struct parsed res;

	(void)state;
	parse_valid(text, &res);
	assert_int_equal(res.cfg.rules.count, 4);
	r = &res.cfg.rules.rules[0];
	assert_int_equal(r->proto, FW_PROTO_TCP);
	assert_int_equal(r->tcp_flags, FW_TCP_FLAGS_SYN);
	assert_int_equal(r->action, FW_ACTION_DROP);
	assert_int_equal(r->port, 22);
	assert_int_equal(r->limit.interval, 50 * FW_NS_PER_MS);
	assert_int_equal(r->limit.burst, 40);
	assert_true(r->limit.per_source);
	assert_int_equal(r->limit.ban_for, 600 * SEC);
	r = &res.cfg.rules.rules[1];
	assert_int_equal(r->tcp_flags, 0);
	assert_int_equal(r->limit.interval, 0);
	assert_int_equal(r->limit.burst, 0);
	assert_false(r->limit.per_source);
	assert_int_equal(r->limit.ban_for, 0);
	r = &res.cfg.rules.rules[2];
	assert_int_equal(r->limit.interval, 10 * FW_NS_PER_MS);
	assert_int_equal(r->limit.burst, 100);
	assert_false(r->limit.per_source);
	assert_int_equal(r->limit.ban_for, 5400 * SEC);
	r = &res.cfg.rules.rules[3];
	assert_int_equal(r->tcp_flags, FW_TCP_FLAGS_SYN);
	assert_int_equal(r->limit.interval, 0);
	assert_int_equal(r->src_len, 96 + 15);
	/* A SYN rule and a plain rule on the same port and proto are two matches. */
	assert_false(fw_rule_same_match(&res.cfg.rules.rules[0], &res.cfg.rules.rules[1]));
	parsed_free(&res);
}

static void test_ban_for_values(void **state)
{
	static const struct {
		const char *text;
		uint64_t ns;
	} cases[] = {
		{ "1s", SEC }, { "30s", 30 * SEC }, { "10m", 600 * SEC }, { "2h", 7200 * SEC },
		{ "7d", 7 * 86400 * SEC }, { "1h30m", 5400 * SEC }, { "1s500ms", 1500 * FW_NS_PER_MS },
		{ "365d", 365 * 86400 * SEC }, { "\"10m\"", 600 * SEC },
	};
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed res;

		snprintf(text, sizeof(text),
			 "rules:\n  - name: r\n    port: 22\n    limit: {rate: 1/s}\n    ban_for: %s\n",
			 cases[i].text);
		parse_valid(text, &res);
		assert_int_equal(res.cfg.rules.rules[0].limit.ban_for, cases[i].ns);
		parsed_free(&res);
	}
}

/* Rules with the same match but for tcp_flags, and limits that differ, are all valid. */
static void test_syn_and_plain_rules_coexist(void **state)
{
	static const char text[] =
		"rules:\n"
		"  - {name: a, src: 198.18.0.1, port: 22, proto: tcp}\n"
		"  - {name: b, src: 198.18.0.1, port: 22, proto: tcp, tcp_flags: syn}\n"
		"  - {name: c, proto: tcp, tcp_flags: syn, limit: {rate: 1000/s}}\n"
		"  - {name: d, proto: tcp}\n"
		"  - {name: e, proto: tcp, port: 22, tcp_flags: syn, src: 198.18.0.1}\n";
	struct parsed res;

	(void)state;
	parse_both(text, &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_string_equal(res.diag, NAME ":6:5: rule \"e\" has the same match as rule \"b\" at line 3; remove one of them\n");
	parsed_free(&res);
}

/* At most FW_MAX_LIMITS rules with a limit: the first past them is named. */
static void test_too_many_limits(void **state)
{
	char *text = NULL, want[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct parsed res;

	(void)state;
	assert_non_null(f);
	fputs("settings:\n  max_rules: 10000\nrules:\n", f);
	for (unsigned int i = 0; i < FW_MAX_LIMITS + 2; i++)
		fprintf(f, "  - name: r%u\n    port: %u\n    limit:\n      rate: 10/s\n", i, i + 1);
	fclose(f);
	parse_both(text, &res);
	assert_int_equal(res.rc, -EINVAL);
	snprintf(want, sizeof(want),
		 NAME ":%u:5: too many rules with a limit: %u, but at most %u are supported; remove the limit from 2 of them, or share one limit with a set\n",
		 4 + 4 * FW_MAX_LIMITS, FW_MAX_LIMITS + 2, FW_MAX_LIMITS);
	assert_string_equal(res.diag, want);
	assert_true(res.fast); /* block-style limits stay in the fast lane */
	parsed_free(&res);
	free(text);
}

/* ---- settings ----------------------------------------------------------- */

static void test_settings_defaults(void **state)
{
	struct parsed res;

	(void)state;
	parse_valid("rules:\n  - name: r\n    port: 22\n", &res);
	assert_int_equal(res.cfg.max_bans, FW_DEFAULT_MAX_BANS);
	assert_int_equal(res.cfg.rules.never_ban.count, 0);
	assert_null(res.cfg.rules.never_ban.elements);
	assert_null(res.cfg.crowdsec.url);
	assert_null(res.cfg.crowdsec.api_key_file);
	assert_int_equal(res.cfg.crowdsec.poll_ms, 0);
	parsed_free(&res);
	parse_valid("", &res);
	assert_int_equal(res.cfg.max_bans, FW_DEFAULT_MAX_BANS);
	parsed_free(&res);
}

static void test_max_bans(void **state)
{
	struct parsed res;

	(void)state;
	parse_valid("settings:\n  max_bans: 1\n", &res);
	assert_int_equal(res.cfg.max_bans, 1);
	assert_true(res.fast);
	parsed_free(&res);
	parse_valid("settings:\n  max_bans: 67108864\n", &res);
	assert_int_equal(res.cfg.max_bans, 67108864);
	parsed_free(&res);
}

struct never_want {
	const char *prefix;
	uint32_t line;
	uint32_t col;
};

/* Entries in order, each set's elements where never_ban names the set; the sets come later. */
static void test_never_ban(void **state)
{
	static const char text[] =
		"settings:\n"
		"  never_ban:\n"
		"    - \"@office\"\n"
		"    - 198.18.0.1\n"
		"    - 2001:2::/48\n"
		"    - '@admins'\n"
		"    - 198.18.0.1\n" /* twice is fine */
		"sets:\n"
		"  office: {elements: [198.18.20.0/24, 2001:2:0:9::/64]}\n"
		"  admins:\n"
		"    elements: [198.18.3.3]\n";
	static const struct never_want want[] = {
		{ "198.18.20.0/24", 3, 7 }, { "2001:2:0:9::/64", 3, 7 }, { "198.18.0.1", 4, 7 },
		{ "2001:2::/48", 5, 7 },    { "198.18.3.3", 6, 7 },      { "198.18.0.1", 7, 7 },
	};
	const struct fw_set *nb;
	struct parsed res;

	(void)state;
	parse_valid(text, &res); /* no "unused set" warning: never_ban uses them */
	nb = &res.cfg.rules.never_ban;
	assert_string_equal(nb->name, "never_ban");
	assert_null(nb->file);
	assert_int_equal(nb->line, 3);
	assert_int_equal(nb->count, sizeof(want) / sizeof(want[0]));
	assert_int_equal(nb->v4, 4);
	assert_int_equal(nb->v6, 2);
	for (size_t i = 0; i < nb->count; i++) {
		struct fw_prefix p;

		prefix_of(want[i].prefix, &p);
		assert_memory_equal(&nb->elements[i].prefix, &p, sizeof(p));
		assert_int_equal(nb->elements[i].line, want[i].line);
		assert_int_equal(nb->elements[i].col, want[i].col);
	}
	/* The sets themselves are as they were. */
	assert_int_equal(res.cfg.rules.set_count, 2);
	assert_int_equal(res.cfg.rules.sets[0].count, 2);
	assert_int_equal(res.cfg.rules.sets[0].elements[0].line, 9);
	parsed_free(&res);

	parse_valid("settings:\n  never_ban: []\n", &res);
	assert_int_equal(res.cfg.rules.never_ban.count, 0);
	parsed_free(&res);
}

/* A set from a list file expands too, each element at the never_ban entry's line. */
static void test_never_ban_list_file(void **state)
{
	struct conf_dir dir;
	struct parsed res;
	char *text, name[PATH_MAX];
	const struct fw_set *nb;

	(void)state;
	conf_dir_init(&dir);
	conf_dir_write(&dir, "office.txt", "# office\n198.18.7.0/24\n2001:2::9\n");
	snprintf(name, sizeof(name), "%s/xdpfw.yaml", dir.path);
	assert_true(asprintf(&text, "sets:\n  office:\n    file: office.txt\nsettings:\n  never_ban: [\"@office\", 198.18.0.1]\n") > 0);
	parse_with(name, text, FW_READER_AUTO, &res);
	conf_dir_free(&dir);
	if (res.rc || res.diag_len)
		fail_msg("rc %d\n%s", res.rc, res.diag);
	nb = &res.cfg.rules.never_ban;
	assert_int_equal(nb->count, 3);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(nb->elements[i].line, 5);
		assert_int_equal(nb->elements[i].col, 15);
	}
	assert_int_equal(nb->elements[2].col, 26);
	parsed_free(&res);
	free(text);
}

/* The tries hold FW_NEVER_BAN_MAX prefixes per family, sets included. */
static void test_never_ban_capacity(void **state)
{
	struct conf_dir dir;
	struct parsed res;
	char *list = NULL, name[PATH_MAX], want[PATH_MAX + 512];
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);

	(void)state;
	assert_non_null(f);
	for (unsigned int i = 0; i < FW_NEVER_BAN_MAX; i++)
		fprintf(f, "10.%u.%u.1\n", i >> 8, i & 0xff);
	fclose(f);
	conf_dir_init(&dir);
	conf_dir_write(&dir, "many.txt", list);
	snprintf(name, sizeof(name), "%s/xdpfw.yaml", dir.path);
	/* Exactly the most: valid. */
	parse_with(name, "sets:\n  many: {file: many.txt}\nsettings:\n  never_ban: [\"@many\", 2001:2::1]\n",
		   FW_READER_AUTO, &res);
	if (res.rc || res.diag_len)
		fail_msg("rc %d\n%s", res.rc, res.diag);
	assert_int_equal(res.cfg.rules.never_ban.v4, FW_NEVER_BAN_MAX);
	parsed_free(&res);
	/* One more IPv4 entry: too many. */
	parse_with(name, "sets:\n  many: {file: many.txt}\nsettings:\n  never_ban: [\"@many\", 198.18.0.1]\n",
		   FW_READER_AUTO, &res);
	conf_dir_free(&dir);
	snprintf(want, sizeof(want),
		 "%s:4:14: settings: never_ban holds %u IPv4 and 0 IPv6 addresses and prefixes, sets included, but at most %u of each are supported; name shorter prefixes that cover them\n",
		 name, FW_NEVER_BAN_MAX + 1, FW_NEVER_BAN_MAX);
	assert_int_equal(res.rc, -EINVAL);
	assert_string_equal(res.diag, want);
	parsed_free(&res);
	free(list);
}

/* ---- crowdsec ----------------------------------------------------------- */

static void test_crowdsec(void **state)
{
	static const struct {
		const char *config;  /* the name the config is read under */
		const char *section;
		const char *url, *key_file;
		uint32_t poll_ms;
		int line;
	} cases[] = {
		{ "/etc/xdpfw/xdpfw.yaml",
		  "rules:\n  - {name: r, port: 22}\ncrowdsec:\n  url: http://127.0.0.1:8080/\n  api_key_file: crowdsec.key\n",
		  "http://127.0.0.1:8080/", "/etc/xdpfw/crowdsec.key", 10000, 3 },
		{ "conf/x.yaml", "crowdsec:\n  url: https://lapi.example:8443\n  api_key_file: /run/key\n  poll: 1s500ms\n",
		  "https://lapi.example:8443", "/run/key", 1500, 1 },
		{ "x.yaml", "crowdsec: {url: \"http://[::1]:8080/\", api_key_file: k/key, poll: 100ms}\n",
		  "http://[::1]:8080/", "k/key", 100, 1 },
		{ "x.yaml", "crowdsec:\n  poll: 1h\n  api_key_file: \"../key\"\n  url: 'HTTP://127.0.0.1:8080/'\n",
		  "HTTP://127.0.0.1:8080/", "../key", 3600000, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parsed res, slow;

		parse_with(cases[i].config, cases[i].section, FW_READER_AUTO, &res);
		parse_with(cases[i].config, cases[i].section, FW_READER_LIBYAML, &slow);
		if (res.rc || res.diag_len)
			fail_msg("case %zu: rc %d\n%s", i, res.rc, res.diag);
		assert_same_config(&res.cfg, &slow.cfg);
		assert_string_equal(res.cfg.crowdsec.url, cases[i].url);
		assert_string_equal(res.cfg.crowdsec.api_key_file, cases[i].key_file);
		assert_int_equal(res.cfg.crowdsec.poll_ms, cases[i].poll_ms);
		assert_int_equal(res.cfg.crowdsec.line, cases[i].line);
		parsed_free(&res);
		parsed_free(&slow);
	}
}

/* An invalid section leaves no half of one behind, and the rest is still checked. */
static void test_crowdsec_invalid_is_empty(void **state)
{
	struct parsed res;

	(void)state;
	parse_both("crowdsec:\n  url: http://127.0.0.1:8080/\n  api_key_file: k\n  poll: 1ms\n"
		   "rules:\n  - {name: r, port: 0}\n", &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_int_equal(count_lines(res.diag), 2);
	assert_null(res.cfg.crowdsec.url);
	assert_null(res.cfg.crowdsec.api_key_file);
	parsed_free(&res);
}

/* ---- the fast lane ------------------------------------------------------ */

/* Block-style limits and the crowdsec section are read by the lane; flow style by libyaml. */
static void test_fast_lane(void **state)
{
	static const char *const lane[] = {
		"settings:\n  max_bans: 5\ncrowdsec:\n  url: http://127.0.0.1:8080/\n  api_key_file: k\n  poll: 2s\n"
		"rules:\n  - name: a\n    port: 22\n    proto: tcp\n    tcp_flags: syn\n    limit:\n      rate: 20/s\n"
		"      burst: 40\n    ban_for: 10m\n  - name: b\n    port: 80\n    limit:\n      rate: 1/h\n  - name: c\n"
		"    proto: icmp\n",
		/* errors read by the lane give libyaml's messages too */
		"rules:\n  - name: a\n    port: 22\n    limit:\n      rate: 0/s\n      brust: 1\n    ban_for: x\n"
		"  - name: b\n    port: 23\n    limit:\n      rate: 1/s\n    action: pass\n",
		"interfaces:\n  - name: eth0\n    mode:\n      native: yes\n",
		/* a flow list on one line */
		"settings:\n  never_ban: [198.18.0.1]\n",
	};
	static const char *const other[] = {
		"rules:\n  - name: a\n    port: 22\n    limit: {rate: 20/s}\n",
		"settings:\n  never_ban:\n    - 198.18.0.1\n",
		/* a key without a value, deeper than the lane reads */
		"rules:\n  - name: a\n    port: 22\n    limit:\n      rate:\n        x: 1\n",
		"rules:\n  - name: a\n    port: 22\n    limit:\n",
		"rules:\n  - name: a\n    port: 22\n    limit:\n  - name: b\n    port: 23\n",
		"rules:\n  - name: a\n    port: 22\n    limit:\n      - rate: 1/s\n",
		"rules:\n  - name: a\n    port: 22\n    limit:\n     rate: 1/s\n   ban_for: 1m\n",
	};
	struct parsed res;

	(void)state;
	for (size_t i = 0; i < sizeof(lane) / sizeof(lane[0]); i++) {
		parse_both(lane[i], &res);
		if (!res.fast)
			fail_msg("the lane gave up on:\n%s", lane[i]);
		parsed_free(&res);
	}
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		parse_both(other[i], &res);
		if (res.fast)
			fail_msg("the lane read, outside its subset:\n%s", other[i]);
		parsed_free(&res);
	}
}

/* ---- ties --------------------------------------------------------------- */

struct tie_case {
	const char *name;
	const char *yaml;
	const char *want; /* the whole output, "" for none */
};

#define OVERLAP "sets:\n  a: {elements: [198.18.0.1]}\n  b: {elements: [198.18.0.1]}\nrules:\n"

static const struct tie_case tie_cases[] = {
	{ "limit_ties_with_drop",
	  OVERLAP "  - {name: p, src: \"@a\", port: 22, proto: tcp, limit: {rate: 1/s}}\n  - {name: q, src: \"@b\", port: 22, proto: tcp}\n",
	  NAME ":6:5: warning: rule \"q\" ties with rule \"p\" (line 5): both match 198.18.0.1 (in @a and @b), port 22, proto tcp, at the same level; rule \"p\" (limit), listed first, decides there, not rule \"q\" (drop)\n" },
	{ "limits_differ",
	  OVERLAP "  - {name: p, src: \"@a\", limit: {rate: 1/s}}\n  - {name: q, src: \"@b\", limit: {rate: 2/s}}\n",
	  NAME ":6:5: warning: rule \"q\" ties with rule \"p\" (line 5): both match 198.18.0.1 (in @a and @b), any port, any protocol, at the same level; rule \"p\" (limit), listed first, decides there, not rule \"q\" (limit)\n" },
	{ "syn_rules_tie",
	  OVERLAP "  - {name: p, src: \"@a\", proto: tcp, tcp_flags: syn, action: pass}\n  - {name: q, src: \"@b\", proto: tcp, tcp_flags: syn}\n",
	  NAME ":6:5: warning: rule \"q\" ties with rule \"p\" (line 5): both match 198.18.0.1 (in @a and @b), any port, proto tcp with tcp_flags syn, at the same level; rule \"p\" (pass), listed first, decides there, not rule \"q\" (drop)\n" },
	{ "syn_beats_plain_no_tie",
	  OVERLAP "  - {name: p, src: \"@a\", proto: tcp, tcp_flags: syn, action: pass}\n  - {name: q, src: \"@b\", proto: tcp}\n", "" },
	{ "same_limit_no_tie",
	  OVERLAP "  - {name: p, src: \"@a\", limit: {rate: 60/m}, ban_for: 1m}\n  - {name: q, src: \"@b\", limit: {rate: 1/s}, ban_for: 60s}\n", "" },
};

static void test_tie_case(void **state)
{
	const struct tie_case *c = *state;
	struct parsed res;

	parse_both(c->yaml, &res);
	if (strncmp(res.diag, c->want, strlen(c->want)) || (!*c->want && res.diag_len))
		fail_msg("%s: rc %d\nwant:\n%s\ngot:\n%s", c->name, res.rc, c->want, res.diag);
	parsed_free(&res);
}

/* ---- main --------------------------------------------------------------- */

int main(void)
{
	static struct CMUnitTest tests[ERROR_CASES + 64];
	const size_t ties = sizeof(tie_cases) / sizeof(tie_cases[0]);
	size_t n = 0;

	for (size_t i = 0; i < ERROR_CASES; i++)
		tests[n++] = (struct CMUnitTest){ .name = error_cases[i].name,
						  .test_func = test_error_case,
						  .initial_state = (void *)&error_cases[i] };
	for (size_t i = 0; i < ties; i++)
		tests[n++] = (struct CMUnitTest){ .name = tie_cases[i].name,
						  .test_func = test_tie_case,
						  .initial_state = (void *)&tie_cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_limit_values);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_limit_rule_fields);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_ban_for_values);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_syn_and_plain_rules_coexist);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_too_many_limits);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_settings_defaults);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_max_bans);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_never_ban);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_never_ban_list_file);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_never_ban_capacity);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_crowdsec);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_crowdsec_invalid_is_empty);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_fast_lane);
	return _cmocka_run_group_tests("config_limits", tests, n, NULL, NULL);
}
