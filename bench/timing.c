// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "timing.h"

double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

double bench_call_ns(int prog_fd, const uint8_t *frame, size_t len, uint32_t repeat, int *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
		    .repeat = repeat);
	double t0, t1;

	t0 = bench_now_ns();
	if (bpf_prog_test_run_opts(prog_fd, &opts)) {
		perror("bench: BPF_PROG_TEST_RUN");
		exit(1);
	}
	t1 = bench_now_ns();
	if (retval)
		*retval = opts.retval;
	return t1 - t0;
}

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), bench_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double bench_call_overhead(int prog_fd, const uint8_t *frame, size_t len)
{
	enum { CALLS = 301 };
	double t[CALLS];

	for (int i = 0; i < CALLS; i++)
		t[i] = bench_call_ns(prog_fd, frame, len, 1, NULL);
	return bench_median(t, CALLS);
}

struct bench_stat bench_measure(int prog_fd, const uint8_t *frame, size_t len, uint32_t repeat,
				int reps, double overhead)
{
	struct bench_stat st = { 0 };
	double v[64];

	if (reps > 64)
		reps = 64;
	bench_call_ns(prog_fd, frame, len, repeat / 8 + 1, NULL); /* warm caches and maps */
	for (int i = 0; i < reps; i++)
		v[i] = (bench_call_ns(prog_fd, frame, len, repeat, &st.retval) - overhead) / repeat;
	st.median = bench_median(v, reps);
	st.min = v[0];
	st.max = v[reps - 1];
	return st;
}

void bench_measure_turns(struct bench_job *jobs, int count, uint32_t repeat, int reps,
			 double overhead)
{
	enum { MAX_REPS = 255 };
	double (*v)[MAX_REPS + 1] = calloc(count, sizeof(*v));

	if (!v) {
		perror("bench: turns");
		exit(1);
	}
	if (reps > MAX_REPS)
		reps = MAX_REPS;
	for (int j = 0; j < count; j++)
		bench_call_ns(jobs[j].fd, jobs[j].frame, jobs[j].len, repeat / 8 + 1, NULL);
	for (int i = 0; i < reps; i++)
		for (int k = 0; k < count; k++) {
			int j = i % 2 ? count - 1 - k : k;

			v[j][i] = (bench_call_ns(jobs[j].fd, jobs[j].frame, jobs[j].len, repeat,
						 &jobs[j].st.retval) - overhead) / repeat;
		}
	for (int j = 0; j < count; j++) {
		jobs[j].st.median = bench_median(v[j], reps);
		jobs[j].st.min = v[j][0];
		jobs[j].st.max = v[j][reps - 1];
	}
	free(v);
}

static void bench_affinity(const cpu_set_t *set)
{
	if (sched_setaffinity(0, sizeof(*set), set)) {
		perror("bench: sched_setaffinity");
		exit(1);
	}
}

void bench_cpus_all(cpu_set_t *saved)
{
	cpu_set_t all;

	CPU_ZERO(&all);
	for (long cpu = 0; cpu < sysconf(_SC_NPROCESSORS_ONLN) && cpu < CPU_SETSIZE; cpu++)
		CPU_SET(cpu, &all);
	if (sched_getaffinity(0, sizeof(*saved), saved)) {
		perror("bench: sched_getaffinity");
		exit(1);
	}
	bench_affinity(&all);
}

void bench_cpu_pin(int cpu)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	bench_affinity(&one);
}

void bench_cpus_restore(const cpu_set_t *saved)
{
	bench_affinity(saved);
}
