/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One program test-run on CPU 0 alone, on CPU 1 alone, then on both at
 * once: does the per-packet cost hold when every CPU takes the same rule?
 * Per packet: wall time of a call ÷ its repeat (the fixed per-call cost is
 * a thousandth of a ns at the repeats used). The program must be held
 * (bench/hold.h).
 */
#ifndef BENCH_PAR_H
#define BENCH_PAR_H

#include <stddef.h>
#include <stdint.h>

struct bench_par {
	double alone[2]; /* median ns per packet, each CPU by itself */
	double both[2];  /* the same, both CPUs at once */
};

void bench_par_measure(int prog_fd, const uint8_t *frame, size_t len, uint32_t repeat, int reps,
		       struct bench_par *out);

#endif
