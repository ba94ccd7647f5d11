// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "par.h"
#include "timing.h"

#define PAR_MAX_REPS 64

struct bench_par_thread {
	pthread_t thread;
	pthread_barrier_t *start; /* NULL: runs alone */
	int cpu, prog_fd, rep; /* rep: where the call's figure goes; -1: nowhere */
	const uint8_t *frame;
	size_t len;
	uint32_t repeat;
	double ns[PAR_MAX_REPS];
};

/* One call, after the other thread is ready too when there is one. */
static void *bench_par_run(void *arg)
{
	struct bench_par_thread *t = arg;
	double ns;

	bench_cpu_pin(t->cpu);
	if (t->start)
		pthread_barrier_wait(t->start);
	ns = bench_call_ns(t->prog_fd, t->frame, t->len, t->repeat, NULL) / t->repeat;
	if (t->rep >= 0)
		t->ns[t->rep] = ns;
	return NULL;
}

static void bench_par_start(struct bench_par_thread *t, int n)
{
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i].thread, NULL, bench_par_run, &t[i])) {
			perror("bench: pthread_create");
			exit(1);
		}
	for (int i = 0; i < n; i++)
		pthread_join(t[i].thread, NULL);
}

/*
 * Rounds of CPU 0 alone, CPU 1 alone, both at once, so that the drift of a
 * shared machine weighs on the three alike; round -1 warms up.
 */
void bench_par_measure(int prog_fd, const uint8_t *frame, size_t len, uint32_t repeat, int reps,
		       struct bench_par *out)
{
	struct bench_par_thread alone[2], both[2];
	pthread_barrier_t start;

	if (reps > PAR_MAX_REPS)
		reps = PAR_MAX_REPS;
	pthread_barrier_init(&start, NULL, 2);
	for (int cpu = 0; cpu < 2; cpu++) {
		alone[cpu] = (struct bench_par_thread){ .cpu = cpu, .prog_fd = prog_fd, .frame = frame,
							.len = len, .repeat = repeat };
		both[cpu] = alone[cpu];
		both[cpu].start = &start;
	}
	for (int rep = -1; rep < reps; rep++) {
		for (int cpu = 0; cpu < 2; cpu++) {
			alone[cpu].rep = both[cpu].rep = rep;
			bench_par_start(&alone[cpu], 1);
		}
		bench_par_start(both, 2);
	}
	for (int cpu = 0; cpu < 2; cpu++) {
		out->alone[cpu] = bench_median(alone[cpu].ns, reps);
		out->both[cpu] = bench_median(both[cpu].ns, reps);
	}
	pthread_barrier_destroy(&start);
}
