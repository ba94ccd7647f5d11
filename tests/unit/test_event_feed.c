// SPDX-License-Identifier: GPL-2.0
/*
 * Event readers' slots in real pinned maps: each reader claims its own slot
 * with its own ring, the ninth finds them all taken, a reader that dies
 * without giving its slot back (kill -9) or whose pid now names another
 * process loses it to the next, and closing gives it back.
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
#include <bpf/bpf.h>
#include <cmocka.h>
#include "apply.h"
#include "conf_dir.h"
#include "events.h"
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
		cmocka_unit_test(nothing_pinned),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
