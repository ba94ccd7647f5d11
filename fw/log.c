// SPDX-License-Identifier: GPL-2.0
#define SD_JOURNAL_SUPPRESS_LOCATION /* this file's, for every message: no help */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <systemd/sd-journal.h>
#include "log.h"

bool fw_verbose;
static bool fw_stderr_journal;

/*
 * Under systemd, stderr is a stream into the journal, which JOURNAL_STREAM
 * names by device and inode: lines sent to the journal directly then keep
 * their priority, and each reaches it once.
 */
static bool fw_stderr_is_journal(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return stream && sscanf(stream, "%llu:%llu", &dev, &ino) == 2 &&
	       !fstat(STDERR_FILENO, &st) && st.st_dev == dev && st.st_ino == ino;
}

bool fw_log_to_journal(void)
{
	return fw_stderr_journal;
}

static bool fw_log_journal(int priority, const char *fmt, va_list ap)
{
	char *msg = NULL;
	size_t len;
	int err;

	if (vasprintf(&msg, fmt, ap) < 0)
		return false;
	len = strlen(msg);
	if (len && msg[len - 1] == '\n') /* libbpf's end in one */
		msg[len - 1] = '\0';
	err = sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", priority,
			      "SYSLOG_IDENTIFIER=xdpfw", NULL);
	free(msg);
	return !err;
}

/* One line at a time: the CrowdSec bouncer's thread logs too. */
static void fw_log(int priority, const char *fmt, va_list ap, const char *end)
{
	va_list copy;
	bool sent;

	if (fw_stderr_journal) {
		va_copy(copy, ap);
		sent = fw_log_journal(priority, fmt, copy);
		va_end(copy);
		if (sent)
			return;
	}
	flockfile(stderr);
	fputs("xdpfw: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(end, stderr);
	funlockfile(stderr);
}

/*
 * xdpfw checks every libbpf call and reports a failure once, saying what to
 * do; libbpf's own warnings about it are the low-level account of the same
 * failure (a verifier log runs to hundreds of lines), so they are for -v,
 * with its info and debug messages. Its messages end in their own newline.
 */
static int fw_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (fw_verbose)
		fw_log(LOG_DEBUG, fmt, ap, "");
	return 0;
}

void fw_log_init(void)
{
	libbpf_set_print(fw_libbpf_print);
	fw_stderr_journal = fw_stderr_is_journal();
}

void fw_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_log(LOG_ERR, fmt, ap, "\n");
	va_end(ap);
}

void fw_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_log(LOG_INFO, fmt, ap, "\n");
	va_end(ap);
}

void fw_debug(const char *fmt, ...)
{
	va_list ap;

	if (!fw_verbose)
		return;
	va_start(ap, fmt);
	fw_log(LOG_DEBUG, fmt, ap, "\n");
	va_end(ap);
}

double fw_now_ms(void)
{
	return (double)fw_now_ns() / 1e6;
}

uint64_t fw_now_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}
