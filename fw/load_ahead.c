// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include "load_ahead.h"

static void *fw_load_ahead_run(void *arg)
{
	struct fw_load_ahead *a = arg;

	a->err = fw_datapath_load_over(&a->dp, a->capacity, &a->room, a->max_bans, a->in_force);
	return NULL;
}

void fw_load_ahead_init(struct fw_load_ahead *a)
{
	*a = (struct fw_load_ahead){ .err = -ENOENT };
	fw_datapath_init(&a->dp);
}

void fw_load_ahead_start(struct fw_load_ahead *a, uint32_t capacity, const struct fw_room *room,
			 uint32_t max_bans, const struct fw_datapath *in_force)
{
	fw_load_ahead_init(a);
	a->capacity = capacity;
	a->room = *room;
	a->max_bans = max_bans;
	a->in_force = in_force;
	a->running = !pthread_create(&a->thread, NULL, fw_load_ahead_run, a);
	if (!a->running)
		fw_load_ahead_run(a);
}

static int fw_load_ahead_wait(struct fw_load_ahead *a)
{
	if (a->running)
		pthread_join(a->thread, NULL);
	a->running = false;
	return a->err;
}

int fw_load_ahead_take(struct fw_load_ahead *a, struct fw_datapath *dp)
{
	int err = fw_load_ahead_wait(a);

	if (err)
		return err;
	*dp = a->dp;
	fw_datapath_init(&a->dp);
	a->err = -ENOENT; /* taken */
	return 0;
}

void fw_load_ahead_close(struct fw_load_ahead *a)
{
	fw_load_ahead_wait(a);
	fw_datapath_close(&a->dp);
}
