// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath tables are only as good as their frames: a shape pkt_build()
 * silently leaves out makes a row pass for nothing. This checks, byte by
 * byte, that each shape the tables rely on is really in the frame.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "verdict_table.h"

#define MAX_FIELDS 8

struct field {
	size_t at;
	unsigned width; /* 1 or 2 bytes, network order; 0 ends the list */
	unsigned value;
};

struct frame_case {
	const char *desc;
	struct pkt_spec spec;
	size_t len;
	struct field fields[MAX_FIELDS];
};

/* Offsets: Ethernet 14, then IPv4 at 14 (20 bytes) or IPv6 at 14 (40 bytes). */
static const struct frame_case frames[] = {
	{ "v4 TCP: ethertype, IHL 5, protocol, port, padded to 60 bytes", PKT_TCP(V4_SRC, 22), 60,
	  { { 12, 2, 0x0800 }, { 14, 1, 0x45 }, { 23, 1, IPPROTO_TCP }, { 26, 1, 198 },
	    { 29, 1, 1 }, { 36, 2, 22 } } },
	{ "v4 with 10 option words: IHL 15, TCP behind the options",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .ipv4_option_words = 10 },
	  14 + 60 + 20, { { 14, 1, 0x4f }, { 34, 1, 1 }, { 76, 2, 22 } } },
	{ "three VLAN tags, outermost first",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
	    .vlan_tpid = { 0x88a8, 0x8100, 0x8100 } },
	  14 + 12 + 20 + 20,
	  { { 12, 2, 0x88a8 }, { 16, 2, 0x8100 }, { 20, 2, 0x8100 }, { 24, 2, 0x0800 },
	    { 26, 1, 0x45 }, { 48, 2, 22 } } },
	{ "v6 hop-by-hop, dest-opts, routing, first-fragment header, TCP",
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1,
	    PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING, IPPROTO_FRAGMENT) },
	  14 + 40 + 32 + 20,
	  { { 12, 2, 0x86dd }, { 20, 1, IPPROTO_HOPOPTS }, { 54, 1, IPPROTO_DSTOPTS },
	    { 62, 1, IPPROTO_ROUTING }, { 70, 1, IPPROTO_FRAGMENT }, { 78, 1, IPPROTO_TCP },
	    { 80, 2, 0x0001 }, { 88, 2, 22 } } },
	{ "v6 hop-by-hop stretched to 32 bytes by ext_words",
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, PKT_EXT(IPPROTO_HOPOPTS),
	    .ext_words = { 3 } },
	  14 + 40 + 32 + 20,
	  { { 20, 1, IPPROTO_HOPOPTS }, { 54, 1, IPPROTO_TCP }, { 55, 1, 3 }, { 88, 2, 22 } } },
	{ "v6 chain of nine extension headers",
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
	    PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS,
		    IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS, IPPROTO_DSTOPTS,
		    IPPROTO_DSTOPTS) },
	  14 + 40 + 72 + 20,
	  { { 20, 1, IPPROTO_HOPOPTS }, { 110, 1, IPPROTO_DSTOPTS }, { 118, 1, IPPROTO_TCP },
	    { 128, 2, 22 } } },
	{ "v4 later fragment: offset and MF, bait ports at the payload's start",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .frag_offset = 185,
	    .more_frags = 1 },
	  60,
	  { { 20, 2, 0x2000 | 185 }, { 23, 1, IPPROTO_TCP }, { 34, 2, 40000 }, { 36, 2, 22 } } },
	{ "v6 later fragment: fragment header offset and M, bait ports after it",
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .frag_offset = 185,
	    .more_frags = 1 },
	  14 + 40 + 8 + 4,
	  { { 20, 1, IPPROTO_FRAGMENT }, { 54, 1, IPPROTO_TCP }, { 56, 2, 185 << 3 | 1 },
	    { 62, 2, 40000 }, { 64, 2, 22 } } },
	{ "v4 DF flag", { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .dont_frag = 1 },
	  60, { { 20, 2, 0x4000 } } },
	{ "v4 ICMP: type, and the bait port in the checksum",
	  { .src = V4_SRC, .ipproto = IPPROTO_ICMP, .icmp_type = 8, .dport = 22 }, 60,
	  { { 23, 1, IPPROTO_ICMP }, { 34, 1, 8 }, { 36, 2, 22 } } },
	{ "v6 neighbour solicitation", { .src = V6_SRC, .ipproto = IPPROTO_ICMPV6,
					 .icmp_type = 135, .payload = 16 },
	  14 + 40 + 8 + 16, { { 20, 1, IPPROTO_ICMPV6 }, { 54, 1, 135 } } },
	{ "ARP request with its sender address", { .ethertype = 0x0806, .src = V4_SRC }, 60,
	  { { 12, 2, 0x0806 }, { 14, 2, 1 }, { 16, 2, 0x0800 }, { 20, 2, 1 }, { 28, 1, 198 },
	    { 29, 1, 18 }, { 30, 1, 1 }, { 31, 1, 1 } } },
	{ "v4 IHL 0", { .src = V4_SRC, .ipproto = IPPROTO_TCP, .ihl = PKT_ZERO }, 60,
	  { { 14, 1, 0x40 } } },
	{ "v6 version 0", { .src = V6_SRC, .ipproto = IPPROTO_TCP, .version = PKT_ZERO },
	  14 + 40 + 20, { { 14, 1, 0x00 }, { 20, 1, IPPROTO_TCP } } },
	{ "v4 padding: the pad byte fills the frame up to 60 bytes",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .pad = 0x16 }, 60,
	  { { 16, 2, 40 }, { 53, 1, 0 }, { 54, 1, 0x16 }, { 59, 1, 0x16 } } },
	{ "v4 total length override: 28, the rest of the TCP header left in the padding",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .more_frags = 1, .ip_len = 28 },
	  60, { { 16, 2, 28 }, { 20, 2, 0x2000 }, { 36, 2, 22 }, { 46, 1, 5 << 4 } } },
	{ "v4 total length 0", { .src = V4_SRC, .ipproto = IPPROTO_UDP, .ip_len = PKT_ZERO }, 60,
	  { { 16, 2, 0 }, { 23, 1, IPPROTO_UDP } } },
	{ "v4 AH (24 bytes: Payload Len 4) between IP and TCP",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, PKT_EXT(IPPROTO_AH) },
	  14 + 20 + 24 + 20,
	  { { 16, 2, 64 }, { 23, 1, IPPROTO_AH }, { 34, 1, IPPROTO_TCP }, { 35, 1, 4 },
	    { 60, 2, 22 } } },
	{ "v4 two AH: one without ICV (Payload Len 1, 12 bytes), one of 24 bytes",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .dport = 22, PKT_EXT(IPPROTO_AH, IPPROTO_AH),
	    .ext_words = { 1 } },
	  14 + 20 + 12 + 24 + 20,
	  { { 16, 2, 76 }, { 23, 1, IPPROTO_AH }, { 34, 1, IPPROTO_AH }, { 35, 1, 1 },
	    { 46, 1, IPPROTO_TCP }, { 47, 1, 4 }, { 72, 2, 22 } } },
	{ "v6 AH between hop-by-hop and TCP, counted in the payload length",
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22,
	    PKT_EXT(IPPROTO_HOPOPTS, IPPROTO_AH) },
	  14 + 40 + 8 + 24 + 20,
	  { { 18, 2, 52 }, { 20, 1, IPPROTO_HOPOPTS }, { 54, 1, IPPROTO_AH },
	    { 62, 1, IPPROTO_TCP }, { 63, 1, 4 }, { 88, 2, 22 } } },
	{ "v6 payload length override: 4, the rest of the UDP header past it",
	  { .src = V6_SRC, .ipproto = IPPROTO_UDP, .dport = 53, .ip_len = 4 }, 14 + 40 + 8,
	  { { 18, 2, 4 }, { 20, 1, IPPROTO_UDP }, { 56, 2, 53 } } },
	{ "v6 atomic fragment header: offset 0, M=0",
	  { .src = V6_SRC, .ipproto = IPPROTO_TCP, .dport = 22, .fragment = 1 }, 14 + 40 + 8 + 20,
	  { { 18, 2, 28 }, { 20, 1, IPPROTO_FRAGMENT }, { 54, 1, IPPROTO_TCP }, { 56, 2, 0 },
	    { 64, 2, 22 } } },
	{ "truncated below the Ethernet minimum",
	  { .src = V4_SRC, .ipproto = IPPROTO_TCP, .truncate = 33 }, 33, { { 14, 1, 0x45 } } },
};

static unsigned read_field(const uint8_t *frame, const struct field *f)
{
	return f->width == 2 ? (unsigned)frame[f->at] << 8 | frame[f->at + 1] : frame[f->at];
}

static void frame_has_its_shape(void **state)
{
	const struct frame_case *fc = *state;
	uint8_t frame[PKT_MAX];
	size_t len = pkt_build(&fc->spec, frame);
	int failures = 0;

	if (len != fc->len) {
		print_error("%s: %zu bytes, want %zu\n", fc->desc, len, fc->len);
		failures++;
	}
	for (const struct field *f = fc->fields; f < fc->fields + MAX_FIELDS && f->width; f++) {
		unsigned got = read_field(frame, f);

		if (got != f->value) {
			print_error("%s: byte %zu holds 0x%x, want 0x%x\n", fc->desc, f->at, got,
				    f->value);
			failures++;
		}
	}
	if (failures)
		fail();
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(frames)];

	for (size_t i = 0; i < ARRAY_SIZE(frames); i++)
		tests[i] = (struct CMUnitTest){ .name = frames[i].desc,
						.test_func = frame_has_its_shape,
						.initial_state = (void *)&frames[i] };
	return _cmocka_run_group_tests("datapath test frames", tests, ARRAY_SIZE(tests), NULL,
				       NULL) ? 1 : 0;
}
