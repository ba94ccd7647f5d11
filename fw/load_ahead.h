/* SPDX-License-Identifier: GPL-2.0 */
/*
 * New maps loaded on another thread while the rules compile: the kernel
 * zeroes preallocated maps page by page, and for a large set that takes
 * as long as compiling it.
 */
#ifndef FW_LOAD_AHEAD_H
#define FW_LOAD_AHEAD_H

#include <pthread.h>
#include "datapath.h"

struct fw_load_ahead {
	pthread_t thread;
	bool running;
	uint32_t capacity;
	struct fw_room room;
	uint32_t max_bans;
	const struct fw_datapath *in_force; /* whose kept maps the new program takes; or NULL */
	struct fw_datapath dp; /* loaded, until fw_load_ahead_take() hands it over */
	int err;
};

/* Marks a as not started, so fw_load_ahead_close() is safe at once. */
void fw_load_ahead_init(struct fw_load_ahead *a);
/* Starts fw_datapath_load_over(): capacity rules per set, the given room, over in_force. */
void fw_load_ahead_start(struct fw_load_ahead *a, uint32_t capacity, const struct fw_room *room,
			 uint32_t max_bans, const struct fw_datapath *in_force);
/* Waits for the load; on success moves the loaded datapath into dp. */
int fw_load_ahead_take(struct fw_load_ahead *a, struct fw_datapath *dp);
/* Waits if need be and closes whatever was loaded and not taken. */
void fw_load_ahead_close(struct fw_load_ahead *a);

#endif /* FW_LOAD_AHEAD_H */
