// SPDX-License-Identifier: GPL-2.0
/* `xdpfw events [--json]`: every event as it comes, one line each, until SIGINT or SIGTERM. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include "event_text.h"
#include "events.h"
#include "log.h"
#include "show.h"
#include "signals.h"

/* How often an idle reader makes sure the pins it follows are still there. */
#define FW_EVENTS_CHECK_MS 1000

struct fw_events_out {
	const char *pin_dir;
	struct fw_event_names *names;
	bool json;
};

static int fw_events_print(void *ctx, const struct fw_event *ev)
{
	const struct fw_events_out *out = ctx;
	struct fw_event_words w;
	char line[FW_EVENT_LINE_MAX];
	int err = 0;

	fw_event_words(out->names, ev, &w);
	if (out->json) {
		struct json_object *obj = fw_event_json(&w);

		err = obj ? fw_json_print(stdout, obj, JSON_C_TO_STRING_PLAIN) : -ENOMEM;
		putchar('\n');
	} else {
		fw_event_line(&w, true, line, sizeof(line));
		puts(line);
	}
	return err;
}

/* SIGINT and SIGTERM come through a signalfd; a closed pipe is EPIPE from a write, not a death. */
static int fw_events_signals(void)
{
	sigset_t mask;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	return fw_signalfd_open(&mask);
}

static int fw_events_follow(struct fw_event_feed *feed, int sfd, struct fw_events_out *out)
{
	struct pollfd pfd[2] = { { .fd = sfd, .events = POLLIN },
				 { .fd = fw_event_feed_fd(feed), .events = POLLIN } };

	for (;;) {
		uint64_t lost;
		int n = poll(pfd, 2, FW_EVENTS_CHECK_MS);

		if (n < 0 && errno != EINTR)
			return -errno;
		if (!n && !fw_event_feed_current(feed)) {
			fw_error("%s: the pinned state this reader followed is gone ('xdpfw down'); "
				 "start it again to follow what is pinned now", out->pin_dir);
			return -ENOENT;
		}
		if (n <= 0)
			continue;
		if (pfd[0].revents)
			return 0;
		n = fw_event_feed_poll(feed, 0, fw_events_print, out);
		/* Flushed once the ring is drained: a pipe sees every line as soon as it is read. */
		if (fflush(stdout) == EOF && n >= 0)
			n = -errno;
		if (n < 0)
			return n;
		lost = fw_event_feed_lost(feed);
		if (lost)
			fw_error("%" PRIu64 " events lost: this reader fell behind its ring", lost);
	}
}

int fw_events_cmd(const char *pin_dir, bool json)
{
	struct fw_events_out out = { .pin_dir = pin_dir, .json = json };
	struct fw_event_feed *feed = NULL;
	int sfd = fw_events_signals(), err;

	if (sfd < 0) {
		fw_error("cannot set up signal handling: %s", strerror(-sfd));
		return 1;
	}
	err = fw_event_names_open(pin_dir, &out.names);
	if (err)
		fw_error("%s: %s", pin_dir, strerror(-err));
	else
		err = fw_event_feed_open(pin_dir, &feed); /* said */
	if (!err) {
		fw_info("%s: following events; Ctrl-C stops", pin_dir);
		err = fw_events_follow(feed, sfd, &out);
		if (err && err != -EPIPE && err != -ENOENT)
			fw_error("%s: reading events failed: %s", pin_dir, strerror(-err));
	}
	fw_event_feed_close(feed);
	fw_event_names_close(out.names);
	close(sfd);
	return err && err != -EPIPE ? 1 : 0;
}
