// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text of a known state, read from real maps: the rules in
 * force with their counters (a limit rule's action is drop), the per-CPU
 * stats and event counts summed, live bans by origin, the reload counts;
 * label values escaped as the exposition format says; every family with
 * HELP and TYPE, counters ending in _total; and the text the same however
 * small the pieces it is read in.
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
#include <netinet/in.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bans.h"
#include "harness.h"
#include "metrics_text.h"
#include "pkt.h"
#include "prefix_text.h"
#include "prom_text.h"
#include "sync.h"

/* Rule ids span several of the scrape's windows (FW_SCRAPE_IDS), the last one short. */
#define CAPACITY 3001
#define MANY 3000

static struct fw_datapath *datapath(void)
{
	return harness_datapath(CAPACITY);
}

static void sync_rules(struct fw_ruleset *rs)
{
	struct fw_compiled compiled;

	assert_int_equal(fw_compile(rs, &compiled), 0);
	assert_int_equal(fw_rules_sync(datapath(), rs, &compiled, NULL, NULL), 0);
	fw_compiled_free(&compiled);
}

/* The whole text, read max bytes at a time; the caller frees it. */
static char *scrape(size_t max)
{
	struct fw_scrape *s;
	char *text = NULL, *piece = malloc(max);
	size_t len = 0;
	ssize_t n;

	assert_non_null(piece);
	assert_int_equal(fw_scrape_open_dp(datapath(), &s), 0);
	while ((n = fw_scrape_read(s, piece, max)) > 0) {
		text = realloc(text, len + (size_t)n + 1);
		assert_non_null(text);
		memcpy(text + len, piece, (size_t)n);
		len += (size_t)n;
	}
	assert_int_equal(n, 0);
	assert_int_equal(fw_scrape_read(s, piece, max), 0); /* and stays at its end */
	fw_scrape_close(s);
	free(piece);
	assert_non_null(text);
	text[len] = '\0';
	return text;
}

/* How many lines of text are exactly line. */
static int lines_equal(const char *text, const char *line)
{
	size_t len = strlen(line);
	int n = 0;

	for (const char *at = text; (at = strstr(at, line)); at += len)
		if ((at == text || at[-1] == '\n') && at[len] == '\n')
			n++;
	return n;
}

static void assert_line(const char *text, const char *line)
{
	if (lines_equal(text, line) != 1) {
		print_error("want exactly one line '%s' in:\n%s\n", line, text);
		fail();
	}
}

/* The value of the sample that starts with prefix ("name{labels} "), or -1. */
static long long sample_value(const char *text, const char *prefix)
{
	size_t len = strlen(prefix);

	for (const char *at = text; (at = strstr(at, prefix)); at += len)
		if (at == text || at[-1] == '\n')
			return strtoll(at + len, NULL, 10);
	return -1;
}

enum { WEB, FLOOD, ODD, PLAIN_RULES };

static const struct rule_spec specs[PLAIN_RULES] = {
	[WEB] = { "web", NULL, 80, FW_PROTO_TCP, FW_ACTION_PASS },
	[FLOOD] = { "ssh-flood", NULL, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	/* Only a damaged map could hold this name: the config allows [A-Za-z0-9_.:-]. */
	[ODD] = { "odd\"na\\me", "198.18.0.9", 0, FW_PROTO_ANY, FW_ACTION_DROP },
};

static void known_rules(void)
{
	struct fw_ruleset rs;

	harness_ruleset(&rs, specs, PLAIN_RULES, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
	rs.rules[FLOOD].limit = (struct fw_rule_limit){ 50000000, 40, true, 0 };
	sync_rules(&rs);
	assert_int_equal(fw_counter_reset(datapath(), rs.rules[WEB].id), 0);
	assert_int_equal(fw_counter_reset(datapath(), rs.rules[FLOOD].id), 0);
	assert_int_equal(fw_counter_reset(datapath(), rs.rules[ODD].id), 0);
	assert_int_equal(fw_counter_add(datapath(), rs.rules[FLOOD].id,
					&(struct fw_counter){ 7, 4200 }), 0);
	assert_int_equal(fw_counter_add(datapath(), rs.rules[ODD].id,
					&(struct fw_counter){ 1ull << 40, 1ull << 50 }), 0);
	free(rs.rules);
}

/* Writes value + cpu into each CPU's copy of key in a PERCPU_ARRAY of __u64 pairs or singles. */
static uint64_t percpu_write(int fd, uint32_t key, size_t words, uint64_t value)
{
	int cpus = libbpf_num_possible_cpus();
	uint64_t *v = calloc((size_t)cpus * words, sizeof(*v)), sum = 0;

	assert_non_null(v);
	for (int cpu = 0; cpu < cpus; cpu++) {
		for (size_t w = 0; w < words; w++)
			v[cpu * words + w] = (value + cpu) * (w + 1);
		sum += value + cpu;
	}
	assert_int_equal(bpf_map_update_elem(fd, &key, v, BPF_ANY), 0);
	free(v);
	return sum;
}

static void ban(const char *text, uint64_t duration, const char *origin)
{
	struct fw_prefix p = pfx(text);

	assert_int_equal(fw_bans_add(datapath(), &p, 1, duration, origin), 0);
}

static void test_known_state(void **state)
{
	struct fw_reload_stats reloads = { 3, 1, 1700000000, 1600000000 };
	uint64_t drop_rule, suppressed, lost, sum;
	uint8_t frame[PKT_MAX];
	size_t len;
	char line[256];
	char *text;
	__u32 zero = 0;

	(void)state;
	known_rules();
	/* A real packet through the datapath counts on web and in pass_rule. */
	assert_int_equal(fw_stats_reset(datapath()), 0);
	len = pkt_build(&(struct pkt_spec){ .src = "198.18.0.1", .ipproto = IPPROTO_TCP,
					    .dport = 80 }, frame);
	assert_int_equal(harness_run(datapath(), frame, len), XDP_PASS);
	drop_rule = percpu_write(datapath()->stats_fd, FW_STAT_DROP_RULE, 2, 5);
	suppressed = percpu_write(datapath()->event_stats_fd, FW_EVENT_STAT_SUPPRESSED, 1, 11);
	percpu_write(datapath()->event_stats_fd, FW_EVENT_STAT_SENT, 1, 0);
	lost = percpu_write(datapath()->event_stats_fd, FW_EVENT_STAT_LOST0 + 1, 1, 2);
	lost += percpu_write(datapath()->event_stats_fd, FW_EVENT_STAT_LOST0 + 7, 1, 3);
	assert_int_equal(bpf_map_update_elem(datapath()->reloads_fd, &zero, &reloads, BPF_ANY), 0);
	ban("198.19.113.1", 0, NULL);
	ban("198.19.113.2", 0, NULL);
	ban("2001:2:0:7::/64", 0, "crowdsec:ssh-bf");
	ban("198.19.113.3", 1, "crowdsec:ssh-bf"); /* expired at once: not in force */
	ban("198.19.113.4", 0, "jail \"sshd\"\\\nx\xff");

	text = scrape(4096);
	assert_line(text, "xdpfw_build_info{version=\"" XDPFW_VERSION "\",layout=\"10\"} 1");
	assert_line(text, "xdpfw_rule_packets_total{rule=\"web\",action=\"pass\"} 1");
	snprintf(line, sizeof(line), "xdpfw_rule_bytes_total{rule=\"web\",action=\"pass\"} %zu",
		 len);
	assert_line(text, line);
	assert_line(text, "xdpfw_rule_packets_total{rule=\"ssh-flood\",action=\"drop\"} 7");
	assert_line(text, "xdpfw_rule_bytes_total{rule=\"ssh-flood\",action=\"drop\"} 4200");
	/* Counts past the datapath's 24-bit `recent` field: the spilled words too. */
	assert_line(text, "xdpfw_rule_packets_total{rule=\"odd\\\"na\\\\me\",action=\"drop\"} "
			  "1099511627776");
	assert_line(text, "xdpfw_rule_bytes_total{rule=\"odd\\\"na\\\\me\",action=\"drop\"} "
			  "1125899906842624");
	assert_line(text, "xdpfw_rules 3");
	assert_line(text, "xdpfw_rule_capacity 3001");

	assert_line(text, "xdpfw_packets_total{reason=\"pass_rule\"} 1");
	snprintf(line, sizeof(line), "xdpfw_bytes_total{reason=\"pass_rule\"} %zu", len);
	assert_line(text, line);
	snprintf(line, sizeof(line), "xdpfw_packets_total{reason=\"drop_rule\"} %llu",
		 (unsigned long long)drop_rule);
	assert_line(text, line);
	snprintf(line, sizeof(line), "xdpfw_bytes_total{reason=\"drop_rule\"} %llu",
		 (unsigned long long)drop_rule * 2);
	assert_line(text, line);
	assert_line(text, "xdpfw_packets_total{reason=\"drop_default\"} 0");

	assert_line(text, "xdpfw_bans{origin=\"manual\"} 2");
	assert_line(text, "xdpfw_bans{origin=\"crowdsec:ssh-bf\"} 1");
	assert_line(text, "xdpfw_bans{origin=\"jail \\\"sshd\\\"\\\\\\nx\xef\xbf\xbd\"} 1");
	assert_int_equal(sample_value(text, "xdpfw_ban_capacity "), datapath()->max_bans);

	assert_line(text, "xdpfw_reloads_total{result=\"success\"} 3");
	assert_line(text, "xdpfw_reloads_total{result=\"failure\"} 1");
	assert_line(text, "xdpfw_last_reload_success_timestamp_seconds 1700000000");
	assert_line(text, "xdpfw_last_reload_failure_timestamp_seconds 1600000000");

	snprintf(line, sizeof(line), "xdpfw_events_suppressed_total %llu",
		 (unsigned long long)suppressed);
	assert_line(text, line);
	snprintf(line, sizeof(line), "xdpfw_events_lost_total %llu", (unsigned long long)lost);
	assert_line(text, line);
	sum = (uint64_t)libbpf_num_possible_cpus() * (libbpf_num_possible_cpus() - 1) / 2;
	assert_int_equal(sample_value(text, "xdpfw_events_total "), sum);
	assert_line(text, "xdpfw_event_readers 0");
	/* Addresses are never label values. */
	assert_null(strstr(text, "198.19.113"));
	assert_null(strstr(text, "198.18.0"));
	assert_null(strstr(text, "2001:2:"));
	free(text);
}

/* Every family has HELP then TYPE, then its samples and no other's; counters end in _total. */
static void assert_well_formed(const char *text)
{
	char family[128] = "", type[16] = "", name[128];
	const char *line = text;
	int families = 0;

	while (*line) {
		const char *end = strchr(line, '\n');

		assert_non_null(end);
		if (!strncmp(line, "# HELP ", 7)) {
			assert_int_equal(sscanf(line, "# HELP %127s", family), 1);
			assert_true(strncmp(end + 1, "# TYPE ", 7) == 0);
			assert_int_equal(sscanf(end + 1, "# TYPE %127s %15s", name, type), 2);
			assert_string_equal(name, family);
			assert_true(!strcmp(type, "counter") || !strcmp(type, "gauge"));
			if (!strcmp(type, "counter"))
				assert_string_equal(family + strlen(family) - 6, "_total");
			else
				assert_null(strstr(family, "_total"));
			families++;
			end = strchr(end + 1, '\n');
		} else {
			size_t n = strcspn(line, "{ ");

			assert_true(n == strlen(family) && !strncmp(line, family, n));
			assert_true(end[-1] >= '0' && end[-1] <= '9');
		}
		line = end + 1;
	}
	assert_true(families >= 15);
	for (const char *at = text; (at = strstr(at, "# TYPE ")); at++) {
		/* No family twice. */
		size_t n = strcspn(at + 7, " ");

		snprintf(name, sizeof(name), "\n# TYPE %.*s ", (int)n, at + 7);
		assert_null(strstr(at + 1, name));
	}
}

static void test_many_rules_streamed(void **state)
{
	struct rule_spec *many = calloc(MANY, sizeof(*many));
	char (*names)[16] = calloc(MANY, sizeof(*names));
	struct fw_ruleset rs;
	char line[128], *whole, *bytewise;

	(void)state;
	assert_non_null(many);
	assert_non_null(names);
	for (int i = 0; i < MANY; i++) {
		snprintf(names[i], sizeof(names[i]), "r%d", i);
		many[i] = (struct rule_spec){ names[i], NULL, (uint16_t)(1 + i), FW_PROTO_UDP,
					      i % 2 ? FW_ACTION_PASS : FW_ACTION_DROP };
	}
	harness_ruleset(&rs, many, MANY, FW_ACTION_PASS, FW_FRAGMENTS_INSPECT);
	sync_rules(&rs);
	for (int i = 0; i < MANY; i++) {
		assert_int_equal(fw_counter_reset(datapath(), rs.rules[i].id), 0);
		assert_int_equal(fw_counter_add(datapath(), rs.rules[i].id,
						&(struct fw_counter){ (uint64_t)i, 64ull * i }), 0);
	}
	whole = scrape(1 << 20);
	bytewise = scrape(7);
	assert_string_equal(whole, bytewise);
	assert_well_formed(whole);
	for (int i = 0; i < MANY; i += 1) {
		snprintf(line, sizeof(line), "xdpfw_rule_packets_total{rule=\"r%d\",action=\"%s\"} %d",
			 i, i % 2 ? "pass" : "drop", i);
		assert_line(whole, line);
		snprintf(line, sizeof(line), "xdpfw_rule_bytes_total{rule=\"r%d\",action=\"%s\"} %d",
			 i, i % 2 ? "pass" : "drop", 64 * i);
		assert_line(whole, line);
	}
	snprintf(line, sizeof(line), "xdpfw_rules %d", MANY);
	assert_line(whole, line);
	free(whole);
	free(bytewise);

	/* The rules of the set no longer in force are gone from the text. */
	rs.count = 2;
	sync_rules(&rs);
	whole = scrape(4096);
	assert_line(whole, "xdpfw_rules 2");
	assert_line(whole, "xdpfw_rule_packets_total{rule=\"r1\",action=\"pass\"} 1");
	assert_int_equal(lines_equal(whole, "xdpfw_rule_packets_total{rule=\"r2\",action=\"drop\"} 2"),
			 0);
	free(whole);
	free(rs.rules);
	free(many);
	free(names);
}

static char *label_value(const char *in, size_t len)
{
	struct fw_prom_buf b = { 0 };
	char *out;

	fw_prom_label_value(&b, in, len);
	fw_prom_put(&b, "", 1);
	assert_int_equal(b.err, 0);
	out = strdup(b.data);
	fw_prom_free(&b);
	return out;
}

static void test_label_escaping(void **state)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "plain-name_1.2:3", "plain-name_1.2:3" },
		{ "a\\b", "a\\\\b" },
		{ "say \"hi\"", "say \\\"hi\\\"" },
		{ "two\nlines", "two\\nlines" },
		{ "tab\tstays", "tab\tstays" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5" },
		/* Not UTF-8: a stray byte, a cut sequence, overlong, a surrogate, past U+10FFFF. */
		{ "x\xffy", "x\xef\xbf\xbdy" },
		{ "cut\xe2\x82", "cut\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = label_value(cases[i].in, strlen(cases[i].in));

		assert_string_equal(out, cases[i].out);
		free(out);
	}
}

static void test_numbers(void **state)
{
	static const uint64_t values[] = { 0, 9, 10, 4294967296ull, UINT64_MAX };
	static const char *const texts[] = { "0", "9", "10", "4294967296", "18446744073709551615" };
	struct fw_prom_buf b = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		fw_prom_reset(&b);
		fw_prom_u64(&b, values[i]);
		assert_int_equal(b.len, strlen(texts[i]));
		assert_memory_equal(b.data, texts[i], b.len);
	}
	fw_prom_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_state),
		cmocka_unit_test(test_many_rules_streamed),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
