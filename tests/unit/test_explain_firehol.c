// SPDX-License-Identifier: GPL-2.0
/*
 * `explain` on a real list, loaded as it is: FireHOL level1 (a public
 * snapshot in ../shared/data) behind one set rule. For every entry's first,
 * last and a random inner address, and the addresses just outside it,
 * explain from the maps in force gives the verdict the program gives the
 * same packet through BPF_PROG_TEST_RUN; inside, it names the set rule and
 * an element of the list that holds the address, the longest one, on the
 * line of the file that says so, as the reference classifier does.
 * The public addresses go into maps and test runs only, never onto a wire.
 */
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "conf_dir.h"
#include "config.h"
#include "explain.h"
#include "harness.h"
#include "in_force.h"
#include "pkt.h"

#define FIREHOL_MAX_LINES 20000

static const char *const list_candidates[] = {
	"../shared/data/firehol_level1.netset",
	"/work/shared/data/firehol_level1.netset",
};

static struct conf_dir dir;
static char list_path[PATH_MAX];
static char *lines[FIREHOL_MAX_LINES + 1]; /* the file's lines, 1-based */
static struct fw_config cfg;
static struct fw_datapath *dp;

static void read_lines(void)
{
	FILE *f = fopen(list_path, "r");
	char buf[512];
	size_t n = 0;

	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f) && n < FIREHOL_MAX_LINES)
		lines[++n] = strdup(buf);
	fclose(f);
}

static int setup(void **state)
{
	const char *env = getenv("XDPFW_FIREHOL"), *conf;
	char text[PATH_MAX + 128];

	(void)state;
	for (size_t i = 0; !env && i < sizeof(list_candidates) / sizeof(list_candidates[0]); i++)
		if (!access(list_candidates[i], R_OK))
			env = list_candidates[i];
	if (!env || !realpath(env, list_path)) {
		fprintf(stderr, "firehol_level1.netset not found: set XDPFW_FIREHOL to its path\n");
		return -1;
	}
	read_lines();
	conf_dir_init(&dir);
	snprintf(text, sizeof(text),
		 "sets:\n  firehol:\n    file: %s\nrules:\n  - name: firehol\n    src: \"@firehol\"\n",
		 list_path);
	conf = conf_dir_write(&dir, "xdpfw.yaml", text);
	dp = in_force(conf);
	return !dp || fw_config_load(conf, &cfg, stderr) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	fw_config_free(&cfg);
	conf_dir_free(&dir);
	for (size_t i = 0; i < FIREHOL_MAX_LINES + 1; i++)
		free(lines[i]);
	return 0;
}

/* What line says, up to its comment: the element written there. */
static void element_on_line(uint32_t line, struct fw_prefix *out)
{
	const char *text;
	size_t len;

	assert_true(line >= 1 && line <= FIREHOL_MAX_LINES && lines[line]);
	text = lines[line];
	len = strcspn(text, " \t#;\r\n");
	assert_int_equal(fw_prefix_parse(text, len, out), FW_PREFIX_OK);
}

/* One address: explain (maps), the reference classifier and the program agree. */
static bool explain_addr(uint32_t addr)
{
	struct in_addr in = { htonl(addr) };
	char text[INET_ADDRSTRLEN];
	struct pkt_spec spec = { .src = text, .ipproto = IPPROTO_UDP, .dport = 53 };
	uint8_t frame[PKT_MAX];
	struct fw_explain_query q;
	struct fw_explain_answer a;
	struct fw_explanation x;
	struct fw_prefix written;
	bool listed;

	inet_ntop(AF_INET, &in, text, sizeof(text));
	assert_int_equal(fw_explain_parse(text, "53/udp", &q), 0);
	assert_int_equal(fw_explain_maps(dp, "/pins", &q, &a), 0);
	/* The reference classifier, from the config: DESIGN §1b on every element. */
	x = fw_classify_explain(&cfg.rules, &q.pkt);
	listed = x.verdict.rule >= 0;
	if (harness_run(dp, frame, pkt_build(&spec, frame)) !=
	    (fw_stat_is_drop(a.reason) ? XDP_DROP : XDP_PASS))
		fail_msg("%s: explain says %s, the program does not", text,
			 fw_stat_is_drop(a.reason) ? "drop" : "pass");
	if (a.by_rule != listed || fw_stat_is_drop(a.reason) != listed)
		fail_msg("%s: explain says %s by %s; an entry holds it: %d", text,
			 fw_stat_is_drop(a.reason) ? "drop" : "pass", a.by_rule ? a.rule : "default",
			 listed);
	if (!listed) {
		assert_int_equal(a.step, 8);
		return false;
	}
	assert_string_equal(a.rule, "firehol");
	assert_int_equal(a.step, 4);
	assert_string_equal(a.set, "firehol");
	assert_string_equal(a.file, list_path);
	assert_true(a.has_prefix);
	assert_true(fw_prefix_contains(&a.prefix, q.pkt.src));
	assert_int_equal(a.prefix.len, x.matched.len); /* the longest that holds it */
	assert_int_equal(cfg.rules.sets[0].elements[x.element].line, a.line);
	element_on_line(a.line, &written);
	assert_memory_equal(&written, &a.prefix, sizeof(written));
	return true;
}

static bool met_before(const uint32_t *addrs, int k)
{
	for (int j = 0; j < k; j++)
		if (addrs[j] == addrs[k])
			return true;
	return false;
}

static void every_entry_explained_as_the_program_decides(void **state)
{
	const struct fw_set *set = &cfg.rules.sets[0];
	uint64_t rng = 20261201;
	size_t inside = 0, outside = 0, outside_listed = 0;

	(void)state;
	assert_true(set->count > 6000);
	for (size_t i = 0; i < set->count; i++) {
		const struct fw_prefix *p = &set->elements[i].prefix;
		unsigned int bits = fw_prefix_written_len(p);
		uint32_t first, last, inner, span, addrs[3];

		assert_true(fw_prefix_is_v4(p));
		memcpy(&first, p->addr + 12, 4);
		first = ntohl(first);
		span = bits == 32 ? 0 : 0xffffffffu >> bits;
		last = first | span;
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		inner = first + (uint32_t)((rng >> 33) % ((uint64_t)span + 1));
		addrs[0] = first;
		addrs[1] = last;
		addrs[2] = inner;
		/* An address met before (a /32's three are one) is not explained again. */
		for (int k = 0; k < 3; k++)
			inside += met_before(addrs, k) || explain_addr(addrs[k]);
		if (first > 0) {
			outside++;
			outside_listed += explain_addr(first - 1);
		}
		if (last < UINT32_MAX) {
			outside++;
			outside_listed += explain_addr(last + 1);
		}
	}
	assert_int_equal(inside, 3 * set->count);
	/* Most neighbours are unlisted; a check that met none would prove nothing. */
	assert_true(outside_listed < outside / 2);
	printf("# %zu entries: %zu addresses inside, %zu just outside (%zu of them listed)\n",
	       set->count, inside, outside, outside_listed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_entry_explained_as_the_program_decides),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
