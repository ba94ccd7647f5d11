/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the datapath tests of bans, rate limits and TCP SYN (DESIGN §1b):
 * their maps by name (struct fw_datapath has no fds for them yet), the
 * datapath's clock, and frames with TCP flags.
 */
#ifndef TEST_DEFENCE_H
#define TEST_DEFENCE_H

#include <stdint.h>
#include "verdict_table.h"

#define MS 1000000ull
#define SEC 1000000000ull

/* The fd of the loaded program's map called name; fails the test if there is none. */
int defence_map_fd(struct fw_datapath *dp, const char *name);

/* Empties every ban, never_ban and limit map, clears FW_PARAM_BANS and the clock shift. */
void defence_reset(struct fw_datapath *dp);

/* CLOCK_BOOTTIME in ns: what bpf_ktime_get_boot_ns() reads. */
uint64_t boot_ns(void);
/* The FW_PARAM_CLOCK_* shift. */
uint64_t clock_shift(struct fw_datapath *dp);
void clock_shift_set(struct fw_datapath *dp, uint64_t shift);
/* Shifts the clock so that the datapath's now is about now; returns the shift. */
uint64_t clock_set(struct fw_datapath *dp, uint64_t now);

/* One BPF_PROG_TEST_RUN and the window of the datapath's clock it ran in. */
struct timed_run {
	int action;
	uint64_t lo, hi;
};

struct timed_run run_timed(struct fw_datapath *dp, const uint8_t *frame, size_t len);
/*
 * Runs the frame with the datapath's clock at about now and entirely
 * before deadline, retrying when a slow run crossed it; fails the test
 * when no run did it. Returns the XDP action.
 */
int run_before(struct fw_datapath *dp, const uint8_t *frame, size_t len, uint64_t now,
	       uint64_t deadline);

/*
 * Writes a ban on text/prefixlen (32 or 128 for one address: the exact
 * maps, else the LPM tries; an IPv4 prefix is written "a.b.c.d") and sets
 * its FW_BANS_* bit.
 */
void ban_write(struct fw_datapath *dp, const char *text, unsigned prefixlen, uint64_t expires,
	       uint32_t origin);
/* Reads that ban back; returns 0, or -ENOENT when there is none. */
int ban_read(struct fw_datapath *dp, const char *text, unsigned prefixlen,
	     struct fw_ban_value *out);
void never_ban_write(struct fw_datapath *dp, const char *text, unsigned prefixlen);

uint32_t param_get(struct fw_datapath *dp, uint32_t index);
void param_set(struct fw_datapath *dp, uint32_t index, uint32_t value);

/* Sums of the per-CPU stats slot now. */
struct fw_stat_value stat_get(struct fw_datapath *dp, enum fw_stat slot);
struct fw_counter counter_get(struct fw_datapath *dp, uint32_t id);

/* Builds spec and sets the TCP flags byte at tcp_offset (14 + 20 or 14 + 40 for plain frames). */
size_t pkt_build_flags(const struct pkt_spec *spec, size_t tcp_offset, uint8_t flags,
		       uint8_t *buf);

#define TCP_SYN 0x02
#define TCP_ACK 0x10

#endif /* TEST_DEFENCE_H */
