// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "log.h"

bool fw_verbose;

/* One line at a time: the CrowdSec bouncer's thread logs too. */
static void fw_log(const char *fmt, va_list ap, const char *end)
{
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
		fw_log(fmt, ap, "");
	return 0;
}

void fw_log_init(void)
{
	libbpf_set_print(fw_libbpf_print);
}

void fw_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_log(fmt, ap, "\n");
	va_end(ap);
}

void fw_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_log(fmt, ap, "\n");
	va_end(ap);
}

void fw_debug(const char *fmt, ...)
{
	va_list ap;

	if (!fw_verbose)
		return;
	va_start(ap, fmt);
	fw_log(fmt, ap, "\n");
	va_end(ap);
}

double fw_now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}
