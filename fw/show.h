/* SPDX-License-Identifier: GPL-2.0 */
/* `xdpfw rules`, `stats` and `sets`: aligned tables or JSON. */
#ifndef FW_SHOW_H
#define FW_SHOW_H

#include <stdbool.h>
#include <stdio.h>
#include "datapath.h"
#include "text.h"

int fw_show_rules(FILE *out, const struct fw_datapath *dp, bool json);
int fw_show_stats(FILE *out, const struct fw_datapath *dp, bool json);
int fw_show_sets(FILE *out, const struct fw_datapath *dp, bool json);

/* "@" and an escaped set name, then " (4294967295 elements)". */
#define FW_SRC_TEXT_MAX (1 + FW_ESCAPED_SIZE(FW_RULE_NAME_MAX) + 24)

/* A rule's match as `rules` shows it: "any", an address, a prefix or "@set (N elements)". */
struct fw_rule_text {
	char src[FW_SRC_TEXT_MAX];
	char port[16];  /* "any", "22", or "80,..." for a range or a list */
	char proto[16]; /* "tcp syn" for tcp_flags: syn */
};

struct fw_set_info;

/* Describes r as `rules` does; sets: fw_set_infos_read()'s, of the set r is in. */
void fw_rule_describe(const struct fw_rule_info *r, const struct fw_set_info *sets,
		      struct fw_rule_text *out);

struct json_object;

/* Writes doc with json-c's flags (slashes never escaped) and frees it. */
int fw_json_print(FILE *out, struct json_object *doc, int flags);

struct fw_rule_limit;

/* Adds "limit": {"rate", "burst", "per"} and "ban_for" (null without) to obj. */
void fw_limit_json_add(struct json_object *obj, const struct fw_rule_limit *limit);

#endif /* FW_SHOW_H */
