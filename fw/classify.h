/* SPDX-License-Identifier: GPL-2.0 */
/* The reference classifier's view of a frame: what DESIGN §1 looks at. */
#ifndef FW_CLASSIFY_H
#define FW_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fw_frame_kind {
	FW_FRAME_IP,        /* classified by the rules */
	FW_FRAME_LINK,      /* ARP or IPv6 neighbour discovery */
	FW_FRAME_NON_IP,
	FW_FRAME_MALFORMED,
};

struct fw_frame_facts {
	enum fw_frame_kind kind;
	uint8_t src[16];   /* IPv6, or IPv4 v4-mapped */
	uint16_t dport;    /* 0 = no port: not TCP/UDP, or a non-first fragment */
	uint8_t proto;     /* enum fw_proto, FW_PROTO_OTHER included; never TCP_SYN */
	bool fragment;     /* first or non-first */
	bool tcp_syn;      /* TCP with SYN set and ACK clear: what `tcp_flags: syn` matches */
};

/* Reads an Ethernet frame the way DESIGN §1 describes; fields past kind only for FW_FRAME_IP. */
struct fw_frame_facts fw_frame_read(const uint8_t *frame, size_t len);

#endif /* FW_CLASSIFY_H */
