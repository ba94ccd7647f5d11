// SPDX-License-Identifier: GPL-2.0
/* STUB: the metrics helper replaces this file. */
#include <errno.h>
#include "reloads.h"

void fw_reloads_record(const char *pin_dir, bool ok)
{
	(void)pin_dir, (void)ok;
}

int fw_reloads_read(const char *pin_dir, struct fw_reload_stats *out)
{
	(void)pin_dir, (void)out;
	return -ENOSYS;
}
