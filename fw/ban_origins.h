/* SPDX-License-Identifier: GPL-2.0 */
/* fw_ban_origins: the names bans give as their reason, interned. */
#ifndef FW_BAN_ORIGINS_H
#define FW_BAN_ORIGINS_H

#include <stdint.h>
#include "datapath.h"

/* Every entry, FW_BAN_ORIGINS of them (an empty name is free); *out is malloc'd. */
int fw_ban_origins_read(const struct fw_datapath *dp, struct fw_ban_origin **out);

/*
 * fw_bans_origin() for many names at one read: *names caches the entries
 * (NULL: read them first) and follows what is written; free() it after.
 */
int fw_ban_origins_intern(const struct fw_datapath *dp, struct fw_ban_origin **names,
			  const char *name, uint32_t *index);

/* Frees every origin but manual and those used[index] marks; returns how many it freed. */
long fw_ban_origins_free_unused(const struct fw_datapath *dp, const uint8_t used[FW_BAN_ORIGINS]);

#endif /* FW_BAN_ORIGINS_H */
