// SPDX-License-Identifier: GPL-2.0
/*
 * `explain` on a real list, loaded as it is: FireHOL level1 (a public
 * snapshot in ../shared/data) behind one set rule. For every entry's first,
 * last and a random inner address, and the addresses just outside it,
 * explain from the maps in force gives the verdict the program gives the
 * same packet through BPF_PROG_TEST_RUN (drop inside; outside, drop only
 * where another entry holds it); for each first address it names the set
 * rule and the element, the longest that holds the address, on the line of
 * the file that says so, as the reference classifier does.
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
#include "firehol.h"
#include "harness.h"
#include "in_force.h"
#include "lookup.h"
#include "pkt.h"

#define FIREHOL_MAX_LINES 20000


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
	const char *conf;
	char text[PATH_MAX + 128];

	(void)state;
	if (firehol_list_path(list_path))
		return -1;
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

static void query_of(uint32_t addr, struct fw_explain_query *q, char text[INET_ADDRSTRLEN])
{
	struct in_addr in = { htonl(addr) };

	inet_ntop(AF_INET, &in, text, INET_ADDRSTRLEN);
	assert_int_equal(fw_explain_parse(text, "53/udp", q), 0);
}

/* The program's verdict on a UDP packet from addr. */
static bool program_drops(const char *text)
{
	struct pkt_spec spec = { .src = text, .ipproto = IPPROTO_UDP, .dport = 53 };
	uint8_t frame[PKT_MAX];

	return harness_run(dp, frame, pkt_build(&spec, frame)) == XDP_DROP;
}

/*
 * One address through the whole of `explain` from the maps: the verdict,
 * the set rule and the element, which must hold the address, be the
 * longest that does (as the reference classifier finds it) and be what
 * the file says on the line named.
 */
static void explain_inside(uint32_t addr)
{
	char text[INET_ADDRSTRLEN];
	struct fw_explain_query q;
	struct fw_explain_answer a;
	struct fw_explanation x;
	struct fw_prefix written;

	query_of(addr, &q, text);
	assert_int_equal(fw_explain_maps(dp, "/pins", &q, &a), 0);
	if (!fw_stat_is_drop(a.reason) || !program_drops(text))
		fail_msg("%s, in the list: explain says %s, the program %s", text,
			 fw_stat_is_drop(a.reason) ? "drop" : "pass",
			 program_drops(text) ? "drops it" : "passes it");
	assert_string_equal(a.rule, "firehol");
	assert_int_equal(a.step, 4);
	assert_string_equal(a.set, "firehol");
	assert_string_equal(a.file, list_path);
	assert_true(a.has_prefix);
	assert_true(fw_prefix_contains(&a.prefix, q.pkt.src));
	x = fw_classify_explain(&cfg.rules, &q.pkt);
	assert_int_equal(a.prefix.len, x.matched.len);
	assert_int_equal(cfg.rules.sets[0].elements[x.element].line, a.line);
	element_on_line(a.line, &written);
	assert_memory_equal(&written, &a.prefix, sizeof(written));
}

/* Any address, by the lookup explain makes in the maps: the verdict and rule the program gives. */
static bool judged_drop(uint32_t addr)
{
	char text[INET_ADDRSTRLEN];
	struct fw_explain_query q;
	struct fw_lookup found;
	bool drop;

	query_of(addr, &q, text);
	assert_int_equal(fw_lookup_packet(dp, &q.pkt, &found), 0);
	drop = fw_stat_is_drop(found.reason);
	if (drop != program_drops(text) || found.by_rule != drop)
		fail_msg("%s: explain's lookup says %s (by rule: %d), the program does not", text,
			 drop ? "drop" : "pass", found.by_rule);
	if (drop)
		assert_string_equal(dp->rule_infos[found.rule_id].name, "firehol");
	return drop;
}

/*
 * Each entry's first address goes through the whole of explain (it reads
 * the list file per query, as the command does); its last, an inner
 * address and the neighbours just outside through the lookup explain's
 * verdict comes from.
 */
static void every_entry_explained_as_the_program_decides(void **state)
{
	const struct fw_set *set = &cfg.rules.sets[0];
	size_t n = set->count, outside = 0, outside_listed = 0;
	struct firehol_range *ranges = firehol_ranges(set);
	uint64_t rng = 20261201;

	(void)state;
	assert_true(n > 6000);
	assert_non_null(ranges);
	for (size_t i = 0; i < n; i++) {
		const struct firehol_range *r = &ranges[i];
		uint32_t inner;

		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		inner = r->first + (uint32_t)((rng >> 33) % ((uint64_t)r->last - r->first + 1));
		explain_inside(r->first);
		if (!judged_drop(r->last) || !judged_drop(inner))
			fail_msg("entry %#x-%#x: an address inside passed", r->first, r->last);
		for (int side = 0; side < 2; side++) {
			uint32_t out = side ? r->last + 1 : r->first - 1;

			if ((side && r->last == UINT32_MAX) || (!side && r->first == 0))
				continue;
			outside++;
			outside_listed += firehol_listed(ranges, n, out);
			if (judged_drop(out) != firehol_listed(ranges, n, out))
				fail_msg("%#x, just outside entry %#x-%#x: explain disagrees with the list",
					 out, r->first, r->last);
		}
	}
	/* Most neighbours are unlisted; a check that met none would prove nothing. */
	assert_true(outside_listed < outside / 2);
	printf("# %zu entries explained; %zu neighbours just outside (%zu of them listed)\n", n,
	       outside, outside_listed);
	free(ranges);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_entry_explained_as_the_program_decides),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
