/* SPDX-License-Identifier: GPL-2.0 */
/* fw_event_stats summed over the CPUs: events sent, held back by log_rate, lost to full rings. */
#ifndef FW_EVENT_STATS_H
#define FW_EVENT_STATS_H

#include <stdint.h>
#include "xdpfw.h"

/* fw_event_stats (the map at fd) into counts[FW_EVENT_STAT_COUNT]. */
int fw_event_stats_read(int fd, uint64_t counts[FW_EVENT_STAT_COUNT]);

/* Events lost by every reader's ring together. */
static inline uint64_t fw_event_stats_lost(const uint64_t counts[FW_EVENT_STAT_COUNT])
{
	uint64_t lost = 0;

	for (int slot = 0; slot < FW_EVENT_READERS; slot++)
		lost += counts[FW_EVENT_STAT_LOST0 + slot];
	return lost;
}

#endif /* FW_EVENT_STATS_H */
