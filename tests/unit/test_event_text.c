// SPDX-License-Identifier: GPL-2.0
/*
 * An event in words, over real pinned maps put in force as `apply` does:
 * each kind of event as a text line and as JSON (rule or ban origin,
 * action, reason, interface, addresses, ports, protocol, length, time),
 * and rule names that stay right when reloads rename rules and hand their
 * ids to others, also when a reload replaces the maps, with nobody telling
 * the names to look again.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "apply.h"
#include "bans.h"
#include "conf_dir.h"
#include "event_text.h"
#include "pin.h"
#include "state.h"

static char pin_dir[64];
static struct conf_dir confs;

/* Rules named after the reload they come from; beta keeps its id throughout. */
#define RULES(first, max_rules) \
	"settings:\n  max_rules: " #max_rules "\nrules:\n" \
	"  - name: " first "\n    port: 22\n    proto: tcp\n    action: drop\n" \
	"  - name: beta\n    src: 198.18.0.0/15\n    port: 80\n    proto: tcp\n    action: pass\n"

static void enforce(const char *name, const char *yaml)
{
	assert_int_equal(fw_config_enforce(pin_dir, conf_dir_write(&confs, name, yaml), NULL), 0);
}

/* The id the maps in force give the rule named name; -1 if none has it. */
static int64_t id_of(const char *name)
{
	struct fw_state st;
	uint32_t word = 0;
	int64_t found = -1;

	assert_int_equal(fw_state_peek(&st, pin_dir), 0);
	assert_int_equal(fw_param_read(&st.dp, FW_PARAM_ACTIVE, &word), 0);
	for (uint32_t id = 0; id < fw_datapath_ids(&st.dp) && found < 0; id++) {
		const struct fw_rule_info *info = &st.dp.rule_infos[id];

		if ((info->sets & (1u << (word & FW_ACTIVE_SET))) && !strcmp(info->name, name))
			found = id;
	}
	fw_state_close(&st);
	return found;
}

static int setup(void **state)
{
	(void)state;
	snprintf(pin_dir, sizeof(pin_dir), "/sys/fs/bpf/xdpfw-test-event-text-%d", (int)getpid());
	conf_dir_init(&confs);
	enforce("a.yaml", RULES("alpha", 64));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fw_pin_remove_all(pin_dir);
	conf_dir_free(&confs);
	return 0;
}

static uint64_t datapath_now(void)
{
	struct fw_state st;
	uint64_t now;

	assert_int_equal(fw_state_peek(&st, pin_dir), 0);
	now = fw_bans_clock(&st.dp);
	fw_state_close(&st);
	return now;
}

static struct fw_event event4(uint32_t rule, uint8_t reason, uint8_t ipproto, uint16_t sport,
			      uint16_t dport)
{
	struct fw_event ev = { .time = datapath_now(), .rule = rule, .ifindex = 1, .len = 74,
			       .sport = sport, .dport = dport, .reason = reason,
			       .ipproto = ipproto };

	inet_pton(AF_INET, "198.18.1.2", ev.src);
	inet_pton(AF_INET, "198.18.1.1", ev.dst);
	return ev;
}

struct described {
	struct fw_event_words words;
	char line[FW_EVENT_LINE_MAX];
	struct json_object *json; /* parsed back from its text */
};

static void describe(struct fw_event_names *names, const struct fw_event *ev,
		     struct described *out)
{
	struct json_object *obj;

	fw_event_words(names, ev, &out->words);
	fw_event_line(&out->words, false, out->line, sizeof(out->line));
	obj = fw_event_json(&out->words);
	assert_non_null(obj);
	out->json = json_tokener_parse(json_object_to_json_string(obj));
	json_object_put(obj);
	assert_non_null(out->json);
}

static const char *json_text(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		fail_msg("no \"%s\" in %s", key, json_object_to_json_string(obj));
	return v ? json_object_get_string(v) : NULL;
}

static int64_t json_int(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_int))
		fail_msg("\"%s\" is not a number in %s", key, json_object_to_json_string(obj));
	return json_object_get_int64(v);
}

static struct fw_event_names *names_open(void)
{
	struct fw_event_names *names;

	assert_int_equal(fw_event_names_open(pin_dir, &names), 0);
	return names;
}

static void rule_event_tcp4(void **state)
{
	struct fw_event_names *names = names_open();
	struct fw_event ev = event4((uint32_t)id_of("alpha"), FW_STAT_DROP_RULE, 6, 40000, 22);
	struct described d;

	(void)state;
	describe(names, &ev, &d);
	assert_string_equal(d.line, "rule=alpha action=drop reason=drop_rule interface=lo "
				    "proto=tcp src=198.18.1.2 sport=40000 dst=198.18.1.1 "
				    "dport=22 len=74");
	assert_string_equal(json_text(d.json, "rule"), "alpha");
	assert_null(json_text(d.json, "origin"));
	assert_string_equal(json_text(d.json, "action"), "drop");
	assert_string_equal(json_text(d.json, "reason"), "drop_rule");
	assert_string_equal(json_text(d.json, "interface"), "lo");
	assert_string_equal(json_text(d.json, "proto"), "tcp");
	assert_string_equal(json_text(d.json, "src"), "198.18.1.2");
	assert_string_equal(json_text(d.json, "dst"), "198.18.1.1");
	assert_int_equal(json_int(d.json, "sport"), 40000);
	assert_int_equal(json_int(d.json, "dport"), 22);
	assert_int_equal(json_int(d.json, "len"), 74);
	json_object_put(d.json);
	fw_event_names_close(names);
}

static void rule_event_udp6_pass(void **state)
{
	struct fw_event_names *names = names_open();
	struct fw_event ev = event4((uint32_t)id_of("beta"), FW_STAT_PASS_RULE, 17, 53, 5353);
	struct described d;

	(void)state;
	ev.v6 = 1;
	inet_pton(AF_INET6, "2001:2:0:1::2", ev.src);
	inet_pton(AF_INET6, "::ffff:198.18.1.1", ev.dst); /* v4-mapped stays IPv6 */
	ev.ifindex = 0x7fffffff; /* no such interface here */
	describe(names, &ev, &d);
	assert_string_equal(d.line, "rule=beta action=pass reason=pass_rule "
				    "interface=if2147483647 proto=udp src=2001:2:0:1::2 sport=53 "
				    "dst=::ffff:198.18.1.1 dport=5353 len=74");
	assert_string_equal(json_text(d.json, "action"), "pass");
	assert_string_equal(json_text(d.json, "src"), "2001:2:0:1::2");
	json_object_put(d.json);
	fw_event_names_close(names);
}

/* ICMP and later fragments have no ports: the line leaves them out, JSON says null. */
static void portless_and_unknown_protocols(void **state)
{
	struct fw_event_names *names = names_open();
	struct fw_event icmp = event4((uint32_t)id_of("alpha"), FW_STAT_DROP_RULE, 1, 0, 0);
	struct fw_event icmp6 = icmp, gre = icmp;
	struct described d;

	(void)state;
	describe(names, &icmp, &d);
	assert_string_equal(d.line, "rule=alpha action=drop reason=drop_rule interface=lo "
				    "proto=icmp src=198.18.1.2 dst=198.18.1.1 len=74");
	assert_null(json_text(d.json, "sport"));
	assert_null(json_text(d.json, "dport"));
	json_object_put(d.json);
	icmp6.ipproto = 58;
	describe(names, &icmp6, &d);
	assert_non_null(strstr(d.line, " proto=icmpv6 "));
	json_object_put(d.json);
	gre.ipproto = 47;
	describe(names, &gre, &d);
	assert_non_null(strstr(d.line, " proto=47 "));
	assert_string_equal(json_text(d.json, "proto"), "47");
	json_object_put(d.json);
	fw_event_names_close(names);
}

/* A limit's excess names its rule; an id no rule holds is said as a number. */
static void limit_and_unknown_rule(void **state)
{
	struct fw_event_names *names = names_open();
	struct fw_event limit = event4((uint32_t)id_of("alpha"), FW_STAT_DROP_LIMIT, 6, 1, 22);
	struct fw_event stale = event4(63, FW_STAT_DROP_RULE, 6, 1, 22);
	struct described d;

	(void)state;
	describe(names, &limit, &d);
	assert_non_null(strstr(d.line, "rule=alpha action=drop reason=drop_limit "));
	json_object_put(d.json);
	describe(names, &stale, &d);
	assert_non_null(strstr(d.line, "rule=#63 action=drop "));
	assert_string_equal(json_text(d.json, "rule"), "#63");
	json_object_put(d.json);
	fw_event_names_close(names);
}

/* A ban's drop names its origin, quoted in the line when it needs to be. */
static void ban_events(void **state)
{
	static const char reason[] = "ssh \"brute\" force";
	struct fw_event_names *names = names_open();
	struct fw_event manual = event4(FW_EVENT_NO_RULE, FW_STAT_DROP_BAN, 6, 40000, 22);
	struct fw_event odd = manual;
	struct described d;
	struct fw_state st;

	(void)state;
	assert_int_equal(fw_state_open(&st, pin_dir, false), 0);
	assert_int_equal(fw_bans_origin(&st.dp, reason, &odd.origin), 0);
	fw_state_close(&st);
	describe(names, &manual, &d);
	assert_string_equal(d.line, "origin=manual action=drop reason=drop_ban interface=lo "
				    "proto=tcp src=198.18.1.2 sport=40000 dst=198.18.1.1 "
				    "dport=22 len=74");
	assert_null(json_text(d.json, "rule"));
	assert_string_equal(json_text(d.json, "origin"), "manual");
	json_object_put(d.json);
	describe(names, &odd, &d);
	assert_non_null(strstr(d.line, "origin=\"ssh \\\"brute\\\" force\" action=drop "));
	assert_string_equal(json_text(d.json, "origin"), reason);
	json_object_put(d.json);
	fw_event_names_close(names);
}

/* RFC 3339 back into unix ms. */
static int64_t unix_ms(const char *text)
{
	struct tm tm = { 0 };
	unsigned int ms;
	const char *rest = strptime(text, "%Y-%m-%dT%H:%M:%S", &tm);

	assert_non_null(rest);
	assert_int_equal(sscanf(rest, ".%3uZ", &ms), 1);
	assert_int_equal(strlen(rest), 5);
	return (int64_t)timegm(&tm) * 1000 + ms;
}

static void times(void **state)
{
	struct fw_event_names *names = names_open();
	struct fw_event ev = event4((uint32_t)id_of("alpha"), FW_STAT_DROP_RULE, 6, 1, 22);
	char text[FW_RFC3339_MS_MAX], line[FW_EVENT_LINE_MAX];
	struct fw_event_words w;
	struct timespec now;
	int64_t want, got;

	(void)state;
	assert_string_equal(fw_rfc3339_ms(1700000000123456789ull, text),
			    "2023-11-14T22:13:20.123Z");
	assert_string_equal(fw_rfc3339_ms(0, text), "1970-01-01T00:00:00.000Z");
	/* 90 s before now in the datapath's clock is 90 s before now on the wall. */
	ev.time -= 90000000000ull;
	fw_event_words(names, &ev, &w);
	clock_gettime(CLOCK_REALTIME, &now);
	want = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 - 90000;
	got = unix_ms(w.time);
	if (got < want - 1000 || got > want + 10)
		fail_msg("event time %s is %lld ms off", w.time, (long long)(got - want));
	fw_event_line(&w, true, line, sizeof(line));
	assert_memory_equal(line, "time=", 5);
	assert_memory_equal(line + 5, w.time, strlen(w.time));
	fw_event_names_close(names);
}

static void assert_named(struct fw_event_names *names, int64_t id, const char *want)
{
	char buf[FW_RULE_NAME_MAX + 12];

	assert_true(id >= 0);
	assert_string_equal(fw_event_rule_name(names, (uint32_t)id, buf), want);
}

/*
 * Ids are handed out lowest free first, so renaming alpha to gamma frees
 * alpha's id, and renaming gamma to delta gives delta that same id. One
 * names object lives through it all, told nothing.
 */
static void names_follow_reloads(void **state)
{
	struct fw_event_names *names = names_open();
	int64_t alpha = id_of("alpha"), beta = id_of("beta"), gamma;
	char buf[FW_RULE_NAME_MAX + 12];

	(void)state;
	assert_named(names, alpha, "alpha");
	enforce("b.yaml", RULES("gamma", 64));
	gamma = id_of("gamma");
	assert_true(gamma != alpha);
	assert_named(names, gamma, "gamma");
	snprintf(buf, sizeof(buf), "#%lld", (long long)alpha);
	assert_named(names, alpha, buf);
	enforce("c.yaml", RULES("delta", 64));
	assert_int_equal(id_of("delta"), alpha); /* an id given to another rule */
	assert_named(names, alpha, "delta");
	assert_named(names, beta, "beta");
	/* New maps for more rules: gamma's id goes to epsilon, and delta's is free. */
	enforce("d.yaml", RULES("epsilon", 128));
	assert_int_equal(id_of("epsilon"), gamma);
	assert_named(names, gamma, "epsilon");
	snprintf(buf, sizeof(buf), "#%lld", (long long)alpha);
	assert_named(names, alpha, buf);
	assert_named(names, beta, "beta");
	fw_event_names_close(names);
}

/* Before anything is pinned, and after it is gone, numbers stand in for names. */
static void names_without_pins(void **state)
{
	struct fw_event_names *names;
	char buf[FW_RULE_NAME_MAX + 12];

	(void)state;
	assert_int_equal(fw_event_names_open("/sys/fs/bpf/xdpfw-test-event-text-none", &names), 0);
	assert_string_equal(fw_event_rule_name(names, 7, buf), "#7");
	assert_string_equal(fw_event_origin_name(names, 3, buf), "#3");
	assert_string_equal(fw_event_origin_name(names, FW_BAN_ORIGIN_MANUAL, buf), "manual");
	fw_event_names_close(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rule_event_tcp4),
		cmocka_unit_test(rule_event_udp6_pass),
		cmocka_unit_test(portless_and_unknown_protocols),
		cmocka_unit_test(limit_and_unknown_rule),
		cmocka_unit_test(ban_events),
		cmocka_unit_test(times),
		cmocka_unit_test(names_without_pins),
		cmocka_unit_test(names_follow_reloads), /* last: it renames alpha */
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
