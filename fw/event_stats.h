/* SPDX-License-Identifier: GPL-2.0 */
/* fw_event_stats summed over the CPUs: events sent, held back by log_rate, lost to full rings. */
#ifndef FW_EVENT_STATS_H
#define FW_EVENT_STATS_H

#include <stdint.h>
#include "datapath.h"

struct fw_event_totals {
	uint64_t sent;
	uint64_t suppressed;
	uint64_t lost; /* every reader's slot together */
};

int fw_event_totals_read(const struct fw_datapath *dp, struct fw_event_totals *out);

#endif /* FW_EVENT_STATS_H */
