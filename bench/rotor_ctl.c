// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpfobj.h"
#include "rotor_ctl.h"

static uint32_t bench_gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t r = a % b;

		a = b;
		b = r;
	}
	return a;
}

struct bpf_object *bench_rotor_load(const char *obj_dir, uint32_t table_entries)
{
	struct bench_map_size sizes[] = { { "rotor_addrs", table_entries ? table_entries : 1 },
					  { NULL, 0 } };
	struct bpf_object *obj;
	char path[4096];

	snprintf(path, sizeof(path), "%s/rotor.bpf.o", obj_dir);
	obj = bench_obj_load(path, sizes);
	if (!obj)
		exit(1);
	return obj;
}

void bench_rotor_fill(struct bpf_object *rotor, const struct rotor_addr *addrs, uint32_t count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t *keys = malloc(((size_t)count + 1) * sizeof(*keys));
	uint32_t n = count;

	if (!keys) {
		perror("bench: rotor table");
		exit(1);
	}
	for (uint32_t i = 0; i < count; i++)
		keys[i] = i;
	if (count && bpf_map_update_batch(bench_obj_map(rotor, "rotor_addrs"), keys, addrs, &n,
					  &opts)) {
		perror("bench: rotor table");
		exit(1);
	}
	free(keys);
}

void bench_rotor_point(struct bpf_object *rotor, int prog_fd, uint32_t count, uint32_t offset,
		       enum rotor_mode mode)
{
	struct rotor_cfg cfg = { .count = count, .offset = offset, .mode = mode, .step = 1 };
	uint32_t zero = 0;

	if (count && (mode == ROTOR_LOW2 || mode == ROTOR_LOW4)) {
		cfg.step = count > 7919 ? 7919 : 1;
		while (bench_gcd(cfg.step, count) != 1)
			cfg.step++;
	}
	if (bpf_map_update_elem(bench_obj_map(rotor, "rotor_state"), &zero, &cfg, BPF_ANY) ||
	    bpf_map_update_elem(bench_obj_map(rotor, "rotor_target"), &zero, &prog_fd, BPF_ANY)) {
		perror("bench: rotor");
		exit(1);
	}
}
