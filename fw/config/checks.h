/* SPDX-License-Identifier: GPL-2.0 */
/* The check layer: what holds across rules once all are read. Internal to fw/config/. */
#ifndef FW_CONFIG_CHECKS_H
#define FW_CONFIG_CHECKS_H

#include "section.h"

/* Capacity, rules repeating another's name or match, and ties (warnings). */
void cfg_check_rules(struct cfg_parser *p);

/* Same source (the same prefix, or the same set), ports, protocol and TCP flags. */
bool cfg_rule_same_match(const struct fw_ruleset *rs, const struct fw_rule *a,
			 const struct fw_rule *b);

/*
 * ties.c: warns about two rules on one prefix, at one level of DESIGN §1,
 * with different actions or limits (through sets sharing an element, or
 * port lists that overlap): the first listed wins.
 */
void cfg_check_ties(struct cfg_parser *p);

#endif /* FW_CONFIG_CHECKS_H */
