// SPDX-License-Identifier: GPL-2.0
/* Loading the skeleton, and reading and writing single map entries. */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "datapath.h"
#include "log.h"
#include "xdpfw.skel.h"

/* The skeleton's kept maps, in the order of their fds in struct fw_datapath. */
static void fw_kept_maps(struct xdpfw *skel, struct bpf_map *maps[FW_KEPT_MAPS])
{
	maps[0] = skel->maps.fw_bans4;
	maps[1] = skel->maps.fw_bans6;
	maps[2] = skel->maps.fw_ban_prefix4;
	maps[3] = skel->maps.fw_ban_prefix6;
	maps[4] = skel->maps.fw_ban_origins;
	maps[5] = skel->maps.fw_never_ban4;
	maps[6] = skel->maps.fw_never_ban6;
	maps[7] = skel->maps.fw_limits;
	maps[8] = skel->maps.fw_limit_buckets;
	maps[9] = skel->maps.fw_event_rings;
	maps[10] = skel->maps.fw_event_readers;
	maps[11] = skel->maps.fw_event_stats;
	maps[12] = skel->maps.fw_log;
	maps[13] = skel->maps.fw_reloads;
}

static void fw_datapath_take_fds(struct fw_datapath *dp)
{
	struct bpf_map *kept[FW_KEPT_MAPS];
	struct xdpfw *skel = dp->skel;

	dp->prog_fd = bpf_program__fd(skel->progs.xdpfw);
	dp->sources4_fd[0] = bpf_map__fd(skel->maps.fw_sources4_0);
	dp->sources4_fd[1] = bpf_map__fd(skel->maps.fw_sources4_1);
	dp->sources6_fd[0] = bpf_map__fd(skel->maps.fw_sources6_0);
	dp->sources6_fd[1] = bpf_map__fd(skel->maps.fw_sources6_1);
	dp->port_rules_fd[0] = bpf_map__fd(skel->maps.fw_port_rules_0);
	dp->port_rules_fd[1] = bpf_map__fd(skel->maps.fw_port_rules_1);
	dp->classes_fd[0] = bpf_map__fd(skel->maps.fw_classes_0);
	dp->classes_fd[1] = bpf_map__fd(skel->maps.fw_classes_1);
	dp->prefix4_fd[0] = bpf_map__fd(skel->maps.fw_prefix4_0);
	dp->prefix4_fd[1] = bpf_map__fd(skel->maps.fw_prefix4_1);
	dp->prefix6_fd[0] = bpf_map__fd(skel->maps.fw_prefix6_0);
	dp->prefix6_fd[1] = bpf_map__fd(skel->maps.fw_prefix6_1);
	dp->lengths6_fd = bpf_map__fd(skel->maps.fw_lengths6);
	dp->set_info_fd = bpf_map__fd(skel->maps.fw_set_info);
	dp->ports_fd = bpf_map__fd(skel->maps.fw_ports);
	dp->counters_fd = bpf_map__fd(skel->maps.fw_counters);
	dp->params_fd = bpf_map__fd(skel->maps.data_params);
	dp->stats_fd = bpf_map__fd(skel->maps.fw_stats);
	dp->rule_info_fd = bpf_map__fd(skel->maps.fw_rule_info);
	fw_kept_maps(skel, kept);
	for (int i = 0; i < FW_KEPT_MAPS; i++)
		dp->fds[FW_KEPT_FD0 + i] = bpf_map__fd(kept[i]);
}

void fw_datapath_init(struct fw_datapath *dp)
{
	memset(dp, 0, sizeof(*dp));
	for (int i = 0; i < FW_DATAPATH_FDS; i++)
		dp->fds[i] = -1;
}

static uint32_t fw_prefix4_blocks(uint32_t entries)
{
	return (entries + FW_PREFIX4_BLOCK_SIZE - 1) / FW_PREFIX4_BLOCK_SIZE;
}

/* Ids (counters, names) span both sets; each set's hash maps get the room asked for. */
static int fw_datapath_size(struct xdpfw *skel, uint32_t capacity, const struct fw_room *room)
{
	struct {
		struct bpf_map *map;
		uint32_t entries;
	} sizes[] = {
		{ skel->maps.fw_counters, FW_SETS * capacity },
		{ skel->maps.fw_rule_info, FW_SETS * capacity },
		{ skel->maps.fw_sources4_0, room->sources4 },
		{ skel->maps.fw_sources4_1, room->sources4 },
		{ skel->maps.fw_sources6_0, room->sources6 },
		{ skel->maps.fw_sources6_1, room->sources6 },
		{ skel->maps.fw_port_rules_0, room->port_rules },
		{ skel->maps.fw_port_rules_1, room->port_rules },
		{ skel->maps.fw_classes_0, room->classes },
		{ skel->maps.fw_classes_1, room->classes },
		{ skel->maps.fw_prefix4_0, fw_prefix4_blocks(room->prefix4) },
		{ skel->maps.fw_prefix4_1, fw_prefix4_blocks(room->prefix4) },
		{ skel->maps.fw_prefix6_0, room->prefixes6 },
		{ skel->maps.fw_prefix6_1, room->prefixes6 },
	};
	int err = 0;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && !err; i++)
		err = bpf_map__set_max_entries(sizes[i].map, sizes[i].entries ?: 1);
	return err;
}

static int fw_map_entries(int fd, uint32_t *entries)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*entries = info.max_entries;
	return 0;
}

int fw_datapath_read_room(struct fw_datapath *dp)
{
	int fds[] = { dp->sources4_fd[0], dp->sources6_fd[0], dp->port_rules_fd[0],
		      dp->classes_fd[0],  dp->prefix4_fd[0],  dp->prefix6_fd[0] };
	uint32_t *entries[] = { &dp->room.sources4, &dp->room.sources6, &dp->room.port_rules,
				&dp->room.classes,  &dp->room.prefix4,  &dp->room.prefixes6 };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		int err = fw_map_entries(fds[i], entries[i]);

		if (err)
			return err;
	}
	dp->room.prefix4 *= FW_PREFIX4_BLOCK_SIZE; /* counted in blocks there */
	return fw_map_entries(dp->bans4_fd, &dp->max_bans);
}

/*
 * The kept maps come from in_force; its ban maps only when they hold
 * max_bans, else the new program's are made to that size.
 */
static int fw_datapath_keep(struct xdpfw *skel, uint32_t max_bans,
			    const struct fw_datapath *in_force)
{
	struct bpf_map *kept[FW_KEPT_MAPS];
	bool same_bans = in_force && in_force->max_bans == max_bans;
	int err = 0;

	fw_kept_maps(skel, kept);
	for (int i = 0; i < FW_KEPT_MAPS && !err; i++) {
		if (i < FW_BAN_MAPS && !same_bans)
			err = bpf_map__set_max_entries(kept[i], max_bans);
		else if (in_force)
			err = bpf_map__reuse_fd(kept[i], in_force->fds[FW_KEPT_FD0 + i]);
	}
	return err;
}

/* Entry 0 of fresh origins: bans without a reason are manual. */
static int fw_datapath_origins_init(const struct fw_datapath *dp)
{
	struct fw_ban_origin manual = { .name = "manual" };
	__u32 index = FW_BAN_ORIGIN_MANUAL;

	return bpf_map_update_elem(dp->ban_origins_fd, &index, &manual, BPF_ANY) ? -errno : 0;
}

int fw_datapath_load(struct fw_datapath *dp, uint32_t capacity, const struct fw_room *room)
{
	return fw_datapath_load_over(dp, capacity, room, FW_DEFAULT_MAX_BANS, NULL);
}

int fw_datapath_load_over(struct fw_datapath *dp, uint32_t capacity, const struct fw_room *room,
			  uint32_t max_bans, const struct fw_datapath *in_force)
{
	struct xdpfw *skel;
	int err;

	fw_datapath_init(dp);
	if (!capacity || capacity > FW_RULE_ID_LIMIT / FW_SETS || !max_bans)
		return -EINVAL;
	skel = xdpfw__open();
	if (!skel)
		return -errno;
	dp->skel = skel;
	err = fw_datapath_size(skel, capacity, room);
	if (!err)
		err = fw_datapath_keep(skel, max_bans, in_force);
	if (!err)
		err = xdpfw__load(skel);
	if (err)
		goto cleanup;
	fw_datapath_take_fds(dp);
	dp->capacity = capacity;
	dp->room = *room;
	dp->max_bans = max_bans;
	dp->bans_to_copy = in_force && in_force->max_bans != max_bans;
	err = fw_datapath_map_params(dp);
	if (!err)
		err = fw_datapath_mmap(dp);
	if (!err)
		err = fw_param_write(dp, FW_PARAM_LAYOUT, FW_LAYOUT_VERSION);
	if (!err)
		err = fw_param_write(dp, FW_PARAM_CAPACITY, capacity);
	if (!err)
		err = fw_param_write(dp, FW_PARAM_SETTLED, 1);
	if (!err && !in_force)
		err = fw_datapath_origins_init(dp);
	dp->blank = !err;
	dp->unreachable = !err;
	if (!err)
		return 0;
cleanup:
	fw_datapath_close(dp);
	return err;
}

static size_t fw_mmap_size(size_t entries, size_t entry_size)
{
	size_t page = sysconf(_SC_PAGESIZE);

	return (entries * entry_size + page - 1) / page * page;
}

int fw_datapath_map_params(struct fw_datapath *dp)
{
	void *params = mmap(NULL, fw_mmap_size(1, sizeof(__u32) * FW_PARAM_COUNT),
			    PROT_READ | PROT_WRITE, MAP_SHARED, dp->params_fd, 0);

	if (params == MAP_FAILED)
		return -errno;
	dp->params = params;
	return 0;
}

static size_t fw_trie_size(const struct fw_datapath *dp)
{
	uint32_t blocks = fw_prefix4_blocks(dp->room.prefix4);

	return fw_mmap_size(blocks ? blocks : 1, sizeof(struct fw_prefix4_block));
}

/* The IPv4 tries, written through memory: a batch update of millions of entries takes seconds. */
static int fw_datapath_mmap_tries(struct fw_datapath *dp)
{
	for (int set = 0; set < FW_SETS; set++) {
		void *trie = mmap(NULL, fw_trie_size(dp), PROT_READ | PROT_WRITE, MAP_SHARED,
				  dp->prefix4_fd[set], 0);

		if (trie == MAP_FAILED)
			return -errno;
		dp->prefix4_mem[set] = trie;
	}
	return 0;
}

int fw_datapath_mmap(struct fw_datapath *dp)
{
	void *infos, *counters;

	_Static_assert(sizeof(struct fw_rule_info) % 8 == 0, "mmapped arrays stride by 8");
	_Static_assert(sizeof(struct fw_rule_counter) % 8 == 0, "mmapped arrays stride by 8");
	infos = mmap(NULL, fw_mmap_size(fw_datapath_ids(dp), sizeof(struct fw_rule_info)),
		     PROT_READ | PROT_WRITE, MAP_SHARED, dp->rule_info_fd, 0);
	if (infos == MAP_FAILED)
		return -errno;
	counters = mmap(NULL, fw_mmap_size(fw_datapath_ids(dp), sizeof(struct fw_rule_counter)),
			PROT_READ | PROT_WRITE, MAP_SHARED, dp->counters_fd, 0);
	if (counters == MAP_FAILED) {
		int err = -errno;

		munmap(infos, fw_mmap_size(fw_datapath_ids(dp), sizeof(struct fw_rule_info)));
		return err;
	}
	dp->rule_infos = infos;
	dp->counters = counters;
	return fw_datapath_mmap_tries(dp);
}

void fw_datapath_close(struct fw_datapath *dp)
{
	if (dp->rule_infos)
		munmap(dp->rule_infos,
		       fw_mmap_size(fw_datapath_ids(dp), sizeof(struct fw_rule_info)));
	if (dp->params)
		munmap(dp->params, fw_mmap_size(1, sizeof(__u32) * FW_PARAM_COUNT));
	if (dp->counters)
		munmap(dp->counters,
		       fw_mmap_size(fw_datapath_ids(dp), sizeof(struct fw_rule_counter)));
	for (int set = 0; set < FW_SETS; set++)
		if (dp->prefix4_mem[set])
			munmap(dp->prefix4_mem[set], fw_trie_size(dp));
	if (dp->skel)
		xdpfw__destroy(dp->skel);
	else
		for (int i = 0; i < FW_DATAPATH_FDS; i++)
			if (dp->fds[i] >= 0)
				close(dp->fds[i]);
	fw_datapath_init(dp);
}

/*
 * Updating a map-in-map makes the kernel wait for every running XDP program
 * to finish (synchronize_rcu), so no packet still sees the old set after it.
 */
int fw_wait_for_readers(void)
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

int fw_param_read(const struct fw_datapath *dp, uint32_t index, uint32_t *value)
{
	if (!dp->params || index >= FW_PARAM_COUNT)
		return -EINVAL;
	*value = __atomic_load_n(&dp->params[index], __ATOMIC_SEQ_CST);
	return 0;
}

/* One aligned store: a packet sees the old word or the new one, never a mix. */
int fw_param_write(const struct fw_datapath *dp, uint32_t index, uint32_t value)
{
	if (!dp->params || index >= FW_PARAM_COUNT)
		return -EINVAL;
	__atomic_store_n(&dp->params[index], value, __ATOMIC_SEQ_CST);
	return 0;
}

int fw_param_set_bits(const struct fw_datapath *dp, uint32_t index, uint32_t bits)
{
	if (!dp->params || index >= FW_PARAM_COUNT)
		return -EINVAL;
	__atomic_fetch_or(&dp->params[index], bits, __ATOMIC_SEQ_CST);
	return 0;
}

int fw_param_clear_bits(const struct fw_datapath *dp, uint32_t index, uint32_t bits)
{
	if (!dp->params || index >= FW_PARAM_COUNT)
		return -EINVAL;
	__atomic_fetch_and(&dp->params[index], ~bits, __ATOMIC_SEQ_CST);
	return 0;
}

/*
 * A spill in progress ends a few instructions later in the datapath, which
 * softirq context does not preempt: spin, then yield, for at most this long.
 * A bound in yields, not time, took 50 s on a loaded host to give up.
 */
#define FW_COUNTER_READ_SPINS 100
#define FW_COUNTER_READ_WAIT_NS (20 * 1000 * 1000ull)

int fw_counter_read(const struct fw_datapath *dp, uint32_t id, struct fw_counter *out)
{
	if (id >= fw_datapath_ids(dp))
		return -ENOENT;
	return fw_rule_counter_read(&dp->counters[id], out);
}

int fw_rule_counter_read(const struct fw_rule_counter *c, struct fw_counter *out)
{
	uint64_t deadline = 0;

	for (int tries = 0;; tries++) {
		uint64_t packets = __atomic_load_n(&c->packets_spilled, __ATOMIC_ACQUIRE);
		uint64_t bytes = __atomic_load_n(&c->bytes_spilled, __ATOMIC_ACQUIRE);
		uint64_t recent = __atomic_load_n(&c->recent, __ATOMIC_ACQUIRE);

		/* Spilled words only grow: unchanged means no move ended while recent was read. */
		if (!(recent & FW_COUNTER_HALVES) &&
		    packets == __atomic_load_n(&c->packets_spilled, __ATOMIC_ACQUIRE) &&
		    bytes == __atomic_load_n(&c->bytes_spilled, __ATOMIC_ACQUIRE)) {
			out->packets = packets + (recent >> FW_COUNTER_BYTES_BITS);
			out->bytes = bytes + (recent & FW_COUNTER_BYTES_MASK);
			return 0;
		}
		if (tries < FW_COUNTER_READ_SPINS)
			continue;
		if (!deadline)
			deadline = fw_now_ns() + FW_COUNTER_READ_WAIT_NS;
		else if (fw_now_ns() > deadline)
			return -EAGAIN;
		sched_yield();
	}
}

int fw_counter_write(const struct fw_datapath *dp, uint32_t id, const struct fw_counter *totals)
{
	struct fw_rule_counter *c;

	if (id >= fw_datapath_ids(dp))
		return -ENOENT;
	c = &dp->counters[id];
	__atomic_store_n(&c->recent, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->packets_spilled, totals->packets, __ATOMIC_RELAXED);
	__atomic_store_n(&c->bytes_spilled, totals->bytes, __ATOMIC_RELAXED);
	return 0;
}

int fw_counter_add(const struct fw_datapath *dp, uint32_t id, const struct fw_counter *more)
{
	struct fw_rule_counter *c;

	if (id >= fw_datapath_ids(dp))
		return -ENOENT;
	c = &dp->counters[id];
	__atomic_fetch_add(&c->packets_spilled, more->packets, __ATOMIC_RELEASE);
	__atomic_fetch_add(&c->bytes_spilled, more->bytes, __ATOMIC_RELEASE);
	return 0;
}

int fw_counter_reset(const struct fw_datapath *dp, uint32_t id)
{
	return fw_counter_write(dp, id, &(struct fw_counter){ 0 });
}

int fw_stats_read(const struct fw_datapath *dp, struct fw_stat_value *out)
{
	int cpus = libbpf_num_possible_cpus();
	struct fw_stat_value *percpu;
	uint32_t slot;
	int err = 0;

	if (cpus < 0)
		return cpus;
	percpu = calloc(cpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	for (slot = 0; slot < FW_STAT_COUNT && !err; slot++) {
		out[slot] = (struct fw_stat_value){ 0 };
		if (bpf_map_lookup_elem(dp->stats_fd, &slot, percpu)) {
			err = -errno;
			break;
		}
		for (int cpu = 0; cpu < cpus; cpu++) {
			out[slot].packets += percpu[cpu].packets;
			out[slot].bytes += percpu[cpu].bytes;
		}
	}
	free(percpu);
	return err;
}

int fw_stats_reset(const struct fw_datapath *dp)
{
	int cpus = libbpf_num_possible_cpus();
	struct fw_stat_value *zero;
	int err = 0;

	if (cpus < 0)
		return cpus;
	zero = calloc(cpus, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	for (uint32_t slot = 0; slot < FW_STAT_COUNT && !err; slot++)
		if (bpf_map_update_elem(dp->stats_fd, &slot, zero, BPF_ANY))
			err = -errno;
	free(zero);
	return err;
}
