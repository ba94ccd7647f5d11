/* SPDX-License-Identifier: GPL-2.0 */
/* Which rule id each rule gets, so counters follow a rule across reloads and restarts. */
#ifndef FW_IDENTITY_H
#define FW_IDENTITY_H

#include <stddef.h>
#include <stdint.h>
#include "datapath.h"

struct fw_sync_report {
	size_t added;    /* names new to the set */
	size_t removed;  /* names gone from it */
	size_t changed;  /* same name, other match or action */
	size_t kept;
};

/* A fw_rule_info entry to write before the swap: rule's name and match, in sets. */
struct fw_info_write {
	uint32_t id;
	uint32_t rule;  /* index in the rule set */
	uint8_t sets;
};

struct fw_identity_plan {
	struct fw_info_write *writes;
	size_t write_count;
	uint32_t *fresh_ids;           /* ids new to this set: counters start at zero */
	size_t fresh_count;
	uint32_t *gone_ids;            /* fw_rule_info entries to delete after the swap */
	size_t gone_count;
	struct fw_sync_report report;
};

/*
 * Sets rs->rules[i].id: the id of the rule in the active set with the same
 * name and match, else an id no rule of the active set uses.
 */
int fw_identity_plan(const struct fw_datapath *dp, uint8_t active, struct fw_ruleset *rs,
		     struct fw_identity_plan *plan);
void fw_identity_plan_free(struct fw_identity_plan *plan);

/* Fills info from a rule, marking it a member of set. */
void fw_rule_info_from_rule(struct fw_rule_info *info, const struct fw_rule *r, uint8_t sets);

/* Every fw_rule_info entry: ids[i] -> infos[i]. The caller frees both. */
int fw_rule_infos_dump(const struct fw_datapath *dp, uint32_t **ids, struct fw_rule_info **infos,
		       size_t *count);

#endif /* FW_IDENTITY_H */
