// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <bpf/libbpf.h>
#include "hold.h"

static int bench_hold_ifindex(int slot)
{
	char name[IF_NAMESIZE];
	int ifindex;

	snprintf(name, sizeof(name), "%s%d", BENCH_HOLD_DEV, slot);
	ifindex = if_nametoindex(name);
	if (!ifindex) {
		fprintf(stderr, "bench: no interface %s: run it through bench/holdns.sh\n",
			name);
		exit(1);
	}
	return ifindex;
}

void bench_hold(int slot, int prog_fd)
{
	int err = bpf_xdp_attach(bench_hold_ifindex(slot), prog_fd, XDP_FLAGS_DRV_MODE, NULL);

	if (err) {
		fprintf(stderr, "bench: attaching to %s%d: %s\n", BENCH_HOLD_DEV, slot,
			strerror(-err));
		exit(1);
	}
}

void bench_release(int slot)
{
	bpf_xdp_detach(bench_hold_ifindex(slot), XDP_FLAGS_DRV_MODE, NULL);
}
