// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sys/signalfd.h>
#include "signals.h"

int fw_signalfd_open(const sigset_t *mask)
{
	int fd;

	if (sigprocmask(SIG_BLOCK, mask, NULL))
		return -errno;
	fd = signalfd(-1, mask, SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
