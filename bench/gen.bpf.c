// SPDX-License-Identifier: GPL-2.0
/* The traffic generator: with BPF_F_TEST_XDP_LIVE_FRAMES every XDP_TX is a frame on the wire. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int gen_tx(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
