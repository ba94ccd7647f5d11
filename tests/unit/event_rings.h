/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the datapath tests of events (DESIGN §1b): rings of their own in
 * fw_event_rings slots, as readers put them there, what they received, the
 * log_rate bucket fw_log and the fw_event_stats counts.
 */
#ifndef TEST_EVENT_RINGS_H
#define TEST_EVENT_RINGS_H

#include <stddef.h>
#include <stdint.h>
#include "datapath.h"

#define EVENT_RING_BYTES (1u << 20) /* a test ring: 14k events, more than any test sends */
#define EVENT_RING_SMALL 4096u      /* the smallest ring: 56 events of 72 bytes with its header */

struct ring_buffer;

struct event_ring {
	int fd;          /* the RINGBUF */
	uint32_t slot;   /* its fw_event_rings slot */
	struct ring_buffer *rb; /* NULL: closed, or never opened */
	struct fw_event *got; /* every event read from it, in order */
	size_t count, room;
};

/* Makes a RINGBUF of bytes and puts it in slot. */
void event_ring_open(struct fw_datapath *dp, struct event_ring *r, uint32_t slot, uint32_t bytes);
/* Takes it out of its slot and frees it. */
void event_ring_close(struct fw_datapath *dp, struct event_ring *r);
/* Reads what the ring holds onto r->got; returns how many events that was. */
size_t event_ring_drain(struct event_ring *r);

/* Empties every slot and zeroes every count; FW_PARAM_LOG 0, and a bucket nothing has written. */
void events_reset(struct fw_datapath *dp);

/* The fw_log bucket: an event every interval ns, burst at once; tat 0 = full. */
void event_bucket_write(struct fw_datapath *dp, uint64_t interval, uint64_t burst_window,
			uint64_t tat);
struct fw_limit_value event_bucket_read(struct fw_datapath *dp);

/* An fw_event_stats count, summed over CPUs. */
uint64_t event_stat(struct fw_datapath *dp, uint32_t index);

/* Sets or clears FW_RULE_LOG in fw_rule_info[id].flags. */
void rule_log_set(struct fw_datapath *dp, uint32_t id, int log);

#endif /* TEST_EVENT_RINGS_H */
