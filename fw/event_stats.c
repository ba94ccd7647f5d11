// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "event_stats.h"

/* One counter of the PERCPU_ARRAY, summed. */
static int fw_event_stat_sum(const struct fw_datapath *dp, uint32_t slot, uint64_t *percpu,
			     int cpus, uint64_t *sum)
{
	if (bpf_map_lookup_elem(dp->event_stats_fd, &slot, percpu))
		return -errno;
	*sum = 0;
	for (int cpu = 0; cpu < cpus; cpu++)
		*sum += percpu[cpu];
	return 0;
}

int fw_event_totals_read(const struct fw_datapath *dp, struct fw_event_totals *out)
{
	int cpus = libbpf_num_possible_cpus();
	uint64_t *percpu, lost = 0;
	int err;

	if (cpus < 0)
		return cpus;
	percpu = calloc(cpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	*out = (struct fw_event_totals){ 0 };
	err = fw_event_stat_sum(dp, FW_EVENT_STAT_SENT, percpu, cpus, &out->sent);
	if (!err)
		err = fw_event_stat_sum(dp, FW_EVENT_STAT_SUPPRESSED, percpu, cpus, &out->suppressed);
	for (uint32_t slot = 0; slot < FW_EVENT_READERS && !err; slot++) {
		err = fw_event_stat_sum(dp, FW_EVENT_STAT_LOST0 + slot, percpu, cpus, &lost);
		out->lost += lost;
	}
	free(percpu);
	return err;
}
