// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "event_rings.h"

static int event_keep(void *ctx, void *data, size_t size)
{
	struct event_ring *r = ctx;

	if (size != sizeof(struct fw_event))
		fail_msg("slot %u: a record of %zu bytes, not %zu", r->slot, size,
			 sizeof(struct fw_event));
	if (r->count == r->room) {
		r->room = r->room ? 2 * r->room : 64;
		r->got = realloc(r->got, r->room * sizeof(*r->got));
		if (!r->got)
			abort();
	}
	memcpy(&r->got[r->count++], data, sizeof(struct fw_event));
	return 0;
}

void event_ring_open(struct fw_datapath *dp, struct event_ring *r, uint32_t slot, uint32_t bytes)
{
	memset(r, 0, sizeof(*r));
	r->slot = slot;
	r->fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "test_events", 0, 0, bytes, NULL);
	if (r->fd < 0)
		fail_msg("a RINGBUF of %u bytes: %s", bytes, strerror(errno));
	r->rb = ring_buffer__new(r->fd, event_keep, r, NULL);
	if (!r->rb)
		fail_msg("ring_buffer__new: %s", strerror(errno));
	if (bpf_map_update_elem(dp->event_rings_fd, &slot, &r->fd, BPF_ANY))
		fail_msg("putting a ring in slot %u: %s", slot, strerror(errno));
}

void event_ring_close(struct fw_datapath *dp, struct event_ring *r)
{
	if (!r->rb)
		return;
	bpf_map_delete_elem(dp->event_rings_fd, &r->slot);
	ring_buffer__free(r->rb);
	close(r->fd);
	free(r->got);
	memset(r, 0, sizeof(*r));
}

size_t event_ring_drain(struct event_ring *r)
{
	size_t before = r->count;
	int n = ring_buffer__consume(r->rb);

	if (n < 0)
		fail_msg("reading the ring of slot %u: %s", r->slot, strerror(-n));
	return r->count - before;
}

static int cpus(void)
{
	int n = libbpf_num_possible_cpus();

	assert_true(n > 0);
	return n;
}

void events_reset(struct fw_datapath *dp)
{
	int n = cpus();
	uint64_t *zeros = calloc(n, sizeof(*zeros));

	if (!zeros)
		abort();
	for (uint32_t slot = 0; slot < FW_EVENT_READERS; slot++)
		if (bpf_map_delete_elem(dp->event_rings_fd, &slot) && errno != ENOENT)
			fail_msg("emptying ring slot %u: %s", slot, strerror(errno));
	for (uint32_t i = 0; i < FW_EVENT_STAT_COUNT; i++)
		assert_int_equal(bpf_map_update_elem(dp->event_stats_fd, &i, zeros, BPF_ANY), 0);
	free(zeros);
	event_bucket_write(dp, 0, 0, 0);
	assert_int_equal(fw_param_write(dp, FW_PARAM_LOG, 0), 0);
}

void event_bucket_write(struct fw_datapath *dp, uint64_t interval, uint64_t burst_window,
			uint64_t tat)
{
	const uint32_t key = 0;
	struct fw_limit_value v = { .interval = interval, .burst_window = burst_window, .tat = tat };

	assert_int_equal(bpf_map_update_elem(dp->log_fd, &key, &v, BPF_ANY), 0);
}

struct fw_limit_value event_bucket_read(struct fw_datapath *dp)
{
	const uint32_t key = 0;
	struct fw_limit_value v;

	assert_int_equal(bpf_map_lookup_elem(dp->log_fd, &key, &v), 0);
	return v;
}

uint64_t event_stat(struct fw_datapath *dp, uint32_t index)
{
	int n = cpus();
	uint64_t *per_cpu = calloc(n, sizeof(*per_cpu)), sum = 0;

	if (!per_cpu)
		abort();
	assert_int_equal(bpf_map_lookup_elem(dp->event_stats_fd, &index, per_cpu), 0);
	for (int i = 0; i < n; i++)
		sum += per_cpu[i];
	free(per_cpu);
	return sum;
}

void rule_log_set(struct fw_datapath *dp, uint32_t id, int log)
{
	struct fw_rule_info info;

	assert_int_equal(bpf_map_lookup_elem(dp->rule_info_fd, &id, &info), 0);
	info.flags = log ? info.flags | FW_RULE_LOG : info.flags & ~FW_RULE_LOG;
	assert_int_equal(bpf_map_update_elem(dp->rule_info_fd, &id, &info, BPF_ANY), 0);
}
