/* SPDX-License-Identifier: GPL-2.0 */
/* XDP links per interface, pinned under <pin dir>/links/ so they outlive the daemon. */
#ifndef FW_ATTACH_H
#define FW_ATTACH_H

#include <stddef.h>
#include "config.h"

/*
 * Makes the pinned links match the config: every listed interface runs
 * prog_fd in its mode, and links to interfaces no longer listed are
 * removed. Resolves every interface before touching any.
 */
int fw_attach_interfaces(const char *dir, int prog_fd, const struct fw_interface *ifaces,
			 size_t count);

/* Checks that every interface exists in this network namespace, naming the config line if not. */
int fw_interfaces_resolve(const char *config_path, const struct fw_interface *ifaces, size_t count);

/* Points every pinned link at prog_fd, in place: no packet passes unfiltered meanwhile. */
int fw_links_update_prog(const char *dir, int prog_fd);

/* Some pinned link runs the program with this id. */
bool fw_links_run_prog(const char *dir, __u32 prog_id);

const char *fw_mode_name(enum fw_xdp_mode mode);

#endif /* FW_ATTACH_H */
