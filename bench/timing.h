/* SPDX-License-Identifier: GPL-2.0 */
/* Per-packet cost through BPF_PROG_TEST_RUN: wall time around the call less the fixed per-call cost. */
#ifndef BENCH_TIMING_H
#define BENCH_TIMING_H

#include <sched.h>
#include <stddef.h>
#include <stdint.h>

struct bench_stat {
	double median, min, max; /* ns per packet */
	int retval;              /* XDP action of the last run */
};

double bench_now_ns(void);
/* Wall ns of one call of repeat runs; exits on error. */
double bench_call_ns(int prog_fd, const uint8_t *frame, size_t len, uint32_t repeat, int *retval);
/* The fixed per-call cost: median wall time of calls with repeat = 1 on prog_fd. */
double bench_call_overhead(int prog_fd, const uint8_t *frame, size_t len);
/* reps calls of repeat runs each; per packet: (wall - overhead) / repeat. */
struct bench_stat bench_measure(int prog_fd, const uint8_t *frame, size_t len, uint32_t repeat,
				int reps, double overhead);
double bench_median(double *v, int n);

/* One program on one frame, for bench_measure_turns(). */
struct bench_job {
	int fd;
	const uint8_t *frame;
	size_t len;
	struct bench_stat st;
};

/*
 * reps rounds of one call per job, in turn (the order reversed every other
 * round), so that drift while they run reaches every job alike: for ratios
 * of a few percent. Fills each job's st, per packet as bench_measure().
 */
void bench_measure_turns(struct bench_job *jobs, int count, uint32_t repeat, int reps,
			 double overhead);

/* Lets this thread run on every online CPU, keeping its CPU set in saved; exits on error. */
void bench_cpus_all(cpu_set_t *saved);
/* Pins this thread to one CPU (bench_cpus_restore() with a set also works). */
void bench_cpu_pin(int cpu);
void bench_cpus_restore(const cpu_set_t *saved);

#endif
