// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "log.h"

bool fw_verbose;

static void fw_log(const char *fmt, va_list ap)
{
	fputs("xdpfw: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void fw_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_log(fmt, ap);
	va_end(ap);
}

void fw_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_log(fmt, ap);
	va_end(ap);
}

void fw_debug(const char *fmt, ...)
{
	va_list ap;

	if (!fw_verbose)
		return;
	va_start(ap, fmt);
	fw_log(fmt, ap);
	va_end(ap);
}

double fw_now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}
