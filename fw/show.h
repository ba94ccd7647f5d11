/* SPDX-License-Identifier: GPL-2.0 */
/* `xdpfw rules`, `stats` and `sets`: aligned tables or JSON. */
#ifndef FW_SHOW_H
#define FW_SHOW_H

#include <stdbool.h>
#include <stdio.h>
#include "datapath.h"

int fw_show_rules(FILE *out, const struct fw_datapath *dp, bool json);
int fw_show_stats(FILE *out, const struct fw_datapath *dp, bool json);
int fw_show_sets(FILE *out, const struct fw_datapath *dp, bool json);

struct json_object;

/* Writes doc with json-c's flags (slashes never escaped) and frees it. */
int fw_json_print(FILE *out, struct json_object *doc, int flags);

struct fw_rule_limit;

/* Adds "limit": {"rate", "burst", "per"} and "ban_for" (null without) to obj. */
void fw_limit_json_add(struct json_object *obj, const struct fw_rule_limit *limit);

#endif /* FW_SHOW_H */
