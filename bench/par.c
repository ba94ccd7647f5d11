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
	int cpu, prog_fd, reps;
	const uint8_t *frame;
	size_t len;
	uint32_t repeat;
	double ns[PAR_MAX_REPS];
};

static void *bench_par_run(void *arg)
{
	struct bench_par_thread *t = arg;

	bench_cpu_pin(t->cpu);
	for (int i = -1; i < t->reps; i++) { /* rep -1 warms up */
		double ns;

		if (t->start)
			pthread_barrier_wait(t->start);
		ns = bench_call_ns(t->prog_fd, t->frame, t->len, t->repeat, NULL) / t->repeat;
		if (i >= 0)
			t->ns[i] = ns;
	}
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

void bench_par_measure(int prog_fd, const uint8_t *frame, size_t len, uint32_t repeat, int reps,
		       struct bench_par *out)
{
	struct bench_par_thread t[2];
	pthread_barrier_t start;

	if (reps > PAR_MAX_REPS)
		reps = PAR_MAX_REPS;
	for (int cpu = 0; cpu < 2; cpu++) {
		t[cpu] = (struct bench_par_thread){ .cpu = cpu, .prog_fd = prog_fd, .reps = reps,
						    .frame = frame, .len = len, .repeat = repeat };
		bench_par_start(&t[cpu], 1);
		out->alone[cpu] = bench_median(t[cpu].ns, reps);
	}
	pthread_barrier_init(&start, NULL, 2);
	t[0].start = t[1].start = &start;
	bench_par_start(t, 2);
	for (int cpu = 0; cpu < 2; cpu++)
		out->both[cpu] = bench_median(t[cpu].ns, reps);
	pthread_barrier_destroy(&start);
}
