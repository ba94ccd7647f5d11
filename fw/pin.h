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
/*
 * The same without mapping fw_rule_info, fw_counters and the tries in (the
 * params are): mapped whole they are tens of MB of the reader's RSS.
 */
int fw_pin_open(const char *dir, struct fw_datapath *dp);

/*
 * Replacing the pinned state takes three steps, so a crash between any two
 * leaves something recovery can finish or undo: stage (pin dp under
 * staged_ names), switch the links to the staged program, promote (rename
 * the program, then the maps, over the old pins).
 */
int fw_pin_stage(const char *dir, struct fw_datapath *dp);
int fw_pin_promote(const char *dir);
void fw_pin_unstage(const char *dir);
/* The id of the staged program; -ENOENT when nothing is staged. */
int fw_pin_staged_prog_id(const char *dir, __u32 *id);
/* Staged maps without a staged program: a promotion was cut short. */
bool fw_pin_has_staged_maps(const char *dir);

/* Removes every pin under dir, and dir itself. */
int fw_pin_remove_all(const char *dir);

#endif /* FW_PIN_H */
