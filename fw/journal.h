/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The systemd journal, with structured fields (XDPFW_RULE=, XDPFW_SRC=,
 * ...), so `journalctl XDPFW_RULE=ssh-others` finds what a rule did.
 */
#ifndef FW_JOURNAL_H
#define FW_JOURNAL_H

#include <stdbool.h>
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

/* A reload's outcome: XDPFW_EVENT=reload, XDPFW_RESULT=ok|failed, XDPFW_CONFIG=path. */
void fw_journal_reload(const char *path, bool ok, size_t rules, const char *error);

#endif /* FW_JOURNAL_H */
