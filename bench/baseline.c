// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "baseline.h"
#include "bpfobj.h"

#define BASELINE_CHUNK 65536u

static void baseline_die(const char *what, int err)
{
	fprintf(stderr, "bench: baseline datapath: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static struct bpf_map_info baseline_info(int fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		baseline_die("map info", errno);
	return info;
}

/* Every entry of one hash map into another with the same keys, values cut to its size. */
static void baseline_copy(int from, int to)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	struct bpf_map_info fi = baseline_info(from), ti = baseline_info(to);
	uint8_t *keys = malloc((size_t)BASELINE_CHUNK * fi.key_size);
	uint8_t *values = malloc((size_t)BASELINE_CHUNK * fi.value_size);
	uint32_t in = 0, out = 0;
	int done = 0, first = 1;

	if (!keys || !values)
		baseline_die("copy", ENOMEM);
	if (fi.key_size != ti.key_size || ti.value_size > fi.value_size)
		baseline_die("maps of another shape", EINVAL);
	while (!done) {
		uint32_t count = BASELINE_CHUNK;

		if (bpf_map_lookup_batch(from, first ? NULL : &in, &out, keys, values, &count, &opts)) {
			if (errno != ENOENT)
				baseline_die("reading the rules", errno);
			done = 1;
		}
		first = 0;
		in = out;
		for (uint32_t i = 1; i < count; i++)
			memmove(values + (size_t)i * ti.value_size, values + (size_t)i * fi.value_size,
				ti.value_size);
		if (count && bpf_map_update_batch(to, keys, values, &count, &opts))
			baseline_die("writing the rules", errno);
	}
	free(keys);
	free(values);
}

static uint32_t baseline_blocks(uint32_t entries)
{
	return (entries + FW_PREFIX4_BLOCK_SIZE - 1) / FW_PREFIX4_BLOCK_SIZE;
}

static uint32_t baseline_at_least_one(uint32_t n)
{
	return n ? n : 1;
}

struct bpf_object *bench_baseline_load(const char *path, const struct fw_datapath *dp)
{
	const struct fw_room *room = &dp->room;
	struct bench_map_size sizes[] = {
		{ "fw_counters", fw_datapath_ids(dp) },
		{ "fw_rule_info", fw_datapath_ids(dp) },
		{ "fw_sources4_0", baseline_at_least_one(room->sources4) },
		{ "fw_sources4_1", baseline_at_least_one(room->sources4) },
		{ "fw_sources6_0", baseline_at_least_one(room->sources6) },
		{ "fw_sources6_1", baseline_at_least_one(room->sources6) },
		{ "fw_port_rules_0", baseline_at_least_one(room->port_rules) },
		{ "fw_port_rules_1", baseline_at_least_one(room->port_rules) },
		{ "fw_classes_0", baseline_at_least_one(room->classes) },
		{ "fw_classes_1", baseline_at_least_one(room->classes) },
		{ "fw_prefix4_0", baseline_at_least_one(baseline_blocks(room->prefix4)) },
		{ "fw_prefix4_1", baseline_at_least_one(baseline_blocks(room->prefix4)) },
		{ "fw_prefix6_0", baseline_at_least_one(room->prefixes6) },
		{ "fw_prefix6_1", baseline_at_least_one(room->prefixes6) },
		{ NULL, 0 }
	};
	struct bpf_object *obj = bench_obj_load(path, sizes);
	uint32_t active, zero = 0, params[64] = { 0 };
	char name[32];
	int fd;

	if (!obj)
		exit(1);
	if (fw_param_read(dp, FW_PARAM_ACTIVE, &active))
		baseline_die("the policy word", EIO);
	/* Only the source maps are copied: rules on an address, with no port. */
	if (active & (FW_ACTIVE_SOURCELESS | FW_ACTIVE_PREFIX4 | FW_ACTIVE_PREFIX6))
		baseline_die("rules other than one address each", EINVAL);
	snprintf(name, sizeof(name), "fw_sources4_%u", active & FW_ACTIVE_SET);
	baseline_copy(dp->sources4_fd[active & FW_ACTIVE_SET], bench_obj_map(obj, name));
	snprintf(name, sizeof(name), "fw_sources6_%u", active & FW_ACTIVE_SET);
	baseline_copy(dp->sources6_fd[active & FW_ACTIVE_SET], bench_obj_map(obj, name));
	/* The policy is a global there too: word FW_PARAM_ACTIVE of .data.params. */
	fd = bench_obj_map(obj, ".data.params");
	if (baseline_info(fd).value_size > sizeof(params) || bpf_map_lookup_elem(fd, &zero, params))
		baseline_die("its params", errno ? errno : EINVAL);
	params[FW_PARAM_ACTIVE] = active & BENCH_BASELINE_ACTIVE_BITS;
	if (bpf_map_update_elem(fd, &zero, params, BPF_ANY))
		baseline_die("setting its params", errno);
	return obj;
}
