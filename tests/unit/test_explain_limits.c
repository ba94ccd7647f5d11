// SPDX-License-Identifier: GPL-2.0
/*
 * `xdpfw explain` for what issue 10 adds, from the maps in force: PORT/syn
 * asks about a SYN, which a tcp_flags: syn rule decides; a limit rule's
 * limit is shown, with whether a packet now is within it (its bucket read,
 * not taken); and a banned source is decided by `ban`, an exact ban first,
 * else the longest prefix ban, only while live, with its origin and expiry.
 * From a config, the same rules, a limit read as written. The words for
 * rates and durations are the config's.
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
#include "bans.h"
#include "conf_dir.h"
#include "explain.h"
#include "harness.h"
#include "limit_text.h"
#include "pkt.h"
#include "sync.h"

#define MS 1000000ull
#define S (1000 * MS)

enum { SSH_SYN, SSH, WEB_CAP, HOST, RULES };

static const struct rule_spec specs[RULES] = {
	[SSH_SYN] = { "ssh-syn-flood", NULL, 22, FW_PROTO_TCP, FW_ACTION_DROP },
	[SSH] = { "ssh", NULL, 22, FW_PROTO_TCP, FW_ACTION_PASS },
	[WEB_CAP] = { "web-cap", NULL, 80, FW_PROTO_TCP, FW_ACTION_DROP },
	[HOST] = { "host", "198.18.7.7", 0, FW_PROTO_ANY, FW_ACTION_PASS },
};

static struct fw_ruleset rules;

static struct fw_datapath *datapath(void)
{
	return harness_datapath(64);
}

/* The DESIGN example in force: 20/s burst 40 per source, ban 10m; a per-rule cap of 1/h burst 2. */
static int rules_up(void **state)
{
	struct fw_compiled compiled;

	(void)state;
	harness_ruleset(&rules, specs, RULES, FW_ACTION_DROP, FW_FRAGMENTS_INSPECT);
	rules.rules[SSH_SYN].tcp_flags = FW_TCP_FLAGS_SYN;
	rules.rules[SSH_SYN].limit = (struct fw_rule_limit){ 50 * MS, 40, true, 600 * S };
	rules.rules[WEB_CAP].limit = (struct fw_rule_limit){ 3600 * S, 2, false, 0 };
	if (fw_compile(&rules, &compiled) ||
	    fw_rules_sync(datapath(), &rules, &compiled, NULL, NULL))
		return -1;
	fw_compiled_free(&compiled);
	return 0;
}

static int rules_down(void **state)
{
	(void)state;
	free(rules.rules);
	return 0;
}

static void explain(const char *addr, const char *port, struct fw_explain_answer *a)
{
	struct fw_explain_query q;

	assert_int_equal(fw_explain_parse(addr, port, &q), 0);
	assert_int_equal(fw_explain_maps(datapath(), "/pins", &q, a), 0);
}

static char *printed(const char *addr, const char *port, bool json)
{
	struct fw_explain_query q;
	struct fw_explain_answer a;
	char *text = NULL;
	size_t len;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(fw_explain_parse(addr, port, &q), 0);
	assert_int_equal(fw_explain_maps(datapath(), "/pins", &q, &a), 0);
	assert_int_equal(fw_explain_print(out, &q, &a, json), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("no \"%s\" in:\n%s", part, text);
}

static void test_parse_syn(void **state)
{
	struct fw_explain_query q;

	(void)state;
	assert_int_equal(fw_explain_parse("198.18.0.1", "22/syn", &q), 0);
	assert_int_equal(q.pkt.proto, FW_PROTO_TCP);
	assert_int_equal(q.pkt.dport, 22);
	assert_true(q.pkt.tcp_syn);
	assert_int_equal(fw_explain_parse("2001:2::1", "443/syn", &q), 0);
	assert_true(q.pkt.tcp_syn && q.ipv6);
	assert_int_equal(fw_explain_parse("198.18.0.1", "22/tcp", &q), 0);
	assert_false(q.pkt.tcp_syn);
	assert_int_equal(fw_explain_parse("198.18.0.1", "syn", &q), -EINVAL);
	assert_int_equal(fw_explain_parse("198.18.0.1", "22/SYN", &q), -EINVAL);
	assert_int_equal(fw_explain_parse("198.18.0.1", "0/syn", &q), -EINVAL);
}

static void test_syn_rule_and_its_limit(void **state)
{
	struct fw_explain_answer a;
	char *text;

	(void)state;
	explain("198.18.0.5", "22/syn", &a);
	assert_true(a.by_rule);
	assert_string_equal(a.rule, "ssh-syn-flood");
	assert_int_equal(a.step, 5);
	assert_int_equal(a.reason, FW_STAT_PASS_RULE);
	assert_true(a.has_limit && a.limit_now);
	assert_int_equal(a.limit.interval, 50 * MS);
	assert_int_equal(a.limit.burst, 40);
	explain("198.18.0.5", "22/tcp", &a);
	assert_string_equal(a.rule, "ssh");
	assert_false(a.has_limit);

	text = printed("198.18.0.5", "22/syn", false);
	contains(text, "packet   from 198.18.0.5, to port 22/tcp SYN\n");
	contains(text, "verdict  pass\n");
	contains(text, "rule     ssh-syn-flood\n");
	contains(text, "limit    20/s burst 40 per source, ban 10m: a packet now is within it, "
		       "and passes\n");
	free(text);
}

/* A source's bucket as the datapath leaves it after a burst: full for the next hour. */
static void fill_bucket(uint32_t rule, const char *src)
{
	struct fw_limit_key key = { .rule = rule };
	uint64_t tat = fw_bans_clock(datapath()) + 3600 * S;

	pkt_addr(src, (uint8_t *)key.src);
	assert_int_equal(bpf_map_update_elem(datapath()->limit_buckets_fd, &key, &tat, BPF_ANY), 0);
}

static void test_over_the_limit(void **state)
{
	uint32_t id = rules.rules[WEB_CAP].id;
	struct fw_explain_answer a;
	struct fw_limit_value v;
	struct json_object *doc, *field;
	char *text;

	(void)state;
	fill_bucket(rules.rules[SSH_SYN].id, "198.18.0.9");
	explain("198.18.0.9", "22/syn", &a);
	assert_int_equal(a.reason, FW_STAT_DROP_LIMIT);
	assert_string_equal(a.rule, "ssh-syn-flood");
	explain("198.18.0.10", "22/syn", &a); /* another source: its own bucket */
	assert_int_equal(a.reason, FW_STAT_PASS_RULE);
	text = printed("198.18.0.9", "22/syn", false);
	contains(text, "verdict  drop\n");
	contains(text, "a packet now is over it: it drops, and its source is banned\n");
	free(text);

	explain("2001:2::80", "80/tcp", &a); /* per rule: one bucket for every source */
	assert_int_equal(a.reason, FW_STAT_PASS_RULE);
	assert_int_equal(bpf_map_lookup_elem(datapath()->limits_fd, &id, &v), 0);
	v.tat = fw_bans_clock(datapath()) + 2 * 3600 * S; /* both packets of the burst taken */
	assert_int_equal(bpf_map_update_elem(datapath()->limits_fd, &id, &v, BPF_EXIST), 0);
	explain("198.18.0.5", "80/tcp", &a);
	assert_int_equal(a.reason, FW_STAT_DROP_LIMIT);

	text = printed("198.18.0.5", "80", true);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "limit", &field));
	assert_string_equal(json_object_get_string(json_object_object_get(field, "rate")), "1/h");
	assert_int_equal(json_object_get_int(json_object_object_get(field, "burst")), 2);
	assert_string_equal(json_object_get_string(json_object_object_get(field, "per")), "rule");
	assert_true(json_object_object_get_ex(doc, "ban_for", &field));
	assert_null(field);
	assert_false(json_object_get_boolean(json_object_object_get(doc, "within_limit")));
	assert_string_equal(json_object_get_string(json_object_object_get(doc, "reason")),
			    "drop_limit");
	json_object_put(doc);
	free(text);
	v.tat = 0;
	assert_int_equal(bpf_map_update_elem(datapath()->limits_fd, &id, &v, BPF_EXIST), 0);
}

static uint32_t origin(const char *name)
{
	uint32_t index;

	assert_int_equal(fw_bans_origin(datapath(), name, &index), 0);
	return index;
}

/* A ban straight into the maps, as the datapath or `xdpfw ban` would leave it. */
static void ban(const char *prefix, int64_t expires_in, uint32_t why)
{
	uint64_t now = fw_bans_clock(datapath());
	struct fw_ban_value v = { .expires = expires_in ? now + (uint64_t)expires_in : 0,
				  .since = now - 5 * S, .origin = why };
	struct fw_prefix p;
	bool v4;
	uint32_t bit;
	int fd;

	assert_int_equal(fw_prefix_parse(prefix, strlen(prefix), &p), FW_PREFIX_OK);
	v4 = fw_prefix_is_v4(&p);
	if (p.len == 128) {
		fd = v4 ? datapath()->bans4_fd : datapath()->bans6_fd;
		bit = v4 ? FW_BANS_EXACT4 : FW_BANS_EXACT6;
		assert_int_equal(bpf_map_update_elem(fd, v4 ? p.addr + 12 : p.addr, &v, BPF_ANY), 0);
	} else {
		struct fw_ban_prefix6_key key = { .prefixlen = v4 ? p.len - 96u : p.len };

		memcpy(key.addr, v4 ? p.addr + 12 : p.addr, v4 ? 4 : 16);
		fd = v4 ? datapath()->ban_prefix4_fd : datapath()->ban_prefix6_fd;
		bit = v4 ? FW_BANS_PREFIX4 : FW_BANS_PREFIX6;
		assert_int_equal(bpf_map_update_elem(fd, &key, &v, BPF_ANY), 0);
	}
	datapath()->params[FW_PARAM_BANS] |= bit;
}

static void test_banned(void **state)
{
	uint32_t limit_origin = origin("limit:ssh-syn-flood"), f2b = origin("sshd");
	struct fw_explain_answer a;
	char prefix[FW_PREFIX_TEXT_MAX], *text;
	struct json_object *doc, *field;

	(void)state;
	ban("198.18.7.7", 600 * S, limit_origin);
	explain("198.18.7.7", "22/syn", &a);
	assert_true(a.banned);
	assert_false(a.by_rule);
	assert_int_equal(a.reason, FW_STAT_DROP_BAN);
	assert_int_equal(a.step, 0);
	assert_string_equal(fw_prefix_format(&a.prefix, prefix), "198.18.7.7");
	assert_string_equal(a.ban_origin, "limit:ssh-syn-flood");
	assert_true(a.ban_expires_in > 590 * S && a.ban_expires_in <= 600 * S);
	assert_true(a.ban_age >= 5 * S && a.ban_age < 15 * S);
	text = printed("198.18.7.7", "22/syn", false);
	contains(text, "verdict  drop\n");
	contains(text, "rule     ban (origin limit:ssh-syn-flood, expires in 9m5");
	contains(text, "; banned 5s ago)\n");
	contains(text, "step     a ban, before every rule\n");
	contains(text, "matched  198.18.7.7, banned\n");
	free(text);

	/* Expired: the rules decide again, and a prefix ban around it is read past it. */
	ban("198.18.7.7", -1 * (int64_t)S, limit_origin);
	explain("198.18.7.7", "22/tcp", &a);
	assert_false(a.banned);
	assert_string_equal(a.rule, "host");
	ban("198.18.0.0/16", 0, FW_BAN_ORIGIN_MANUAL);
	ban("198.18.7.0/24", 3600 * S, f2b);
	explain("198.18.7.7", "22/tcp", &a);
	assert_true(a.banned);
	assert_string_equal(fw_prefix_format(&a.prefix, prefix), "198.18.7.0/24");
	assert_string_equal(a.ban_origin, "sshd");
	explain("198.18.9.1", "icmp", &a);
	assert_string_equal(fw_prefix_format(&a.prefix, prefix), "198.18.0.0/16");
	assert_string_equal(a.ban_origin, "manual");
	assert_int_equal(a.ban_expires_in, 0);
	text = printed("198.18.9.1", NULL, true);
	doc = json_tokener_parse(text);
	assert_non_null(doc);
	assert_string_equal(json_object_get_string(json_object_object_get(doc, "decided_by")), "ban");
	assert_string_equal(json_object_get_string(json_object_object_get(doc, "rule")), "ban");
	assert_string_equal(json_object_get_string(json_object_object_get(doc, "reason")),
			    "drop_ban");
	assert_true(json_object_object_get_ex(doc, "ban", &field));
	assert_string_equal(json_object_get_string(json_object_object_get(field, "prefix")),
			    "198.18.0.0/16");
	assert_string_equal(json_object_get_string(json_object_object_get(field, "origin")),
			    "manual");
	assert_null(json_object_object_get(field, "expires_in"));
	json_object_put(doc);
	free(text);
	text = printed("198.18.9.1", NULL, false);
	contains(text, "rule     ban (origin manual, until unbanned; banned 5s ago)\n");
	free(text);

	/* IPv6, and a v4-mapped source looked up as IPv4. */
	ban("2001:2:0:66::/64", 60 * S, f2b);
	explain("2001:2:0:66::1", "443/syn", &a);
	assert_true(a.banned);
	assert_string_equal(fw_prefix_format(&a.prefix, prefix), "2001:2:0:66::/64");
	explain("2001:2:0:67::1", "443/syn", &a);
	assert_false(a.banned);
	explain("::ffff:198.18.7.1", "icmpv6", &a);
	assert_true(a.banned);
	assert_string_equal(fw_prefix_format(&a.prefix, prefix), "198.18.7.0/24");
	explain("198.19.0.1", "22/syn", &a);
	assert_false(a.banned);
	assert_string_equal(a.rule, "ssh-syn-flood");
}

static const char limit_config[] =
	"interfaces:\n"
	"  - name: eth0\n"
	"rules:\n"
	"  - name: ssh-syn-flood\n"
	"    port: 22\n"
	"    proto: tcp\n"
	"    tcp_flags: syn\n"
	"    limit: {rate: 20/s, burst: 40, per: source}\n"
	"    ban_for: 10m\n"
	"  - name: ssh\n"
	"    port: 22\n"
	"    proto: tcp\n"
	"    action: pass\n";

static void test_from_a_config(void **state)
{
	struct conf_dir dir;
	const char *path;
	struct fw_explain_query q;
	struct fw_explain_answer a;
	char *text = NULL;
	size_t len;
	FILE *out;

	(void)state;
	conf_dir_init(&dir);
	path = conf_dir_write(&dir, "xdpfw.yaml", limit_config);
	assert_int_equal(fw_explain_parse("198.18.0.5", "22/syn", &q), 0);
	assert_int_equal(fw_explain_config(path, &q, &a), 0);
	assert_string_equal(a.rule, "ssh-syn-flood");
	assert_int_equal(a.rule_line, 4);
	assert_int_equal(a.step, 5);
	assert_true(a.has_limit);
	assert_false(a.limit_now);
	assert_int_equal(a.reason, FW_STAT_PASS_RULE);
	out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(fw_explain_print(out, &q, &a, false), 0);
	assert_int_equal(fclose(out), 0);
	contains(text, "rule     ssh-syn-flood (line 4)\n");
	contains(text, "limit    20/s burst 40 per source, ban 10m: packets within it pass, the "
		       "excess drops\n");
	free(text);
	assert_int_equal(fw_explain_parse("198.18.0.5", "22", &q), 0);
	assert_int_equal(fw_explain_config(path, &q, &a), 0);
	assert_string_equal(a.rule, "ssh");
	assert_false(a.has_limit);
	conf_dir_free(&dir);
}

static void test_limit_words(void **state)
{
	static const struct {
		struct fw_rule_limit limit;
		const char *text;
	} cases[] = {
		{ { 50 * MS, 40, true, 600 * S }, "20/s burst 40 per source, ban 10m" },
		{ { 100 * MS, 5, true, 0 }, "10/s burst 5 per source" },
		{ { 333333334, 1, false, 7200 * S }, "3/s burst 1 per rule, ban 2h" },
		{ { 6 * S, 10, true, 5400 * S }, "10/m burst 10 per source, ban 1h30m" },
		{ { 3600 * S, 2, false, 7 * 86400 * S }, "1/h burst 2 per rule, ban 7d" },
		{ { 1, 1u << 30, true, 30 * S }, "1000000000/s burst 1073741824 per source, ban 30s" },
		{ { 7003891051, 3, true, 0 }, "514/h burst 3 per source" },
		{ { 7 * S, 1, false, 1500 * MS }, "0.143/s burst 1 per rule, ban 1s500ms" },
	};
	char text[FW_LIMIT_TEXT_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(fw_limit_text(text, sizeof(text), &cases[i].limit),
				    cases[i].text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_syn),
		cmocka_unit_test(test_syn_rule_and_its_limit),
		cmocka_unit_test(test_over_the_limit),
		cmocka_unit_test(test_banned),
		cmocka_unit_test(test_from_a_config),
		cmocka_unit_test(test_limit_words),
	};

	return cmocka_run_group_tests(tests, rules_up, rules_down);
}
