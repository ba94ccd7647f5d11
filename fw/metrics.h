/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus metrics (DESIGN §1b): the text exposition format, served on
 * settings.metrics by the daemon and printed by `xdpfw stats --prometheus`.
 * Never an address as a label.
 */
#ifndef FW_METRICS_H
#define FW_METRICS_H

#include <stdbool.h>
#include <stdio.h>

struct fw_metrics_listen;
struct fw_metrics_server;

/*
 * Writes every metric from the maps pinned in pin_dir, read without the
 * pin lock, so a scrape and a reload never wait for each other.
 */
int fw_metrics_write(FILE *out, const char *pin_dir);

/* Serves /metrics on listen from a thread of its own (libmicrohttpd). */
int fw_metrics_start(const char *pin_dir, const struct fw_metrics_listen *listen,
		     struct fw_metrics_server **out);
/* Whether server already serves listen: a reload that keeps it keeps the server. */
bool fw_metrics_serves(const struct fw_metrics_server *server,
		       const struct fw_metrics_listen *listen);
/* NULL is fine. */
void fw_metrics_stop(struct fw_metrics_server *server);

#endif /* FW_METRICS_H */
