/* SPDX-License-Identifier: GPL-2.0 */
/* Durations as operators write them: 30s, 10m, 2h, 7d, or 1h30m. */
#ifndef FW_DURATION_H
#define FW_DURATION_H

#include <stdint.h>

#define FW_NS_PER_SEC 1000000000ull
/* The longest duration: 100 years, so the clock plus one never wraps. */
#define FW_DURATION_MAX_DAYS 36500u

/* What a duration may be, for messages. */
#define FW_DURATION_HELP \
	"a whole number and a unit (s, m, h or d), or several from the largest unit down, like 1h30m"

/*
 * Parses text into ns: numbers each followed by a unit, the units from d
 * down to s, each at most once, more than 0 in all. -EINVAL when it is not
 * a duration, -ERANGE past FW_DURATION_MAX_DAYS.
 */
int fw_duration_parse(const char *text, uint64_t *ns);

#define FW_DURATION_TEXT_MAX 24
/* "1h59m": the two largest units of ns, rounded up to the second. */
const char *fw_duration_format(uint64_t ns, char buf[FW_DURATION_TEXT_MAX]);

#endif /* FW_DURATION_H */
