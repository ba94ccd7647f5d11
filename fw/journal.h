/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The systemd journal, with structured fields (XDPFW_RULE=, XDPFW_SRC=,
 * ...), so `journalctl XDPFW_RULE=ssh-others` finds what a rule did.
 */
#ifndef FW_JOURNAL_H
#define FW_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "datapath.h"
#include "prefix.h"
#include "xdpfw.h"

struct fw_journal;

/* Whether a journal listens (/run/systemd/journal/socket). */
bool fw_journal_available(void);

/* A writer of events, which names rules and origins from the maps pinned in pin_dir. */
int fw_journal_open(const char *pin_dir, struct fw_journal **out);
/* Matches fw_event_fn: writes ev to the journal. */
int fw_journal_event(void *journal, const struct fw_event *ev);
/* After a reload: rule ids may name other rules now. */
void fw_journal_refresh(struct fw_journal *journal);
void fw_journal_close(struct fw_journal *journal);

/*
 * A reload's outcome: XDPFW_EVENT=reload, XDPFW_RESULT=ok|failed,
 * XDPFW_CONFIG=path, XDPFW_RULES. text: on success the line that says so
 * ("PATH: N rules in force ..."), which is printed here too unless the
 * entry is that line already; on failure the error.
 */
void fw_journal_reload(const char *path, bool ok, size_t rules, const char *text);

/*
 * Bans put in force (XDPFW_EVENT=ban) with XDPFW_SRC (each address or
 * prefix), XDPFW_ORIGIN and XDPFW_EXPIRES; refused: how many of them
 * fw_bans_add() refused (those are left out).
 */
void fw_journal_bans(const struct fw_datapath *dp, const struct fw_prefix *prefixes,
		     size_t count, uint64_t duration, const char *origin, long refused);
/* Bans lifted (XDPFW_EVENT=unban), by whom (origin: manual, crowdsec). */
void fw_journal_unbans(const struct fw_prefix *prefixes, size_t count, const char *origin);
/*
 * Of prefixes, the ones the ban maps hold now (*held malloc'd, NULL when
 * no journal listens): what an unban is about to lift.
 */
size_t fw_journal_bans_held(const struct fw_datapath *dp, const struct fw_prefix *prefixes,
			    size_t count, struct fw_prefix **held);

#endif /* FW_JOURNAL_H */
