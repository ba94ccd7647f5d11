// SPDX-License-Identifier: GPL-2.0
/*
 * List files (fw/sets.c): what a line may hold, every problem with its
 * LINE:COL and exact text, the cap on problems shown, files that cannot be
 * read, and the IPv4 shortcut against fw_prefix_parse() on many forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "sets.h"

/* Problems as "LINE:COL: message\n" lines. */
struct problems {
	FILE *f;
	char *text;
	size_t len;
};

static void collect(void *ctx, uint32_t line, uint32_t col, const char *msg)
{
	fprintf(((struct problems *)ctx)->f, "%u:%u: %s\n", line, col, msg);
}

/* Parses text into a fresh set; returns the problems as text (the caller frees both). */
static char *parse(const char *text, size_t len, struct fw_set *set, long *ret)
{
	struct problems p = { 0 };

	memset(set, 0, sizeof(*set));
	p.f = open_memstream(&p.text, &p.len);
	assert_non_null(p.f);
	*ret = fw_set_parse(text, len, set, collect, &p);
	fclose(p.f);
	return p.text;
}

static void addr_of(const char *text, uint8_t out[16])
{
	struct in_addr v4;

	memset(out, 0, 16);
	if (inet_pton(AF_INET, text, &v4) == 1) {
		out[10] = out[11] = 0xff;
		memcpy(&out[12], &v4, 4);
	} else {
		assert_int_equal(inet_pton(AF_INET6, text, out), 1);
	}
}

static void assert_element(const struct fw_set_element *e, const char *addr, unsigned int len,
			   uint32_t line, uint32_t col)
{
	uint8_t want[16];

	addr_of(addr, want);
	assert_memory_equal(e->prefix.addr, want, 16);
	assert_int_equal(e->prefix.len, len);
	assert_int_equal(e->line, line);
	assert_int_equal(e->col, col);
}

/* Spamhaus DROP, FireHOL .netset and hand-written lists, as they come. */
static void test_formats(void **state)
{
	static const char text[] = "\xef\xbb\xbf; Spamhaus DROP List 2024/01/01\r\n"
				   "198.18.16.0/20 ; SBL256894\r\n"
				   "#\n"
				   "\n"
				   "   \t\n"
				   "  2001:2::/48   # documentation\n"
				   "\t198.18.0.1\t\n"
				   "0.0.0.0/8\n"
				   "224.0.0.0/3;multicast and reserved\n"
				   "2001:2::1/128\n"
				   "198.18.0.7/32";
	struct fw_set set;
	char *problems;
	long ret;

	(void)state;
	problems = parse(text, sizeof(text) - 1, &set, &ret);
	assert_string_equal(problems, "");
	assert_int_equal(ret, 0);
	assert_int_equal(set.count, 7);
	assert_int_equal(set.v4, 5);
	assert_int_equal(set.v6, 2);
	assert_element(&set.elements[0], "198.18.16.0", 96 + 20, 2, 1);
	assert_element(&set.elements[1], "2001:2::", 48, 6, 3);
	assert_element(&set.elements[2], "198.18.0.1", 128, 7, 2);
	assert_element(&set.elements[3], "0.0.0.0", 96 + 8, 8, 1);
	assert_element(&set.elements[4], "224.0.0.0", 96 + 3, 9, 1);
	assert_element(&set.elements[5], "2001:2::1", 128, 10, 1);
	assert_element(&set.elements[6], "198.18.0.7", 128, 11, 1);
	free(set.elements);
	free(problems);
}

static void test_empty_and_appending(void **state)
{
	struct problems p = { 0 };
	struct fw_set set;
	char *problems;
	long ret;

	(void)state;
	problems = parse("", 0, &set, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(set.count, 0);
	assert_string_equal(problems, "");
	free(problems);
	free(set.elements);

	problems = parse("# nothing but comments\n; and more\n", 34, &set, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(set.count, 0);
	free(problems);

	/* A second text adds to what the set holds. */
	p.f = open_memstream(&p.text, &p.len);
	assert_int_equal(fw_set_parse("198.18.0.1\n", 11, &set, collect, &p), 0);
	assert_int_equal(fw_set_parse("2001:2::/48\n198.18.0.2\n", 23, &set, collect, &p), 0);
	fclose(p.f);
	assert_int_equal(set.count, 3);
	assert_int_equal(set.v4, 2);
	assert_int_equal(set.v6, 1);
	assert_element(&set.elements[0], "198.18.0.1", 128, 1, 1);
	assert_element(&set.elements[2], "198.18.0.2", 128, 2, 1);
	free(set.elements);
	free(p.text);
}

/* Every problem a line can have, with its exact text. */
static void test_problems(void **state)
{
	static const char text[] =
		"198.18.0.1/15\n"
		"  0.0.0.0/0 ; all\n"
		"::/0\n"
		"198.18.0.0/33\n"
		"2001:2::/129\n"
		"blocklist.example.com\n"
		"198.18.0.1 198.18.0.2\n"
		"198.18.0.4\x01\n"
		"\xc3\xa9\n"
		"::ffff:0:0/96\n"
		"198.018.0.4\n"
		"198.18.0.0/24 extra ; comment\n"
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij\n";
	static const char want[] =
		"1:1: 198.18.0.1/15 has host bits set; did you mean 198.18.0.0/15?\n"
		"2:3: 0.0.0.0/0 is a /0 prefix, which matches every IPv4 address; remove the line (a rule without src already matches every address)\n"
		"3:1: ::/0 is a /0 prefix, which matches every address; remove the line (a rule without src already matches every address)\n"
		"4:1: \"198.18.0.0/33\" has a prefix length out of range; use /1-/32 for IPv4, /1-/128 for IPv6\n"
		"5:1: \"2001:2::/129\" has a prefix length out of range; use /1-/32 for IPv4, /1-/128 for IPv6\n"
		"6:1: \"blocklist.example.com\" is not an IPv4 or IPv6 address or prefix; write one per line, e.g. 198.18.0.0/15 or 2001:2::/48\n"
		"7:12: more than one word on the line; write one address or prefix per line, and start a comment with # or ;\n"
		"8:11: byte 0x01 cannot be part of an address; a list file is ASCII text, one address or prefix per line\n"
		"9:1: byte 0xc3 cannot be part of an address; a list file is ASCII text, one address or prefix per line\n"
		"10:1: ::ffff:0:0/96 is a /0 prefix, which matches every IPv4 address; remove the line (a rule without src already matches every address)\n"
		"11:1: \"198.018.0.4\" is not an IPv4 or IPv6 address or prefix; write one per line, e.g. 198.18.0.0/15 or 2001:2::/48\n"
		"12:15: more than one word on the line; write one address or prefix per line, and start a comment with # or ;\n"
		"13:1: \"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv...\" is not an IPv4 or IPv6 address or prefix; write one per line, e.g. 198.18.0.0/15 or 2001:2::/48\n";
	struct fw_set set;
	char *problems;
	long ret;

	(void)state;
	problems = parse(text, sizeof(text) - 1, &set, &ret);
	assert_string_equal(problems, want);
	assert_int_equal(ret, 13);
	assert_int_equal(set.count, 0);
	free(set.elements);
	free(problems);
}

/* Past 20 problems, one more line counts the rest, where the first of them is. */
static void test_problems_capped(void **state)
{
	char *text = NULL, *problems, line[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct fw_set set;
	const char *p;
	long ret;
	int lines = 0;

	(void)state;
	assert_non_null(f);
	fputs("198.18.0.1\n", f);
	for (int i = 0; i < 1000; i++)
		fprintf(f, "bad%d\n", i);
	fputs("198.18.0.2\n", f);
	fclose(f);
	problems = parse(text, len, &set, &ret);
	assert_int_equal(ret, 1000);
	assert_int_equal(set.count, 2);
	for (p = problems; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, FW_SET_ERRORS_SHOWN + 1);
	p = strstr(problems, "22:1: ");
	assert_non_null(p);
	snprintf(line, sizeof(line), "%.*s", (int)(strchr(p, '\n') - p), p);
	assert_string_equal(line, "22:1: 980 more problems in this file, from this one on, are not shown; fix the ones above first");
	free(set.elements);
	free(problems);
	free(text);
}

static void test_read_file(void **state)
{
	char dir[] = "/tmp/xdpfw-test-list-XXXXXX", path[128];
	struct problems p = { 0 };
	struct fw_set set = { 0 };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	p.f = open_memstream(&p.text, &p.len);
	snprintf(path, sizeof(path), "%s/missing.txt", dir);
	assert_int_equal(fw_set_read_file(path, &set, collect, &p), -ENOENT);
	assert_int_equal(fw_set_read_file(dir, &set, collect, &p), -EISDIR);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* A FIFO would block: refused before reading. */
	assert_int_equal(fw_set_read_file(path, &set, collect, &p), -EINVAL);
	unlink(path);
	snprintf(path, sizeof(path), "%s/list.txt", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("198.18.0.0/15\nbad\n", f);
	fclose(f);
	assert_int_equal(fw_set_read_file(path, &set, collect, &p), 1);
	fclose(p.f);
	assert_int_equal(set.count, 1);
	assert_string_equal(p.text, "2:1: \"bad\" is not an IPv4 or IPv6 address or prefix; write one per line, e.g. 198.18.0.0/15 or 2001:2::/48\n");
	unlink(path);
	rmdir(dir);
	free(set.elements);
	free(p.text);
}

/* The IPv4 shortcut must read each line exactly as fw_prefix_parse() does. */
static void test_fast_path_agrees(void **state)
{
	static const char *const parts[] = { "0", "1", "9", "10", "01", "001", "99", "100", "199", "255",
					     "256", "300", "999", "1000", "", "a", "-1", "+1" };
	static const char *const lens[] = { "", "/0", "/1", "/8", "/08", "/16", "/24", "/31", "/32",
					    "/33", "/", "/a", "/320", "/-1", "/ 8" };
	const size_t np = sizeof(parts) / sizeof(parts[0]), nl = sizeof(lens) / sizeof(lens[0]);
	uint64_t rng = 42;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		char text[64];
		struct fw_prefix want;
		enum fw_prefix_error err;
		struct fw_set set;
		char *problems;
		long ret;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		snprintf(text, sizeof(text), "%s.%s.%s.%s%s", parts[(rng >> 10) % np],
			 parts[(rng >> 16) % np], parts[(rng >> 22) % np], parts[(rng >> 28) % np],
			 lens[(rng >> 34) % nl]);
		err = fw_prefix_parse(text, strlen(text), &want);
		problems = parse(text, strlen(text), &set, &ret);
		if (strchr(text, ' ')) {
			/* Two words: a problem either way. */
			assert_int_equal(ret, 1);
		} else if (err == FW_PREFIX_OK) {
			if (ret != 0 || set.count != 1 ||
			    memcmp(&set.elements[0].prefix, &want, sizeof(want)))
				fail_msg("\"%s\": read differently: %s", text, problems);
		} else if (ret != 1 || set.count) {
			fail_msg("\"%s\" is error %d, yet the list took it", text, err);
		}
		free(set.elements);
		free(problems);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_empty_and_appending),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_problems_capped),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_fast_path_agrees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
