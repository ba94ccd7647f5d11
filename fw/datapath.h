/* SPDX-License-Identifier: GPL-2.0 */
/* The loaded XDP program and its maps, as file descriptors. */
#ifndef FW_DATAPATH_H
#define FW_DATAPATH_H

#include <stdint.h>
#include "ruleset.h"

struct xdpfw;

struct fw_datapath {
	struct xdpfw *skel; /* the skeleton that loaded it, if this process did */
	int prog_fd;
	int sources_fd;
	int port_rules_fd;
	int ports_fd;
	int counters_fd;
	int params_fd;
	int stats_fd;
	int rule_info_fd;
	uint32_t capacity; /* rules per set */
};

/* Marks every fd closed, so fw_datapath_close() is safe at once. */
void fw_datapath_init(struct fw_datapath *dp);
/* Opens and loads the program, its maps sized for capacity rules per set. */
int fw_datapath_load(struct fw_datapath *dp, uint32_t capacity);
/* Closes whatever fw_datapath_load() opened; safe on an initialised or closed dp. */
void fw_datapath_close(struct fw_datapath *dp);

int fw_param_read(const struct fw_datapath *dp, uint32_t index, uint32_t *value);
int fw_param_write(const struct fw_datapath *dp, uint32_t index, uint32_t value);

/* Puts rs in force as one whole set: the old set stays until the new one is complete. */
int fw_datapath_sync(struct fw_datapath *dp, const struct fw_ruleset *rs);

int fw_counter_read(const struct fw_datapath *dp, uint32_t id, struct fw_counter *out);
int fw_counter_reset(const struct fw_datapath *dp, uint32_t id);
/* Sums the per-CPU stats into out[FW_STAT_COUNT]. */
int fw_stats_read(const struct fw_datapath *dp, struct fw_stat_value *out);
int fw_stats_reset(const struct fw_datapath *dp);

#endif /* FW_DATAPATH_H */
