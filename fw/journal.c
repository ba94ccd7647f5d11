// SPDX-License-Identifier: GPL-2.0
/*
 * Events and reloads as journal entries with XDPFW_* fields. Each message
 * reaches the journal once: under systemd stderr is already the journal
 * (fw_log_to_journal()), so what is sent with fields is not printed too.
 */
#define SD_JOURNAL_SUPPRESS_LOCATION /* where in xdpfw says nothing to an operator */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <systemd/sd-journal.h>
#include "event_text.h"
#include "journal.h"
#include "journal_entry.h"
#include "log.h"

void fw_journal_add(struct fw_journal_entry *e, const char *fmt, ...)
{
	va_list ap;
	char *field;
	int len;

	if (e->count == e->room && !e->failed) {
		size_t room = e->room ? e->room * 2 : 16;
		struct iovec *more = realloc(e->fields, room * sizeof(*more));

		e->failed = !more;
		e->fields = more ? more : e->fields;
		e->room = more ? room : e->room;
	}
	if (e->failed)
		return;
	va_start(ap, fmt);
	len = vasprintf(&field, fmt, ap);
	va_end(ap);
	if (len < 0) {
		e->failed = true;
		return;
	}
	e->fields[e->count++] = (struct iovec){ .iov_base = field, .iov_len = (size_t)len };
}

int fw_journal_send(struct fw_journal_entry *e)
{
	int err;

	fw_journal_add(e, "SYSLOG_IDENTIFIER=xdpfw");
	err = e->failed ? -ENOMEM : sd_journal_sendv(e->fields, (int)e->count);

	for (size_t i = 0; i < e->count; i++)
		free(e->fields[i].iov_base);
	free(e->fields);
	*e = (struct fw_journal_entry){ 0 };
	return err;
}

bool fw_journal_available(void)
{
	return !access(FW_JOURNAL_SOCKET, F_OK);
}

struct fw_journal {
	struct fw_event_names *names;
	bool available; /* as of the open or the last refresh */
};

int fw_journal_open(const char *pin_dir, struct fw_journal **out)
{
	struct fw_journal *j = calloc(1, sizeof(*j));
	int err = j ? fw_event_names_open(pin_dir, &j->names) : -ENOMEM;

	*out = NULL;
	if (err) {
		fw_error("%s: cannot set up the journal writer: %s", pin_dir, strerror(-err));
		free(j);
		return err;
	}
	j->available = fw_journal_available();
	if (!j->available)
		fw_info("no journal listens at %s: events go to stderr", FW_JOURNAL_SOCKET);
	*out = j;
	return 0;
}

static int fw_journal_event_send(const struct fw_event_words *w, const char *line)
{
	struct fw_journal_entry e = { 0 };

	fw_journal_add(&e, "MESSAGE=%s", line);
	fw_journal_add(&e, "PRIORITY=%d", strcmp(w->action, "drop") ? LOG_INFO : LOG_NOTICE);
	fw_journal_add(&e, "XDPFW_EVENT=packet");
	if (w->rule[0])
		fw_journal_add(&e, "XDPFW_RULE=%s", w->rule);
	else
		fw_journal_add(&e, "XDPFW_ORIGIN=%s", w->origin);
	fw_journal_add(&e, "XDPFW_ACTION=%s", w->action);
	fw_journal_add(&e, "XDPFW_REASON=%s", w->reason);
	fw_journal_add(&e, "XDPFW_INTERFACE=%s", w->interface);
	fw_journal_add(&e, "XDPFW_PROTO=%s", w->proto);
	fw_journal_add(&e, "XDPFW_SRC=%s", w->src);
	fw_journal_add(&e, "XDPFW_DST=%s", w->dst);
	if (fw_event_words_have_ports(w)) {
		fw_journal_add(&e, "XDPFW_SPORT=%u", w->sport);
		fw_journal_add(&e, "XDPFW_DPORT=%u", w->dport);
	}
	fw_journal_add(&e, "XDPFW_LEN=%u", w->len);
	fw_journal_add(&e, "XDPFW_TIME=%s", w->time);
	return fw_journal_send(&e);
}

int fw_journal_event(void *journal, const struct fw_event *ev)
{
	struct fw_journal *j = journal;
	struct fw_event_words w;
	char line[FW_EVENT_LINE_MAX];

	fw_event_words(j->names, ev, &w);
	if (j->available) {
		fw_event_line(&w, false, line, sizeof(line));
		if (!fw_journal_event_send(&w, line))
			return 0;
	}
	fw_event_line(&w, true, line, sizeof(line));
	fw_info("%s", line);
	return 0; /* the feed goes on: a journal that failed one event may take the next */
}

void fw_journal_refresh(struct fw_journal *journal)
{
	fw_event_names_refresh(journal->names);
	journal->available = fw_journal_available();
}

void fw_journal_close(struct fw_journal *journal)
{
	if (!journal)
		return;
	fw_event_names_close(journal->names);
	free(journal);
}

void fw_journal_reload(const char *path, bool ok, size_t rules, const char *text)
{
	struct fw_journal_entry e = { 0 };
	bool sent = false;

	if (fw_journal_available()) {
		if (ok)
			fw_journal_add(&e, "MESSAGE=%s", text);
		else
			fw_journal_add(&e, "MESSAGE=%s: reload failed (%s); the rules in force are "
				       "unchanged", path, text);
		fw_journal_add(&e, "PRIORITY=%d", ok ? LOG_INFO : LOG_ERR);
		fw_journal_add(&e, "XDPFW_EVENT=reload");
		fw_journal_add(&e, "XDPFW_RESULT=%s", ok ? "ok" : "failed");
		fw_journal_add(&e, "XDPFW_CONFIG=%s", path);
		if (ok)
			fw_journal_add(&e, "XDPFW_RULES=%zu", rules);
		else
			fw_journal_add(&e, "XDPFW_ERROR=%s", text);
		sent = !fw_journal_send(&e);
	}
	/* What failed was said on the way; a success is said here, once. */
	if (ok && !(sent && fw_log_to_journal()))
		fw_info("%s", text);
}
