/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BPF_PROG_TEST_RUN with repeat > 1 puts the program into the kernel's XDP
 * dispatcher and takes it out again, waiting for an RCU grace period each
 * time: milliseconds per call, in whole ticks. A program already attached
 * somewhere stays in the dispatcher, so the call skips both. These helpers
 * attach each program under test to a veth of the benchmark's namespace.
 */
#ifndef BENCH_HOLD_H
#define BENCH_HOLD_H

/* Attaches prog_fd natively to the veth named BENCH_HOLD_DEV<slot>; exits on error. */
void bench_hold(int slot, int prog_fd);
void bench_release(int slot);

#define BENCH_HOLD_DEV "xfbh"
#define BENCH_HOLD_SLOTS 12

#endif
