/* SPDX-License-Identifier: GPL-2.0 */
/* The programs under test, each loaded with the same n source rules (drop). */
#ifndef BENCH_TARGETS_H
#define BENCH_TARGETS_H

#include <stdint.h>
#include "datapath.h"

struct bpf_object;

struct bench_targets {
	struct fw_datapath fw;
	struct bpf_object *floor;
	struct bpf_object *xfilter;
	struct bpf_object *rotor;
	double fw_sync_s; /* fw_datapath_sync of the n rules */
};

enum bench_prog {
	BP_DROP, BP_PARSE, BP_MISS, BP_HIT, BP_XFILTER, BP_XDPFW, BP_COUNT
};

extern const char *const bench_prog_names[BP_COUNT];

/* Loads everything for n rules; obj_dir holds floor.bpf.o and rotor.bpf.o. Exits on error. */
void bench_targets_load(struct bench_targets *t, uint32_t n, const char *obj_dir,
			const char *xfilter_obj);
void bench_targets_close(struct bench_targets *t);
int bench_targets_fd(const struct bench_targets *t, enum bench_prog p);

#endif
