/* SPDX-License-Identifier: GPL-2.0 */
/* Messages for operators: errors once, where the context is known. */
#ifndef FW_LOG_H
#define FW_LOG_H

#include <stdint.h>

#include <stdbool.h>

extern bool fw_verbose;

/*
 * Routes libbpf's messages here too: all of them with -v (fw_verbose), none
 * without. Under systemd (stderr is the JOURNAL_STREAM), messages go to the
 * journal directly, with their priority.
 */
void fw_log_init(void);
/* Whether messages go to the journal: stderr is its stream. */
bool fw_log_to_journal(void);

void fw_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fw_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Printed only with -v. */
void fw_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Monotonic milliseconds, for the durations the logs report. */
double fw_now_ms(void);
/* CLOCK_MONOTONIC in nanoseconds, for timers and rates (a timerfd's clock too). */
uint64_t fw_now_ns(void);

#endif /* FW_LOG_H */
