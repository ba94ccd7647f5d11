/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bans moved into ban maps of another size (settings.max_bans changed),
 * when new maps replace the ones in force: copied before the switch, and
 * once the old program runs no more, what it banned and counted meanwhile.
 */
#ifndef FW_BANS_CARRY_H
#define FW_BANS_CARRY_H

#include "ban_maps.h"

struct fw_bans_carry {
	struct fw_ban_dump copied[FW_BAN_MAPS]; /* what went across, indexed */
};

/* Copies the bans in force of from into to's empty ban maps; -E2BIG (said) when they do not fit. */
int fw_bans_carry(const struct fw_datapath *from, const struct fw_datapath *to,
		  struct fw_bans_carry *c);
/* The bans from's program made after the copy, and the packets its bans counted since. */
int fw_bans_carry_late(const struct fw_datapath *from, const struct fw_datapath *to,
		       struct fw_bans_carry *c);
void fw_bans_carry_free(struct fw_bans_carry *c);

#endif /* FW_BANS_CARRY_H */
