/* SPDX-License-Identifier: GPL-2.0 */
/* `xdpfw ban`, `unban` and `bans`. */
#ifndef FW_BAN_CMD_H
#define FW_BAN_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "datapath.h"
#include "duration.h"

struct fw_ban_args {
	char **targets;       /* addresses and prefixes on the command line */
	int count;
	const char *file;     /* --file: a list file, as `sets:` read them */
	const char *duration; /* --for; NULL: until unbanned */
	const char *reason;   /* --reason: the origin `bans` shows; NULL: manual */
};

/* Exit statuses: 0 all done, 1 something refused, invalid or failed (the rest done), 2 usage. */
int fw_ban_cmd(const char *pin_dir, const struct fw_ban_args *args);
int fw_unban_cmd(const char *pin_dir, const struct fw_ban_args *args);
int fw_bans_cmd(const char *pin_dir, bool json);

/* The time a ban has left, as `bans` shows it: its two largest units ("1h59m"), rounded up. */
const char *fw_ban_left_text(uint64_t ns, char buf[FW_DURATION_TEXT_MAX]);

/* The bans in force, sorted: an aligned table, or a JSON array of objects. */
int fw_bans_show(FILE *out, const struct fw_datapath *dp, bool json);

#endif /* FW_BAN_CMD_H */
