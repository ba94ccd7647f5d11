/* SPDX-License-Identifier: GPL-2.0 */
/* bench/floor_prefix.bpf.c loaded with a synthetic IPv4 and IPv6 set. */
#ifndef BENCH_PREFIX_FLOORS_H
#define BENCH_PREFIX_FLOORS_H

#include <stdint.h>
#include "synth.h"

struct bpf_object;

/* A candidate structure's kernel memory (memlock) and the time it took to fill. */
struct bench_structure {
	uint64_t bytes;
	double fill_s;
};

struct bench_prefix_floors {
	struct bpf_object *obj;
	struct bench_structure lpm4, lpm6, plen4, plen6, dir24;
	struct bench_structure guided6; /* the guide alone: the walk's hash is plen6's */
	uint32_t lengths4, lengths6; /* prefix lengths present */
};

/* Loads and fills every floor of floor_prefix.bpf.o; exits on error. */
void bench_prefix_floors_load(struct bench_prefix_floors *f, const char *obj_dir,
			      const struct bench_synth *v4, const struct bench_synth *v6);

#endif
