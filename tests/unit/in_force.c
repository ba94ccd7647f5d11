// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "config.h"
#include "in_force.h"
#include "sync.h"

#define IN_FORCE_CAPACITY 1024

struct fw_datapath *in_force(const char *path)
{
	static struct fw_datapath dp;
	static bool loaded;
	struct fw_config cfg = { 0 };
	struct fw_compiled compiled;
	struct fw_room room;
	int err;

	if (loaded)
		fw_datapath_close(&dp);
	loaded = false;
	err = fw_config_load(path, &cfg, stderr);
	if (!err)
		err = fw_compile(&cfg.rules, &compiled);
	if (!err) {
		room = fw_room_for(&compiled, NULL);
		err = fw_datapath_load(&dp, IN_FORCE_CAPACITY, &room);
		loaded = !err;
		if (!err)
			err = fw_rules_sync(&dp, &cfg.rules, &compiled, NULL, NULL);
		fw_compiled_free(&compiled);
	}
	fw_config_free(&cfg);
	if (err)
		printf("# putting %s in force: %s\n", path, strerror(-err));
	return err ? NULL : &dp;
}
