/* SPDX-License-Identifier: GPL-2.0 */
/* The check layer: what holds across rules once all are read. Internal to fw/config/. */
#ifndef FW_CONFIG_CHECKS_H
#define FW_CONFIG_CHECKS_H

#include "section.h"

/* Capacity, and rules repeating another's name or match. */
void cfg_check_rules(struct cfg_parser *p);

#endif /* FW_CONFIG_CHECKS_H */
