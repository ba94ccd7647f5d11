/* SPDX-License-Identifier: GPL-2.0 */
/* The rotor's settings (bench/rotor.bpf.c), shared with the programs that set it. */
#ifndef BENCH_ROTOR_H
#define BENCH_ROTOR_H

#include <linux/types.h>

enum rotor_mode {
	ROTOR_LOW2 = 0,    /* write the index into the address's last 2 bytes (IPv4) */
	ROTOR_LOW4 = 1,    /* write the index into the address's last 4 bytes (IPv6) */
	ROTOR_TABLE4 = 2,  /* copy rotor_addrs[index]'s first 4 bytes: a whole IPv4 source */
	ROTOR_TABLE16 = 3, /* copy all 16 bytes of rotor_addrs[index]: a whole IPv6 source */
};

struct rotor_cfg {
	__u32 count;  /* sources in the rotation; 0 = leave the frame alone */
	__u32 step;   /* stride through them */
	__u32 pos;    /* next index */
	__u32 offset; /* where the bytes written start in the frame */
	__u32 mode;   /* enum rotor_mode */
};

/* rotor_addrs' entries: one source each, IPv4 in the first 4 bytes. */
struct rotor_addr {
	__u8 bytes[16];
};

#endif
