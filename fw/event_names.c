// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <bpf/bpf.h>
#include "bans.h"
#include "event_names.h"
#include "log.h"
#include "state.h"

/* Interfaces are renamed or replaced rarely: a name is trusted this long. */
#define FW_IFNAME_TTL_MS 1000
#define FW_IFNAMES 16

struct fw_ifname {
	uint32_t index; /* 0 = free */
	char name[IF_NAMESIZE];
};

struct fw_event_names {
	char pin_dir[PATH_MAX];
	char rule_info_path[PATH_MAX + 16];
	struct fw_state st;
	bool open;         /* st holds what was pinned when the pin had inode pinned */
	dev_t pinned_dev;
	ino_t pinned_ino;
	struct fw_ifname ifnames[FW_IFNAMES];
	double ifnames_at;
};

int fw_event_names_open(const char *pin_dir, struct fw_event_names **out)
{
	struct fw_event_names *names = calloc(1, sizeof(*names));

	*out = names;
	if (!names)
		return -ENOMEM;
	snprintf(names->pin_dir, sizeof(names->pin_dir), "%s", pin_dir);
	snprintf(names->rule_info_path, sizeof(names->rule_info_path), "%s/fw_rule_info",
		 pin_dir);
	return 0;
}

void fw_event_names_refresh(struct fw_event_names *names)
{
	if (names->open)
		fw_state_close(&names->st);
	names->open = false;
	memset(names->ifnames, 0, sizeof(names->ifnames));
}

void fw_event_names_close(struct fw_event_names *names)
{
	if (!names)
		return;
	fw_event_names_refresh(names);
	free(names);
}

/*
 * The maps in force: a map replacement renames new pins over the old ones,
 * so a new inode under the rule names' pin means new maps. One stat() an
 * event keeps names right at once after any reload.
 */
static bool fw_names_current(struct fw_event_names *names)
{
	struct stat now;

	if (stat(names->rule_info_path, &now)) {
		fw_event_names_refresh(names);
		return false;
	}
	if (names->open && now.st_ino == names->pinned_ino && now.st_dev == names->pinned_dev)
		return true;
	fw_event_names_refresh(names);
	if (fw_state_peek(&names->st, names->pin_dir))
		return false; /* being replaced, or gone: numbers until the next event */
	names->open = true;
	names->pinned_dev = now.st_dev;
	names->pinned_ino = now.st_ino;
	fw_debug("%s: reading rule names from the maps pinned now", names->pin_dir);
	return true;
}

/* A stored name (it need not end in a NUL), or "#number" for none. */
static const char *fw_name_or_number(const char *name, uint32_t number,
				     char buf[FW_RULE_NAME_MAX + 12])
{
	size_t len = name ? strnlen(name, FW_RULE_NAME_MAX) : 0;

	if (!len) {
		snprintf(buf, FW_RULE_NAME_MAX + 12, "#%u", number);
		return buf;
	}
	memcpy(buf, name, len);
	buf[len] = '\0';
	return buf;
}

const char *fw_event_rule_name(struct fw_event_names *names, uint32_t id,
			       char buf[FW_RULE_NAME_MAX + 12])
{
	const struct fw_rule_info *info = NULL;

	if (fw_names_current(names) && id < fw_datapath_ids(&names->st.dp))
		info = &names->st.dp.rule_infos[id];
	return fw_name_or_number(info && info->sets ? info->name : NULL, id, buf);
}

const char *fw_event_origin_name(struct fw_event_names *names, uint32_t index,
				 char buf[FW_RULE_NAME_MAX + 12])
{
	struct fw_ban_origin origin;
	bool found;

	if (index == FW_BAN_ORIGIN_MANUAL)
		return strcpy(buf, "manual");
	found = fw_names_current(names) &&
		!bpf_map_lookup_elem(names->st.dp.ban_origins_fd, &index, &origin);
	return fw_name_or_number(found ? origin.name : NULL, index, buf);
}

const char *fw_event_ifname(struct fw_event_names *names, uint32_t ifindex,
			    char buf[IF_NAMESIZE + 12])
{
	struct fw_ifname *slot = &names->ifnames[ifindex % FW_IFNAMES];
	double now = fw_now_ms();

	if (now - names->ifnames_at > FW_IFNAME_TTL_MS) {
		memset(names->ifnames, 0, sizeof(names->ifnames));
		names->ifnames_at = now;
	}
	if (slot->index != ifindex || !ifindex) {
		if (!ifindex || !if_indextoname(ifindex, slot->name)) {
			snprintf(buf, IF_NAMESIZE + 12, "if%u", ifindex);
			return buf;
		}
		slot->index = ifindex;
	}
	return strcpy(buf, slot->name);
}

uint64_t fw_event_wall_ns(struct fw_event_names *names, uint64_t time)
{
	struct timespec real, boot;
	uint64_t now;

	clock_gettime(CLOCK_REALTIME, &real);
	if (names->open) {
		now = fw_bans_clock(&names->st.dp);
	} else {
		clock_gettime(CLOCK_BOOTTIME, &boot);
		now = (uint64_t)boot.tv_sec * 1000000000ull + (uint64_t)boot.tv_nsec;
	}
	return (uint64_t)real.tv_sec * 1000000000ull + (uint64_t)real.tv_nsec - (now - time);
}
