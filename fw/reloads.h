/* SPDX-License-Identifier: GPL-2.0 */
/* fw_reloads: how every sync of a config ended, for the metrics. */
#ifndef FW_RELOADS_H
#define FW_RELOADS_H

#include <stdbool.h>
#include "xdpfw.h"

/* Counts one sync of a config into the pinned fw_reloads; quiet when nothing is pinned. */
void fw_reloads_record(const char *pin_dir, bool ok);
/* Reads fw_reloads; -ENOENT when nothing is pinned. */
int fw_reloads_read(const char *pin_dir, struct fw_reload_stats *out);

#endif /* FW_RELOADS_H */
