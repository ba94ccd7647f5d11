// SPDX-License-Identifier: GPL-2.0
/*
 * Bans and unbans in the journal: XDPFW_EVENT=ban|unban, one XDPFW_SRC
 * field per address or prefix (a field may repeat, and `journalctl
 * XDPFW_SRC=198.18.0.9` matches any of them), so a CrowdSec list of
 * thousands makes a few entries, not thousands.
 */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <bpf/bpf.h>
#include "ban_maps.h"
#include "bans.h"
#include "event_text.h"
#include "journal.h"
#include "journal_entry.h"
#include "log.h"

/* journald takes up to 1024 fields an entry; this leaves room for the others. */
#define FW_JOURNAL_BANS_PER_ENTRY 256

static bool fw_ban_held(const struct fw_datapath *dp, const struct fw_prefix *p, uint64_t now)
{
	uint8_t key[FW_BAN_KEY_MAX];
	struct fw_ban_value value;
	enum fw_ban_map map;

	return !fw_ban_key(p, &map, key) &&
	       !bpf_map_lookup_elem(fw_ban_map_fd(dp, map), key, &value) &&
	       !fw_ban_expired(&value, now);
}

size_t fw_journal_bans_held(const struct fw_datapath *dp, const struct fw_prefix *prefixes,
			    size_t count, struct fw_prefix **held)
{
	uint64_t now = fw_bans_clock(dp);
	size_t n = 0;

	*held = fw_journal_available() ? calloc(count + 1, sizeof(**held)) : NULL;
	for (size_t i = 0; *held && i < count; i++)
		if (fw_ban_held(dp, &prefixes[i], now))
			(*held)[n++] = prefixes[i];
	return n;
}

/* "198.18.0.9", or "3 addresses and prefixes: 198.18.0.9, 198.18.0.10, 198.18.1.0/24, ..." */
static void fw_bans_message(struct fw_journal_entry *e, const char *verb,
			    const struct fw_prefix *prefixes, size_t count, const char *how)
{
	char first[3][FW_PREFIX_TEXT_MAX];

	for (size_t i = 0; i < 3 && i < count; i++)
		fw_prefix_format(&prefixes[i], first[i]);
	if (count == 1)
		fw_journal_add(e, "MESSAGE=%s %s%s", verb, first[0], how);
	else
		fw_journal_add(e, "MESSAGE=%s %zu addresses and prefixes%s: %s, %s%s%s", verb,
			       count, how, first[0], first[1], count > 2 ? ", " : "",
			       count > 3 ? "..." : count > 2 ? first[2] : "");
}

static void fw_bans_send(const char *event, const char *verb, const struct fw_prefix *prefixes,
			 size_t count, const char *origin, const char *expires, const char *how)
{
	for (size_t at = 0; at < count; at += FW_JOURNAL_BANS_PER_ENTRY) {
		size_t n = count - at < FW_JOURNAL_BANS_PER_ENTRY ? count - at
								   : FW_JOURNAL_BANS_PER_ENTRY;
		struct fw_journal_entry e = { 0 };
		char text[FW_PREFIX_TEXT_MAX];
		int err;

		fw_bans_message(&e, verb, prefixes + at, n, how);
		fw_journal_add(&e, "PRIORITY=%d", LOG_NOTICE);
		fw_journal_add(&e, "XDPFW_EVENT=%s", event);
		fw_journal_add(&e, "XDPFW_ORIGIN=%s", origin);
		if (expires)
			fw_journal_add(&e, "XDPFW_EXPIRES=%s", expires);
		for (size_t i = at; i < at + n; i++)
			fw_journal_add(&e, "XDPFW_SRC=%s", fw_prefix_format(&prefixes[i], text));
		err = fw_journal_send(&e);
		if (err) {
			fw_debug("the journal did not take the %s entries: %s", event, strerror(-err));
			return;
		}
	}
}

void fw_journal_bans(const struct fw_datapath *dp, const struct fw_prefix *prefixes,
		     size_t count, uint64_t duration, const char *origin, long refused)
{
	char expires[FW_RFC3339_MS_MAX] = "never", how[FW_RULE_NAME_MAX + 64];
	struct fw_prefix *held = NULL;
	struct timespec now;
	char name[FW_RULE_NAME_MAX] = "manual";

	if (!count || !fw_journal_available())
		return;
	if (refused) { /* which ones, fw_bans_add() said; the maps say which were not */
		count = fw_journal_bans_held(dp, prefixes, count, &held);
		prefixes = held;
	}
	if (origin && *origin) /* as fw_ban_origins keeps it */
		snprintf(name, sizeof(name), "%s", origin);
	if (duration) {
		clock_gettime(CLOCK_REALTIME, &now);
		fw_rfc3339_ms((uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec + duration,
			      expires);
	}
	snprintf(how, sizeof(how), " (%s, %s%s)", name, duration ? "until " : "for good",
		 duration ? expires : "");
	if (prefixes)
		fw_bans_send("ban", "banned", prefixes, count, name, expires, how);
	free(held);
}

void fw_journal_unbans(const struct fw_prefix *prefixes, size_t count, const char *origin)
{
	char how[64];

	if (!count || !fw_journal_available())
		return;
	snprintf(how, sizeof(how), " (%s)", origin);
	fw_bans_send("unban", "lifted the ban of", prefixes, count, origin, NULL, how);
}
