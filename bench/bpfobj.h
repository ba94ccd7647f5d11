/* SPDX-License-Identifier: GPL-2.0 */
/* Opening and loading a BPF object file with libbpf, with map sizes set before load. */
#ifndef BENCH_BPFOBJ_H
#define BENCH_BPFOBJ_H

#include <stdint.h>

struct bpf_object;

struct bench_map_size {
	const char *name;
	uint32_t max_entries;
};

/* Opens path, resizes the named maps (NULL name ends the list), loads. NULL on error (printed). */
struct bpf_object *bench_obj_load(const char *path, const struct bench_map_size *sizes);
/* The fd of a program or map by name; exits with a message if absent. */
int bench_obj_prog(struct bpf_object *obj, const char *name);
int bench_obj_map(struct bpf_object *obj, const char *name);

#endif
