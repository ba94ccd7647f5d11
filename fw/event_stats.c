// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "event_stats.h"

int fw_event_stats_read(int fd, uint64_t counts[FW_EVENT_STAT_COUNT])
{
	int cpus = libbpf_num_possible_cpus(), err = 0;
	__u64 *percpu;

	if (cpus < 0)
		return cpus;
	percpu = calloc((size_t)cpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	for (__u32 i = 0; i < FW_EVENT_STAT_COUNT && !err; i++) {
		counts[i] = 0;
		if (bpf_map_lookup_elem(fd, &i, percpu)) {
			err = -errno;
			break;
		}
		for (int cpu = 0; cpu < cpus; cpu++)
			counts[i] += percpu[cpu];
	}
	free(percpu);
	return err;
}
