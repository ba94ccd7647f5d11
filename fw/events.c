// SPDX-License-Identifier: GPL-2.0
/*
 * A reader's own ring in one slot of fw_event_rings: the datapath copies
 * every event into each ring, so readers never take events from each other.
 * Slots are claimed and given back under the pin dir's lock; fw_event_readers
 * says whose each is, so a dead reader's slot goes to the next one.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "event_stats.h"
#include "events.h"
#include "log.h"
#include "pin.h"
#include "state.h"

struct fw_event_feed {
	char pin_dir[PATH_MAX];
	int rings_fd;   /* fw_event_rings, fw_event_readers, fw_event_stats: kept maps, */
	int readers_fd; /* the same for as long as the pins live */
	int stats_fd;
	int ring_fd;
	__u32 slot;
	struct fw_event_reader me;
	struct ring_buffer *rb;
	uint64_t lost;  /* the slot's LOST count when last looked at */
	struct stat pinned; /* fw_event_rings' pin when the slot was claimed */
	fw_event_fn fn;
	void *ctx;
};

/* Field 22 of /proc/PID/stat, the start time in clock ticks since boot: pids are reused, it is not. */
static int fw_proc_started(__u32 pid, __u64 *started)
{
	char path[32], line[1024], *at;
	unsigned long long ticks;
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	ok = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	at = ok ? strrchr(line, ')') : NULL; /* the name in between may hold anything */
	if (!at || sscanf(at + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
			   "%*d %*d %*d %*d %llu", &ticks) != 1)
		return -EIO;
	*started = ticks;
	return 0;
}

static bool fw_reader_alive(const struct fw_event_reader *r)
{
	__u64 started;

	return r->pid && !fw_proc_started(r->pid, &started) && started == r->started;
}

/* Empties a slot: the datapath stops copying into its ring, and the ring is freed. */
static int fw_slot_clear(int rings_fd, int readers_fd, __u32 slot)
{
	struct fw_event_reader none = { 0 };

	if (bpf_map_delete_elem(rings_fd, &slot) && errno != ENOENT)
		return -errno;
	return bpf_map_update_elem(readers_fd, &slot, &none, BPF_ANY) ? -errno : 0;
}

/* A free slot, dead readers' slots emptied on the way; -EBUSY, said, when all are live. */
static int fw_slot_find(struct fw_event_feed *feed, __u32 *found)
{
	char pids[FW_EVENT_READERS * 12] = "";
	bool have = false;

	for (__u32 slot = 0; slot < FW_EVENT_READERS; slot++) {
		struct fw_event_reader r;

		if (bpf_map_lookup_elem(feed->readers_fd, &slot, &r))
			return -errno;
		if (fw_reader_alive(&r)) {
			snprintf(pids + strlen(pids), sizeof(pids) - strlen(pids), "%s%u",
				 *pids ? ", " : "", r.pid);
			continue;
		}
		if (r.pid) {
			int err = fw_slot_clear(feed->rings_fd, feed->readers_fd, slot);

			if (err)
				return err;
			fw_debug("%s: event slot %u of pid %u, which is gone, is free again",
				 feed->pin_dir, slot, r.pid);
		}
		if (!have)
			*found = slot;
		have = true;
	}
	if (have)
		return 0;
	fw_error("%s: all %d event readers are taken (pids %s); stop one of them, e.g. an "
		 "'xdpfw events' left running", feed->pin_dir, FW_EVENT_READERS, pids);
	return -EBUSY;
}

static uint64_t fw_feed_lost_count(const struct fw_event_feed *feed)
{
	uint64_t counts[FW_EVENT_STAT_COUNT];

	if (fw_event_stats_read(feed->stats_fd, counts))
		return feed->lost;
	return counts[FW_EVENT_STAT_LOST0 + feed->slot];
}

/* Under the lock: a new ring in a free slot, and this process as its owner. */
static int fw_feed_claim(struct fw_event_feed *feed, const struct fw_datapath *dp)
{
	int err;

	feed->rings_fd = dup(dp->event_rings_fd);
	feed->readers_fd = dup(dp->event_readers_fd);
	feed->stats_fd = dup(dp->event_stats_fd);
	if (feed->rings_fd < 0 || feed->readers_fd < 0 || feed->stats_fd < 0)
		return -errno;
	err = fw_slot_find(feed, &feed->slot);
	if (err)
		return err;
	feed->me.pid = (__u32)getpid();
	err = fw_proc_started(feed->me.pid, &feed->me.started);
	if (err)
		return err;
	feed->ring_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "fw_event_ring", 0, 0,
				       FW_EVENT_RING_BYTES, NULL);
	if (feed->ring_fd < 0)
		return -errno;
	if (bpf_map_update_elem(feed->readers_fd, &feed->slot, &feed->me, BPF_ANY) ||
	    bpf_map_update_elem(feed->rings_fd, &feed->slot, &feed->ring_fd, BPF_ANY))
		return -errno;
	feed->lost = fw_feed_lost_count(feed);
	return 0;
}

static void fw_rings_pin(const char *pin_dir, struct stat *st)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/fw_event_rings", pin_dir);
	if (stat(path, st))
		memset(st, 0, sizeof(*st));
}

static int fw_feed_record(void *ctx, void *data, size_t size)
{
	struct fw_event_feed *feed = ctx;
	struct fw_event ev;

	if (size < sizeof(ev))
		return 0; /* not an event this build knows */
	memcpy(&ev, data, sizeof(ev));
	return feed->fn(feed->ctx, &ev);
}

int fw_event_feed_open(const char *pin_dir, struct fw_event_feed **out)
{
	struct fw_event_feed *feed = calloc(1, sizeof(*feed));
	struct fw_state st;
	int err;

	*out = NULL;
	if (!feed) {
		fw_error("%s: cannot set up an event reader: %s", pin_dir, strerror(ENOMEM));
		return -ENOMEM;
	}
	snprintf(feed->pin_dir, sizeof(feed->pin_dir), "%s", pin_dir);
	feed->rings_fd = feed->readers_fd = feed->stats_fd = feed->ring_fd = -1;
	feed->slot = FW_EVENT_READERS; /* none claimed yet */
	err = fw_state_open(&st, pin_dir, false);
	if (err) {
		free(feed);
		return err; /* said */
	}
	err = fw_feed_claim(feed, &st.dp);
	fw_rings_pin(pin_dir, &feed->pinned);
	if (err && err != -EBUSY)
		fw_error("%s: cannot set up an event reader: %s", pin_dir, strerror(-err));
	fw_state_close(&st);
	if (!err) {
		feed->rb = ring_buffer__new(feed->ring_fd, fw_feed_record, feed, NULL);
		err = feed->rb ? 0 : -errno;
		if (err)
			fw_error("%s: cannot read the event ring: %s", pin_dir, strerror(-err));
	}
	if (err) {
		fw_event_feed_close(feed);
		return err;
	}
	fw_debug("%s: reading events from slot %u", pin_dir, feed->slot);
	*out = feed;
	return 0;
}

int fw_event_feed_fd(const struct fw_event_feed *feed)
{
	return ring_buffer__epoll_fd(feed->rb);
}

int fw_event_feed_poll(struct fw_event_feed *feed, int timeout_ms, fw_event_fn fn, void *ctx)
{
	feed->fn = fn;
	feed->ctx = ctx;
	return timeout_ms ? ring_buffer__poll(feed->rb, timeout_ms) : ring_buffer__consume(feed->rb);
}

bool fw_event_feed_current(const struct fw_event_feed *feed)
{
	struct stat now;

	fw_rings_pin(feed->pin_dir, &now);
	return now.st_ino == feed->pinned.st_ino && now.st_dev == feed->pinned.st_dev;
}

uint64_t fw_event_feed_lost(struct fw_event_feed *feed)
{
	uint64_t now = fw_feed_lost_count(feed), more = now - feed->lost;

	feed->lost = now;
	return more;
}

/* Gives the slot back, if it is still this process's: after `down` and a new start it is not. */
static void fw_feed_release(struct fw_event_feed *feed)
{
	struct fw_event_reader r;
	int lock_fd;

	if (feed->slot >= FW_EVENT_READERS || fw_pin_lock(feed->pin_dir, false, &lock_fd))
		return;
	if (!bpf_map_lookup_elem(feed->readers_fd, &feed->slot, &r) && r.pid == feed->me.pid &&
	    r.started == feed->me.started)
		fw_slot_clear(feed->rings_fd, feed->readers_fd, feed->slot);
	fw_pin_unlock(lock_fd);
}

static void fw_close_fd(int fd)
{
	if (fd >= 0)
		close(fd);
}

void fw_event_feed_close(struct fw_event_feed *feed)
{
	if (!feed)
		return;
	if (feed->me.pid)
		fw_feed_release(feed);
	ring_buffer__free(feed->rb);
	fw_close_fd(feed->ring_fd);
	fw_close_fd(feed->rings_fd);
	fw_close_fd(feed->readers_fd);
	fw_close_fd(feed->stats_fd);
	free(feed);
}
