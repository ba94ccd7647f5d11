// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include "set_info.h"

int fw_set_infos_read(const struct fw_datapath *dp, uint32_t set, struct fw_set_info *out)
{
	for (uint32_t i = 0; i < FW_MAX_NAMED_SETS; i++) {
		uint32_t key = set * FW_MAX_NAMED_SETS + i;

		if (bpf_map_lookup_elem(dp->set_info_fd, &key, &out[i]))
			return -errno;
	}
	return 0;
}

const struct fw_set_info *fw_set_info_of(const struct fw_set_info *infos, uint32_t set_id)
{
	if (!set_id || set_id > FW_MAX_NAMED_SETS || !infos[set_id - 1].name[0])
		return NULL;
	return &infos[set_id - 1];
}

int fw_set_info_read(const struct fw_datapath *dp, uint32_t set, uint32_t set_id,
		     struct fw_set_info *out)
{
	uint32_t key = set * FW_MAX_NAMED_SETS + set_id - 1;

	if (!set_id || set_id > FW_MAX_NAMED_SETS)
		return -ENOENT;
	if (bpf_map_lookup_elem(dp->set_info_fd, &key, out))
		return -errno;
	return out->name[0] ? 0 : -ENOENT;
}
