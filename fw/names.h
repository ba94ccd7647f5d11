/* SPDX-License-Identifier: GPL-2.0 */
/* The words for xdpfw.h's enums, the same in the config, in `rules`/`stats` and in tests. */
#ifndef FW_NAMES_H
#define FW_NAMES_H

#include "xdpfw.h"

#define FW_ACTION_COUNT 3    /* enum fw_action */
#define FW_FRAGMENTS_COUNT 2 /* enum fw_fragment_policy */

/* Indexed by the enum; each is the word the config uses for it. */
extern const char *const fw_proto_names[FW_RULE_PROTOS];
extern const char *const fw_action_names[FW_ACTION_COUNT];
extern const char *const fw_fragments_names[FW_FRAGMENTS_COUNT];
/* The counters of `xdpfw stats`. */
extern const char *const fw_stat_names[FW_STAT_COUNT];

/* The same, "?" for a value out of range. */
const char *fw_proto_name(unsigned int proto);
const char *fw_action_name(unsigned int action);
const char *fw_stat_name(unsigned int stat);

#endif /* FW_NAMES_H */
