/* SPDX-License-Identifier: GPL-2.0 */
/* The pinned state under --pin-dir: program, maps and links, and the lock that guards them. */
#ifndef FW_PIN_H
#define FW_PIN_H

#include <stdbool.h>
#include <stdint.h>
#include "datapath.h"

#define FW_DEFAULT_PIN_DIR "/sys/fs/bpf/xdpfw"
#define FW_PIN_PROG "xdpfw_prog"
#define FW_PIN_LINKS "links"

/* Checks that dir is (or would be) on bpffs, creates it, and takes its flock. */
int fw_pin_lock(const char *dir, bool create, int *lock_fd);
void fw_pin_unlock(int lock_fd);

/*
 * Opens the pinned program and maps. -ENOENT when nothing is pinned;
 * -EPROTO (after saying so) when they come from an incompatible build.
 */
int fw_pin_adopt(const char *dir, struct fw_datapath *dp);

/* Re-pins dp's program and maps in place of whatever is pinned in dir. */
int fw_pin_replace(const char *dir, struct fw_datapath *dp);

/* Removes every pin under dir, and dir itself. */
int fw_pin_remove_all(const char *dir);

#endif /* FW_PIN_H */
