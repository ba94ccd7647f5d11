/* SPDX-License-Identifier: GPL-2.0 */
/* Signals read from a signalfd in a poll loop: no work in signal handlers. */
#ifndef FW_SIGNALS_H
#define FW_SIGNALS_H

#include <signal.h>

/* Blocks the signals of mask and returns a signalfd that reads them, or a negative errno. */
int fw_signalfd_open(const sigset_t *mask);

#endif /* FW_SIGNALS_H */
