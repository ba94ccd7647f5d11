// SPDX-License-Identifier: GPL-2.0
/* `xdpfw top`'s reading: every counter it shows, from maps it only reads (no lock, no writes). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "ban_maps.h"
#include "bans.h"
#include "event_stats.h"
#include "identity.h"
#include "log.h"
#include "pin.h"
#include "set_info.h"
#include "text.h"
#include "top_data.h"

static int fw_top_rule_cmp(const void *a, const void *b)
{
	return strncmp(((const struct fw_top_rule *)a)->info.name,
		       ((const struct fw_top_rule *)b)->info.name, FW_RULE_NAME_MAX);
}

static int fw_top_rules_read(const struct fw_datapath *dp, struct fw_top_sample *s)
{
	uint32_t active = s->active & FW_ACTIVE_SET, *ids = NULL;
	struct fw_rule_info *infos = NULL;
	size_t count = 0;
	int err = fw_rule_infos_dump(dp, &ids, &infos, &count);

	if (!err && !(s->rules = calloc(count + 1, sizeof(*s->rules))))
		err = -ENOMEM;
	for (size_t i = 0; i < count && !err; i++) {
		struct fw_top_rule *r = &s->rules[s->rule_count];

		if (!(infos[i].sets & (1u << active)))
			continue;
		r->info = infos[i];
		err = fw_counter_read(dp, ids[i], &r->counter);
		s->rule_count++;
	}
	if (!err)
		qsort(s->rules, s->rule_count, sizeof(*s->rules), fw_top_rule_cmp);
	free(ids);
	free(infos);
	return err;
}

static int fw_top_events_read(const struct fw_datapath *dp, struct fw_top_sample *s)
{
	uint64_t counts[FW_EVENT_STAT_COUNT];
	int err = fw_event_stats_read(dp->event_stats_fd, counts);

	if (!err) {
		s->events_sent = counts[FW_EVENT_STAT_SENT];
		s->events_suppressed = counts[FW_EVENT_STAT_SUPPRESSED];
	}
	return err;
}

/* Live bans, all origins together. */
static int fw_top_bans_count(const struct fw_datapath *dp, size_t *count)
{
	uint64_t *counts = calloc(FW_BAN_ORIGINS + 1, sizeof(*counts));
	int err = counts ? fw_bans_count_by_origin(dp, counts) : -ENOMEM;

	*count = 0;
	for (uint32_t i = 0; i <= FW_BAN_ORIGINS && !err; i++)
		*count += counts[i];
	free(counts);
	return err;
}

int fw_top_sample_read(const struct fw_datapath *dp, struct fw_top_sample *s)
{
	uint32_t zero = 0;
	int err;

	memset(s, 0, sizeof(*s));
	s->when_ns = fw_now_ns();
	s->sets = calloc(FW_MAX_NAMED_SETS, sizeof(*s->sets));
	err = s->sets ? fw_param_read(dp, FW_PARAM_ACTIVE, &s->active) : -ENOMEM;
	err = err ?: fw_set_infos_read(dp, s->active & FW_ACTIVE_SET, s->sets);
	err = err ?: fw_top_rules_read(dp, s);
	err = err ?: fw_stats_read(dp, s->stats);
	err = err ?: fw_top_events_read(dp, s);
	err = err ?: fw_top_bans_count(dp, &s->bans);
	if (!err && bpf_map_lookup_elem(dp->reloads_fd, &zero, &s->reloads))
		err = -errno;
	return err;
}

void fw_top_sample_free(struct fw_top_sample *s)
{
	free(s->rules);
	free(s->sets);
	s->rules = NULL;
	s->sets = NULL;
	s->rule_count = 0;
}

static int fw_top_visible(const struct dirent *entry)
{
	return entry->d_name[0] != '.';
}

/* Each link is pinned under its interface's name. */
void fw_top_interfaces(const char *pin_dir, char *out, size_t size)
{
	char links[PATH_MAX], name[FW_ESCAPED_SIZE(NAME_MAX)];
	struct dirent **entries;
	size_t used = 0;
	int n;

	snprintf(links, sizeof(links), "%s/%s", pin_dir, FW_PIN_LINKS);
	out[0] = '\0';
	n = scandir(links, &entries, fw_top_visible, alphasort);
	for (int i = 0; i < n; i++) {
		const char *d_name = entries[i]->d_name;

		fw_escape(name, sizeof(name), d_name, strlen(d_name));
		if (used < size)
			used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "",
						 name);
		free(entries[i]);
	}
	if (n >= 0)
		free(entries);
}

/* The program's id, and up to *maps of the ids of the maps it uses (their count in *maps). */
static uint32_t fw_top_fd_prog_id(int fd, uint32_t *map_ids, uint32_t *maps)
{
	struct bpf_prog_info info = { .nr_map_ids = maps ? *maps : 0,
				      .map_ids = (uintptr_t)map_ids };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	if (maps)
		*maps = info.nr_map_ids < *maps ? info.nr_map_ids : *maps;
	return info.id;
}

uint32_t fw_top_pinned_prog_id(const char *pin_dir)
{
	char path[PATH_MAX];
	uint32_t id;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, FW_PIN_PROG);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	id = fw_top_fd_prog_id(fd, NULL, NULL);
	close(fd);
	return id;
}

static uint32_t fw_top_map_id(int fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/*
 * A switch pins the new program, then the new maps one by one: a peek in
 * between gets a program that counts into maps other than the ones it got.
 */
uint32_t fw_top_prog_id(const struct fw_datapath *dp)
{
	uint32_t map_ids[64], maps = 64, found = 0;
	uint32_t counters = fw_top_map_id(dp->counters_fd), stats = fw_top_map_id(dp->stats_fd);
	uint32_t id = fw_top_fd_prog_id(dp->prog_fd, map_ids, &maps);

	for (uint32_t i = 0; i < maps; i++)
		found += map_ids[i] == counters || map_ids[i] == stats;
	return found == 2 ? id : 0;
}
