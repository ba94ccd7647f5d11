// SPDX-License-Identifier: GPL-2.0
/*
 * The config keys of DESIGN §1b "Events and metrics": a rule's log,
 * settings.log_rate, log_burst, ban_log, limit_log and metrics. Every
 * message with its LINE:COL, every field and its default, the warnings,
 * and both YAML readers giving the same result.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include "conf_parse.h"
#include "config.h"
#include "duration.h"
#include "log_policy.h"

#define NAME "t.yaml"
#define MS FW_NS_PER_MS
#define SEC FW_NS_PER_SEC

/* ---- helpers ---------------------------------------------------------- */

static void assert_same_config(const struct fw_config *a, const struct fw_config *b)
{
	const struct fw_metrics_listen *ma = &a->metrics, *mb = &b->metrics;

	assert_int_equal(a->rules.log.interval, b->rules.log.interval);
	assert_int_equal(a->rules.log.burst, b->rules.log.burst);
	assert_int_equal(a->rules.log.bans, b->rules.log.bans);
	assert_int_equal(a->rules.log.limits, b->rules.log.limits);
	assert_int_equal(!ma->text, !mb->text);
	if (ma->text)
		assert_string_equal(ma->text, mb->text);
	assert_string_equal(ma->host, mb->host);
	assert_int_equal(ma->port, mb->port);
	assert_int_equal(ma->family, mb->family);
	assert_int_equal(ma->line, mb->line);
	assert_int_equal(a->rules.count, b->rules.count);
	for (size_t i = 0; i < a->rules.count; i++)
		assert_int_equal(a->rules.rules[i].log, b->rules.rules[i].log);
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

/* ---- errors and warnings: one table row per message --------------------- */

#define MAX_WANT 5

struct message_case {
	const char *name;
	const char *yaml;
	struct want want[MAX_WANT];
	bool exact; /* want[0].phrase is the whole message */
	bool valid; /* warnings only */
};

#define S(body) "settings:\n" body
#define LOGGED "rules:\n  - name: r\n    port: 22\n    log: true\n"
#define R(body) "rules:\n  - name: r\n    port: 22\n" body

static const struct message_case cases[] = {
	/* a rule's log */
	{ .name = "log_word", .yaml = R("    log: maybe\n"),
	  .want = { { "4:10", "rule \"r\": log \"maybe\" is not true or false; write true or false" } }, .exact = true },
	{ .name = "log_quoted", .yaml = R("    log: \"true\"\n"),
	  .want = { { "4:10", "rule \"r\": log \"true\" is quoted text; write true or false without quotes" } }, .exact = true },
	{ .name = "log_number", .yaml = R("    log: 1\n"), .want = { { "4:10", "log \"1\" is not true or false" } } },
	{ .name = "log_empty", .yaml = R("    log:\n"), .want = { { "4:9", "rule \"r\": log is empty; write true or false, or remove the key" } }, .exact = true },
	{ .name = "log_list", .yaml = R("    log: [true]\n"), .want = { { "4:10", "rule \"r\": log must be true or false, found a list" } }, .exact = true },
	{ .name = "log_mapping", .yaml = R("    log: {rate: 1/s}\n"), .want = { { "4:10", "log must be true or false, found a mapping" } } },
	{ .name = "log_typo", .yaml = R("    logg: true\n"), .want = { { "4:5", "rule \"r\": unknown key \"logg\"; did you mean \"log\"?" } }, .exact = true },
	{ .name = "log_twice", .yaml = R("    log: true\n    log: false\n"), .want = { { "5:5", "duplicate key \"log\" (first at line 4)" } } },
	{ .name = "log_in_unnamed_rule", .yaml = "rules:\n  - port: 22\n    log: no way\n",
	  .want = { { "2:5", "rule #1 has no name" }, { "3:10", "rule #1: log \"no way\" is not true or false" } } },
	/* log_rate */
	{ .name = "log_rate_zero", .yaml = S("  log_rate: 0/s\n") LOGGED,
	  .want = { { "2:13", "settings: log_rate 0/s would let no event through; give at least 1/h, or send none by leaving log: true, ban_log and limit_log out" } }, .exact = true },
	{ .name = "log_rate_zero_per_hour", .yaml = S("  log_rate: 0/h\n") LOGGED, .want = { { "2:13", "log_rate 0/h would let no event through" } } },
	{ .name = "log_rate_no_unit", .yaml = S("  log_rate: 50\n") LOGGED,
	  .want = { { "2:13", "settings: log_rate 50 has no unit; write 50/s (per second), 50/m (per minute) or 50/h (per hour)" } }, .exact = true },
	{ .name = "log_rate_bad_unit", .yaml = S("  log_rate: 50/d\n") LOGGED,
	  .want = { { "2:13", "settings: log_rate \"50/d\" is not a rate; write events per second, minute or hour as N/s, N/m or N/h, e.g. 100/s" } }, .exact = true },
	{ .name = "log_rate_words", .yaml = S("  log_rate: lots\n") LOGGED, .want = { { "2:13", "log_rate \"lots\" is not a rate" } } },
	{ .name = "log_rate_negative", .yaml = S("  log_rate: -5/s\n") LOGGED, .want = { { "2:13", "log_rate \"-5/s\" is not a rate" } } },
	{ .name = "log_rate_fraction", .yaml = S("  log_rate: 0.5/s\n") LOGGED, .want = { { "2:13", "log_rate \"0.5/s\" is not a rate" } } },
	{ .name = "log_rate_huge", .yaml = S("  log_rate: 1000000001/s\n") LOGGED,
	  .want = { { "2:13", "settings: log_rate 1000000001/s is more than 1000000000/s, the most the event bucket counts (one event per ns); lower it" } }, .exact = true },
	{ .name = "log_rate_bool", .yaml = S("  log_rate: off\n") LOGGED, .want = { { "2:13", "log_rate is the YAML boolean off, not text" } } },
	{ .name = "log_rate_empty", .yaml = S("  log_rate:\n") LOGGED, .want = { { "2:12", "log_rate is empty" } } },
	{ .name = "log_rate_typo", .yaml = S("  log_rat: 5/s\n") LOGGED, .want = { { "2:3", "settings: unknown key \"log_rat\"; did you mean \"log_rate\"?" } }, .exact = true },
	/* log_burst */
	{ .name = "log_burst_zero", .yaml = S("  log_burst: 0\n") LOGGED,
	  .want = { { "2:14", "settings: log_burst 0 out of range; use 1-1000000000" } }, .exact = true },
	{ .name = "log_burst_text", .yaml = S("  log_burst: many\n") LOGGED, .want = { { "2:14", "log_burst \"many\" is not an integer" } } },
	{ .name = "log_burst_window", .yaml = S("  log_rate: 1/h\n  log_burst: 1300000\n") LOGGED,
	  .want = { { "3:14", "settings: log_burst 1300000 at log_rate 1/h takes more than a century to refill; lower the log_burst" } }, .exact = true },
	{ .name = "log_rate_and_burst_wrong", .yaml = S("  log_rate: 0/s\n  log_burst: -1\n") LOGGED,
	  .want = { { "2:13", "log_rate 0/s" }, { "3:14", "log_burst -1 out of range" } } },
	/* ban_log, limit_log */
	{ .name = "ban_log_word", .yaml = S("  ban_log: always\n"),
	  .want = { { "2:12", "settings: ban_log \"always\" is not true or false; write true or false" } }, .exact = true },
	{ .name = "limit_log_quoted", .yaml = S("  limit_log: 'yes'\n"), .want = { { "2:14", "limit_log \"yes\" is quoted text" } } },
	{ .name = "ban_log_list", .yaml = S("  ban_log: [true]\n"), .want = { { "2:12", "ban_log must be true or false, found a list" } } },
	/* metrics */
	{ .name = "metrics_host_name", .yaml = S("  metrics: localhost:9740\n"),
	  .want = { { "2:12", "settings: metrics \"localhost:9740\" names a host; xdpfw does not resolve names, so write the address to listen on, e.g. 127.0.0.1:9740, or [::1]:9740 (quoted in YAML)" } }, .exact = true },
	{ .name = "metrics_fqdn", .yaml = S("  metrics: metrics.example.org:9740\n"), .want = { { "2:12", "names a host" } } },
	{ .name = "metrics_no_port", .yaml = S("  metrics: 127.0.0.1\n"),
	  .want = { { "2:12", "settings: metrics 127.0.0.1 has no port; write ADDR:PORT, e.g. 127.0.0.1:9740, or [::1]:9740 (quoted in YAML)" } }, .exact = true },
	{ .name = "metrics_port_only", .yaml = S("  metrics: 9740\n"), .want = { { "2:12", "settings: metrics 9740 has no address; write ADDR:PORT" } } },
	{ .name = "metrics_empty_host", .yaml = S("  metrics: \":9740\"\n"),
	  .want = { { "2:12", "settings: metrics \":9740\" has no address before the port; write 127.0.0.1:PORT for this host only, or 0.0.0.0:PORT for every address" } }, .exact = true },
	{ .name = "metrics_port_zero", .yaml = S("  metrics: 127.0.0.1:0\n"),
	  .want = { { "2:12", "settings: metrics \"127.0.0.1:0\": port 0 is out of range; use 1-65535" } }, .exact = true },
	{ .name = "metrics_port_big", .yaml = S("  metrics: 127.0.0.1:65536\n"), .want = { { "2:12", "port 65536 is out of range; use 1-65535" } } },
	{ .name = "metrics_port_huge", .yaml = S("  metrics: 127.0.0.1:99999999999999999999999\n"), .want = { { "2:12", "is out of range; use 1-65535" } } },
	{ .name = "metrics_port_text", .yaml = S("  metrics: 127.0.0.1:http\n"),
	  .want = { { "2:12", "settings: metrics \"127.0.0.1:http\" has no port number after the address; write ADDR:PORT" } } },
	{ .name = "metrics_port_empty", .yaml = S("  metrics: \"[::1]:\"\n"), .want = { { "2:12", "has no port number after the address" } } },
	{ .name = "metrics_v6_bare", .yaml = S("  metrics: \"::1:9740\"\n"),
	  .want = { { "2:12", "settings: metrics \"::1:9740\": write an IPv6 address in brackets, and the whole value in quotes: \"[::1]:9740\"" } }, .exact = true },
	{ .name = "metrics_v6_unquoted", .yaml = S("  metrics: [::1]:9740\n"), .want = { { "2:13", "YAML syntax error" } } },
	{ .name = "metrics_list", .yaml = S("  metrics: [127.0.0.1]\n"),
	  .want = { { "2:12", "settings: metrics must be one value ADDR:PORT, found a list; quote an IPv6 address with its brackets: \"[::1]:9740\"" } }, .exact = true },
	{ .name = "metrics_v6_no_port", .yaml = S("  metrics: \"[::1]\"\n"), .want = { { "2:12", "metrics \"[::1]\" has no port after the address; write [ADDR]:PORT" } } },
	{ .name = "metrics_v6_unclosed", .yaml = S("  metrics: \"[::1:9740\"\n"), .want = { { "2:12", "has no port after the address" } } },
	{ .name = "metrics_v4_in_brackets", .yaml = S("  metrics: \"[127.0.0.1]:9740\"\n"),
	  .want = { { "2:12", "settings: metrics \"[127.0.0.1]:9740\": brackets are for IPv6 addresses; write 127.0.0.1:PORT" } }, .exact = true },
	{ .name = "metrics_v6_bad", .yaml = S("  metrics: \"[2001:2::g]:9740\"\n"),
	  .want = { { "2:12", "settings: metrics \"[2001:2::g]:9740\": 2001:2::g is not an IPv6 address; write e.g. \"[::1]:9740\"" } }, .exact = true },
	{ .name = "metrics_v6_host_name", .yaml = S("  metrics: \"[localhost]:9740\"\n"), .want = { { "2:12", "localhost is not an IPv6 address" } } },
	{ .name = "metrics_zone", .yaml = S("  metrics: \"[fe80::1%eth0]:9740\"\n"),
	  .want = { { "2:12", "settings: metrics \"[fe80::1%eth0]:9740\": a zone (%IFACE) is not supported" } } },
	{ .name = "metrics_v4_short", .yaml = S("  metrics: 198.18.0:80\n"), .want = { { "2:12", "metrics \"198.18.0:80\" is not an IPv4 address with a port" } } },
	{ .name = "metrics_v4_big", .yaml = S("  metrics: 198.18.0.256:80\n"), .want = { { "2:12", "is not an IPv4 address with a port" } } },
	{ .name = "metrics_hex_name", .yaml = S("  metrics: cafe.bad:80\n"), .want = { { "2:12", "names a host" } } },
	{ .name = "metrics_url", .yaml = S("  metrics: http://127.0.0.1:9740/\n"),
	  .want = { { "2:12", "settings: metrics \"http://127.0.0.1:9740/\" is a URL; write only the address and port the daemon listens on (it serves /metrics there)" } } },
	{ .name = "metrics_bool", .yaml = S("  metrics: on\n"), .want = { { "2:12", "metrics is the YAML boolean on, not text" } } },
	{ .name = "metrics_empty", .yaml = S("  metrics: \"\"\n"),
	  .want = { { "2:12", "settings: metrics is empty; write ADDR:PORT, e.g. 127.0.0.1:9740, or [::1]:9740 (quoted in YAML), or remove the key" } }, .exact = true },
	{ .name = "metrics_null", .yaml = S("  metrics:\n"), .want = { { "2:11", "settings: metrics is empty; give it a value or remove the key" } }, .exact = true },
	{ .name = "metrics_mapping", .yaml = S("  metrics: {addr: 127.0.0.1}\n"), .want = { { "2:12", "metrics must be a single value, found a mapping" } } },
	{ .name = "metrics_twice", .yaml = S("  metrics: 127.0.0.1:1\n  metrics: 127.0.0.1:2\n"), .want = { { "3:3", "duplicate key \"metrics\" (first at line 2)" } } },
	/* warnings: the config stays valid */
	{ .name = "limit_log_without_limit", .yaml = S("  limit_log: true\n") LOGGED, .valid = true,
	  .want = { { "2:14", "warning: settings: limit_log is true, but no rule has a limit, so it logs nothing; give a rule limit: {rate: N/s}, or remove limit_log" } }, .exact = true },
	{ .name = "log_rate_idle", .yaml = S("  log_rate: 10/s\n") R(""), .valid = true,
	  .want = { { "2:13", "warning: settings: log_rate has no effect: no rule says log: true, and ban_log and limit_log are off; add log: true to a rule, or remove log_rate" } }, .exact = true },
	{ .name = "log_rate_and_burst_idle", .yaml = S("  log_rate: 10/s\n  log_burst: 5\n  ban_log: false\n") R("    log: false\n"), .valid = true,
	  .want = { { "2:13", "warning: settings: log_rate has no effect" }, { "3:14", "warning: settings: log_burst has no effect" } } },
	{ .name = "limit_log_alone_warns_once", .yaml = S("  limit_log: on\n  log_rate: 10/s\n") R(""), .valid = true,
	  .want = { { "2:14", "warning: settings: limit_log is true, but no rule has a limit" } } },
	/* errors elsewhere: the warnings would only mislead */
	{ .name = "no_warning_beside_errors", .yaml = S("  limit_log: true\n  log_rate: 10/s\n") R("    proto: tcpp\n"),
	  .want = { { "7:12", "proto \"tcpp\"" } } },
};

#define CASES (sizeof(cases) / sizeof(cases[0]))

static void test_message_case(void **state)
{
	const struct message_case *c = *state;
	size_t n = 0;
	struct parsed res;

	while (n < MAX_WANT && c->want[n].where)
		n++;
	parse_both(c->yaml, &res);
	if (res.rc != (c->valid ? 0 : -EINVAL) || count_lines(res.diag) != n)
		fail_msg("%s: rc %d, want %zu messages, got:\n%s", c->name, res.rc, n, res.diag);
	assert_messages(c->name, res.diag, NAME, c->want, n, c->exact);
	parsed_free(&res);
}

/* ---- valid configs ------------------------------------------------------ */

/* No key given: the defaults are in the config, stated, and nothing logs. */
static void test_defaults(void **state)
{
	struct parsed res;

	(void)state;
	parse_valid(R(""), &res);
	assert_int_equal(res.cfg.rules.log.interval, 10 * MS);
	assert_int_equal(res.cfg.rules.log.burst, FW_DEFAULT_LOG_RATE);
	assert_false(res.cfg.rules.log.bans);
	assert_false(res.cfg.rules.log.limits);
	assert_false(res.cfg.rules.rules[0].log);
	assert_null(res.cfg.metrics.text);
	assert_int_equal(res.cfg.metrics.port, 0);
	parsed_free(&res);
	/* An empty config, and empty settings, too. */
	parse_valid("", &res);
	assert_int_equal(res.cfg.rules.log.interval, FW_DEFAULT_LOG_INTERVAL);
	assert_int_equal(res.cfg.rules.log.burst, FW_DEFAULT_LOG_RATE);
	parsed_free(&res);
	parse_valid("settings:\n", &res);
	assert_int_equal(res.cfg.rules.log.burst, FW_DEFAULT_LOG_RATE);
	parsed_free(&res);
}

/* One log_rate (and log_burst) each, and the bucket it makes. */
struct rate_case {
	const char *settings;
	uint64_t interval;
	uint32_t burst;
};

static const struct rate_case rate_cases[] = {
	{ "  log_rate: 50/s\n", 20 * MS, 50 },
	{ "  log_rate: 50/s\n  log_burst: 100\n", 20 * MS, 100 },
	{ "  log_burst: 1\n", 10 * MS, 1 },                   /* the default rate */
	{ "  log_burst: 1000000000\n", 10 * MS, 1000000000 }, /* 10^7 s of window: fits */
	{ "  log_rate: 3/s\n", 333333334, 3 },                /* 1/3 s rounded up */
	{ "  log_rate: 1/s\n", SEC, 1 },
	{ "  log_rate: 30/m\n", 2 * SEC, 1 },   /* less than one a second: burst 1 */
	{ "  log_rate: 61/m\n", 983606558, 2 }, /* just over one a second */
	{ "  log_rate: 1/h\n", 3600 * SEC, 1 },
	{ "  log_rate: 1/h\n  log_burst: 1281023\n", 3600 * SEC, 1281023 }, /* the largest window */
	{ "  log_rate: 1000000000/s\n", 1, 1000000000 },
	{ "  log_rate: \"100/s\"\n", 10 * MS, 100 },
	{ "  log_burst: 7\n  log_rate: 700/m\n", 85714286, 7 }, /* burst before rate */
};

static void test_rates(void **state)
{
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(rate_cases) / sizeof(rate_cases[0]); i++) {
		const struct rate_case *c = &rate_cases[i];
		const struct fw_log_policy *log;
		struct parsed res;

		snprintf(text, sizeof(text), "settings:\n%s" LOGGED, c->settings);
		parse_valid(text, &res);
		log = &res.cfg.rules.log;
		if (log->interval != c->interval || log->burst != c->burst)
			fail_msg("%s: interval %llu burst %u", c->settings,
				 (unsigned long long)log->interval, log->burst);
		parsed_free(&res);
	}
}

static void test_booleans(void **state)
{
	static const struct {
		const char *word;
		bool value;
	} words[] = {
		{ "true", true },   { "True", true },   { "TRUE", true }, { "yes", true },
		{ "on", true },     { "y", true },      { "ON", true },   { "false", false },
		{ "False", false }, { "no", false },    { "off", false }, { "Off", false },
		{ "n", false },     { "FALSE", false },
	};
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		struct parsed res;
		const struct fw_config *cfg;

		snprintf(text, sizeof(text),
			 "settings:\n  ban_log: %s\n  limit_log: %s\nrules:\n  - name: r\n"
			 "    port: 22\n    log: %s\n    limit: {rate: 1/s}\n",
			 words[i].word, words[i].word, words[i].word);
		parse_both(text, &res);
		/* limit_log: true with a limit rule, so no warning whatever the word */
		if (res.rc || res.diag_len)
			fail_msg("%s: rc %d\n%s", words[i].word, res.rc, res.diag);
		cfg = &res.cfg;
		if (cfg->rules.log.bans != words[i].value || cfg->rules.log.limits != words[i].value ||
		    cfg->rules.rules[0].log != words[i].value)
			fail_msg("%s: ban_log %d limit_log %d log %d", words[i].word,
				 cfg->rules.log.bans, cfg->rules.log.limits, cfg->rules.rules[0].log);
		parsed_free(&res);
	}
}

/* The DESIGN example: which rule logs, and the settings, field by field. */
static void test_design_example(void **state)
{
	static const char text[] =
		"settings:\n"
		"  log_rate: 50/s\n"
		"  log_burst: 100\n"
		"  ban_log: true\n"
		"  limit_log: true\n"
		"  metrics: 127.0.0.1:9740\n"
		"rules:\n"
		"  - name: ssh-others\n"
		"    port: 22\n"
		"    proto: tcp\n"
		"    log: true\n"
		"  - name: dns-flood\n"
		"    port: 53\n"
		"    proto: udp\n"
		"    limit: {rate: 20/s}\n"
		"  - name: web\n"
		"    port: 443\n"
		"    proto: tcp\n"
		"    action: pass\n"
		"    log: false\n";
	const struct fw_config *cfg;
	struct parsed res;

	(void)state;
	parse_valid(text, &res);
	cfg = &res.cfg;
	assert_true(cfg->rules.rules[0].log);
	assert_false(cfg->rules.rules[1].log);
	assert_false(cfg->rules.rules[2].log);
	assert_int_equal(cfg->rules.log.interval, 20 * MS);
	assert_int_equal(cfg->rules.log.burst, 100);
	assert_true(cfg->rules.log.bans);
	assert_true(cfg->rules.log.limits);
	assert_string_equal(cfg->metrics.text, "127.0.0.1:9740");
	assert_string_equal(cfg->metrics.host, "127.0.0.1");
	assert_int_equal(cfg->metrics.port, 9740);
	assert_int_equal(cfg->metrics.family, AF_INET);
	assert_int_equal(cfg->metrics.line, 6);
	parsed_free(&res);
}

static void test_metrics_addresses(void **state)
{
	static const struct {
		const char *value;
		const char *text, *host;
		uint16_t port;
		int family;
	} cases[] = {
		{ "127.0.0.1:9740", "127.0.0.1:9740", "127.0.0.1", 9740, AF_INET },
		{ "0.0.0.0:1", "0.0.0.0:1", "0.0.0.0", 1, AF_INET },
		{ "198.18.0.1:65535", "198.18.0.1:65535", "198.18.0.1", 65535, AF_INET },
		{ "\"[::1]:9740\"", "[::1]:9740", "::1", 9740, AF_INET6 },
		{ "'[::]:9100'", "[::]:9100", "::", 9100, AF_INET6 },
		{ "\"[2001:2::7]:80\"", "[2001:2::7]:80", "2001:2::7", 80, AF_INET6 },
		{ "\"[::ffff:127.0.0.1]:9740\"", "[::ffff:127.0.0.1]:9740", "::ffff:127.0.0.1", 9740,
		  AF_INET6 },
		{ "\"127.0.0.1:09740\"", "127.0.0.1:09740", "127.0.0.1", 9740, AF_INET },
	};
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fw_metrics_listen *m;
		struct parsed res;

		snprintf(text, sizeof(text), "# metrics\nsettings:\n  metrics: %s\n", cases[i].value);
		parse_valid(text, &res);
		m = &res.cfg.metrics;
		assert_non_null(m->text);
		assert_string_equal(m->text, cases[i].text);
		assert_string_equal(m->host, cases[i].host);
		assert_int_equal(m->port, cases[i].port);
		assert_int_equal(m->family, cases[i].family);
		assert_int_equal(m->line, 3);
		parsed_free(&res);
	}
}

/* A config with an error keeps nothing, metrics included. */
static void test_invalid_keeps_nothing(void **state)
{
	struct parsed res;

	(void)state;
	parse_both(S("  metrics: 127.0.0.1:9740\n  log_rate: 0/s\n"), &res);
	assert_int_equal(res.rc, -EINVAL);
	assert_null(res.cfg.metrics.text);
	assert_int_equal(res.cfg.rules.log.interval, 0);
	parsed_free(&res);
}

/* Block-style keys stay in the fast lane; the libyaml lane reads flow style the same. */
static void test_fast_lane(void **state)
{
	static const char block[] = "settings:\n  log_rate: 5/m\n  ban_log: true\n  metrics: \"[::1]:9740\"\n" LOGGED;
	static const char flow[] = "settings: {log_rate: 5/m, ban_log: true, metrics: \"[::1]:9740\"}\n"
				   "rules:\n  - {name: r, port: 22, log: true}\n";
	struct parsed a, b;

	(void)state;
	parse_valid(block, &a);
	assert_true(a.fast);
	parse_valid(flow, &b);
	assert_false(b.fast);
	assert_int_equal(a.cfg.rules.log.interval, 12 * SEC);
	assert_int_equal(a.cfg.rules.log.burst, 1);
	assert_true(a.cfg.rules.log.bans);
	assert_true(a.cfg.rules.rules[0].log);
	assert_string_equal(a.cfg.metrics.host, "::1");
	assert_int_equal(a.cfg.metrics.line, 4);
	assert_int_equal(b.cfg.rules.log.interval, a.cfg.rules.log.interval);
	assert_int_equal(b.cfg.rules.log.burst, a.cfg.rules.log.burst);
	assert_int_equal(b.cfg.rules.log.bans, a.cfg.rules.log.bans);
	assert_int_equal(b.cfg.rules.rules[0].log, a.cfg.rules.rules[0].log);
	assert_string_equal(b.cfg.metrics.text, a.cfg.metrics.text);
	assert_int_equal(b.cfg.metrics.port, 9740);
	parsed_free(&a);
	parsed_free(&b);
}

/* ---- main --------------------------------------------------------------- */

int main(void)
{
	static struct CMUnitTest tests[CASES + 16];
	size_t n = 0;

	for (size_t i = 0; i < CASES; i++)
		tests[n++] = (struct CMUnitTest){ .name = cases[i].name,
						  .test_func = test_message_case,
						  .initial_state = (void *)&cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_defaults);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_rates);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_booleans);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_design_example);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_metrics_addresses);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_invalid_keeps_nothing);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_fast_lane);
	return _cmocka_run_group_tests("config_log", tests, n, NULL, NULL);
}
