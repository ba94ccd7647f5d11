/* SPDX-License-Identifier: GPL-2.0 */
/* One journal entry of any number of FIELD=value pairs, for fw/journal*.c. */
#ifndef FW_JOURNAL_ENTRY_H
#define FW_JOURNAL_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/uio.h>

#define FW_JOURNAL_SOCKET "/run/systemd/journal/socket"

struct fw_journal_entry {
	struct iovec *fields;
	size_t count, room;
	bool failed; /* out of memory on the way: nothing is sent */
};

/* Adds one FIELD=value, formatted. */
void fw_journal_add(struct fw_journal_entry *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sends the entry, as SYSLOG_IDENTIFIER=xdpfw, and frees its fields: 0, or a negative errno. */
int fw_journal_send(struct fw_journal_entry *e);

#endif /* FW_JOURNAL_ENTRY_H */
