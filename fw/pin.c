// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "log.h"
#include "pin.h"

struct fw_pinned_map {
	const char *name;
	size_t fd_offset; /* in struct fw_datapath */
	uint32_t key_size;
	uint32_t value_size;
};

#define FW_MAP(field, name, key, value) \
	{ name, offsetof(struct fw_datapath, field), sizeof(key), sizeof(value) }

static const struct fw_pinned_map fw_pinned_maps[] = {
	FW_MAP(sources4_fd[0], "fw_sources4_0", __u32, struct fw_source_value),
	FW_MAP(sources4_fd[1], "fw_sources4_1", __u32, struct fw_source_value),
	FW_MAP(sources6_fd[0], "fw_sources6_0", __u8[16], struct fw_source_value),
	FW_MAP(sources6_fd[1], "fw_sources6_1", __u8[16], struct fw_source_value),
	FW_MAP(port_rules_fd[0], "fw_port_rules_0", struct fw_port_rule_key, struct fw_rule_ref),
	FW_MAP(port_rules_fd[1], "fw_port_rules_1", struct fw_port_rule_key, struct fw_rule_ref),
	FW_MAP(classes_fd[0], "fw_classes_0", __u32, struct fw_source_value),
	FW_MAP(classes_fd[1], "fw_classes_1", __u32, struct fw_source_value),
	FW_MAP(prefix4_fd[0], "fw_prefix4_0", __u32, struct fw_prefix4_block),
	FW_MAP(prefix4_fd[1], "fw_prefix4_1", __u32, struct fw_prefix4_block),
	FW_MAP(prefix6_fd[0], "fw_prefix6_0", struct fw_prefix6_key, __u32),
	FW_MAP(prefix6_fd[1], "fw_prefix6_1", struct fw_prefix6_key, __u32),
	FW_MAP(lengths6_fd, "fw_lengths6", __u32, __u32),
	FW_MAP(set_info_fd, "fw_set_info", __u32, struct fw_set_info),
	FW_MAP(ports_fd, "fw_ports", __u32, struct fw_port_value),
	FW_MAP(counters_fd, "fw_counters", __u32, struct fw_rule_counter),
	FW_MAP(params_fd, "fw_params", __u32, __u32[FW_PARAM_COUNT]),
	FW_MAP(stats_fd, "fw_stats", __u32, struct fw_stat_value),
	FW_MAP(rule_info_fd, "fw_rule_info", __u32, struct fw_rule_info),
	FW_MAP(bans4_fd, "fw_bans4", __be32, struct fw_ban_value),
	FW_MAP(bans6_fd, "fw_bans6", __u8[16], struct fw_ban_value),
	FW_MAP(ban_prefix4_fd, "fw_ban_prefix4", struct fw_ban_prefix4_key, struct fw_ban_value),
	FW_MAP(ban_prefix6_fd, "fw_ban_prefix6", struct fw_ban_prefix6_key, struct fw_ban_value),
	FW_MAP(ban_origins_fd, "fw_ban_origins", __u32, struct fw_ban_origin),
	FW_MAP(never_ban4_fd, "fw_never_ban4", struct fw_ban_prefix4_key, __u32),
	FW_MAP(never_ban6_fd, "fw_never_ban6", struct fw_ban_prefix6_key, __u32),
	FW_MAP(limits_fd, "fw_limits", __u32, struct fw_limit_value),
	FW_MAP(limit_buckets_fd, "fw_limit_buckets", struct fw_limit_key, __u64),
	FW_MAP(event_rings_fd, "fw_event_rings", __u32, __u32),
	FW_MAP(event_readers_fd, "fw_event_readers", __u32, struct fw_event_reader),
	FW_MAP(event_stats_fd, "fw_event_stats", __u32, __u64),
	FW_MAP(log_fd, "fw_log", __u32, struct fw_limit_value),
	FW_MAP(reloads_fd, "fw_reloads", __u32, struct fw_reload_stats),
};

_Static_assert(sizeof(fw_pinned_maps) / sizeof(fw_pinned_maps[0]) == FW_DATAPATH_FDS - 1,
	       "every map of struct fw_datapath is pinned");

#define FW_PINNED_MAPS (sizeof(fw_pinned_maps) / sizeof(fw_pinned_maps[0]))

static int *fw_map_fd(struct fw_datapath *dp, const struct fw_pinned_map *m)
{
	return (int *)((char *)dp + m->fd_offset);
}

static bool fw_on_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

int fw_pin_lock(const char *dir, bool create, int *lock_fd)
{
	char parent[PATH_MAX];
	int fd, err;

	snprintf(parent, sizeof(parent), "%s", dir);
	if (access(dir, F_OK) && !fw_on_bpffs(dirname(parent))) {
		fw_error("%s: not on a BPF filesystem; mount one with 'mount -t bpf bpf %s' "
			 "or pass --pin-dir on bpffs", dir, parent);
		return -ENOTSUP;
	}
	if (create && mkdir(dir, 0700) && errno != EEXIST) {
		err = -errno;
		fw_error("%s: cannot create pin dir: %s", dir, strerror(-err));
		return err;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		if (err != -ENOENT)
			fw_error("%s: %s", dir, strerror(-err));
		return err;
	}
	if (!fw_on_bpffs(dir)) {
		fw_error("%s: not on a BPF filesystem; mount one with 'mount -t bpf bpf %s' "
			 "or pass --pin-dir on bpffs", dir, dir);
		close(fd);
		return -ENOTSUP;
	}
	if (flock(fd, LOCK_EX)) {
		err = -errno;
		fw_error("%s: cannot lock: %s", dir, strerror(-err));
		close(fd);
		return err;
	}
	*lock_fd = fd;
	return 0;
}

void fw_pin_unlock(int lock_fd)
{
	if (lock_fd >= 0)
		close(lock_fd);
}

static int fw_pin_check_map(const char *dir, int fd, const struct fw_pinned_map *m)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.key_size == m->key_size && info.value_size == m->value_size)
		return 0;
	fw_error("%s/%s: pinned by an incompatible xdpfw build (key %u, value %u bytes; this "
		 "build expects %u, %u); run 'xdpfw --pin-dir %s down' to remove it",
		 dir, m->name, info.key_size, info.value_size, m->key_size, m->value_size, dir);
	return -EPROTO;
}

int fw_pin_open(const char *dir, struct fw_datapath *dp)
{
	char path[PATH_MAX];
	uint32_t layout = 0;
	int err = 0;

	fw_datapath_init(dp);
	snprintf(path, sizeof(path), "%s/%s", dir, FW_PIN_PROG);
	dp->prog_fd = bpf_obj_get(path);
	if (dp->prog_fd < 0)
		return -ENOENT;
	for (size_t i = 0; i < FW_PINNED_MAPS && !err; i++) {
		int *fd = fw_map_fd(dp, &fw_pinned_maps[i]);

		snprintf(path, sizeof(path), "%s/%s", dir, fw_pinned_maps[i].name);
		*fd = bpf_obj_get(path);
		if (*fd < 0) {
			fw_error("%s: missing from the pinned state (%s); run 'xdpfw --pin-dir %s "
				 "down' and start again", path, strerror(errno), dir);
			err = -EPROTO;
		} else {
			err = fw_pin_check_map(dir, *fd, &fw_pinned_maps[i]);
		}
	}
	if (!err)
		err = fw_datapath_map_params(dp);
	if (!err)
		err = fw_param_read(dp, FW_PARAM_LAYOUT, &layout);
	if (!err && layout != FW_LAYOUT_VERSION) {
		fw_error("%s: pinned state has layout %u, this build uses %u; run 'xdpfw "
			 "--pin-dir %s down' to remove it", dir, layout, FW_LAYOUT_VERSION, dir);
		err = -EPROTO;
	}
	if (!err)
		err = fw_param_read(dp, FW_PARAM_CAPACITY, &dp->capacity);
	if (!err)
		err = fw_datapath_read_room(dp);
	if (err)
		fw_datapath_close(dp);
	return err;
}

int fw_pin_adopt(const char *dir, struct fw_datapath *dp)
{
	int err = fw_pin_open(dir, dp);

	if (!err)
		err = fw_datapath_mmap(dp);
	if (err)
		fw_datapath_close(dp);
	return err;
}

static int fw_pin_obj(int fd, const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (bpf_obj_pin(fd, path)) {
		int err = -errno;

		fw_error("%s: cannot pin: %s", path, strerror(-err));
		return err;
	}
	return 0;
}

static void fw_unpin_obj(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

#define FW_STAGED "staged_"

static void fw_staged_path(char *path, size_t size, const char *dir, const char *name)
{
	snprintf(path, size, "%s/" FW_STAGED "%s", dir, name);
}

int fw_pin_stage(const char *dir, struct fw_datapath *dp)
{
	char name[128];
	int err;

	dp->unreachable = false; /* once pinned, any process can attach or run it */
	err = fw_pin_obj(dp->prog_fd, dir, FW_STAGED FW_PIN_PROG);

	for (size_t i = 0; i < FW_PINNED_MAPS && !err; i++) {
		snprintf(name, sizeof(name), FW_STAGED "%s", fw_pinned_maps[i].name);
		err = fw_pin_obj(*fw_map_fd(dp, &fw_pinned_maps[i]), dir, name);
	}
	if (err)
		fw_pin_unstage(dir);
	return err;
}

static int fw_promote_one(const char *dir, const char *name)
{
	char staged[PATH_MAX], final[PATH_MAX];
	int err;

	fw_staged_path(staged, sizeof(staged), dir, name);
	snprintf(final, sizeof(final), "%s/%s", dir, name);
	err = rename(staged, final) ? -errno : 0;
	if (!err || err == -ENOENT)
		return 0;
	fw_error("%s: cannot pin: %s", final, strerror(-err));
	return err;
}

/* The program goes first: from then on the staged maps are what it uses, and recovery knows it. */
int fw_pin_promote(const char *dir)
{
	int err = fw_promote_one(dir, FW_PIN_PROG);

	for (size_t i = 0; i < FW_PINNED_MAPS && !err; i++)
		err = fw_promote_one(dir, fw_pinned_maps[i].name);
	return err;
}

void fw_pin_unstage(const char *dir)
{
	char name[128];

	fw_unpin_obj(dir, FW_STAGED FW_PIN_PROG);
	for (size_t i = 0; i < FW_PINNED_MAPS; i++) {
		snprintf(name, sizeof(name), FW_STAGED "%s", fw_pinned_maps[i].name);
		fw_unpin_obj(dir, name);
	}
}

int fw_pin_staged_prog_id(const char *dir, __u32 *id)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	int fd, err = 0;

	fw_staged_path(path, sizeof(path), dir, FW_PIN_PROG);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -ENOENT;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		err = -errno;
	*id = info.id;
	close(fd);
	return err;
}

bool fw_pin_has_staged_maps(const char *dir)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < FW_PINNED_MAPS; i++) {
		fw_staged_path(path, sizeof(path), dir, fw_pinned_maps[i].name);
		if (!access(path, F_OK))
			return true;
	}
	return false;
}

static int fw_remove_tree(const char *path)
{
	struct dirent *entry;
	DIR *d = opendir(path);
	int err = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((entry = readdir(d))) {
		char child[PATH_MAX];

		if (!strcmp(entry->d_name, ".") || !strcmp(entry->d_name, ".."))
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, entry->d_name);
		if (entry->d_type == DT_DIR)
			err = fw_remove_tree(child) ?: err;
		else if (unlink(child))
			err = -errno;
	}
	closedir(d);
	if (rmdir(path) && errno != ENOENT)
		err = -errno;
	return err;
}

int fw_pin_remove_all(const char *dir)
{
	int err = fw_remove_tree(dir);

	if (err)
		fw_error("%s: cannot remove every pin: %s", dir, strerror(-err));
	return err;
}
