/* SPDX-License-Identifier: GPL-2.0 */
/* The named sets in force, as fw_set_info holds them for `sets`, `rules` and `explain`. */
#ifndef FW_SET_INFO_H
#define FW_SET_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "datapath.h"

/* fw_set_info's slice of rule set `set`: FW_MAX_NAMED_SETS entries, empty names where free. */
int fw_set_infos_read(const struct fw_datapath *dp, uint32_t set, struct fw_set_info *out);

/* The named set a rule's set_id names in rule set `set`; -ENOENT when none (or its entry is free). */
int fw_set_info_read(const struct fw_datapath *dp, uint32_t set, uint32_t set_id,
		     struct fw_set_info *out);

/* The named set a rule's set_id refers to, or NULL (none, or its entry is free). */
const struct fw_set_info *fw_set_info_of(const struct fw_set_info *infos, uint32_t set_id);

/* Stored names and paths need not end in a NUL: their length within the field. */
static inline size_t fw_set_info_name_len(const struct fw_set_info *info)
{
	return strnlen(info->name, sizeof(info->name));
}

static inline size_t fw_set_info_file_len(const struct fw_set_info *info)
{
	return strnlen(info->file, sizeof(info->file));
}

static inline uint64_t fw_set_info_elements(const struct fw_set_info *info)
{
	return (uint64_t)info->v4 + info->v6;
}

#endif /* FW_SET_INFO_H */
