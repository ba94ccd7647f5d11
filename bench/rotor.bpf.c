// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the program under test on a rotating set of sources: rewrites the
 * frame's source address from a step counter (its low bytes, or a whole
 * address from the table rotor_addrs), then tail calls slot 0 of
 * rotor_target. Its own cost is measured by rotating into floor_drop and
 * reported beside the figures.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "rotor.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rotor_cfg);
} rotor_state SEC(".maps");

/* Sources for ROTOR_TABLE4/16, in the order they are sent; sized by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rotor_addr);
} rotor_addrs SEC(".maps");

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
	struct rotor_addr *a;
	__u32 zero = 0, i, off;
	__u8 *p;

	cfg = bpf_map_lookup_elem(&rotor_state, &zero);
	if (!cfg || !cfg->count)
		goto run;
	i = cfg->pos;
	cfg->pos = i + cfg->step >= cfg->count ? i + cfg->step - cfg->count : i + cfg->step;
	off = cfg->offset & 0xff;
	p = data + off;
	if ((void *)(p + 16) > end)
		goto run;
	switch (cfg->mode) {
	case ROTOR_LOW2:
		p[0] = i >> 8;
		p[1] = i;
		break;
	case ROTOR_LOW4:
		p[0] = i >> 24;
		p[1] = i >> 16;
		p[2] = i >> 8;
		p[3] = i;
		break;
	default:
		a = bpf_map_lookup_elem(&rotor_addrs, &i);
		if (!a)
			break;
		if (cfg->mode == ROTOR_TABLE4)
			__builtin_memcpy(p, a->bytes, 4);
		else
			__builtin_memcpy(p, a->bytes, 16);
	}
run:
	bpf_tail_call(ctx, &rotor_target, 0);
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
