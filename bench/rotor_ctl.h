/* SPDX-License-Identifier: GPL-2.0 */
/* Loading and pointing bench/rotor.bpf.c. */
#ifndef BENCH_ROTOR_CTL_H
#define BENCH_ROTOR_CTL_H

#include <stdint.h>
#include "rotor.h"

struct bpf_object;

/* Loads obj_dir/rotor.bpf.o with room for table_entries sources in rotor_addrs; exits on error. */
struct bpf_object *bench_rotor_load(const char *obj_dir, uint32_t table_entries);
/* Fills rotor_addrs[0, count). */
void bench_rotor_fill(struct bpf_object *rotor, const struct rotor_addr *addrs, uint32_t count);
/*
 * Points the rotor at prog_fd over count sources, written at offset as mode
 * says; count 0 leaves frames as they are. Table modes walk the table in
 * order (sources are shuffled when filled); the others stride through the
 * indices by a step prime to count, so neighbours do not follow each other.
 */
void bench_rotor_point(struct bpf_object *rotor, int prog_fd, uint32_t count, uint32_t offset,
		       enum rotor_mode mode);

#endif
