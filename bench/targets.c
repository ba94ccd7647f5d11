// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "addrs.h"
#include "bpfobj.h"
#include "targets.h"
#include "timing.h"

/* xdp-filter's map values: flag bits below a packet counter (its common_kern_user.h). */
#define XF_MAP_FLAG_SRC 1u

const char *const bench_prog_names[BP_COUNT] = {
	"floor_drop", "floor_parse", "floor_miss", "floor_hit", "xdp_filter", "xdpfw",
};

static void bench_die(const char *what, int err)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static void bench_batch(int fd, const void *keys, const void *values, uint32_t n,
			const char *what)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t count = n;

	if (n && bpf_map_update_batch(fd, keys, values, &count, &opts))
		bench_die(what, errno);
}

static void bench_load_xdpfw(struct bench_targets *t, uint32_t n, const struct bench_split *s)
{
	struct fw_ruleset rs = { .count = n, .default_action = FW_ACTION_PASS };
	uint32_t capacity = n < FW_DEFAULT_CAPACITY ? FW_DEFAULT_CAPACITY : n;
	double t0;
	int err;

	rs.rules = calloc(n, sizeof(*rs.rules));
	if (!rs.rules)
		bench_die("xdpfw rules", ENOMEM);
	for (uint32_t i = 0; i < n; i++) {
		struct fw_rule *r = &rs.rules[i];

		snprintf(r->name, sizeof(r->name), "bench-%u", i);
		bench_rule_addr(s, i, r->src);
		r->has_src = true;
		r->proto = FW_PROTO_ANY;
		r->action = FW_ACTION_DROP;
		r->id = i;
	}
	/* Maps sized to this set, as `xdpfw apply` sizes them. */
	struct fw_compiled compiled;
	struct fw_room room;

	err = fw_compile(&rs, &compiled);
	if (err)
		bench_die("compiling xdpfw rules", err);
	room = fw_room_for(&compiled, NULL);
	fw_compiled_free(&compiled);
	err = fw_datapath_load(&t->fw, capacity, &room);
	if (err)
		bench_die("loading xdpfw", err);
	t0 = bench_now_ns();
	err = fw_datapath_sync(&t->fw, &rs);
	t->fw_sync_s = (bench_now_ns() - t0) / 1e9;
	if (err)
		bench_die("xdpfw sync", err);
	free(rs.rules);
}

static void bench_load_floor(struct bench_targets *t, uint32_t n, const struct bench_split *s,
			     const char *obj_dir)
{
	struct bench_map_size sizes[] = { { "floor_rules", n ? n : 1 }, { NULL, 0 } };
	char path[4096];
	uint8_t *keys = malloc((size_t)n * 16 + 1);
	uint64_t *values = calloc(n + 1, sizeof(*values));

	snprintf(path, sizeof(path), "%s/floor.bpf.o", obj_dir);
	t->floor = bench_obj_load(path, sizes);
	if (!t->floor || !keys || !values)
		exit(1);
	for (uint32_t i = 0; i < n; i++)
		bench_rule_addr(s, i, keys + (size_t)i * 16);
	bench_batch(bench_obj_map(t->floor, "floor_rules"), keys, values, n, "floor rules");
	free(keys);
	free(values);
}

/* xdp-filter: per-CPU hashes keyed by the bare IPv4 or IPv6 address; flags in the value. */
static void bench_load_xfilter(struct bench_targets *t, const struct bench_split *s,
			       const char *path)
{
	struct bench_map_size sizes[] = {
		{ "filter_ipv4", s->v4 ? s->v4 : 1 }, { "filter_ipv6", s->v6 ? s->v6 : 1 }, { NULL, 0 }
	};
	int ncpu = libbpf_num_possible_cpus();
	uint32_t most = s->v4 > s->v6 ? s->v4 : s->v6;
	uint8_t *keys = malloc((size_t)most * 16 + 1);
	uint64_t *values = malloc(((size_t)most * ncpu + 1) * sizeof(uint64_t));
	struct bench_split v6only = { 0, s->v6 };

	t->xfilter = bench_obj_load(path, sizes);
	if (!t->xfilter || !keys || !values || ncpu <= 0)
		exit(1);
	for (size_t i = 0; i < (size_t)most * ncpu; i++)
		values[i] = XF_MAP_FLAG_SRC;
	for (uint32_t i = 0; i < s->v4; i++) {
		uint32_t a = bench_rule_v4(i);

		memcpy(keys + (size_t)i * 4, &a, 4);
	}
	bench_batch(bench_obj_map(t->xfilter, "filter_ipv4"), keys, values, s->v4, "xdp-filter v4");
	for (uint32_t i = 0; i < s->v6; i++)
		bench_rule_addr(&v6only, i, keys + (size_t)i * 16);
	bench_batch(bench_obj_map(t->xfilter, "filter_ipv6"), keys, values, s->v6, "xdp-filter v6");
	free(keys);
	free(values);
}

void bench_targets_load(struct bench_targets *t, uint32_t n, const char *obj_dir,
			const char *xfilter_obj)
{
	struct bench_split s = bench_split(n);
	char path[4096];

	memset(t, 0, sizeof(*t));
	fw_datapath_init(&t->fw);
	bench_load_xdpfw(t, n, &s);
	bench_load_floor(t, n, &s, obj_dir);
	bench_load_xfilter(t, &s, xfilter_obj);
	snprintf(path, sizeof(path), "%s/rotor.bpf.o", obj_dir);
	t->rotor = bench_obj_load(path, NULL);
	if (!t->rotor)
		exit(1);
}

void bench_targets_close(struct bench_targets *t)
{
	fw_datapath_close(&t->fw);
	bpf_object__close(t->floor);
	bpf_object__close(t->xfilter);
	bpf_object__close(t->rotor);
}

int bench_targets_fd(const struct bench_targets *t, enum bench_prog p)
{
	switch (p) {
	case BP_XDPFW:
		return t->fw.prog_fd;
	case BP_XFILTER:
		return bench_obj_prog(t->xfilter, "xdpfilt_alw_all");
	default:
		return bench_obj_prog(t->floor, bench_prog_names[p]);
	}
}
