/* SPDX-License-Identifier: GPL-2.0 */
/* The programs under test, each loaded with the same n source rules (drop). */
#ifndef BENCH_TARGETS_H
#define BENCH_TARGETS_H

#include <stddef.h>
#include <stdint.h>
#include "datapath.h"

struct bpf_object;

struct bench_targets {
	struct fw_datapath fw;      /* one (source, any, any) drop rule per source */
	struct fw_datapath fw_port; /* one (source, 53, udp) drop rule per source; optional */
	struct bpf_object *floor;
	struct bpf_object *xfilter;
	struct bpf_object *rotor;
	double fw_sync_s; /* fw_datapath_sync of the source-only rules */
};

enum bench_prog {
	BP_DROP, BP_PARSE, BP_MISS, BP_HIT, BP_PORT_HIT, BP_XFILTER, BP_XDPFW, BP_XDPFW_PORT,
	BP_COUNT
};

extern const char *const bench_prog_names[BP_COUNT];

/* The rule sources: IPv4 in network order, IPv6 as 16 bytes. */
struct bench_sources {
	const uint32_t *v4;
	size_t v4_count;
	const uint8_t (*v6)[16];
	size_t v6_count;
};

/* The port rules' destination port and protocol, which hit frames carry (bench_frame). */
#define BENCH_RULE_PORT 53
#define BENCH_RULE_IPPROTO 17

/* The first n sources of bench/addrs.h, in arrays of their own; bench_sources_free() frees them. */
void bench_sources_for(struct bench_sources *src, uint32_t n);
void bench_sources_free(struct bench_sources *src);

/* One drop rule per source, ids from 0: on any port, or on (53, udp). Free rs->rules. */
void bench_rules_for(struct fw_ruleset *rs, const struct bench_sources *src, int port_rules);
/* Compiles rs, loads dp with maps sized to it as `apply` does, syncs; the sync's seconds. */
double bench_xdpfw_load(struct fw_datapath *dp, const struct fw_ruleset *rs);

/*
 * Loads everything for these sources; obj_dir holds floor.bpf.o and
 * rotor.bpf.o. With_port also loads fw_port. Exits on error.
 */
void bench_targets_load_sources(struct bench_targets *t, const struct bench_sources *src,
				const char *obj_dir, const char *xfilter_obj, int with_port);
/* The same for the first n sources of bench/addrs.h, with fw_port. */
void bench_targets_load(struct bench_targets *t, uint32_t n, const char *obj_dir,
			const char *xfilter_obj);
void bench_targets_close(struct bench_targets *t);
/* floor.bpf.o alone, its maps holding these sources. Exits on error. */
struct bpf_object *bench_floor_load(const char *obj_dir, const struct bench_sources *src);
/* A program's fd; -1 for xdpfw_port when it was not loaded. */
int bench_targets_fd(const struct bench_targets *t, enum bench_prog p);

/* Kernel memory a map or program holds, from /proc/self/fdinfo (memlock:), in bytes. */
uint64_t bench_fd_memlock(int fd);

#endif
