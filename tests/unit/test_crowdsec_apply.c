// SPDX-License-Identifier: GPL-2.0
/*
 * A decision stream put in force on real ban maps: bans grouped per
 * scenario and duration, deltas lifting only what CrowdSec banned, and the
 * whole set lifting the CrowdSec bans it no longer holds.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bans.h"
#include "crowdsec.h"
#include "crowdsec_json.h"
#include "prefix.h"
#include "prefix_text.h"

#define CAPACITY 64
#define MAX_BANS 4096
#define SEC 1000000000ull

static int setup(void **state)
{
	struct fw_room room = fw_room_for_capacity(CAPACITY);
	struct fw_datapath *dp = calloc(1, sizeof(*dp));
	int err = dp ? fw_datapath_load_over(dp, CAPACITY, &room, MAX_BANS, NULL) : -ENOMEM;

	if (err) {
		free(dp);
		fail_msg("loading the XDP program failed: %s", strerror(-err));
	}
	*state = dp;
	return 0;
}

static int teardown(void **state)
{
	fw_datapath_close(*state);
	free(*state);
	return 0;
}

static void ban(const struct fw_datapath *dp, const char *text, const char *origin)
{
	struct fw_prefix p = pfx(text);

	assert_int_equal(fw_bans_add(dp, &p, 1, 0, origin), 0);
}

/* The origin of text's ban; "" when it is not banned. */
static const char *origin_of(const struct fw_datapath *dp, const char *text)
{
	static char origin[FW_RULE_NAME_MAX];
	struct fw_prefix want = pfx(text);
	struct fw_ban *bans;
	size_t count;

	origin[0] = '\0';
	assert_int_equal(fw_bans_list(dp, &bans, &count), 0);
	for (size_t i = 0; i < count; i++)
		if (!memcmp(&bans[i].prefix, &want, sizeof(want)))
			strcpy(origin, bans[i].origin);
	free(bans);
	return origin;
}

static void parse(const char *json, struct fw_cs_stream *s)
{
	char err[256] = "";

	if (fw_cs_stream_parse(json, strlen(json), s, err, sizeof(err)))
		fail_msg("parse failed: %s", err);
}

static void test_delta_lifts_only_crowdsec_bans(void **state)
{
	const struct fw_datapath *dp = *state;
	struct fw_cs_applied done;
	struct fw_cs_stream s;

	ban(dp, "198.18.0.1", "crowdsec:ssh-bf");
	ban(dp, "198.18.0.2", "by-hand");
	ban(dp, "198.18.5.0/24", "crowdsec:lists");
	parse("{\"deleted\":[" CS_GONE("Ip", "198.18.0.1") "," CS_GONE("Ip", "198.18.0.2") ","
	      CS_GONE("Range", "198.18.5.0/24") "," CS_GONE("Ip", "198.18.0.9") "],\"new\":["
	      CS_BAN("4h", "http-probing", "Ip", "2001:2::1") "]}", &s);
	assert_int_equal(fw_cs_apply_dp(dp, &s, false, &done), 0);
	assert_int_equal(done.banned, 1);
	assert_int_equal(done.unbanned, 2); /* not by-hand's, and 198.18.0.9 was not there */
	assert_string_equal(origin_of(dp, "198.18.0.1"), "");
	assert_string_equal(origin_of(dp, "198.18.5.0/24"), "");
	assert_string_equal(origin_of(dp, "198.18.0.2"), "by-hand");
	assert_string_equal(origin_of(dp, "2001:2::1"), "crowdsec:http-probing");
	fw_cs_stream_free(&s);
}

static void test_whole_set_reconciles(void **state)
{
	const struct fw_datapath *dp = *state;
	struct fw_cs_applied done;
	struct fw_cs_stream s;

	ban(dp, "198.18.1.1", "crowdsec:ssh-bf");     /* in the set: renewed, new scenario */
	ban(dp, "198.18.1.2", "crowdsec:ssh-bf");     /* not in it any more: lifted */
	ban(dp, "198.18.1.3", "manual");              /* not CrowdSec's: stays */
	ban(dp, "198.18.1.4", "limit:ssh-syn-flood"); /* the same */
	parse("{\"deleted\":null,\"new\":[" CS_BAN("1h", "http-bf", "Ip", "198.18.1.1") ","
	      CS_BAN("1h", "http-bf", "Ip", "198.18.1.5") "]}", &s);
	assert_int_equal(fw_cs_apply_dp(dp, &s, true, &done), 0);
	assert_int_equal(done.banned, 2);
	assert_int_equal(done.unbanned, 1);
	assert_int_equal(done.calls, 1);
	assert_string_equal(origin_of(dp, "198.18.1.1"), "crowdsec:http-bf");
	assert_string_equal(origin_of(dp, "198.18.1.2"), "");
	assert_string_equal(origin_of(dp, "198.18.1.3"), "manual");
	assert_string_equal(origin_of(dp, "198.18.1.4"), "limit:ssh-syn-flood");
	assert_string_equal(origin_of(dp, "198.18.1.5"), "crowdsec:http-bf");
	fw_cs_stream_free(&s);

	/* An empty whole set lifts every CrowdSec ban, and only those. */
	parse("{\"deleted\":null,\"new\":null}", &s);
	assert_int_equal(fw_cs_apply_dp(dp, &s, true, &done), 0);
	assert_int_equal(done.unbanned, 2);
	assert_string_equal(origin_of(dp, "198.18.1.3"), "manual");
	assert_string_equal(origin_of(dp, "198.18.1.1"), "");
	fw_cs_stream_free(&s);
}

/* One fw_bans_add() per scenario and second, each ban with its own duration. */
static void test_bans_are_grouped(void **state)
{
	const struct fw_datapath *dp = *state;
	static const char *const durations[] = { "59m59.2s", "1h", "2h", "1h59m59.9s" };
	const uint64_t steps[] = { 3712 * SEC, 3712 * SEC, 7424 * SEC, 7424 * SEC };
	static const char *const scenarios[] = { "a", "b" };
	struct fw_cs_applied done;
	struct fw_cs_stream s;
	struct fw_ban *bans;
	size_t count, n = 0;
	uint64_t now = fw_bans_clock(dp);
	char *json = malloc(64 * 1024), *at = json;

	at += sprintf(at, "{\"new\":[");
	for (int i = 0; i < 200; i++)
		at += sprintf(at, "%s{\"duration\":\"%s\",\"scenario\":\"%s\",\"scope\":\"Ip\","
			      "\"type\":\"ban\",\"value\":\"198.18.%d.%d\"}", i ? "," : "",
			      durations[i % 4], scenarios[i / 100], 10 + i / 100, i % 100);
	sprintf(at, "]}");
	parse(json, &s);
	assert_int_equal(fw_cs_apply_dp(dp, &s, false, &done), 0);
	assert_int_equal(done.banned, 200);
	assert_int_equal(done.calls, 4); /* {a, b} x {1h, 2h}: 59m59.2s and 1h share a step */
	assert_int_equal(fw_bans_list(dp, &bans, &count), 0);
	for (size_t i = 0; i < count; i++) {
		unsigned int x, y;
		uint64_t left = bans[i].expires - now;

		if (!strncmp(bans[i].origin, "crowdsec:", 9) &&
		    sscanf(fw_prefix_format(&bans[i].prefix, (char[FW_PREFIX_TEXT_MAX]){ 0 }),
			   "198.18.%u.%u", &x, &y) == 2 && x >= 10) {
			assert_in_range(left, steps[y % 4], steps[y % 4] + SEC);
			assert_string_equal(bans[i].origin, x == 10 ? "crowdsec:a" : "crowdsec:b");
			n++;
		}
	}
	assert_int_equal(n, 200);
	free(bans);
	free(json);
	fw_cs_stream_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_delta_lifts_only_crowdsec_bans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_set_reconciles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bans_are_grouped, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
