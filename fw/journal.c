// SPDX-License-Identifier: GPL-2.0
/* STUB: the events helper replaces this file. */
#include <errno.h>
#include <stddef.h>
#include "journal.h"

bool fw_journal_available(void)
{
	return false;
}

int fw_journal_open(const char *pin_dir, struct fw_journal **out)
{
	(void)pin_dir;
	*out = NULL;
	return -ENOSYS;
}

int fw_journal_event(void *journal, const struct fw_event *ev)
{
	(void)journal, (void)ev;
	return 0;
}

void fw_journal_refresh(struct fw_journal *journal)
{
	(void)journal;
}

void fw_journal_close(struct fw_journal *journal)
{
	(void)journal;
}

void fw_journal_reload(const char *path, bool ok, size_t rules, const char *error)
{
	(void)path, (void)ok, (void)rules, (void)error;
}
