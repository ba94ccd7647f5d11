// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "addrs.h"
#include "bpfobj.h"
#include "rotor_ctl.h"
#include "targets.h"
#include "timing.h"

/* xdp-filter's map values: flag bits below a packet counter (its common_kern_user.h). */
#define XF_MAP_FLAG_SRC 1u

const char *const bench_prog_names[BP_COUNT] = {
	"floor_drop", "floor_parse", "floor_miss", "floor_hit", "floor_port_hit",
	"xdp_filter", "xdpfw", "xdpfw_port",
};

/* floor.bpf.c's {source, port, proto} keys. */
struct bench_port4_key {
	uint32_t src;
	uint16_t port;
	uint8_t proto, pad;
};

struct bench_port6_key {
	uint8_t src[16];
	uint16_t port;
	uint8_t proto, pad;
};

static void bench_die(const char *what, int err)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static void bench_batch(int fd, const void *keys, const void *values, size_t n,
			const char *what)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t count = n;

	if (n && bpf_map_update_batch(fd, keys, values, &count, &opts))
		bench_die(what, errno);
}

static void bench_source_addr(const struct bench_sources *src, size_t i, uint8_t out[16])
{
	if (i < src->v4_count)
		fw_addr_from_ipv4(out, &src->v4[i]);
	else
		memcpy(out, src->v6[i - src->v4_count], 16);
}

void bench_rules_for(struct fw_ruleset *rs, const struct bench_sources *src, int port_rules)
{
	size_t n = src->v4_count + src->v6_count;

	memset(rs, 0, sizeof(*rs));
	rs->count = n;
	rs->default_action = FW_ACTION_PASS;
	rs->rules = calloc(n ? n : 1, sizeof(*rs->rules));
	if (!rs->rules)
		bench_die("xdpfw rules", ENOMEM);
	for (size_t i = 0; i < n; i++) {
		struct fw_rule *r = &rs->rules[i];

		snprintf(r->name, sizeof(r->name), "bench-%zu", i);
		bench_source_addr(src, i, r->src);
		r->has_src = true;
		r->port = port_rules ? BENCH_RULE_PORT : 0;
		r->proto = port_rules ? FW_PROTO_UDP : FW_PROTO_ANY;
		r->action = FW_ACTION_DROP;
		r->id = i;
	}
}

double bench_xdpfw_load(struct fw_datapath *dp, const struct fw_ruleset *rs)
{
	uint32_t capacity = rs->count < FW_DEFAULT_CAPACITY ? FW_DEFAULT_CAPACITY : rs->count;
	struct fw_compiled compiled;
	struct fw_room room;
	double t0, took;
	int err;

	/* Maps sized to this set, as `xdpfw apply` sizes them. */
	err = fw_compile(rs, &compiled);
	if (err)
		bench_die("compiling xdpfw rules", err);
	room = fw_room_for(&compiled, NULL);
	fw_compiled_free(&compiled);
	err = fw_datapath_load(dp, capacity, &room);
	if (err)
		bench_die("loading xdpfw", err);
	t0 = bench_now_ns();
	err = fw_datapath_sync(dp, rs);
	took = (bench_now_ns() - t0) / 1e9;
	if (err)
		bench_die("xdpfw sync", err);
	return took;
}

/* Loads dp with one drop rule per source: on any port, or on (53, udp). */
static double bench_load_xdpfw(struct fw_datapath *dp, const struct bench_sources *src,
			       int port_rules)
{
	struct fw_ruleset rs;
	double took;

	bench_rules_for(&rs, src, port_rules);
	took = bench_xdpfw_load(dp, &rs);
	free(rs.rules);
	return took;
}

struct bpf_object *bench_floor_load(const char *obj_dir, const struct bench_sources *src)
{
	struct bpf_object *floor;
	size_t n4 = src->v4_count, n6 = src->v6_count;
	struct bench_map_size sizes[] = {
		{ "floor_rules4", n4 ? n4 : 1 }, { "floor_rules6", n6 ? n6 : 1 },
		{ "floor_port4", n4 ? n4 : 1 },  { "floor_port6", n6 ? n6 : 1 },
		{ NULL, 0 }
	};
	size_t most = n4 > n6 ? n4 : n6;
	struct bench_port4_key *k4 = calloc(most + 1, sizeof(*k4));
	struct bench_port6_key *k6 = calloc(most + 1, sizeof(*k6));
	uint64_t *values = calloc(most + 1, sizeof(*values));
	char path[4096];

	snprintf(path, sizeof(path), "%s/floor.bpf.o", obj_dir);
	floor = bench_obj_load(path, sizes);
	if (!floor || !k4 || !k6 || !values)
		exit(1);
	bench_batch(bench_obj_map(floor, "floor_rules4"), src->v4, values, n4, "floor v4");
	bench_batch(bench_obj_map(floor, "floor_rules6"), src->v6, values, n6, "floor v6");
	for (size_t i = 0; i < n4; i++)
		k4[i] = (struct bench_port4_key){ src->v4[i], BENCH_RULE_PORT, BENCH_RULE_IPPROTO, 0 };
	for (size_t i = 0; i < n6; i++) {
		memcpy(k6[i].src, src->v6[i], 16);
		k6[i].port = BENCH_RULE_PORT;
		k6[i].proto = BENCH_RULE_IPPROTO;
	}
	bench_batch(bench_obj_map(floor, "floor_port4"), k4, values, n4, "floor port v4");
	bench_batch(bench_obj_map(floor, "floor_port6"), k6, values, n6, "floor port v6");
	free(k4);
	free(k6);
	free(values);
	return floor;
}

/* xdp-filter: per-CPU hashes keyed by the bare IPv4 or IPv6 address; flags in the value. */
static void bench_load_xfilter(struct bench_targets *t, const struct bench_sources *src,
			       const char *path)
{
	size_t n4 = src->v4_count, n6 = src->v6_count;
	struct bench_map_size sizes[] = {
		{ "filter_ipv4", n4 ? n4 : 1 }, { "filter_ipv6", n6 ? n6 : 1 }, { NULL, 0 }
	};
	int ncpu = libbpf_num_possible_cpus();
	size_t most = n4 > n6 ? n4 : n6;
	uint64_t *values = malloc(((size_t)most * ncpu + 1) * sizeof(uint64_t));

	t->xfilter = bench_obj_load(path, sizes);
	if (!t->xfilter || !values || ncpu <= 0)
		exit(1);
	for (size_t i = 0; i < (size_t)most * ncpu; i++)
		values[i] = XF_MAP_FLAG_SRC;
	bench_batch(bench_obj_map(t->xfilter, "filter_ipv4"), src->v4, values, n4, "xdp-filter v4");
	bench_batch(bench_obj_map(t->xfilter, "filter_ipv6"), src->v6, values, n6, "xdp-filter v6");
	free(values);
}

void bench_targets_load_sources(struct bench_targets *t, const struct bench_sources *src,
				const char *obj_dir, const char *xfilter_obj, int with_port)
{
	memset(t, 0, sizeof(*t));
	fw_datapath_init(&t->fw);
	fw_datapath_init(&t->fw_port);
	t->fw_sync_s = bench_load_xdpfw(&t->fw, src, 0);
	if (with_port)
		bench_load_xdpfw(&t->fw_port, src, 1);
	t->floor = bench_floor_load(obj_dir, src);
	bench_load_xfilter(t, src, xfilter_obj);
	t->rotor = bench_rotor_load(obj_dir, 0);
}

void bench_sources_for(struct bench_sources *src, uint32_t n)
{
	struct bench_split s = bench_split(n);
	uint32_t *v4 = calloc(s.v4 + 1, sizeof(*v4));
	uint8_t(*v6)[16] = calloc(s.v6 + 1, 16);

	if (!v4 || !v6)
		bench_die("sources", ENOMEM);
	for (uint32_t i = 0; i < s.v4; i++)
		v4[i] = bench_rule_v4(i);
	for (uint32_t i = 0; i < s.v6; i++)
		bench_rule_addr(&s, s.v4 + i, v6[i]);
	*src = (struct bench_sources){ v4, s.v4, (const uint8_t(*)[16])v6, s.v6 };
}

void bench_sources_free(struct bench_sources *src)
{
	free((void *)src->v4);
	free((void *)src->v6);
	memset(src, 0, sizeof(*src));
}

void bench_targets_load(struct bench_targets *t, uint32_t n, const char *obj_dir,
			const char *xfilter_obj)
{
	struct bench_sources src;

	bench_sources_for(&src, n);
	bench_targets_load_sources(t, &src, obj_dir, xfilter_obj, 1);
	bench_sources_free(&src);
}

void bench_targets_close(struct bench_targets *t)
{
	fw_datapath_close(&t->fw);
	fw_datapath_close(&t->fw_port);
	bpf_object__close(t->floor);
	bpf_object__close(t->xfilter);
	bpf_object__close(t->rotor);
}

int bench_targets_fd(const struct bench_targets *t, enum bench_prog p)
{
	switch (p) {
	case BP_XDPFW:
		return t->fw.prog_fd;
	case BP_XDPFW_PORT:
		return t->fw_port.prog_fd;
	case BP_XFILTER:
		return bench_obj_prog(t->xfilter, "xdpfilt_alw_all");
	default:
		return bench_obj_prog(t->floor, bench_prog_names[p]);
	}
}

uint64_t bench_fd_memlock(int fd)
{
	char path[64], line[256];
	unsigned long long bytes = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %llu", &bytes) == 1)
			break;
	fclose(f);
	return bytes;
}
