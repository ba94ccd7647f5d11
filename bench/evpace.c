// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 11's event counts, read from the pinned maps, and a paced source of
 * logged packets: the pinned program run on a frame from 198.18.0.7 (the
 * benchmark's logged rule) through BPF_PROG_TEST_RUN, BATCH runs a call at
 * absolute times, RATE packets a second. The program must be attached
 * somewhere (bench/hold.h says why).
 *
 * usage: evpace PIN_DIR stats     prints stats,SENT,SUPPRESSED,LOST
 *        evpace PIN_DIR readers   prints readers,SLOTS (owned, holding a ring)
 *        evpace PIN_DIR pace RATE SECONDS BATCH
 *            prints pace,PACKETS,SECONDS,SENT,SUPPRESSED,LOST (what the
 *            counts grew by while it ran) and lag,MS (the most a call
 *            started behind its time; the calls after it catch up)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "addrs.h"
#include "pin.h"
#include "pkt.h"
#include "timing.h"
#include "xdpfw.h"

struct ev_counts {
	unsigned long long sent, suppressed, lost;
};

static int ev_open(const char *pin_dir, const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		fprintf(stderr, "evpace: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

/* Sums one fw_event_stats entry over the CPUs. */
static unsigned long long ev_stat(int fd, uint32_t index)
{
	int cpus = libbpf_num_possible_cpus();
	unsigned long long sum = 0;
	__u64 *values;

	values = calloc(cpus > 0 ? cpus : 1, sizeof(*values));
	if (!values || cpus <= 0 || bpf_map_lookup_elem(fd, &index, values)) {
		fprintf(stderr, "evpace: reading fw_event_stats: %s\n", strerror(errno));
		exit(1);
	}
	for (int c = 0; c < cpus; c++)
		sum += values[c];
	free(values);
	return sum;
}

static struct ev_counts ev_counts(int fd)
{
	struct ev_counts c = { ev_stat(fd, FW_EVENT_STAT_SENT),
			       ev_stat(fd, FW_EVENT_STAT_SUPPRESSED), 0 };

	for (uint32_t slot = 0; slot < FW_EVENT_READERS; slot++)
		c.lost += ev_stat(fd, FW_EVENT_STAT_LOST0 + slot);
	return c;
}

/* Slots that have an owner and a ring in place: readers that see events. */
static int ev_readers(const char *pin_dir)
{
	int owners = ev_open(pin_dir, "fw_event_readers"), rings = ev_open(pin_dir, "fw_event_rings");
	int claimed = 0;

	for (uint32_t slot = 0; slot < FW_EVENT_READERS; slot++) {
		struct fw_event_reader r;
		__u32 ring_id;

		if (!bpf_map_lookup_elem(owners, &slot, &r) && r.pid &&
		    !bpf_map_lookup_elem(rings, &slot, &ring_id))
			claimed++;
	}
	return claimed;
}

static void ev_sleep_until(double ns)
{
	struct timespec ts = { (time_t)(ns / 1e9), (long)(ns - (double)(time_t)(ns / 1e9) * 1e9) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int ev_pace(const char *pin_dir, double rate, double seconds, uint32_t batch)
{
	int prog = ev_open(pin_dir, FW_PIN_PROG), stats = ev_open(pin_dir, "fw_event_stats");
	unsigned long long calls = (unsigned long long)(rate * seconds / batch);
	double period = batch / rate * 1e9, start, end, lag = 0;
	struct ev_counts before, after;
	uint8_t frame[PKT_MAX];
	uint32_t off;
	size_t len;

	len = bench_frame(0, 1, 7, frame, &off);
	before = ev_counts(stats);
	start = bench_now_ns();
	for (unsigned long long k = 0; k < calls; k++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
			    .repeat = batch);
		double due = start + k * period, now = bench_now_ns();

		if (now - due > lag)
			lag = now - due;
		ev_sleep_until(due);
		if (bpf_prog_test_run_opts(prog, &opts)) {
			perror("evpace: BPF_PROG_TEST_RUN");
			return 1;
		}
	}
	end = bench_now_ns();
	after = ev_counts(stats);
	printf("pace,%llu,%.4f,%llu,%llu,%llu\n", calls * batch, (end - start) / 1e9,
	       after.sent - before.sent, after.suppressed - before.suppressed,
	       after.lost - before.lost);
	printf("lag,%.2f\n", lag / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[2], "stats")) {
		struct ev_counts c = ev_counts(ev_open(argv[1], "fw_event_stats"));

		printf("stats,%llu,%llu,%llu\n", c.sent, c.suppressed, c.lost);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[2], "readers")) {
		printf("readers,%d\n", ev_readers(argv[1]));
		return 0;
	}
	if (argc == 6 && !strcmp(argv[2], "pace") && atof(argv[3]) > 0 && atoi(argv[5]) > 0)
		return ev_pace(argv[1], atof(argv[3]), atof(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: evpace PIN_DIR stats|readers\n"
			"       evpace PIN_DIR pace RATE SECONDS BATCH\n");
	return 2;
}
