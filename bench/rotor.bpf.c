// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the program under test on a rotating set of sources: rewrites the
 * low bytes of the frame's source address from a step counter, then tail
 * calls slot 0 of rotor_target. Its own cost is measured by rotating into
 * floor_drop and reported beside the figures.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct rotor_cfg {
	__u32 count;   /* sources in the set; 0 = leave the frame alone */
	__u32 step;    /* stride through the set */
	__u32 pos;     /* next index */
	__u32 offset;  /* where the address's last 4 bytes (IPv6) or 2 bytes (IPv4) start */
	__u32 wide;    /* 1: write 4 bytes (IPv6), 0: write 2 (IPv4) */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rotor_cfg);
} rotor_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} rotor_target SEC(".maps");

SEC("xdp")
int rotor(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct rotor_cfg *cfg;
	__u32 zero = 0, i, off;
	__u8 *p;

	cfg = bpf_map_lookup_elem(&rotor_state, &zero);
	if (!cfg || !cfg->count)
		goto run;
	i = cfg->pos;
	cfg->pos = i + cfg->step >= cfg->count ? i + cfg->step - cfg->count : i + cfg->step;
	off = cfg->offset & 0xff;
	p = data + off;
	if ((void *)(p + 4) > end)
		goto run;
	if (cfg->wide) {
		p[0] = i >> 24;
		p[1] = i >> 16;
		p[2] = i >> 8;
		p[3] = i;
	} else {
		p[0] = i >> 8;
		p[1] = i;
	}
run:
	bpf_tail_call(ctx, &rotor_target, 0);
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
