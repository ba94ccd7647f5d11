// SPDX-License-Identifier: GPL-2.0
/* STUB: the metrics helper replaces this file. */
#include <errno.h>
#include <stddef.h>
#include "metrics.h"

int fw_metrics_write(FILE *out, const char *pin_dir)
{
	(void)out, (void)pin_dir;
	return -ENOSYS;
}

int fw_metrics_start(const char *pin_dir, const struct fw_metrics_listen *listen,
		     struct fw_metrics_server **out)
{
	(void)pin_dir, (void)listen;
	*out = NULL;
	return -ENOSYS;
}

bool fw_metrics_serves(const struct fw_metrics_server *server,
		       const struct fw_metrics_listen *listen)
{
	(void)server, (void)listen;
	return false;
}

void fw_metrics_stop(struct fw_metrics_server *server)
{
	(void)server;
}
