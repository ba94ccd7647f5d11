// SPDX-License-Identifier: GPL-2.0
/*
 * fw_reloads, through its own pin: a sync counts itself once the pin lock
 * is given back, so the count takes the lock again for its read and write.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "log.h"
#include "pin.h"
#include "reloads.h"

#define FW_RELOADS_PIN "fw_reloads"

/* The pinned map's fd; -ENOENT when nothing is pinned, -EPROTO when it is not this build's. */
static int fw_reloads_open(const char *pin_dir)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/" FW_RELOADS_PIN, pin_dir);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -ENOENT;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
	    info.value_size != sizeof(struct fw_reload_stats)) {
		close(fd);
		return -EPROTO;
	}
	return fd;
}

static void fw_reloads_count(struct fw_reload_stats *r, bool ok)
{
	uint64_t now = (uint64_t)time(NULL);

	if (ok) {
		r->succeeded++;
		r->last_success = now;
	} else {
		r->failed++;
		r->last_failure = now;
	}
}

void fw_reloads_record(const char *pin_dir, bool ok)
{
	struct fw_reload_stats r;
	int fd = fw_reloads_open(pin_dir), lock_fd = -1, err;
	__u32 zero = 0;

	if (fd < 0)
		return; /* nothing pinned: no config is in force here to count against */
	err = fw_pin_lock(pin_dir, false, &lock_fd);
	if (!err)
		err = bpf_map_lookup_elem(fd, &zero, &r) ? -errno : 0;
	if (!err) {
		fw_reloads_count(&r, ok);
		err = bpf_map_update_elem(fd, &zero, &r, BPF_ANY) ? -errno : 0;
	}
	if (err && err != -ENOENT)
		fw_error("%s/" FW_RELOADS_PIN ": cannot count this reload for the metrics: %s",
			 pin_dir, strerror(-err));
	fw_pin_unlock(lock_fd);
	close(fd);
}

int fw_reloads_read(const char *pin_dir, struct fw_reload_stats *out)
{
	int fd = fw_reloads_open(pin_dir), err;
	__u32 zero = 0;

	if (fd < 0)
		return fd;
	err = bpf_map_lookup_elem(fd, &zero, out) ? -errno : 0;
	close(fd);
	return err;
}
