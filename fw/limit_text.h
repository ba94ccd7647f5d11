/* SPDX-License-Identifier: GPL-2.0 */
/* A limit and a duration in the words the config writes them in: "20/s burst 40 per source, ban 10m". */
#ifndef FW_LIMIT_TEXT_H
#define FW_LIMIT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "ruleset.h"

#define FW_LIMIT_TEXT_MAX 96

/* "20/s", "10/m", "1/h": the rate whose interval, rounded up, this is; else packets a second. */
char *fw_rate_text(char *out, size_t size, uint64_t interval);

/* "20/s burst 40 per source, ban 10m"; no ", ban" part without ban_for. */
char *fw_limit_text(char *out, size_t size, const struct fw_rule_limit *limit);

/* The rule limit a fw_limits entry holds. */
struct fw_rule_limit fw_limit_of_value(const struct fw_limit_value *v);

#endif /* FW_LIMIT_TEXT_H */
