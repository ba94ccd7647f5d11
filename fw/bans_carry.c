// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "bans.h"
#include "bans_carry.h"
#include "log.h"
#include "mapio.h"

int fw_bans_carry(const struct fw_datapath *from, const struct fw_datapath *to,
		  struct fw_bans_carry *c)
{
	uint64_t now = fw_bans_clock(from);
	int err = 0;

	memset(c, 0, sizeof(*c));
	for (int m = 0; m < FW_BAN_MAPS && !err; m++) {
		struct fw_ban_dump *d = &c->copied[m];
		size_t live = 0;

		err = fw_ban_dump_read(from, m, d);
		for (size_t i = 0; i < d->count && !err; i++) { /* the expired stay behind */
			if (fw_ban_expired(&d->values[i], now))
				continue;
			memmove(d->keys + live * d->key_size, d->keys + i * d->key_size, d->key_size);
			d->values[live++] = d->values[i];
		}
		d->count = live;
		if (!err)
			err = fw_map_write(fw_ban_map_fd(to, m), d->keys, d->values, d->count);
		if (err == -E2BIG || err == -ENOSPC)
			fw_error("the %zu bans in force in %s do not fit into new maps of "
				 "settings.max_bans %u, so the config is not applied; raise "
				 "settings.max_bans, or unban some first", d->count,
				 fw_ban_map_kinds[m].name, to->max_bans);
		if (!err)
			err = fw_ban_dump_index(d);
	}
	if (err)
		fw_bans_carry_free(c);
	return err;
}

/* One ban as from has it now, into to: new ones added, the growth of old ones' counters too. */
static int fw_ban_carry_one(int to_fd, const uint8_t *key, const struct fw_ban_value *now,
			    const struct fw_ban_value *copied)
{
	struct fw_ban_value v;

	if (!copied)
		return bpf_map_update_elem(to_fd, key, now, BPF_NOEXIST) && errno != EEXIST ? -errno
											   : 0;
	if (now->packets == copied->packets || bpf_map_lookup_elem(to_fd, key, &v))
		return 0;
	v.packets += now->packets - copied->packets;
	v.bytes += now->bytes - copied->bytes;
	return bpf_map_update_elem(to_fd, key, &v, BPF_EXIST) && errno != ENOENT ? -errno : 0;
}

int fw_bans_carry_late(const struct fw_datapath *from, const struct fw_datapath *to,
		       struct fw_bans_carry *c)
{
	uint64_t now = fw_bans_clock(from);
	int err = 0;

	for (int m = 0; m < FW_BAN_MAPS && !err; m++) {
		struct fw_ban_dump d;

		err = fw_ban_dump_read(from, m, &d);
		for (size_t i = 0; i < d.count && !err; i++) {
			const uint8_t *key = d.keys + i * d.key_size;

			if (fw_ban_expired(&d.values[i], now))
				continue;
			err = fw_ban_carry_one(fw_ban_map_fd(to, m), key, &d.values[i],
					       fw_ban_dump_find(&c->copied[m], key));
		}
		fw_ban_dump_free(&d);
	}
	return err;
}

void fw_bans_carry_free(struct fw_bans_carry *c)
{
	for (int m = 0; m < FW_BAN_MAPS; m++)
		fw_ban_dump_free(&c->copied[m]);
}
