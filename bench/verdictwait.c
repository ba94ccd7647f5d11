// SPDX-License-Identifier: GPL-2.0
/*
 * Times one reload: sends SIGHUP to the daemon, then runs the pinned program
 * on a frame from 198.18.0.7 (BPF_PROG_TEST_RUN, one run per call) until it
 * returns the expected XDP action. Prints "reload,MILLISECONDS".
 *
 * usage: verdictwait PINNED_PROG PID drop|pass TIMEOUT_MS
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include "addrs.h"
#include "pkt.h"
#include "timing.h"

int main(int argc, char **argv)
{
	uint8_t frame[PKT_MAX];
	double start, now, timeout;
	uint32_t off, want;
	size_t len;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: verdictwait PINNED_PROG PID drop|pass TIMEOUT_MS\n");
		return 2;
	}
	fd = bpf_obj_get(argv[1]);
	if (fd < 0) {
		perror("verdictwait: bpf_obj_get");
		return 1;
	}
	want = strcmp(argv[3], "pass") ? XDP_DROP : XDP_PASS;
	timeout = atof(argv[4]) * 1e6;
	len = bench_frame(0, 1, 7, frame, &off);
	start = bench_now_ns();
	if (kill(atoi(argv[2]), SIGHUP)) {
		perror("verdictwait: kill");
		return 1;
	}
	do {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len);

		if (bpf_prog_test_run_opts(fd, &opts)) {
			perror("verdictwait: BPF_PROG_TEST_RUN");
			return 1;
		}
		now = bench_now_ns();
		if (opts.retval == want) {
			printf("reload,%.2f\n", (now - start) / 1e6);
			return 0;
		}
	} while (now - start < timeout);
	printf("reload,timeout\n");
	return 1;
}
