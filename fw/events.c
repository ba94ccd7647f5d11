// SPDX-License-Identifier: GPL-2.0
/* STUB: the events helper replaces this file. */
#include <errno.h>
#include <stddef.h>
#include "events.h"

int fw_event_feed_open(const char *pin_dir, struct fw_event_feed **out)
{
	(void)pin_dir;
	*out = NULL;
	return -ENOSYS;
}

int fw_event_feed_fd(const struct fw_event_feed *feed)
{
	(void)feed;
	return -1;
}

int fw_event_feed_poll(struct fw_event_feed *feed, int timeout_ms, fw_event_fn fn, void *ctx)
{
	(void)feed, (void)timeout_ms, (void)fn, (void)ctx;
	return -ENOSYS;
}

void fw_event_feed_close(struct fw_event_feed *feed)
{
	(void)feed;
}

int fw_events_cmd(const char *pin_dir, bool json)
{
	(void)pin_dir, (void)json;
	return 1;
}
