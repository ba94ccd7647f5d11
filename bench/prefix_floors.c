// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpfobj.h"
#include "floor_prefix.h"
#include "prefix.h"
#include "prefix_floors.h"
#include "targets.h"
#include "timing.h"

static void bench_floors_die(const char *what, int err)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

/* Batch update where the map has it (the LPM trie has not: one update per key then). */
static void bench_fill(int fd, const void *keys, size_t key_size, size_t n, const char *what)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint64_t *values = calloc(n + 1, sizeof(*values));
	uint32_t count = n;

	if (!values)
		bench_floors_die(what, ENOMEM);
	if (n && bpf_map_update_batch(fd, keys, values, &count, &opts)) {
		if (errno != EINVAL && errno != EOPNOTSUPP && errno != 524 /* ENOTSUPP */)
			bench_floors_die(what, errno);
		for (size_t i = 0; i < n; i++)
			if (bpf_map_update_elem(fd, (const char *)keys + i * key_size, &values[i],
						BPF_ANY))
				bench_floors_die(what, errno);
	}
	free(values);
}

static unsigned int bench_written_len(const struct fw_prefix *p)
{
	return fw_prefix_written_len(p);
}

static void bench_fill_lpm(struct bench_prefix_floors *f, const struct bench_synth *v4,
			   const struct bench_synth *v6)
{
	struct floor_lpm4_key *k4 = calloc(v4->count + 1, sizeof(*k4));
	struct floor_lpm6_key *k6 = calloc(v6->count + 1, sizeof(*k6));
	int fd4 = bench_obj_map(f->obj, "floor_lpm4"), fd6 = bench_obj_map(f->obj, "floor_lpm6");
	double t0;

	if (!k4 || !k6)
		bench_floors_die("LPM keys", ENOMEM);
	for (size_t i = 0; i < v4->count; i++) {
		k4[i].prefixlen = bench_written_len(&v4->elements[i]);
		memcpy(k4[i].addr, &v4->elements[i].addr[12], 4);
	}
	for (size_t i = 0; i < v6->count; i++) {
		k6[i].prefixlen = v6->elements[i].len;
		memcpy(k6[i].addr, v6->elements[i].addr, 16);
	}
	t0 = bench_now_ns();
	bench_fill(fd4, k4, sizeof(*k4), v4->count, "LPM trie v4");
	f->lpm4 = (struct bench_structure){ bench_fd_memlock(fd4), (bench_now_ns() - t0) / 1e9 };
	t0 = bench_now_ns();
	bench_fill(fd6, k6, sizeof(*k6), v6->count, "LPM trie v6");
	f->lpm6 = (struct bench_structure){ bench_fd_memlock(fd6), (bench_now_ns() - t0) / 1e9 };
	free(k4);
	free(k6);
}

static void bench_fill_plen(struct bench_prefix_floors *f, const struct bench_synth *v4,
			    const struct bench_synth *v6)
{
	struct floor_plen4_key *k4 = calloc(v4->count + 1, sizeof(*k4));
	struct floor_plen6_key *k6 = calloc(v6->count + 1, sizeof(*k6));
	struct floor_plen_lengths lengths = { 0 };
	int fd4 = bench_obj_map(f->obj, "floor_plen4"), fd6 = bench_obj_map(f->obj, "floor_plen6");
	uint8_t seen4[33] = { 0 }, seen6[129] = { 0 };
	uint32_t zero = 0;
	double t0;

	if (!k4 || !k6)
		bench_floors_die("per-length keys", ENOMEM);
	for (size_t i = 0; i < v4->count; i++) {
		k4[i].len = bench_written_len(&v4->elements[i]);
		memcpy(k4[i].addr, &v4->elements[i].addr[12], 4);
		seen4[k4[i].len] = 1;
	}
	for (size_t i = 0; i < v6->count; i++) {
		k6[i].len = v6->elements[i].len;
		memcpy(k6[i].addr, v6->elements[i].addr, 16);
		seen6[k6[i].len] = 1;
	}
	for (int l = 32; l > 0; l--)
		if (seen4[l])
			lengths.v4[f->lengths4++] = l;
	for (int l = 128; l > 0; l--)
		if (seen6[l])
			lengths.v6[f->lengths6++] = l;
	if (bpf_map_update_elem(bench_obj_map(f->obj, "floor_lengths"), &zero, &lengths, BPF_ANY))
		bench_floors_die("lengths", errno);
	t0 = bench_now_ns();
	bench_fill(fd4, k4, sizeof(*k4), v4->count, "per-length hash v4");
	f->plen4 = (struct bench_structure){ bench_fd_memlock(fd4), (bench_now_ns() - t0) / 1e9 };
	t0 = bench_now_ns();
	bench_fill(fd6, k6, sizeof(*k6), v6->count, "per-length hash v6");
	f->plen6 = (struct bench_structure){ bench_fd_memlock(fd6), (bench_now_ns() - t0) / 1e9 };
	free(k4);
	free(k6);
}

static uint32_t *bench_map_mmap(int fd, size_t blocks)
{
	void *mem = mmap(NULL, blocks * sizeof(struct floor_dir_block), PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);

	if (mem == MAP_FAILED)
		bench_floors_die("mmap of a DIR-24-8 table", errno);
	return mem;
}

/* DIR-24-8 of the v4 set: /32s in the exact hash, /25-/31 in tbl8 groups, the rest in tbl24. */
static void bench_fill_dir24(struct bench_prefix_floors *f, const struct bench_synth *v4,
			     uint32_t groups)
{
	int fd24 = bench_obj_map(f->obj, "floor_tbl24"), fd8 = bench_obj_map(f->obj, "floor_tbl8");
	int fdx = bench_obj_map(f->obj, "floor_exact4");
	uint32_t *tbl24, *tbl8, *exact = calloc(v4->count + 1, sizeof(*exact));
	uint32_t used = 0;
	size_t exacts = 0;
	double t0 = bench_now_ns();

	tbl24 = bench_map_mmap(fd24, FLOOR_DIR_TBL24_BLOCKS);
	tbl8 = bench_map_mmap(fd8, groups ? groups : 1);
	if (!exact)
		bench_floors_die("DIR-24-8", ENOMEM);
	for (size_t i = 0; i < v4->count; i++) {
		const uint8_t *a = &v4->elements[i].addr[12];
		uint32_t addr = (uint32_t)a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
		unsigned int len = bench_written_len(&v4->elements[i]);

		if (len == 32) {
			memcpy(&exact[exacts++], a, 4);
		} else if (len <= 24) {
			for (uint32_t e = addr >> 8; e < (addr >> 8) + (1u << (24 - len)); e++)
				tbl24[e] = FLOOR_DIR_HIT;
		} else {
			uint32_t *slot = &tbl24[addr >> 8];

			if (!(*slot & FLOOR_DIR_GROUP))
				*slot = FLOOR_DIR_GROUP | used++;
			for (uint32_t e = addr & 0xff; e < (addr & 0xff) + (1u << (32 - len)); e++)
				tbl8[(*slot & ~FLOOR_DIR_GROUP) * 256 + e] = FLOOR_DIR_HIT;
		}
	}
	bench_fill(fdx, exact, 4, exacts, "DIR-24-8's exact hash");
	f->dir24.fill_s = (bench_now_ns() - t0) / 1e9;
	f->dir24.bytes = bench_fd_memlock(fd24) + bench_fd_memlock(fd8) + bench_fd_memlock(fdx);
	munmap(tbl24, (size_t)FLOOR_DIR_TBL24_BLOCKS * sizeof(struct floor_dir_block));
	munmap(tbl8, (size_t)(groups ? groups : 1) * sizeof(struct floor_dir_block));
	free(exact);
}

static uint32_t bench_top32(const struct fw_prefix *p)
{
	return (uint32_t)p->addr[0] << 24 | p->addr[1] << 16 | p->addr[2] << 8 | p->addr[3];
}

/* /32s that hold IPv6 elements (sorted: a /32's elements are together). */
static uint32_t bench_guide_room(const struct bench_synth *v6)
{
	uint32_t count = 0;

	for (size_t i = 0; i < v6->count; i++)
		if (!i || bench_top32(&v6->elements[i]) != bench_top32(&v6->elements[i - 1]))
			count++;
	return count;
}

/* The guide: each /32 holding elements -> their lengths, longest first (the first 8). */
static void bench_fill_guide(struct bench_prefix_floors *f, const struct bench_synth *v6,
			     uint32_t tops)
{
	uint32_t *keys = calloc(tops + 1, sizeof(*keys));
	struct floor_guide6_value *values = calloc(tops + 1, sizeof(*values));
	int fd = bench_obj_map(f->obj, "floor_guide6");
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t at = 0, count = tops;
	double t0 = bench_now_ns();

	if (!keys || !values)
		bench_floors_die("the guide", ENOMEM);
	for (size_t i = 0; i < v6->count; i++) {
		uint32_t top = bench_top32(&v6->elements[i]);
		uint8_t len = v6->elements[i].len, *lens;
		int k;

		if (i && top == bench_top32(&v6->elements[i - 1]))
			at--;
		else
			memset(&values[at], 0, sizeof(values[at]));
		keys[at] = htonl(top);
		lens = values[at++].lens;
		for (k = 0; k < FLOOR_GUIDE_LENGTHS && lens[k] > len; k++)
			;
		if (k < FLOOR_GUIDE_LENGTHS && lens[k] != len) {
			memmove(&lens[k + 1], &lens[k], FLOOR_GUIDE_LENGTHS - 1 - k);
			lens[k] = len;
		}
	}
	if (tops && bpf_map_update_batch(fd, keys, values, &count, &opts))
		bench_floors_die("the guide", errno);
	f->guided6 = (struct bench_structure){ bench_fd_memlock(fd), (bench_now_ns() - t0) / 1e9 };
	free(keys);
	free(values);
}

/* tbl8 groups and exact entries DIR-24-8 needs: one group per /24 holding a /25-/31. */
static void bench_dir24_room(const struct bench_synth *v4, uint32_t *groups, uint32_t *exacts)
{
	uint32_t last = UINT32_MAX;

	*groups = *exacts = 0;
	for (size_t i = 0; i < v4->count; i++) {
		const uint8_t *a = &v4->elements[i].addr[12];
		uint32_t block = (uint32_t)a[0] << 16 | a[1] << 8 | a[2];
		unsigned int len = bench_written_len(&v4->elements[i]);

		if (len == 32) {
			(*exacts)++;
		} else if (len > 24) {
			if (block != last) /* sorted: a block's elements are together */
				(*groups)++;
			last = block;
		}
	}
}

void bench_prefix_floors_load(struct bench_prefix_floors *f, const char *obj_dir,
			      const struct bench_synth *v4, const struct bench_synth *v6)
{
	uint32_t groups, exacts, tops = bench_guide_room(v6);
	char path[4096];

	bench_dir24_room(v4, &groups, &exacts);
	{
		struct bench_map_size sizes[] = {
			{ "floor_lpm4", v4->count + 1 },
			{ "floor_lpm6", v6->count + 1 },
			{ "floor_plen4", v4->count + 1 },
			{ "floor_plen6", v6->count + 1 },
			{ "floor_tbl24", FLOOR_DIR_TBL24_BLOCKS },
			{ "floor_tbl8", groups ? groups : 1 },
			{ "floor_exact4", exacts ? exacts : 1 },
			{ "floor_guide6", tops ? tops : 1 },
			{ NULL, 0 },
		};

		memset(f, 0, sizeof(*f));
		snprintf(path, sizeof(path), "%s/floor_prefix.bpf.o", obj_dir);
		f->obj = bench_obj_load(path, sizes);
		if (!f->obj)
			exit(1);
	}
	bench_fill_lpm(f, v4, v6);
	bench_fill_plen(f, v4, v6);
	bench_fill_dir24(f, v4, groups);
	bench_fill_guide(f, v6, tops);
}
