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
#include "identity.h"
#include "mapio.h"

/* Keys of one hash map, split by the set byte every key starts with. */
struct fw_set_keys {
	uint8_t *keys[FW_SETS];
	size_t count[FW_SETS];
};

static void fw_set_keys_free(struct fw_set_keys *k)
{
	for (int s = 0; s < FW_SETS; s++)
		free(k->keys[s]);
	memset(k, 0, sizeof(*k));
}

static int fw_set_keys_dump(int fd, size_t key_size, size_t value_size, struct fw_set_keys *out)
{
	uint8_t *keys;
	void *values;
	size_t n;
	int err;

	memset(out, 0, sizeof(*out));
	err = fw_map_dump(fd, key_size, value_size, (void **)&keys, &values, &n);
	free(values);
	if (err)
		return err;
	for (int s = 0; s < FW_SETS && !err; s++) {
		out->keys[s] = malloc(n * key_size + 1);
		if (!out->keys[s])
			err = -ENOMEM;
	}
	for (size_t i = 0; i < n && !err; i++) {
		uint8_t set = keys[i * key_size] & 1;

		memcpy(out->keys[set] + out->count[set]++ * key_size, keys + i * key_size, key_size);
	}
	free(keys);
	if (err)
		fw_set_keys_free(out);
	return err;
}

/*
 * Updating a map-in-map makes the kernel wait for every running XDP program
 * to finish (synchronize_rcu), so no packet still sees the old set after it.
 */
static int fw_wait_for_readers(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	int inner, outer, err = 0;
	__u32 zero = 0;

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

/* Rule names and fresh counters, for ids the new set brings in. */
static int fw_identities_write(const struct fw_datapath *dp, const struct fw_identity_plan *plan)
{
	struct fw_counter *zeros = calloc(plan->fresh_count + 1, sizeof(*zeros));
	int err;

	if (!zeros)
		return -ENOMEM;
	err = fw_map_write(dp->counters_fd, plan->fresh_ids, zeros, plan->fresh_count);
	free(zeros);
	if (!err)
		err = fw_map_write(dp->rule_info_fd, plan->info_ids, plan->infos, plan->info_count);
	return err;
}

/* Writes the compiled set into the idle slot; on failure removes what it wrote. */
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

/* Removes one set's entries from both hash maps, once no packet can be reading them. */
static int fw_set_delete(const struct fw_datapath *dp, uint8_t set, const struct fw_set_keys *sources,
			 const struct fw_set_keys *port_rules)
{
	int err;

	if (!sources->count[set] && !port_rules->count[set])
		return 0;
	err = fw_wait_for_readers();
	if (!err)
		err = fw_map_delete(dp->sources_fd, sources->keys[set], sources->count[set]);
	if (!err)
		err = fw_map_delete(dp->port_rules_fd, port_rules->keys[set],
				    port_rules->count[set]);
	return err;
}

static int fw_sync_sets(struct fw_datapath *dp, uint8_t active, const struct fw_ruleset *rs,
			const struct fw_identity_plan *plan)
{
	struct fw_set_keys sources = { 0 }, port_rules = { 0 };
	struct fw_compiled compiled = { 0 };
	uint8_t next = active ^ 1;
	int err;

	err = fw_compile(rs, next, &compiled);
	if (!err)
		err = fw_set_keys_dump(dp->sources_fd, sizeof(struct fw_source_key),
				       sizeof(struct fw_source_value), &sources);
	if (!err)
		err = fw_set_keys_dump(dp->port_rules_fd, sizeof(struct fw_port_rule_key),
				       sizeof(struct fw_rule_ref), &port_rules);
	/* Leftovers of an interrupted sync in the idle slot. */
	if (!err)
		err = fw_set_delete(dp, next, &sources, &port_rules);
	if (!err && plan)
		err = fw_identities_write(dp, plan);
	if (!err)
		err = fw_set_write(dp, next, rs, &compiled);
	if (!err)
		err = fw_param_write(dp, FW_PARAM_ACTIVE_SET, next);
	if (err)
		goto cleanup;

	/* The new set is in force; a failure from here on only leaves garbage in the idle slot. */
	err = fw_set_delete(dp, active, &sources, &port_rules);
	if (!err && plan)
		err = fw_map_delete(dp->rule_info_fd, plan->gone_ids, plan->gone_count);
cleanup:
	fw_set_keys_free(&sources);
	fw_set_keys_free(&port_rules);
	fw_compiled_free(&compiled);
	return err;
}

static int fw_active_set(const struct fw_datapath *dp, const struct fw_ruleset *rs, uint8_t *active)
{
	uint32_t value;
	int err;

	if (rs->count > dp->capacity)
		return -ENOSPC;
	err = fw_param_read(dp, FW_PARAM_ACTIVE_SET, &value);
	*active = value & 1;
	return err;
}

int fw_datapath_sync(struct fw_datapath *dp, const struct fw_ruleset *rs)
{
	uint8_t active;
	int err = fw_active_set(dp, rs, &active);

	return err ? err : fw_sync_sets(dp, active, rs, NULL);
}

int fw_rules_sync(struct fw_datapath *dp, struct fw_ruleset *rs, struct fw_sync_report *report)
{
	struct fw_identity_plan plan;
	uint8_t active;
	int err = fw_active_set(dp, rs, &active);

	if (err)
		return err;
	err = fw_identity_plan(dp, active, rs, &plan);
	if (err)
		return err;
	err = fw_sync_sets(dp, active, rs, &plan);
	if (report)
		*report = plan.report;
	fw_identity_plan_free(&plan);
	return err;
}
