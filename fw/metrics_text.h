/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One scrape: the metrics of DESIGN §1b as Prometheus text, read a piece
 * at a time, so a hundred thousand rules never sit in memory as one text.
 */
#ifndef FW_METRICS_TEXT_H
#define FW_METRICS_TEXT_H

#include <sys/types.h>
#include "datapath.h"

struct fw_scrape;

/*
 * Peeks at the maps pinned in pin_dir (fw_state_peek: no lock) and reads
 * every family but the rules' at once, peeking again once should a read
 * fail as a switch replaces the maps. -ENOENT quietly when nothing is
 * pinned; other errors are said.
 */
int fw_scrape_open(const char *pin_dir, struct fw_scrape **out);
/* The same over a datapath the caller keeps open until fw_scrape_close(). */
int fw_scrape_open_dp(const struct fw_datapath *dp, struct fw_scrape **out);
/* The next bytes of the text, up to max; 0 at its end, or a negative errno. */
ssize_t fw_scrape_read(struct fw_scrape *s, char *buf, size_t max);
/* NULL is fine. */
void fw_scrape_close(struct fw_scrape *s);

#endif /* FW_METRICS_TEXT_H */
