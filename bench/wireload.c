// SPDX-License-Identifier: GPL-2.0
/*
 * Attaches a comparison program to IFNAME in native mode with the first RULES
 * rule sources of the benchmark (see addrs.h), then exits: the attachment
 * and its maps stay until the interface goes.
 *
 * usage: wireload OBJ_DIR floor_drop|floor_hit|xdp_filter IFNAME RULES [XDP_FILTER_OBJ]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "addrs.h"
#include "bpfobj.h"

#define XF_MAP_FLAG_SRC 1u

/* IPv4 sources as 4-byte keys; xdp-filter's values are per-CPU flag words. */
static void wireload_fill(int fd, uint32_t n, int xdp_filter)
{
	int ncpu = xdp_filter ? libbpf_num_possible_cpus() : 1;
	uint64_t value[512] = { 0 };

	for (int c = 0; c < ncpu && c < 512; c++)
		value[c] = xdp_filter ? XF_MAP_FLAG_SRC : 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v4 = bench_rule_v4(i);

		if (bpf_map_update_elem(fd, &v4, value, BPF_ANY)) {
			perror("wireload: map update");
			exit(1);
		}
	}
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	const char *what;
	char path[4096];
	uint32_t n;
	int ifindex, fd, err;

	if (argc < 5) {
		fprintf(stderr, "usage: wireload OBJ_DIR PROG IFNAME RULES [XDP_FILTER_OBJ]\n");
		return 2;
	}
	what = argv[2];
	n = strtoul(argv[4], NULL, 0);
	if (n > BENCH_V4_MAX)
		n = BENCH_V4_MAX;
	ifindex = if_nametoindex(argv[3]);
	if (!strcmp(what, "xdp_filter")) {
		struct bench_map_size sizes[] = { { "filter_ipv4", n }, { NULL, 0 } };

		if (argc < 6)
			return 2;
		obj = bench_obj_load(argv[5], sizes);
		if (!obj)
			return 1;
		wireload_fill(bench_obj_map(obj, "filter_ipv4"), n, 1);
		fd = bench_obj_prog(obj, "xdpfilt_alw_all");
	} else {
		struct bench_map_size sizes[] = { { "floor_rules4", n }, { NULL, 0 } };

		snprintf(path, sizeof(path), "%s/floor.bpf.o", argv[1]);
		obj = bench_obj_load(path, sizes);
		if (!obj)
			return 1;
		wireload_fill(bench_obj_map(obj, "floor_rules4"), n, 0);
		fd = bench_obj_prog(obj, what);
	}
	err = bpf_xdp_attach(ifindex, fd, XDP_FLAGS_DRV_MODE, NULL);
	if (err) {
		fprintf(stderr, "wireload: attaching to %s: %s\n", argv[3], strerror(-err));
		return 1;
	}
	return 0;
}
