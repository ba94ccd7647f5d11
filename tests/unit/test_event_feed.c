// SPDX-License-Identifier: GPL-2.0
/*
 * Event readers' slots in real pinned maps: each reader claims its own slot
 * with its own ring, the ninth finds them all taken, a reader that dies
 * without giving its slot back (kill -9) or whose pid now names another
 * process loses it to the next, and closing gives it back. Frames of a
 * logged rule run through the program reach every reader whole, and a
 * reader whose ring overflows is told how many it lost.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include <cmocka.h>
#include "apply.h"
#include "conf_dir.h"
#include "events.h"
#include "harness.h"
#include "pkt.h"
#include "pin.h"
#include "state.h"

static char pin_dir[64];
static struct conf_dir confs;

static const char config[] = "rules:\n  - name: ssh\n    port: 22\n    proto: tcp\n";

static int setup(void **state)
{
	(void)state;
	snprintf(pin_dir, sizeof(pin_dir), "/sys/fs/bpf/xdpfw-test-event-feed-%d", (int)getpid());
	conf_dir_init(&confs);
	return fw_config_enforce(pin_dir, conf_dir_write(&confs, "c.yaml", config), NULL);
}

static int teardown(void **state)
{
	(void)state;
	fw_pin_remove_all(pin_dir);
	conf_dir_free(&confs);
	return 0;
}

struct slots {
	struct fw_event_reader owner[FW_EVENT_READERS];
	uint32_t ring_id[FW_EVENT_READERS]; /* 0: no ring in the slot */
	int taken;
};

static struct slots slots_now(void)
{
	struct slots s = { 0 };
	struct fw_state st;

	assert_int_equal(fw_state_peek(&st, pin_dir), 0);
	for (uint32_t i = 0; i < FW_EVENT_READERS; i++) {
		assert_int_equal(bpf_map_lookup_elem(st.dp.event_readers_fd, &i, &s.owner[i]), 0);
		if (bpf_map_lookup_elem(st.dp.event_rings_fd, &i, &s.ring_id[i]))
			s.ring_id[i] = 0;
		assert_true(!s.owner[i].pid == !s.ring_id[i]); /* an owner has a ring */
		s.taken += s.owner[i].pid != 0;
	}
	fw_state_close(&st);
	return s;
}

static void write_owner(uint32_t slot, const struct fw_event_reader *owner)
{
	struct fw_state st;

	assert_int_equal(fw_state_peek(&st, pin_dir), 0);
	assert_int_equal(bpf_map_update_elem(st.dp.event_readers_fd, &slot, owner, BPF_ANY), 0);
	fw_state_close(&st);
}

static void clear_slot(uint32_t slot)
{
	struct fw_event_reader none = { 0 };
	struct fw_state st;

	assert_int_equal(fw_state_peek(&st, pin_dir), 0);
	assert_int_equal(bpf_map_delete_elem(st.dp.event_rings_fd, &slot), 0);
	assert_int_equal(bpf_map_update_elem(st.dp.event_readers_fd, &slot, &none, BPF_ANY), 0);
	fw_state_close(&st);
}

static void close_all(struct fw_event_feed **feeds, int n)
{
	for (int i = 0; i < n; i++)
		fw_event_feed_close(feeds[i]);
}

static void eight_readers_then_busy(void **state)
{
	struct fw_event_feed *feeds[FW_EVENT_READERS + 1];
	struct slots s;

	(void)state;
	for (int i = 0; i < FW_EVENT_READERS; i++)
		assert_int_equal(fw_event_feed_open(pin_dir, &feeds[i]), 0);
	s = slots_now();
	assert_int_equal(s.taken, FW_EVENT_READERS);
	for (int i = 0; i < FW_EVENT_READERS; i++) {
		assert_int_equal(s.owner[i].pid, getpid());
		for (int j = 0; j < i; j++)
			assert_int_not_equal(s.ring_id[i], s.ring_id[j]); /* a ring each */
	}
	assert_int_equal(fw_event_feed_open(pin_dir, &feeds[FW_EVENT_READERS]), -EBUSY);
	assert_null(feeds[FW_EVENT_READERS]);
	fw_event_feed_close(feeds[3]);
	assert_int_equal(slots_now().taken, FW_EVENT_READERS - 1);
	assert_int_equal(fw_event_feed_open(pin_dir, &feeds[3]), 0);
	assert_true(fw_event_feed_fd(feeds[3]) >= 0);
	close_all(feeds, FW_EVENT_READERS);
	assert_int_equal(slots_now().taken, 0);
}

/* A child claims a slot and dies without a word, as kill -9 leaves it. */
static void dead_reader_loses_its_slot(void **state)
{
	struct fw_event_feed *feeds[FW_EVENT_READERS];
	struct slots before, after;
	int status, slot = -1;
	pid_t child;

	(void)state;
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		struct fw_event_feed *feed;

		_exit(fw_event_feed_open(pin_dir, &feed) ? 1 : 0);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	before = slots_now();
	assert_int_equal(before.taken, 1);
	for (int i = 0; i < FW_EVENT_READERS; i++)
		slot = before.owner[i].pid == (uint32_t)child ? i : slot;
	assert_true(slot >= 0);
	for (int i = 0; i < FW_EVENT_READERS; i++)
		assert_int_equal(fw_event_feed_open(pin_dir, &feeds[i]), 0);
	after = slots_now();
	assert_int_equal(after.owner[slot].pid, getpid());
	assert_int_not_equal(after.ring_id[slot], before.ring_id[slot]);
	close_all(feeds, FW_EVENT_READERS);
	assert_int_equal(slots_now().taken, 0);
}

/* A live pid that started at another time is a reused pid: not the owner. */
static void reused_pid_is_no_owner(void **state)
{
	struct fw_event_feed *feeds[FW_EVENT_READERS];
	struct fw_event_reader stranger = { .pid = (uint32_t)getppid(), .started = 1 };
	struct slots s;

	(void)state;
	write_owner(5, &stranger);
	for (int i = 0; i < FW_EVENT_READERS; i++)
		assert_int_equal(fw_event_feed_open(pin_dir, &feeds[i]), 0);
	s = slots_now();
	assert_int_equal(s.owner[5].pid, getpid());
	close_all(feeds, FW_EVENT_READERS);
}

/* Closing gives back only a slot still its own: one taken over meanwhile stays. */
static void close_leaves_a_slot_taken_over(void **state)
{
	struct fw_event_feed *feed;
	struct fw_event_reader other = { .pid = 1, .started = 1 };
	struct slots s;
	int slot = -1;

	(void)state;
	assert_int_equal(fw_event_feed_open(pin_dir, &feed), 0);
	s = slots_now();
	for (int i = 0; i < FW_EVENT_READERS; i++)
		slot = s.owner[i].pid ? i : slot;
	write_owner((uint32_t)slot, &other);
	fw_event_feed_close(feed);
	s = slots_now();
	assert_int_equal(s.owner[slot].pid, 1);
	clear_slot((uint32_t)slot);
}

struct got {
	struct fw_event last;
	size_t count;
};

static int count_event(void *ctx, const struct fw_event *ev)
{
	struct got *got = ctx;

	got->last = *ev;
	got->count++;
	return 0;
}

/* Runs a TCP SYN from 198.18.0.9:40000 to port 22 through the pinned program repeat times. */
static size_t run_ssh(uint32_t repeat)
{
	struct pkt_spec spec = { .src = "198.18.0.9", .dst = "198.18.0.1",
				 .ipproto = IPPROTO_TCP, .sport = 40000, .dport = 22,
				 .tcp_flags = 0x02 };
	uint8_t frame[PKT_MAX];
	size_t len = pkt_build(&spec, frame);
	struct fw_state st;

	assert_int_equal(fw_state_peek(&st, pin_dir), 0);
	harness_run_repeat(&st.dp, frame, len, repeat);
	fw_state_close(&st);
	return len;
}

static const char logged[] = "settings:\n  log_rate: 1000000/s\n  log_burst: 1000000\n"
			     "rules:\n  - name: ssh\n    port: 22\n    proto: tcp\n"
			     "    log: true\n";

static void every_reader_gets_every_event(void **state)
{
	struct fw_event_feed *feeds[2];
	struct got got[2] = { 0 };
	size_t len;

	(void)state;
	assert_int_equal(fw_config_enforce(pin_dir, conf_dir_write(&confs, "l.yaml", logged),
					   NULL), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(fw_event_feed_open(pin_dir, &feeds[i]), 0);
	len = run_ssh(10);
	for (int i = 0; i < 2; i++) {
		const struct fw_event *ev = &got[i].last;
		char src[INET_ADDRSTRLEN];

		assert_int_equal(fw_event_feed_poll(feeds[i], 1000, count_event, &got[i]), 10);
		assert_int_equal(got[i].count, 10);
		assert_int_equal(ev->reason, FW_STAT_DROP_RULE);
		assert_int_equal(ev->ipproto, IPPROTO_TCP);
		assert_int_equal(ev->sport, 40000);
		assert_int_equal(ev->dport, 22);
		assert_int_equal(ev->len, len);
		assert_false(ev->v6);
		assert_string_equal(inet_ntop(AF_INET, ev->src, src, sizeof(src)), "198.18.0.9");
		assert_int_equal(fw_event_feed_lost(feeds[i]), 0);
	}
	assert_int_equal(got[0].last.rule, got[1].last.rule);
	close_all(feeds, 2);
	assert_int_equal(fw_config_enforce(pin_dir, conf_dir_write(&confs, "c.yaml", config),
					   NULL), 0);
}

/* More than a ring holds, unread: what did not fit is the reader's loss, and said. */
static void a_full_ring_counts_its_losses(void **state)
{
	const uint32_t sent = FW_EVENT_RING_BYTES / sizeof(struct fw_event) + 1000;
	struct fw_event_feed *feed;
	struct got got = { 0 };
	uint64_t lost;
	int n;

	(void)state;
	assert_int_equal(fw_config_enforce(pin_dir, conf_dir_write(&confs, "l.yaml", logged),
					   NULL), 0);
	assert_int_equal(fw_event_feed_open(pin_dir, &feed), 0);
	run_ssh(sent);
	do
		n = fw_event_feed_poll(feed, 0, count_event, &got);
	while (n > 0);
	assert_int_equal(n, 0);
	lost = fw_event_feed_lost(feed);
	assert_true(lost > 0);
	assert_int_equal(got.count + lost, sent);
	assert_int_equal(fw_event_feed_lost(feed), 0); /* said once */
	fw_event_feed_close(feed);
	assert_int_equal(fw_config_enforce(pin_dir, conf_dir_write(&confs, "c.yaml", config),
					   NULL), 0);
}

static void nothing_pinned(void **state)
{
	struct fw_event_feed *feed = (struct fw_event_feed *)1;

	(void)state;
	assert_int_equal(fw_event_feed_open("/sys/fs/bpf/xdpfw-test-event-feed-none", &feed),
			 -ENOENT);
	assert_null(feed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(eight_readers_then_busy),
		cmocka_unit_test(dead_reader_loses_its_slot),
		cmocka_unit_test(reused_pid_is_no_owner),
		cmocka_unit_test(close_leaves_a_slot_taken_over),
		cmocka_unit_test(every_reader_gets_every_event),
		cmocka_unit_test(a_full_ring_counts_its_losses),
		cmocka_unit_test(nothing_pinned),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
