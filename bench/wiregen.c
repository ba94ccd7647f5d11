// SPDX-License-Identifier: GPL-2.0
/*
 * The wire generator: BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES on a
 * program that returns XDP_TX sends the frame out of IFNAME, as fast as one
 * CPU can. 64-byte UDP from a rule source (198.18.0.7) to 198.19.255.254,
 * to the MAC tests/unit/pkt.c writes (02:00:00:00:00:02).
 *
 * usage: wiregen OBJ_DIR IFNAME SECONDS   (prints "sent,PACKETS,SECONDS")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "addrs.h"
#include "bpfobj.h"
#include "hold.h"
#include "pkt.h"
#include "timing.h"

#define WIREGEN_BATCH (1u << 20)

/* The IPv4 header checksum, which the stack checks before the input hooks. */
static void wiregen_ipv4_csum(uint8_t *ip)
{
	uint32_t sum = 0;
	size_t ihl = (ip[0] & 0xf) * 4;

	ip[10] = ip[11] = 0;
	for (size_t i = 0; i < ihl; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	ip[10] = ~sum >> 8;
	ip[11] = ~sum & 0xff;
}

int main(int argc, char **argv)
{
	struct xdp_md ctx = { 0 };
	uint8_t frame[PKT_MAX];
	struct bpf_object *obj;
	double start, now, seconds;
	unsigned long long sent = 0;
	uint32_t off;
	char path[4096];
	size_t len;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: wiregen OBJ_DIR IFNAME SECONDS\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/gen.bpf.o", argv[1]);
	obj = bench_obj_load(path, NULL);
	if (!obj)
		return 1;
	fd = bench_obj_prog(obj, "gen_tx");
	bench_hold(0, fd);
	ctx.ingress_ifindex = if_nametoindex(argv[2]);
	if (!ctx.ingress_ifindex) {
		fprintf(stderr, "wiregen: no interface %s\n", argv[2]);
		return 1;
	}
	seconds = atof(argv[3]);
	len = bench_frame(0, 1, 7, frame, &off);
	wiregen_ipv4_csum(frame + 14);
	ctx.data_end = len;
	start = bench_now_ns();
	do {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
			    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = WIREGEN_BATCH / 16,
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = 64);

		if (bpf_prog_test_run_opts(fd, &opts)) {
			perror("wiregen: BPF_PROG_TEST_RUN");
			return 1;
		}
		sent += WIREGEN_BATCH / 16;
		now = bench_now_ns();
	} while (now - start < seconds * 1e9);
	printf("sent,%llu,%.4f\n", sent, (now - start) / 1e9);
	bench_release(0);
	return 0;
}
