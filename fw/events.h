/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading events (DESIGN §1b): a feed owns one slot of fw_event_rings, so
 * each reader sees every event; `xdpfw events` prints them.
 */
#ifndef FW_EVENTS_H
#define FW_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include "xdpfw.h"

struct fw_event_feed;

/* Called once per event; a negative return stops fw_event_feed_poll() with it. */
typedef int (*fw_event_fn)(void *ctx, const struct fw_event *ev);

/*
 * Claims a free slot (or one whose owner died) under pin_dir's lock, and
 * puts a new ring of FW_EVENT_RING_BYTES there. -ENOENT when nothing is
 * pinned, -EBUSY when every slot has a live reader; said once.
 */
int fw_event_feed_open(const char *pin_dir, struct fw_event_feed **out);
/* Readable (POLLIN) when events wait: for a caller's own poll loop. */
int fw_event_feed_fd(const struct fw_event_feed *feed);
/* Waits up to timeout_ms (0: not at all) and hands every waiting event to fn. */
int fw_event_feed_poll(struct fw_event_feed *feed, int timeout_ms, fw_event_fn fn, void *ctx);
/* Events the feed's full ring could not take since the last call (the reader fell behind). */
uint64_t fw_event_feed_lost(struct fw_event_feed *feed);
/* Whether the pins are still those it reads: `down` (and a new start) leaves it reading nothing. */
bool fw_event_feed_current(const struct fw_event_feed *feed);
/* Gives the slot back; NULL is fine. */
void fw_event_feed_close(struct fw_event_feed *feed);

/* `xdpfw events [--json]`: one line per event until SIGINT or SIGTERM. */
int fw_events_cmd(const char *pin_dir, bool json);

#endif /* FW_EVENTS_H */
