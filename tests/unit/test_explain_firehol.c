// SPDX-License-Identifier: GPL-2.0
/*
 * `explain` on a real list, loaded as it is: FireHOL level1 (a public
 * snapshot in ../shared/data, all 6273 entries) behind one set rule. For
 * every entry's first, last and a random inner address, and the addresses
 * just outside it, explain from the maps in force and explain --config give
 * the verdict the program gives the same packet through BPF_PROG_TEST_RUN
 * (drop inside; outside, drop only where another entry holds it); for each
 * first address explain names the set rule and the element, the longest
 * that holds the address, on the line of the file that says so, as the
 * reference classifier does.
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
#include "lookup.h"
#include "pkt.h"
#include "prefix.h"

#define FIREHOL_MAX_LINES 20000
#define FIREHOL_ENTRIES 6273 /* the snapshot's header says so */

static struct conf_dir dir;
static char list_path[PATH_MAX];
static char *lines[FIREHOL_MAX_LINES + 1]; /* the file's lines, 1-based */
static struct fw_config cfg;
static struct fw_datapath *dp;

/* One IPv4 entry as [first, last], host order. */
struct firehol_range {
	uint32_t first, last;
};

/* The list's real path: ../shared/data, /work/shared/data, or $XDPFW_FIREHOL. */
static int firehol_list_path(char path[PATH_MAX])
{
	static const char *const candidates[] = {
		"../shared/data/firehol_level1.netset",
		"/work/shared/data/firehol_level1.netset",
	};
	const char *found = getenv("XDPFW_FIREHOL");

	for (size_t i = 0; !found && i < sizeof(candidates) / sizeof(candidates[0]); i++)
		if (!access(candidates[i], R_OK))
			found = candidates[i];
	if (found && realpath(found, path))
		return 0;
	fprintf(stderr, "firehol_level1.netset not found: set XDPFW_FIREHOL to its path\n");
	return -1;
}

static int firehol_range_cmp(const void *a, const void *b)
{
	const struct firehol_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* The set's IPv4 elements as ranges sorted by start (malloc'd); NULL if one is not IPv4. */
static struct firehol_range *firehol_ranges(const struct fw_set *set)
{
	struct firehol_range *ranges = calloc(set->count + 1, sizeof(*ranges));

	for (size_t i = 0; ranges && i < set->count; i++) {
		const struct fw_prefix *p = &set->elements[i].prefix;
		unsigned int bits = fw_prefix_written_len(p);
		uint32_t first;

		if (!fw_prefix_is_v4(p)) {
			free(ranges);
			return NULL;
		}
		memcpy(&first, p->addr + 12, 4);
		ranges[i].first = ntohl(first);
		ranges[i].last = ranges[i].first | (bits == 32 ? 0 : 0xffffffffu >> bits);
	}
	if (ranges)
		qsort(ranges, set->count, sizeof(*ranges), firehol_range_cmp);
	return ranges;
}

/* Whether some of the n sorted ranges holds addr. */
static bool firehol_listed(const struct firehol_range *r, size_t n, uint32_t addr)
{
	for (size_t i = 0; i < n && r[i].first <= addr; i++)
		if (addr <= r[i].last)
			return true;
	return false;
}

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

/* The entries, counted straight from the file: every line that is not a comment. */
static size_t entries_in_file(void)
{
	size_t n = 0;

	for (size_t i = 1; i <= FIREHOL_MAX_LINES && lines[i]; i++)
		n += lines[i][0] != '#' && lines[i][0] != '\n';
	return n;
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

/*
 * Any address, by the lookup explain makes in the maps and by explain
 * --config: the verdict and rule the program gives.
 */
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
	if (fw_stat_is_drop(fw_classify_explain(&cfg.rules, &q.pkt).verdict.reason) != drop)
		fail_msg("%s: explain --config disagrees with the maps and the program", text);
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
	assert_int_equal(entries_in_file(), FIREHOL_ENTRIES);
	assert_int_equal(n, FIREHOL_ENTRIES);
	assert_int_equal(set->v4, FIREHOL_ENTRIES);
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
