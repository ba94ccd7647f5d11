// SPDX-License-Identifier: GPL-2.0
/*
 * Times a command to enforcement: starts CMD (its output goes to stderr),
 * then runs the pinned program on a frame from ADDR every millisecond
 * (BPF_PROG_TEST_RUN, one run per call) until it drops it. Prints
 * "enforced,MS,CMD_MS": ms from the command's start to the first drop, and
 * how long the command itself ran; or "enforced,timeout,CMD_MS".
 *
 * usage: enforcewait PINNED_PROG ADDR TIMEOUT_MS CMD [ARG...]
 */
#include <arpa/inet.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include "addrs.h"
#include "pkt.h"
#include "ruleset.h"
#include "timing.h"

extern char **environ;

static int ew_addr(const char *text, uint8_t out[16])
{
	uint8_t v4[4];

	if (inet_pton(AF_INET6, text, out) == 1)
		return 0;
	if (inet_pton(AF_INET, text, v4) != 1)
		return -1;
	fw_addr_from_ipv4(out, v4);
	return 0;
}

/* The command's wall ms once it exited (exits if it failed), else -1 while it runs. */
static double ew_reap(pid_t pid, double start, int block)
{
	int status;
	pid_t got = waitpid(pid, &status, block ? 0 : WNOHANG);

	if (got == 0)
		return -1;
	if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "enforcewait: the command failed\n");
		exit(1);
	}
	return (bench_now_ns() - start) / 1e6;
}

int main(int argc, char **argv)
{
	const struct timespec tick = { 0, 1000000 };
	posix_spawn_file_actions_t actions;
	double start, now, timeout, cmd_ms = -1;
	uint8_t frame[PKT_MAX], addr[16];
	uint32_t off;
	size_t len;
	pid_t pid;
	int fd;

	if (argc < 5 || ew_addr(argv[2], addr)) {
		fprintf(stderr, "usage: enforcewait PINNED_PROG ADDR TIMEOUT_MS CMD [ARG...]\n");
		return 2;
	}
	fd = bpf_obj_get(argv[1]);
	if (fd < 0) {
		perror("enforcewait: bpf_obj_get");
		return 1;
	}
	timeout = atof(argv[3]) * 1e6;
	len = bench_frame_from(addr, frame, &off);
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, 2, 1);
	start = bench_now_ns();
	if (posix_spawnp(&pid, argv[4], &actions, NULL, &argv[4], environ)) {
		perror("enforcewait: starting the command");
		return 1;
	}
	do {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len);

		if (bpf_prog_test_run_opts(fd, &opts)) {
			perror("enforcewait: BPF_PROG_TEST_RUN");
			return 1;
		}
		now = bench_now_ns();
		if (cmd_ms < 0)
			cmd_ms = ew_reap(pid, start, 0);
		if (opts.retval == XDP_DROP) {
			if (cmd_ms < 0)
				cmd_ms = ew_reap(pid, start, 1);
			printf("enforced,%.1f,%.1f\n", (now - start) / 1e6, cmd_ms);
			return 0;
		}
		nanosleep(&tick, NULL);
	} while (now - start < timeout);
	if (cmd_ms < 0)
		cmd_ms = ew_reap(pid, start, 1);
	printf("enforced,timeout,%.1f\n", cmd_ms);
	return 1;
}
