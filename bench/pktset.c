// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 9's per-packet costs through BPF_PROG_TEST_RUN.
 *
 * usage: pktset OBJ_DIR XDP_FILTER_OBJ REPEAT REPS set|exact N [par]
 * (REPEAT runs per call at most: fewer where a packet takes long, see pktset_repeat())
 *   set N:   a synthetic N-element IPv4 set and an N-element IPv6 set
 *            (bench/synth.h), one drop rule on each, beside the floors of
 *            each candidate structure (bench/floor_prefix.bpf.c) holding
 *            the same prefixes; then one CPU against two on the set rule
 *            (with "par", only that).
 *   exact N: N exact IPv4 and N exact IPv6 drop rules (random sources),
 *            every one of them in rotation, beside xdp-filter.
 * Prints CSV lines:
 *   pc9,MODE,N,FAMILY,CASE,one|rotate,PROG,MEDIAN,MIN,MAX,XDP_ACTION
 *   sync9,MODE,N,SECONDS          len9,FAMILY,LENGTH,ELEMENTS
 *   mem9,STRUCTURE,FAMILY,BYTES,FILL_SECONDS,ELEMENTS
 *   par9,FAMILY,CASE,PROG,ALONE_CPU0,ALONE_CPU1,BOTH_CPU0,BOTH_CPU1
 *   compiled9,SOURCES4,TRIE_BLOCKS,CLASSES,SOURCES6,PREFIXES6 (what xdpfw's compiler made)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "addrs.h"
#include "bpfobj.h"
#include "hold.h"
#include "par.h"
#include "pkt.h"
#include "prefix.h"
#include "prefix_floors.h"
#include "rotor_ctl.h"
#include "synth.h"
#include "targets.h"
#include "timing.h"

#define PKTSET_SEED 9
#define PKTSET_PROBE 20000u    /* runs of the call that sizes a case's repeat */
#define PKTSET_CALL_NS 2.5e8   /* what a case's calls aim to last */
#define PKTSET_MAX_REPS 15
#define PKTSET_MAX_PROGS (BENCH_HOLD_SLOTS - 1) /* and the rotor */

struct pktset_prog {
	const char *name;
	int fd;
	int family; /* 4 or 6: that family only; 0: both; -1: the two-CPU part only */
};

struct pktset_run {
	const char *mode;
	uint32_t n, repeat;
	int reps;
	int par_only;
	double overhead;
	struct bpf_object *rotor;
	struct pktset_prog progs[PKTSET_MAX_PROGS];
	int prog_count;
};

/* A case: the frames' sources, one (the first) or all in rotation. */
struct pktset_case {
	const char *name;
	int v6, hit, rotate;
	const uint8_t (*addrs)[16];
	size_t count;
};

static void pktset_die(const char *what, int err)
{
	fprintf(stderr, "pktset: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static void *pktset_alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		pktset_die("memory", ENOMEM);
	return p;
}

static void pktset_add(struct pktset_run *run, const char *name, int fd, int family)
{
	if (run->prog_count == PKTSET_MAX_PROGS)
		pktset_die("more programs than hold slots", ENOSPC);
	run->progs[run->prog_count++] = (struct pktset_prog){ name, fd, family };
}

/* Attaches every program and the rotor, so test runs skip the dispatcher rebuild. */
static void pktset_hold(const struct pktset_run *run)
{
	for (int p = 0; p < run->prog_count; p++)
		bench_hold(p, run->progs[p].fd);
	bench_hold(run->prog_count, bench_obj_prog(run->rotor, "rotor"));
}

static void pktset_release(const struct pktset_run *run)
{
	for (int p = 0; p <= run->prog_count; p++)
		bench_release(p);
}

static void pktset_rotor_table(struct pktset_run *run, const struct pktset_case *c)
{
	struct rotor_addr *table = pktset_alloc(c->count, sizeof(*table));

	for (size_t i = 0; i < c->count; i++)
		memcpy(table[i].bytes, c->v6 ? c->addrs[i] : &c->addrs[i][12], c->v6 ? 16 : 4);
	bench_rotor_fill(run->rotor, table, c->count);
	free(table);
}

/* A floor that does not apply: the miss floor on hits, the hit floor on misses. */
static int pktset_skip(const struct pktset_prog *p, const struct pktset_case *c)
{
	if (p->family && p->family != (c->v6 ? 6 : 4)) /* also -1 */
		return 1;
	return c->hit ? !strcmp(p->name, "floor_miss") : !strcmp(p->name, "floor_hit");
}

/* Cold cases run 2 µs a packet: fewer runs per call keep each call near a quarter second. */
static uint32_t pktset_repeat(const struct pktset_run *run, int fd, const uint8_t *frame,
			      size_t len)
{
	double ns = bench_call_ns(fd, frame, len, PKTSET_PROBE, NULL) / PKTSET_PROBE;
	double fits = PKTSET_CALL_NS / (ns > 1 ? ns : 1);

	return fits < PKTSET_PROBE ? PKTSET_PROBE : fits > run->repeat ? run->repeat : (uint32_t)fits;
}

/* The fd to test-run for program p: the rotor, pointed at it, when the case rotates. */
static int pktset_point(const struct pktset_run *run, const struct pktset_case *c, int p,
			uint32_t off)
{
	if (!c->rotate)
		return run->progs[p].fd;
	bench_rotor_point(run->rotor, run->progs[p].fd, c->count, off,
			  c->v6 ? ROTOR_TABLE16 : ROTOR_TABLE4);
	return bench_obj_prog(run->rotor, "rotor");
}

/*
 * The programs of a case take turns, one call each per round, so that the
 * drift of a shared machine weighs on all of them alike; each call follows
 * a warm-up call of an eighth of its runs.
 */
static void pktset_case(struct pktset_run *run, const struct pktset_case *c)
{
	uint8_t frame[PKT_MAX];
	uint32_t off, repeat[PKTSET_MAX_PROGS];
	size_t len = bench_frame_from(c->addrs[0], frame, &off);
	double ns[PKTSET_MAX_PROGS][PKTSET_MAX_REPS];
	int retval[PKTSET_MAX_PROGS], reps = run->reps < PKTSET_MAX_REPS ? run->reps : PKTSET_MAX_REPS;

	if (c->rotate)
		pktset_rotor_table(run, c);
	for (int p = 0; p < run->prog_count; p++)
		if (!pktset_skip(&run->progs[p], c))
			repeat[p] = pktset_repeat(run, pktset_point(run, c, p, off), frame, len);
	for (int rep = 0; rep < reps; rep++)
		for (int p = 0; p < run->prog_count; p++) {
			int fd;

			if (pktset_skip(&run->progs[p], c))
				continue;
			fd = pktset_point(run, c, p, off);
			bench_call_ns(fd, frame, len, repeat[p] / 8 + 1, NULL);
			ns[p][rep] = (bench_call_ns(fd, frame, len, repeat[p], &retval[p]) - run->overhead) /
				     repeat[p];
		}
	for (int p = 0; p < run->prog_count; p++) {
		double median;

		if (pktset_skip(&run->progs[p], c))
			continue;
		median = bench_median(ns[p], reps); /* sorts */
		printf("pc9,%s,%u,%s,%s,%s,%s,%.3f,%.3f,%.3f,%d\n", run->mode, run->n,
		       c->v6 ? "v6" : "v4", c->name, c->rotate ? "rotate" : "one", run->progs[p].name,
		       median, ns[p][0], ns[p][reps - 1], retval[p]);
	}
	fflush(stdout);
}

static void pktset_overhead(struct pktset_run *run, const uint8_t addr[16])
{
	uint8_t frame[PKT_MAX];
	uint32_t off;
	size_t len = bench_frame_from(addr, frame, &off);

	run->overhead = bench_call_overhead(run->progs[0].fd, frame, len);
	printf("overhead,%.1f\n", run->overhead);
}

/* ---- set N ---- */

/* xdpfw with one drop rule on each set; returns the sync's seconds. */
static double pktset_load_sets(struct fw_datapath *dp, const struct bench_synth *v4,
			       const struct bench_synth *v6)
{
	struct fw_set sets[2] = { { .name = "synth4" }, { .name = "synth6" } };
	const struct bench_synth *synth[2] = { v4, v6 };
	struct fw_rule rules[2] = { { .name = "synth4" }, { .name = "synth6" } };
	struct fw_ruleset rs = { .rules = rules, .count = 2, .default_action = FW_ACTION_PASS,
				 .sets = sets, .set_count = 2 };
	struct fw_compiled compiled;
	struct fw_room room;
	double t0, took;
	int err;

	for (int s = 0; s < 2; s++) {
		sets[s].elements = pktset_alloc(synth[s]->count, sizeof(*sets[s].elements));
		for (size_t i = 0; i < synth[s]->count; i++)
			sets[s].elements[i] = (struct fw_set_element){ synth[s]->elements[i], i + 1, 1 };
		sets[s].count = synth[s]->count;
		*(s ? &sets[s].v6 : &sets[s].v4) = synth[s]->count;
		rules[s].has_src = true;
		rules[s].set_ref = s + 1;
		rules[s].proto = FW_PROTO_ANY;
		rules[s].action = FW_ACTION_DROP;
		rules[s].id = s;
		rules[s].match_tag = fw_rule_match_tag(&rs, &rules[s]);
	}
	err = fw_compile(&rs, &compiled);
	if (err)
		pktset_die("compiling the set rules", err);
	room = fw_room_for(&compiled, NULL);
	printf("compiled9,%zu,%zu,%zu,%zu,%zu\n", compiled.sources4,
	       compiled.prefix4_entries ? (compiled.prefix4_entries - FW_PREFIX4_ROOT) / FW_PREFIX4_BLOCK_SIZE : 0,
	       compiled.class_count, compiled.sources6, compiled.prefixes6);
	fw_compiled_free(&compiled);
	err = fw_datapath_load(dp, FW_DEFAULT_CAPACITY, &room);
	if (err)
		pktset_die("loading xdpfw", err);
	t0 = bench_now_ns();
	err = fw_datapath_sync(dp, &rs);
	took = (bench_now_ns() - t0) / 1e9;
	if (err)
		pktset_die("xdpfw sync of the sets", err);
	for (int s = 0; s < 2; s++)
		free(sets[s].elements);
	return took;
}

static void pktset_lengths(const struct bench_synth *s)
{
	size_t count[129] = { 0 };

	for (size_t i = 0; i < s->count; i++)
		count[fw_prefix_written_len(&s->elements[i])]++;
	for (int l = 0; l <= 128; l++)
		if (count[l])
			printf("len9,%s,%d,%zu\n", s->v6 ? "v6" : "v4", l, count[l]);
}

static void pktset_mem(const char *what, const char *family, uint64_t bytes, double fill_s,
		       size_t elements)
{
	printf("mem9,%s,%s,%llu,%.4f,%zu\n", what, family, (unsigned long long)bytes, fill_s,
	       elements);
}

/* Kernel memory of one of xdpfw's two copies of each family's set maps, and map by map. */
static void pktset_xdpfw_mem(const struct fw_datapath *dp, size_t n, double sync_s)
{
	const struct {
		const char *what, *family;
		int fd;
	} maps[] = {
		{ "xdpfw:fw_sources4", "v4", dp->sources4_fd[0] },
		{ "xdpfw:fw_prefix4", "v4", dp->prefix4_fd[0] },
		{ "xdpfw:fw_classes", "v4", dp->classes_fd[0] },
		{ "xdpfw:fw_sources6", "v6", dp->sources6_fd[0] },
		{ "xdpfw:fw_prefix6", "v6", dp->prefix6_fd[0] },
		{ "xdpfw:fw_lengths6", "v6", dp->lengths6_fd },
	};
	const size_t count = sizeof(maps) / sizeof(maps[0]);
	uint64_t sum[2] = { 0 };

	for (size_t m = 0; m < count; m++)
		sum[maps[m].family[1] == '6'] += bench_fd_memlock(maps[m].fd);
	pktset_mem("xdpfw", "v4", sum[0], sync_s, n);
	pktset_mem("xdpfw", "v6", sum[1], sync_s, n);
	for (size_t m = 0; m < count; m++)
		pktset_mem(maps[m].what, maps[m].family, bench_fd_memlock(maps[m].fd), 0, n);
}

static void pktset_par(const struct pktset_run *run, const char *family, const char *name,
		       const uint8_t addr[16], const char *const *progs)
{
	uint8_t frame[PKT_MAX];
	uint32_t off;
	size_t len = bench_frame_from(addr, frame, &off);

	for (const char *const *want = progs; *want; want++)
		for (int p = 0; p < run->prog_count; p++) {
			struct bench_par par;

			if (strcmp(run->progs[p].name, *want))
				continue;
			bench_par_measure(run->progs[p].fd, frame, len, run->repeat, run->reps, &par);
			printf("par9,%s,%s,%s,%.3f,%.3f,%.3f,%.3f\n", family, name, *want,
			       par.alone[0], par.alone[1], par.both[0], par.both[1]);
			fflush(stdout);
		}
}

/* The sources every case of one family uses: hot ones, then tables of n. */
struct pktset_family {
	struct bench_synth set;
	uint8_t (*hits)[16];   /* n, then the hot hit addresses */
	uint8_t (*misses)[16]; /* n */
	uint8_t hot[3][16];
	const char *hot_name[3];
};

static void pktset_family_make(struct pktset_family *f, int v6, uint32_t n)
{
	static const unsigned int lens[2][3] = { { 32, 24, 28 }, { 128, 64, 32 } };
	static const char *const names[2][3] = { { "hit/32", "hit/24", "hit/28" },
						 { "hit/128", "hit/64", "hit/32" } };

	if (bench_synth_make(&f->set, v6, n, PKTSET_SEED + v6))
		pktset_die("making the synthetic set", ENOSPC);
	f->hits = pktset_alloc(n + 3, 16);
	f->misses = pktset_alloc(n, 16);
	bench_synth_hits(&f->set, n, PKTSET_SEED + 10 + v6, f->hits);
	bench_synth_misses(&f->set, n, PKTSET_SEED + 20 + v6, f->misses);
	for (int k = 0; k < 3; k++) {
		if (bench_synth_hit_of_len(&f->set, lens[v6][k], f->hot[k]))
			pktset_die("a hot source of each length", ENOENT);
		memcpy(f->hits[n + k], f->hot[k], 16); /* so the exact floor holds it too */
		f->hot_name[k] = names[v6][k];
	}
}

static void pktset_family_free(struct pktset_family *f)
{
	bench_synth_free(&f->set);
	free(f->hits);
	free(f->misses);
}

static void pktset_family_cases(struct pktset_run *run, const struct pktset_family *f, int v6)
{
	for (int k = 0; k < 3; k++)
		pktset_case(run, &(struct pktset_case){ f->hot_name[k], v6, 1, 0,
							(const uint8_t(*)[16])&f->hot[k], 1 });
	pktset_case(run, &(struct pktset_case){ "miss", v6, 0, 0,
						(const uint8_t(*)[16])f->misses, 1 });
	pktset_case(run, &(struct pktset_case){ "hit", v6, 1, 1,
						(const uint8_t(*)[16])f->hits, run->n });
	pktset_case(run, &(struct pktset_case){ "miss", v6, 0, 1,
						(const uint8_t(*)[16])f->misses, run->n });
}

static void pktset_sets(struct pktset_run *run, const char *obj_dir)
{
	static const char *const par_v4[] = { "xdpfw", "floor_hit", "floor_hit_percpu",
					      "floor_lpm", "floor_drop", NULL };
	static const char *const par_v6[] = { "xdpfw", "floor_lpm", NULL };
	struct pktset_family v4, v6;
	struct bench_prefix_floors pf;
	struct fw_datapath dp;
	struct bpf_object *floor;
	uint32_t *hits4 = pktset_alloc(run->n + 3, sizeof(*hits4));
	cpu_set_t pinned;
	double sync_s;

	pktset_family_make(&v4, 0, run->n);
	pktset_family_make(&v6, 1, run->n);
	pktset_lengths(&v4.set);
	pktset_lengths(&v6.set);
	for (size_t i = 0; i < run->n + 3; i++)
		memcpy(&hits4[i], &v4.hits[i][12], 4);

	bench_cpus_all(&pinned);
	fw_datapath_init(&dp);
	sync_s = pktset_load_sets(&dp, &v4.set, &v6.set);
	printf("sync9,set,%u,%.4f\n", run->n, sync_s);
	floor = bench_floor_load(obj_dir, &(struct bench_sources){
						  hits4, run->n + 3, (const uint8_t(*)[16])v6.hits,
						  run->n + 3 });
	bench_prefix_floors_load(&pf, obj_dir, &v4.set, &v6.set);
	run->rotor = bench_rotor_load(obj_dir, run->n);
	bench_cpus_restore(&pinned);

	pktset_xdpfw_mem(&dp, run->n, sync_s);
	pktset_mem("lpm_trie", "v4", pf.lpm4.bytes, pf.lpm4.fill_s, run->n);
	pktset_mem("lpm_trie", "v6", pf.lpm6.bytes, pf.lpm6.fill_s, run->n);
	pktset_mem("hash_per_length", "v4", pf.plen4.bytes, pf.plen4.fill_s, run->n);
	pktset_mem("hash_per_length", "v6", pf.plen6.bytes, pf.plen6.fill_s, run->n);
	pktset_mem("dir_24_8", "v4", pf.dir24.bytes, pf.dir24.fill_s, run->n);
	pktset_mem("guided_hash_per_length", "v6", pf.plen6.bytes + pf.guided6.bytes,
		   pf.plen6.fill_s + pf.guided6.fill_s, run->n);
	pktset_mem("exact_hash", "v4", bench_fd_memlock(bench_obj_map(floor, "floor_rules4")), 0,
		   run->n + 3);
	pktset_mem("exact_hash", "v6", bench_fd_memlock(bench_obj_map(floor, "floor_rules6")), 0,
		   run->n + 3);

	pktset_add(run, "floor_drop", bench_obj_prog(floor, "floor_drop"), 0);
	pktset_add(run, "floor_parse", bench_obj_prog(floor, "floor_parse"), 0);
	pktset_add(run, "floor_miss", bench_obj_prog(floor, "floor_miss"), 0);
	pktset_add(run, "floor_hit", bench_obj_prog(floor, "floor_hit"), 0);
	pktset_add(run, "floor_lpm", bench_obj_prog(pf.obj, "floor_lpm"), 0);
	pktset_add(run, "floor_plen", bench_obj_prog(pf.obj, "floor_plen"), 0);
	pktset_add(run, "floor_plen_loop", bench_obj_prog(pf.obj, "floor_plen_loop"), 6);
	pktset_add(run, "floor_guided", bench_obj_prog(pf.obj, "floor_guided"), 6);
	pktset_add(run, "floor_dir24", bench_obj_prog(pf.obj, "floor_dir24"), 4);
	pktset_add(run, "xdpfw", dp.prog_fd, 0);
	pktset_add(run, "floor_hit_percpu", bench_obj_prog(floor, "floor_hit_percpu"), -1);
	pktset_hold(run);
	pktset_overhead(run, v4.hot[0]);
	if (!run->par_only) {
		pktset_family_cases(run, &v4, 0);
		pktset_family_cases(run, &v6, 1);
	}
	pktset_par(run, "v4", v4.hot_name[1], v4.hot[1], par_v4);
	pktset_par(run, "v6", v6.hot_name[1], v6.hot[1], par_v6);
	pktset_release(run);

	fw_datapath_close(&dp);
	bpf_object__close(floor);
	bpf_object__close(pf.obj);
	bpf_object__close(run->rotor);
	pktset_family_free(&v4);
	pktset_family_free(&v6);
	free(hits4);
}

/* ---- exact N ---- */

static int pktset_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* n distinct random unicast IPv4 sources (network order), shuffled; more random ones outside them. */
static void pktset_exact_v4(uint32_t n, uint32_t *sources, uint8_t (*misses)[16])
{
	struct bench_synth none = { 0 };
	size_t want = n + n / 4 + 16, have = 0;
	uint8_t(*raw)[16] = pktset_alloc(want, 16);
	uint32_t *sorted = pktset_alloc(want, sizeof(*sorted));
	uint64_t rng = PKTSET_SEED + 30;

	while (have < n) {
		size_t u = 0;

		bench_synth_misses(&none, want - have, rng++, raw);
		for (size_t i = 0; have < want; i++)
			memcpy(&sorted[have++], &raw[i][12], 4);
		qsort(sorted, have, sizeof(*sorted), pktset_u32_cmp);
		for (size_t i = 0; i < have; i++)
			if (!u || sorted[i] != sorted[u - 1])
				sorted[u++] = sorted[i];
		have = u;
	}
	for (size_t i = have; i > 1; i--) { /* shuffle, then take n: no bias to low addresses */
		size_t j = bench_rand(&rng) % i;
		uint32_t t = sorted[i - 1];

		sorted[i - 1] = sorted[j];
		sorted[j] = t;
	}
	memcpy(sources, sorted, (size_t)n * sizeof(*sources));
	qsort(sorted, n, sizeof(*sorted), pktset_u32_cmp);
	for (size_t i = 0; i < n;) {
		uint32_t a;

		bench_synth_misses(&none, 1, rng++, &misses[i]);
		memcpy(&a, &misses[i][12], 4);
		if (!bsearch(&a, sorted, n, sizeof(*sorted), pktset_u32_cmp))
			i++;
	}
	free(raw);
	free(sorted);
}

static void pktset_exact(struct pktset_run *run, const char *obj_dir, const char *xfilter)
{
	struct bench_synth none6 = { .v6 = 1 };
	uint32_t n = run->n;
	uint32_t *v4 = pktset_alloc(n, sizeof(*v4));
	uint8_t(*hits4)[16] = pktset_alloc(n, 16), (*misses4)[16] = pktset_alloc(n, 16);
	uint8_t(*v6)[16] = pktset_alloc(n, 16), (*misses6)[16] = pktset_alloc(n, 16);
	struct bench_targets t;
	cpu_set_t pinned;

	pktset_exact_v4(n, v4, misses4);
	for (uint32_t i = 0; i < n; i++)
		fw_addr_from_ipv4(hits4[i], &v4[i]);
	bench_synth_misses(&none6, n, PKTSET_SEED + 40, v6);
	bench_synth_misses(&none6, n, PKTSET_SEED + 41, misses6);

	bench_cpus_all(&pinned);
	bench_targets_load_sources(&t, &(struct bench_sources){ v4, n, (const uint8_t(*)[16])v6, n },
				   obj_dir, xfilter, 0);
	bpf_object__close(t.rotor);
	t.rotor = run->rotor = bench_rotor_load(obj_dir, n);
	bench_cpus_restore(&pinned);
	printf("sync9,exact,%u,%.4f\n", n, t.fw_sync_s);

	for (int p = BP_DROP; p <= BP_XDPFW; p++)
		if (p != BP_PORT_HIT)
			pktset_add(run, bench_prog_names[p], bench_targets_fd(&t, p), 0);
	pktset_hold(run);
	pktset_overhead(run, hits4[0]);
	for (int rotate = 0; rotate < 2; rotate++) {
		pktset_case(run, &(struct pktset_case){ "hit", 0, 1, rotate,
							(const uint8_t(*)[16])hits4, n });
		pktset_case(run, &(struct pktset_case){ "miss", 0, 0, rotate,
							(const uint8_t(*)[16])misses4, n });
		pktset_case(run, &(struct pktset_case){ "hit", 1, 1, rotate,
							(const uint8_t(*)[16])v6, n });
		pktset_case(run, &(struct pktset_case){ "miss", 1, 0, rotate,
							(const uint8_t(*)[16])misses6, n });
	}
	pktset_release(run);
	bench_targets_close(&t);
	free(v4);
	free(hits4);
	free(misses4);
	free(v6);
	free(misses6);
}

int main(int argc, char **argv)
{
	struct pktset_run run = { 0 };

	if (argc < 7 || argc > 8 || (strcmp(argv[5], "set") && strcmp(argv[5], "exact")) ||
	    (argc == 8 && strcmp(argv[7], "par"))) {
		fprintf(stderr, "usage: pktset OBJ_DIR XDP_FILTER_OBJ REPEAT REPS set|exact N [par]\n");
		return 2;
	}
	run.mode = argv[5];
	run.repeat = strtoul(argv[3], NULL, 0);
	run.reps = atoi(argv[4]);
	run.n = strtoul(argv[6], NULL, 0);
	run.par_only = argc == 8;
	printf("params9,%s,%u,%u,%d\n", run.mode, run.n, run.repeat, run.reps);
	if (!strcmp(run.mode, "set"))
		pktset_sets(&run, argv[1]);
	else
		pktset_exact(&run, argv[1], argv[2]);
	return 0;
}
