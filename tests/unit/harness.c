// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include "harness.h"
#include "pkt.h"

struct fw_datapath *harness_datapath(uint32_t capacity)
{
	static struct fw_datapath dp;
	static int loaded;
	int err;

	if (loaded)
		return &dp;
	struct fw_room room = fw_room_for_capacity(capacity);

	err = fw_datapath_load(&dp, capacity, &room);
	if (err) {
		fprintf(stderr, "loading the XDP program failed: %s\n", strerror(-err));
		exit(1);
	}
	loaded = 1;
	return &dp;
}

void harness_ruleset(struct fw_ruleset *rs, const struct rule_spec *specs, size_t n,
		     uint32_t default_action, uint32_t fragments)
{
	memset(rs, 0, sizeof(*rs));
	rs->rules = calloc(n + 1, sizeof(*rs->rules));
	if (!rs->rules)
		abort();
	rs->count = n;
	rs->default_action = default_action;
	rs->fragments = fragments;
	for (size_t i = 0; i < n; i++) {
		struct fw_rule *r = &rs->rules[i];

		snprintf(r->name, sizeof(r->name), "%s", specs[i].name ? specs[i].name : "rule");
		r->has_src = specs[i].src != NULL;
		if (r->has_src)
			pkt_addr(specs[i].src, r->src);
		r->port = specs[i].port;
		r->proto = specs[i].proto;
		r->action = specs[i].action ? specs[i].action : FW_ACTION_DROP;
		r->id = i;
	}
}

int harness_run(struct fw_datapath *dp, const uint8_t *frame, size_t len)
{
	return harness_run_repeat(dp, frame, len, 1);
}

int harness_run_repeat(struct fw_datapath *dp, const uint8_t *frame, size_t len, uint32_t repeat)
{
	uint8_t out[PKT_MAX + 256];
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = len,
		.data_out = out,
		.data_size_out = sizeof(out),
		.repeat = repeat,
	);

	if (bpf_prog_test_run_opts(dp->prog_fd, &opts)) {
		perror("BPF_PROG_TEST_RUN");
		abort();
	}
	return opts.retval;
}
