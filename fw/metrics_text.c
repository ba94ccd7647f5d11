// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include "ban_maps.h"
#include "ban_origins.h"
#include "bans.h"
#include "event_stats.h"
#include "log.h"
#include "metrics_text.h"
#include "names.h"
#include "prom_text.h"
#include "state.h"

/*
 * Rule ids looked at for one piece of the text: a few hundred kB of it at
 * most, and the window of fw_rule_info and fw_counters mapped in for them.
 */
#define FW_SCRAPE_IDS 2048

/* What comes next: the rules stream after the rest, which is read at once. */
enum fw_scrape_part {
	FW_SCRAPE_RULE_PACKETS,
	FW_SCRAPE_RULE_BYTES,
	FW_SCRAPE_TAIL,
	FW_SCRAPE_DONE,
};

struct fw_scrape {
	struct fw_state st; /* peeked, unless the caller gave the datapath */
	bool peeked;
	const struct fw_datapath *dp;
	uint32_t active;    /* the set in force when the scrape began */
	enum fw_scrape_part part;
	uint32_t next_id;
	uint64_t rules;     /* rules in force, counted on the first pass */
	struct fw_prom_buf buf;
	size_t sent;        /* bytes of buf already read */
};

static void fw_scrape_build_info(struct fw_prom_buf *b)
{
	fw_prom_family(b, "xdpfw_build_info", "gauge",
		       "The xdpfw build that serves these metrics and the layout of its pinned "
		       "maps; always 1.");
	fw_prom_str(b, "xdpfw_build_info{version=\"");
	fw_prom_label_value(b, XDPFW_VERSION, strlen(XDPFW_VERSION));
	fw_prom_str(b, "\",layout=\"");
	fw_prom_u64(b, FW_LAYOUT_VERSION);
	fw_prom_str(b, "\"} 1\n");
}

/* A family of one sample without labels. */
static void fw_prom_single(struct fw_prom_buf *b, const char *name, const char *type,
			   const char *help, uint64_t v)
{
	fw_prom_family(b, name, type, help);
	fw_prom_sample(b, name, NULL, NULL, 0, v);
}

static int fw_scrape_stats(struct fw_prom_buf *b, const struct fw_datapath *dp)
{
	struct fw_stat_value stats[FW_STAT_COUNT];
	int err = fw_stats_read(dp, stats);

	if (err)
		return err;
	fw_prom_family(b, "xdpfw_packets_total", "counter",
		       "Packets the datapath saw, by what it did and why (the counters of "
		       "xdpfw stats).");
	for (int i = 0; i < FW_STAT_COUNT; i++)
		fw_prom_sample(b, "xdpfw_packets_total", "reason", fw_stat_names[i],
			       strlen(fw_stat_names[i]), stats[i].packets);
	fw_prom_family(b, "xdpfw_bytes_total", "counter",
		       "Bytes (frame lengths) of those packets, by what the datapath did and why.");
	for (int i = 0; i < FW_STAT_COUNT; i++)
		fw_prom_sample(b, "xdpfw_bytes_total", "reason", fw_stat_names[i],
			       strlen(fw_stat_names[i]), stats[i].bytes);
	return 0;
}

static int fw_scrape_bans(struct fw_prom_buf *b, const struct fw_datapath *dp)
{
	uint64_t *counts = calloc(FW_BAN_ORIGINS + 1, sizeof(*counts));
	struct fw_ban_origin *names = NULL;
	int err = counts ? fw_ban_origins_read(dp, &names) : -ENOMEM;

	if (!err)
		err = fw_bans_count_by_origin(dp, counts);
	if (!err) {
		fw_prom_family(b, "xdpfw_bans", "gauge",
			       "Bans in force, by origin: manual, limit:RULE, crowdsec:SCENARIO or "
			       "the reason given to xdpfw ban.");
		for (uint32_t i = 0; i < FW_BAN_ORIGINS; i++) {
			const char *name = names[i].name;
			size_t len = strnlen(name, sizeof(names[i].name));

			if (!len && i == FW_BAN_ORIGIN_MANUAL)
				name = "manual", len = strlen(name);
			if (!len) /* a ban whose origin was freed under it: with the unknown */
				counts[FW_BAN_ORIGINS] += counts[i];
			else if (counts[i])
				fw_prom_sample(b, "xdpfw_bans", "origin", name, len, counts[i]);
		}
		if (counts[FW_BAN_ORIGINS])
			fw_prom_sample(b, "xdpfw_bans", "origin", "?", 1, counts[FW_BAN_ORIGINS]);
		fw_prom_single(b, "xdpfw_ban_capacity", "gauge",
			       "Bans each of the four ban maps (IPv4 and IPv6 addresses, IPv4 and "
			       "IPv6 prefixes) holds: settings.max_bans.", dp->max_bans);
	}
	free(names);
	free(counts);
	return err;
}

static int fw_scrape_reloads(struct fw_prom_buf *b, const struct fw_datapath *dp)
{
	struct fw_reload_stats r;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(dp->reloads_fd, &zero, &r))
		return -errno;
	fw_prom_family(b, "xdpfw_reloads_total", "counter",
		       "Syncs of a config (xdpfw run, SIGHUP, xdpfw apply), by whether they put it "
		       "in force.");
	fw_prom_sample(b, "xdpfw_reloads_total", "result", "success", 7, r.succeeded);
	fw_prom_sample(b, "xdpfw_reloads_total", "result", "failure", 7, r.failed);
	fw_prom_single(b, "xdpfw_last_reload_success_timestamp_seconds", "gauge",
		       "When a config was last put in force, in seconds since the epoch; 0 = never.",
		       r.last_success);
	fw_prom_single(b, "xdpfw_last_reload_failure_timestamp_seconds", "gauge",
		       "When a sync of a config last failed, in seconds since the epoch; 0 = never.",
		       r.last_failure);
	return 0;
}

static int fw_event_readers_count(const struct fw_datapath *dp, uint64_t *count)
{
	struct fw_event_reader reader;

	*count = 0;
	for (__u32 slot = 0; slot < FW_EVENT_READERS; slot++) {
		if (bpf_map_lookup_elem(dp->event_readers_fd, &slot, &reader))
			return -errno;
		*count += reader.pid != 0;
	}
	return 0;
}

static int fw_scrape_events(struct fw_prom_buf *b, const struct fw_datapath *dp)
{
	uint64_t stats[FW_EVENT_STAT_COUNT], readers;
	int err = fw_event_stats_read(dp->event_stats_fd, stats);

	if (!err)
		err = fw_event_readers_count(dp, &readers);
	if (err)
		return err;
	fw_prom_single(b, "xdpfw_events_total", "counter",
		       "Events of logged rules, bans and limits that log_rate let through to the "
		       "readers.", stats[FW_EVENT_STAT_SENT]);
	fw_prom_single(b, "xdpfw_events_suppressed_total", "counter",
		       "Events settings.log_rate held back: counted, never sent.",
		       stats[FW_EVENT_STAT_SUPPRESSED]);
	fw_prom_single(b, "xdpfw_events_lost_total", "counter",
		       "Events a reader's full ring could not take, summed over the readers.",
		       fw_event_stats_lost(stats));
	fw_prom_single(b, "xdpfw_event_readers", "gauge",
		       "Readers of events with a ring of their own: the daemon's journal writer "
		       "and each xdpfw events.", readers);
	return 0;
}

/* Everything but the rules, read at once into the buffer. */
static int fw_scrape_head(struct fw_scrape *s)
{
	uint32_t word;
	int err = fw_param_read(s->dp, FW_PARAM_ACTIVE, &word);

	s->active = word & FW_ACTIVE_SET;
	fw_scrape_build_info(&s->buf);
	if (!err)
		err = fw_scrape_stats(&s->buf, s->dp);
	if (!err)
		err = fw_scrape_bans(&s->buf, s->dp);
	if (!err)
		err = fw_scrape_reloads(&s->buf, s->dp);
	if (!err)
		err = fw_scrape_events(&s->buf, s->dp);
	fw_prom_single(&s->buf, "xdpfw_rule_capacity", "gauge",
		       "Rules a rule set holds: settings.max_rules.", s->dp->capacity);
	return err ? err : s->buf.err;
}

/* A limit rule's action is drop, as its config says: the limit says what passes. */
static const char *fw_rule_action(const struct fw_rule_info *r)
{
	return fw_action_name(r->action == FW_ACTION_LIMIT ? FW_ACTION_DROP : r->action);
}

/* Entries [from, from + count) of an mmapable array, in pages of their own. */
struct fw_window {
	void *map;
	size_t len;
	const char *first; /* entry `from` */
};

static int fw_window_map(struct fw_window *w, int fd, size_t entry, uint32_t from, uint32_t count)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t start = (size_t)from * entry / page * page;
	size_t end = (((size_t)from + count) * entry + page - 1) / page * page;

	w->map = mmap(NULL, end - start, PROT_READ, MAP_SHARED, fd, (off_t)start);
	if (w->map == MAP_FAILED) {
		w->map = NULL;
		return -errno;
	}
	w->len = end - start;
	w->first = (const char *)w->map + ((size_t)from * entry - start);
	return 0;
}

static void fw_window_unmap(struct fw_window *w)
{
	if (w->map)
		munmap(w->map, w->len);
	w->map = NULL;
}

static void fw_rule_sample(struct fw_prom_buf *b, bool bytes, const struct fw_rule_info *r,
			   uint64_t v)
{
	if (bytes)
		FW_PROM_LIT(b, "xdpfw_rule_bytes_total{rule=\"");
	else
		FW_PROM_LIT(b, "xdpfw_rule_packets_total{rule=\"");
	fw_prom_label_value(b, r->name, strnlen(r->name, sizeof(r->name)));
	FW_PROM_LIT(b, "\",action=\"");
	fw_prom_str(b, fw_rule_action(r));
	FW_PROM_LIT(b, "\"} ");
	fw_prom_u64(b, v);
	FW_PROM_LIT(b, "\n");
}

/* The samples of ids [from, from + count) for the packets or the bytes family. */
static int fw_scrape_window(struct fw_scrape *s, uint32_t from, uint32_t count, bool bytes)
{
	struct fw_window infos, counters = { 0 };
	int err = fw_window_map(&infos, s->dp->rule_info_fd, sizeof(struct fw_rule_info), from,
				count);

	if (!err)
		err = fw_window_map(&counters, s->dp->counters_fd, sizeof(struct fw_rule_counter),
				    from, count);
	for (uint32_t i = 0; i < count && !err; i++) {
		const struct fw_rule_info *r = (const struct fw_rule_info *)infos.first + i;
		struct fw_counter c;

		if (!(r->sets & (1u << s->active)))
			continue;
		err = fw_rule_counter_read((const struct fw_rule_counter *)counters.first + i, &c);
		if (err)
			break;
		fw_rule_sample(&s->buf, bytes, r, bytes ? c.bytes : c.packets);
		s->rules += !bytes;
	}
	fw_window_unmap(&counters);
	fw_window_unmap(&infos);
	return err ? err : s->buf.err;
}

/* The next FW_SCRAPE_IDS ids of the packets or the bytes family. */
static int fw_scrape_rules(struct fw_scrape *s, bool bytes)
{
	uint32_t ids = fw_datapath_ids(s->dp), count = ids - s->next_id;

	if (!s->next_id)
		fw_prom_family(&s->buf, bytes ? "xdpfw_rule_bytes_total" : "xdpfw_rule_packets_total",
			       "counter",
			       bytes ? "Bytes (frame lengths) of the packets each rule in force "
				       "matched."
				     : "Packets each rule in force matched.");
	if (count > FW_SCRAPE_IDS)
		count = FW_SCRAPE_IDS;
	if (count) {
		int err = fw_scrape_window(s, s->next_id, count, bytes);

		if (err)
			return err;
	}
	s->next_id += count;
	if (s->next_id == ids) {
		s->next_id = 0;
		s->part++;
	}
	return 0;
}

/* Fills the buffer with the next piece of the text; the part advances whether or not it wrote. */
static int fw_scrape_next(struct fw_scrape *s)
{
	switch (s->part) {
	case FW_SCRAPE_RULE_PACKETS:
		return fw_scrape_rules(s, false);
	case FW_SCRAPE_RULE_BYTES:
		return fw_scrape_rules(s, true);
	case FW_SCRAPE_TAIL:
		fw_prom_single(&s->buf, "xdpfw_rules", "gauge", "Rules in force.", s->rules);
		s->part = FW_SCRAPE_DONE;
		return s->buf.err;
	case FW_SCRAPE_DONE:
		break;
	}
	return 0;
}

ssize_t fw_scrape_read(struct fw_scrape *s, char *buf, size_t max)
{
	size_t done = 0;

	while (done < max) {
		size_t n = s->buf.len - s->sent;
		int err;

		if (!n && s->part == FW_SCRAPE_DONE)
			break;
		if (!n) {
			fw_prom_reset(&s->buf);
			s->sent = 0;
			err = fw_scrape_next(s);
			if (err)
				return err;
			continue;
		}
		if (n > max - done)
			n = max - done;
		memcpy(buf + done, s->buf.data + s->sent, n);
		s->sent += n;
		done += n;
	}
	return (ssize_t)done;
}

int fw_scrape_open_dp(const struct fw_datapath *dp, struct fw_scrape **out)
{
	struct fw_scrape *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->dp = dp;
	err = fw_scrape_head(s);
	if (err) {
		fw_scrape_close(s);
		return err;
	}
	*out = s;
	return 0;
}

int fw_scrape_open(const char *pin_dir, struct fw_scrape **out)
{
	struct fw_scrape *s = calloc(1, sizeof(*s));
	int err = s ? -EAGAIN : -ENOMEM;

	/* A switch may replace the maps between two reads: the second peek sees the new ones. */
	for (int tries = 0; s && err && err != -ENOENT && tries < 2; tries++) {
		if (s->peeked)
			fw_state_close(&s->st);
		fw_prom_reset(&s->buf);
		err = fw_state_peek_unmapped(&s->st, pin_dir);
		s->peeked = !err;
		s->dp = &s->st.dp;
		if (!err)
			err = fw_scrape_head(s);
	}
	if (err && err != -ENOENT && err != -EPROTO) /* peeking said those, or nothing */
		fw_error("%s: reading the maps for the metrics failed: %s", pin_dir,
			 strerror(-err));
	if (err) {
		fw_scrape_close(s);
		return err;
	}
	*out = s;
	return 0;
}

void fw_scrape_close(struct fw_scrape *s)
{
	if (!s)
		return;
	if (s->peeked)
		fw_state_close(&s->st);
	fw_prom_free(&s->buf);
	free(s);
}
