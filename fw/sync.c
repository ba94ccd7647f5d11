// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-set swaps: the new set is written beside the one in force, the
 * active-set param flips in one store, and the old set is deleted only once
 * no program can still be reading it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "datapath.h"

#define FW_DUMP_CHUNK 8192

/* Keys of one hash map, split by the set byte every key starts with. */
struct fw_set_keys {
	void *keys[FW_SETS];
	size_t count[FW_SETS];
};

static void fw_set_keys_free(struct fw_set_keys *k)
{
	for (int s = 0; s < FW_SETS; s++)
		free(k->keys[s]);
	memset(k, 0, sizeof(*k));
}

static int fw_set_keys_add(struct fw_set_keys *k, const uint8_t *keys, size_t n, size_t key_size)
{
	for (int s = 0; s < FW_SETS; s++) {
		void *grown = realloc(k->keys[s], (k->count[s] + n) * key_size + 1);

		if (!grown)
			return -ENOMEM;
		k->keys[s] = grown;
	}
	for (size_t i = 0; i < n; i++) {
		const uint8_t *key = keys + i * key_size;
		uint8_t set = key[0] & 1;

		memcpy((uint8_t *)k->keys[set] + k->count[set]++ * key_size, key, key_size);
	}
	return 0;
}

static int fw_map_dump_keys(int fd, size_t key_size, size_t value_size, struct fw_set_keys *out)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint8_t *keys = calloc(FW_DUMP_CHUNK, key_size);
	uint8_t *values = calloc(FW_DUMP_CHUNK, value_size);
	uint64_t token[8];
	bool first = true;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!keys || !values) {
		err = -ENOMEM;
		goto cleanup;
	}
	for (;;) {
		__u32 count = FW_DUMP_CHUNK;
		int ret = bpf_map_lookup_batch(fd, first ? NULL : token, token, keys, values,
					       &count, &opts);
		bool done = ret && errno == ENOENT;

		if (ret && !done) {
			err = -errno;
			break;
		}
		first = false;
		err = fw_set_keys_add(out, keys, count, key_size);
		if (err || done)
			break;
	}
cleanup:
	free(keys);
	free(values);
	if (err)
		fw_set_keys_free(out);
	return err;
}

static int fw_map_delete_keys(int fd, void *keys, size_t n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 count = n;

	if (!n)
		return 0;
	return bpf_map_delete_batch(fd, keys, &count, &opts) ? -errno : 0;
}

static int fw_map_write(int fd, const void *keys, const void *values, size_t n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
	__u32 count = n;

	if (!n)
		return 0;
	return bpf_map_update_batch(fd, keys, values, &count, &opts) ? -errno : 0;
}

/*
 * Updating a map-in-map makes the kernel wait for every running XDP program
 * to finish (synchronize_rcu), so no packet still sees the old set after it.
 */
static int fw_wait_for_readers(void)
{
	int inner, outer, err = 0;
	__u32 zero = 0;
	LIBBPF_OPTS(bpf_map_create_opts, opts);

	inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, "fw_rcu_inner", 4, 4, 1, NULL);
	if (inner < 0)
		return -errno;
	opts.inner_map_fd = inner;
	outer = bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "fw_rcu_barrier", 4, 4, 1, &opts);
	if (outer < 0)
		err = -errno;
	else if (bpf_map_update_elem(outer, &zero, &inner, BPF_ANY))
		err = -errno;
	if (outer >= 0)
		close(outer);
	close(inner);
	return err;
}

static int fw_ports_write(const struct fw_datapath *dp, uint8_t set,
			  const struct fw_port_value *ports)
{
	__u32 *keys = malloc(FW_PORTS * sizeof(*keys));
	int err;

	if (!keys)
		return -ENOMEM;
	for (__u32 port = 0; port < FW_PORTS; port++)
		keys[port] = set * FW_PORTS + port;
	err = fw_map_write(dp->ports_fd, keys, ports, FW_PORTS);
	free(keys);
	return err;
}

static int fw_set_params_write(const struct fw_datapath *dp, uint8_t set,
			       const struct fw_ruleset *rs)
{
	int err = fw_param_write(dp, FW_PARAM_INDEX(set, FW_PARAM_DEFAULT_ACTION),
				 rs->default_action);

	if (!err)
		err = fw_param_write(dp, FW_PARAM_INDEX(set, FW_PARAM_FRAGMENTS), rs->fragments);
	if (!err)
		err = fw_param_write(dp, FW_PARAM_INDEX(set, FW_PARAM_RULE_COUNT), rs->count);
	return err;
}

/* Writes the compiled set into the inactive slot; on failure removes what it wrote. */
static int fw_set_write(const struct fw_datapath *dp, uint8_t set, const struct fw_ruleset *rs,
			const struct fw_compiled *c)
{
	int err = fw_map_write(dp->sources_fd, c->source_keys, c->source_values, c->sources);

	if (!err)
		err = fw_map_write(dp->port_rules_fd, c->port_rule_keys, c->port_rule_values,
				   c->port_rules);
	if (!err)
		err = fw_ports_write(dp, set, c->ports);
	if (!err)
		err = fw_set_params_write(dp, set, rs);
	if (err) {
		for (size_t i = 0; i < c->sources; i++)
			bpf_map_delete_elem(dp->sources_fd, &c->source_keys[i]);
		for (size_t i = 0; i < c->port_rules; i++)
			bpf_map_delete_elem(dp->port_rules_fd, &c->port_rule_keys[i]);
	}
	return err;
}

int fw_datapath_sync(struct fw_datapath *dp, const struct fw_ruleset *rs)
{
	struct fw_set_keys sources = { 0 }, port_rules = { 0 };
	struct fw_compiled compiled = { 0 };
	uint32_t active;
	uint8_t next;
	int err;

	if (rs->count > dp->capacity)
		return -ENOSPC;
	err = fw_param_read(dp, FW_PARAM_ACTIVE_SET, &active);
	if (err)
		return err;
	next = (active & 1) ^ 1;
	err = fw_compile(rs, next, &compiled);
	if (!err)
		err = fw_map_dump_keys(dp->sources_fd, sizeof(struct fw_source_key),
				       sizeof(struct fw_source_value), &sources);
	if (!err)
		err = fw_map_dump_keys(dp->port_rules_fd, sizeof(struct fw_port_rule_key),
				       sizeof(struct fw_rule_ref), &port_rules);
	if (err)
		goto cleanup;

	/* Leftovers of an interrupted sync in the inactive slot. */
	if (sources.count[next] || port_rules.count[next]) {
		err = fw_wait_for_readers();
		if (!err)
			err = fw_map_delete_keys(dp->sources_fd, sources.keys[next],
						 sources.count[next]);
		if (!err)
			err = fw_map_delete_keys(dp->port_rules_fd, port_rules.keys[next],
						 port_rules.count[next]);
		if (err)
			goto cleanup;
	}

	err = fw_set_write(dp, next, rs, &compiled);
	if (err)
		goto cleanup;
	err = fw_param_write(dp, FW_PARAM_ACTIVE_SET, next);
	if (err)
		goto cleanup;

	/* The new set is in force; a failure from here on only leaves garbage in the idle slot. */
	err = fw_wait_for_readers();
	if (!err)
		err = fw_map_delete_keys(dp->sources_fd, sources.keys[next ^ 1],
					 sources.count[next ^ 1]);
	if (!err)
		err = fw_map_delete_keys(dp->port_rules_fd, port_rules.keys[next ^ 1],
					 port_rules.count[next ^ 1]);
cleanup:
	fw_set_keys_free(&sources);
	fw_set_keys_free(&port_rules);
	fw_compiled_free(&compiled);
	return err;
}
