// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "ban_origins.h"
#include "bans.h"
#include "log.h"
#include "mapio.h"

int fw_ban_origins_read(const struct fw_datapath *dp, struct fw_ban_origin **out)
{
	struct fw_ban_origin *names = calloc(FW_BAN_ORIGINS, sizeof(*names)), *values;
	void *keys, *raw;
	size_t count;
	int err;

	if (!names)
		return -ENOMEM;
	err = fw_map_dump(dp->ban_origins_fd, sizeof(__u32), sizeof(*names), &keys, &raw, &count);
	values = raw;
	for (size_t i = 0; i < count && !err; i++) {
		__u32 index = ((const __u32 *)keys)[i];

		if (index < FW_BAN_ORIGINS)
			names[index] = values[i];
	}
	free(keys);
	free(raw);
	if (err) {
		free(names);
		return err;
	}
	*out = names;
	return 0;
}

static int fw_ban_origin_write(const struct fw_datapath *dp, uint32_t index, const char *name)
{
	struct fw_ban_origin origin = { 0 };

	strncpy(origin.name, name, sizeof(origin.name) - 1);
	return bpf_map_update_elem(dp->ban_origins_fd, &index, &origin, BPF_ANY) ? -errno : 0;
}

long fw_ban_origins_free_unused(const struct fw_datapath *dp, const uint8_t used[FW_BAN_ORIGINS])
{
	struct fw_ban_origin *names;
	long freed = 0;
	int err = fw_ban_origins_read(dp, &names);

	if (err)
		return err;
	for (uint32_t i = FW_BAN_ORIGIN_MANUAL + 1; i < FW_BAN_ORIGINS && !err; i++) {
		if (used[i] || !names[i].name[0])
			continue;
		err = fw_ban_origin_write(dp, i, "");
		freed++;
	}
	free(names);
	return err ? err : freed;
}

/* The entry named name, or a free one (0 if none: that is manual's). */
static uint32_t fw_ban_origin_find(const struct fw_ban_origin *names, const char *name,
				   bool *found)
{
	uint32_t free_at = 0;

	for (uint32_t i = FW_BAN_ORIGIN_MANUAL + 1; i < FW_BAN_ORIGINS; i++) {
		if (!strncmp(names[i].name, name, sizeof(names[i].name))) {
			*found = true;
			return i;
		}
		if (!free_at && !names[i].name[0])
			free_at = i;
	}
	*found = false;
	return free_at;
}

int fw_ban_origins_intern(const struct fw_datapath *dp, struct fw_ban_origin **names,
			  const char *name, uint32_t *index)
{
	char want[FW_RULE_NAME_MAX] = { 0 };

	if (!name || !*name || !strcmp(name, "manual")) {
		*index = FW_BAN_ORIGIN_MANUAL;
		return 0;
	}
	strncpy(want, name, sizeof(want) - 1);
	for (int attempt = 0; attempt < 2; attempt++) {
		bool found;
		uint32_t at;
		int err = *names ? 0 : fw_ban_origins_read(dp, names);

		if (err) {
			fw_error("reading fw_ban_origins failed: %s", strerror(-err));
			return err;
		}
		at = fw_ban_origin_find(*names, want, &found);
		if (found || at) {
			err = found ? 0 : fw_ban_origin_write(dp, at, want);
			if (err)
				fw_error("writing fw_ban_origins failed: %s", strerror(-err));
			else
				memcpy((*names)[at].name, want, sizeof(want));
			*index = at;
			return err;
		}
		if (!attempt) {
			fw_bans_reclaim(dp); /* frees the origins no ban uses */
			free(*names);
			*names = NULL;
		}
	}
	fw_error("fw_ban_origins is full: %u different origins are in use; unban some, or pass "
		 "fewer different --reason texts", FW_BAN_ORIGINS - 1);
	return -ENOSPC;
}

int fw_bans_origin(const struct fw_datapath *dp, const char *name, uint32_t *index)
{
	struct fw_ban_origin *names = NULL;
	int err = fw_ban_origins_intern(dp, &names, name, index);

	free(names);
	return err;
}
