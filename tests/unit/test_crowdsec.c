// SPDX-License-Identifier: GPL-2.0
/* The CrowdSec bouncer's reading of the decision stream and of Go durations; no network. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "crowdsec.h"
#include "crowdsec_json.h"
#include "prefix.h"

#define S 1000000000LL

static int64_t duration(const char *text)
{
	int64_t ns = -12345;

	assert_int_equal(fw_go_duration_parse(text, &ns), 0);
	return ns;
}

static void test_go_durations(void **state)
{
	(void)state;
	assert_int_equal(duration("3h59m58.1s"), 3 * 3600 * S + 59 * 60 * S + 58 * S + S / 10);
	assert_int_equal(duration("59m59.140463235s"), 59 * 60 * S + 59 * S + 140463235);
	assert_int_equal(duration("1.5h"), 5400 * S);
	assert_int_equal(duration("300ms"), 300000000);
	assert_int_equal(duration("-53.183481ms"), -53183481);
	assert_int_equal(duration("250us"), 250000);
	assert_int_equal(duration("250\xc2\xb5s"), 250000); /* µ, the micro sign */
	assert_int_equal(duration("250\xce\xbcs"), 250000); /* μ, Greek mu */
	assert_int_equal(duration("1h2m3s4ms5us6ns"), 3723004005006);
	assert_int_equal(duration("0"), 0);
	assert_int_equal(duration("-0"), 0);
	assert_int_equal(duration("+5s"), 5 * S);
	assert_int_equal(duration(".5s"), S / 2);
	assert_int_equal(duration("5.s"), 5 * S);
	assert_int_equal(duration("0.0000000015s"), 1); /* past ns precision: cut */
	assert_int_equal(duration("1.00000000000000000000001s"), S);
	assert_int_equal(duration("9223372036854775807ns"), INT64_MAX);
	assert_int_equal(duration("-9223372036854775808ns"), INT64_MIN);
	assert_int_equal(duration("2562047h47m16.854775807s"), INT64_MAX);
}

static void test_go_duration_errors(void **state)
{
	static const char *const bad[] = { "", "5", "1x", "s", "-", "+", ".s", "1.2.3s",
					   "h1", "1h ", " 1h", "1 h", "1hh", "0s0", "1e3s" };
	int64_t ns = 7;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (fw_go_duration_parse(bad[i], &ns) != -EINVAL)
			fail_msg("'%s' should be a syntax error", bad[i]);
	}
	assert_int_equal(fw_go_duration_parse("2562048h", &ns), -ERANGE);
	assert_int_equal(fw_go_duration_parse("9223372036854775808ns", &ns), -ERANGE);
	assert_int_equal(fw_go_duration_parse("-9223372036854775809ns", &ns), -ERANGE);
	assert_int_equal(fw_go_duration_parse("99999999999999999999999h", &ns), -ERANGE);
	assert_int_equal(ns, 7); /* untouched on error */
}

static void test_duration_steps(void **state)
{
	uint64_t last = 0;
	size_t steps = 0;

	(void)state;
	assert_int_equal(fw_cs_duration_step(1), S);
	assert_int_equal(fw_cs_duration_step(S), S);
	assert_int_equal(fw_cs_duration_step(S + 1), 2 * S);
	assert_int_equal(fw_cs_duration_step(31 * S), 31 * S);
	assert_int_equal(fw_cs_duration_step(33 * S), 34 * S);
	assert_int_equal(fw_cs_duration_step(3600 * S), 3712 * S);
	assert_int_equal(fw_cs_duration_step(7 * 86400 * S), 622592 * S); /* step 32768 s */
	/* Never shorter, never 1/16 longer; 16 steps per doubling, not one per second. */
	for (int64_t sec = 1; sec <= 4 * 3600; sec++) {
		uint64_t got = fw_cs_duration_step(sec * S - S / 3);

		assert_true(got >= (uint64_t)(sec * S - S / 3));
		assert_true(got - (uint64_t)(sec * S - S / 3) < (sec < 32 ? S : (uint64_t)sec * S / 16));
		if (got != last)
			steps++;
		last = got;
	}
	assert_in_range(steps, 150, 200);
}

static void parse(const char *json, struct fw_cs_stream *s)
{
	char err[256] = "";
	int ret = fw_cs_stream_parse(json, strlen(json), s, err, sizeof(err));

	if (ret)
		fail_msg("parse failed (%d): %s", ret, err);
}

static const char *text(const struct fw_prefix *p)
{
	static char buf[4][FW_PREFIX_TEXT_MAX];
	static int i;

	return fw_prefix_format(p, buf[i++ % 4]);
}

/* What `cscli decisions add` made on a real Local API 1.4.6, answered to startup=true. */
static const char real_startup[] =
	"{\"deleted\":null,\"new\":["
	"{\"duration\":\"9.140470055s\",\"id\":3,\"origin\":\"cscli\","
	"\"scenario\":\"manual 'ban' from 'tester'\",\"scope\":\"Ip\",\"type\":\"ban\","
	"\"value\":\"2001:2::5\"},"
	"{\"duration\":\"29m59.14046665s\",\"id\":2,\"origin\":\"cscli\",\"scenario\":\"hello\","
	"\"scope\":\"Range\",\"type\":\"ban\",\"value\":\"198.18.9.0/24\"},"
	"{\"duration\":\"59m59.140463235s\",\"id\":1,\"origin\":\"cscli\","
	"\"scenario\":\"manual 'ban' from 'tester'\",\"scope\":\"Ip\",\"type\":\"ban\","
	"\"value\":\"198.18.7.7\"},"
	"{\"duration\":\"3h59m59.140462514s\",\"id\":4,\"origin\":\"cscli\","
	"\"scenario\":\"manual 'captcha' from 'tester'\",\"scope\":\"Ip\",\"type\":\"captcha\","
	"\"value\":\"198.18.7.8\"}]}";

static void test_stream_from_a_real_lapi(void **state)
{
	struct fw_cs_stream s;

	(void)state;
	parse(real_startup, &s);
	assert_int_equal(s.ban_count, 3);
	assert_int_equal(s.unban_count, 0);
	assert_int_equal(s.ignored, 1); /* the captcha */
	assert_string_equal(s.ignored_example, "type captcha, scope Ip");
	assert_int_equal(s.invalid, 0);
	/* Sorted by prefix: IPv4 (v4-mapped, ::ffff:...) before 2001:2::5. */
	assert_string_equal(text(&s.bans[0].prefix), "198.18.7.7");
	assert_int_equal(s.bans[0].duration, 3712 * S); /* 59m59.14s up to a step of 128 s */
	assert_string_equal(s.bans[0].origin, "crowdsec:manual 'ban' from 'tester'");
	assert_string_equal(text(&s.bans[1].prefix), "198.18.9.0/24");
	assert_int_equal(s.bans[1].duration, 1856 * S); /* 29m59.14s, step 64 s */
	assert_string_equal(s.bans[1].origin, "crowdsec:hello");
	assert_string_equal(text(&s.bans[2].prefix), "2001:2::5");
	assert_int_equal(s.bans[2].duration, 10 * S); /* 9.14s: whole seconds below 32 s */
	fw_cs_stream_free(&s);
}

static void test_stream_nothing_new(void **state)
{
	struct fw_cs_stream s;

	(void)state;
	parse("{\"deleted\":null,\"new\":null}", &s);
	assert_int_equal(s.ban_count + s.unban_count + s.ignored + s.invalid, 0);
	fw_cs_stream_free(&s);
	parse("{}", &s);
	assert_int_equal(s.ban_count + s.unban_count, 0);
	fw_cs_stream_free(&s);
	parse("{\"new\":[],\"deleted\":[]}\n", &s);
	assert_int_equal(s.ban_count + s.unban_count, 0);
	fw_cs_stream_free(&s);
}

static void test_stream_deletions(void **state)
{
	struct fw_cs_stream s;

	(void)state;
	/* Also what a real Local API sent: an expired and a deleted decision. */
	parse("{\"deleted\":[{\"duration\":\"-1.389959305s\",\"id\":3,\"origin\":\"cscli\","
	      "\"scenario\":\"x\",\"scope\":\"Ip\",\"type\":\"ban\",\"value\":\"2001:2::5\"},"
	      "{\"duration\":\"-15.143824ms\",\"id\":5,\"origin\":\"cscli\",\"scenario\":\"second\","
	      "\"scope\":\"Ip\",\"type\":\"ban\",\"value\":\"198.18.7.7\"},"
	      "{\"duration\":\"-1s\",\"scope\":\"Range\",\"type\":\"ban\",\"value\":\"198.18.9.0/24\"},"
	      "{\"duration\":\"-1s\",\"scope\":\"Country\",\"type\":\"ban\",\"value\":\"FR\"}],"
	      "\"new\":null}", &s);
	assert_int_equal(s.ban_count, 0);
	assert_int_equal(s.unban_count, 3);
	assert_int_equal(s.ignored, 1);
	assert_string_equal(s.ignored_example, "type ban, scope Country");
	assert_string_equal(text(&s.unbans[0]), "2001:2::5");
	assert_string_equal(text(&s.unbans[1]), "198.18.7.7");
	assert_string_equal(text(&s.unbans[2]), "198.18.9.0/24");
	fw_cs_stream_free(&s);
}

/* A value deleted and banned again in one answer stays banned; one ban per value, the longest. */
static void test_stream_rebanned_and_duplicates(void **state)
{
	struct fw_cs_stream s;

	(void)state;
	parse("{\"deleted\":[" CS_GONE("Ip", "198.18.7.7") ","
	      "{\"scope\":\"ip\",\"type\":\"BAN\",\"value\":\"198.18.7.9\"}],\"new\":["
	      CS_BAN("1h", "a", "Ip", "198.18.7.7") "," CS_BAN("4h", "b", "Ip", "198.18.7.7") ","
	      CS_BAN("2h", "c", "Ip", "198.18.7.7") "]}", &s);
	assert_int_equal(s.ban_count, 1);
	assert_int_equal(s.bans[0].duration, 14848 * S); /* 4h, step 512 s */
	assert_string_equal(s.bans[0].origin, "crowdsec:b");
	assert_int_equal(s.unban_count, 1); /* scope and type match in any case */
	assert_string_equal(text(&s.unbans[0]), "198.18.7.9");
	fw_cs_stream_free(&s);
}

static void test_stream_odd_decisions(void **state)
{
	struct fw_cs_stream s;

	(void)state;
	parse("{\"new\":["
	      /* expired on the way: no ban, and no 0 duration (which would mean forever) */
	      CS_BAN("-3ms", "a", "Ip", "198.18.1.1") "," CS_BAN("0s", "a", "Ip", "198.18.1.2") ","
	      /* 1 ns left still bans, for a whole second */
	      CS_BAN("1ns", "a", "Ip", "198.18.1.3") ","
	      /* host bits: the Local API normalises ranges; one that is not is masked */
	      CS_BAN("1m", "a", "Range", "198.18.2.7/24") ","
	      /* no scenario: the decision's origin names it */
	      "{\"duration\":\"1m\",\"origin\":\"CAPI\",\"scope\":\"Ip\",\"type\":\"ban\","
	      "\"value\":\"2001:2::9\"},"
	      /* what xdpfw cannot read, or must not ban */
	      CS_BAN("1m", "a", "Ip", "not-an-ip") "," CS_BAN("1m", "a", "Range", "0.0.0.0/0") ","
	      CS_BAN("forever", "a", "Ip", "198.18.1.4") ","
	      "{\"scenario\":\"a\",\"scope\":\"Ip\",\"type\":\"ban\",\"value\":\"198.18.1.5\"},"
	      "{\"duration\":\"1m\",\"scenario\":\"a\",\"scope\":\"Ip\",\"type\":\"ban\","
	      "\"value\":42},"
	      "{\"duration\":\"1m\",\"scope\":\"Ip\",\"value\":\"198.18.1.6\"},"
	      "7"
	      "]}", &s);
	assert_int_equal(s.ban_count, 3);
	assert_string_equal(text(&s.bans[0].prefix), "198.18.1.3");
	assert_int_equal(s.bans[0].duration, S);
	assert_string_equal(text(&s.bans[1].prefix), "198.18.2.0/24");
	assert_string_equal(text(&s.bans[2].prefix), "2001:2::9");
	assert_string_equal(s.bans[2].origin, "crowdsec:CAPI");
	assert_int_equal(s.ignored, 4); /* two expired, one without a type, the 7 */
	assert_int_equal(s.invalid, 5);
	assert_string_equal(s.invalid_example, "Ip 'not-an-ip'");
	fw_cs_stream_free(&s);

	parse("{\"new\":[" CS_BAN("1m", "a", "Range", "::/0") "]}", &s);
	assert_int_equal(s.ban_count, 0);
	assert_string_equal(s.invalid_example, "Range '::/0' would ban every address");
	fw_cs_stream_free(&s);
}

/* origin for a scenario, as parsed from a decision */
/* The origin a ban of scenario gets: "crowdsec:" and a prefix of it. */
static void expect_origin(const char *scenario, const char *want)
{
	char json[512];
	struct fw_cs_stream s;

	snprintf(json, sizeof(json), "{\"new\":[" CS_BAN("1m", "%s", "Ip", "198.18.0.1") "]}",
		 scenario);
	parse(json, &s);
	assert_int_equal(s.ban_count, 1);
	assert_string_equal(s.bans[0].origin, want);
	fw_cs_stream_free(&s);
}

/* 51 bytes; "crowdsec:" and 54 bytes fill an origin. */
#define A51 "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeef"

static void test_origin_is_cut_to_fit(void **state)
{
	(void)state;
	/* 53 bytes leave one byte: half an é goes. */
	expect_origin("xy" A51 "\xc3\xa9zz", "crowdsec:xy" A51);
	/* 52 bytes: a whole é fits and stays. */
	expect_origin("x" A51 "\xc3\xa9zz", "crowdsec:x" A51 "\xc3\xa9");
	/* 51 bytes and a 4-byte emoji: 3 of its bytes fit, so none stays. */
	expect_origin(A51 "\xf0\x9f\x9b\xa1z", "crowdsec:" A51);
	expect_origin("a\\nb\\u0007", "crowdsec:a?b?");
}

static void expect_not_a_stream(const char *json, const char *why)
{
	struct fw_cs_stream s;
	char err[256] = "";

	assert_int_equal(fw_cs_stream_parse(json, strlen(json), &s, err, sizeof(err)), -EINVAL);
	if (!strstr(err, why))
		fail_msg("'%s': error '%s' does not say '%s'", json, err, why);
	assert_null(s.bans);
	assert_null(s.unbans);
}

static void test_not_a_stream(void **state)
{
	(void)state;
	expect_not_a_stream("", "not JSON");
	expect_not_a_stream("{\"new\":[", "not JSON");
	expect_not_a_stream("{\"new\":[]} x", "not JSON");
	expect_not_a_stream("<html>502 Bad Gateway</html>", "not JSON");
	expect_not_a_stream("[]", "not a JSON object");
	expect_not_a_stream("{\"new\":{}}", "\"new\" is not an array");
	expect_not_a_stream("{\"deleted\":\"x\"}", "\"deleted\" is not an array");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_go_durations),
		cmocka_unit_test(test_go_duration_errors),
		cmocka_unit_test(test_duration_steps),
		cmocka_unit_test(test_stream_from_a_real_lapi),
		cmocka_unit_test(test_stream_nothing_new),
		cmocka_unit_test(test_stream_deletions),
		cmocka_unit_test(test_stream_rebanned_and_duplicates),
		cmocka_unit_test(test_stream_odd_decisions),
		cmocka_unit_test(test_origin_is_cut_to_fit),
		cmocka_unit_test(test_not_a_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
