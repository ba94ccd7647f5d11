/* SPDX-License-Identifier: GPL-2.0 */
/* Durations as people write them: 30s, 10m, 2h, 7d, 1h30m, 500ms (DESIGN §1b). */
#ifndef FW_DURATION_H
#define FW_DURATION_H

#include <stddef.h>
#include <stdint.h>

#define FW_NS_PER_MS 1000000ull
#define FW_NS_PER_SEC 1000000000ull

/*
 * Parses len bytes of text (not necessarily NUL-terminated): one or more
 * NUMBER UNIT groups, units d, h, m, s, ms, each used once and largest first
 * ("1h30m", not "30m1h"), nothing else, no blanks. "0s" is 0: whether 0
 * makes sense is the caller's to say. Returns 0 with *ns set, -EINVAL when
 * the text is not a duration, -ERANGE when it does not fit in 64 bits of ns.
 */
int fw_duration_parse(const char *text, size_t len, uint64_t *ns);

/* "1h30m", "10s", "1s500ms", "0s": ns in the parser's units, below a millisecond dropped. */
#define FW_DURATION_TEXT_MAX 48
const char *fw_duration_format(uint64_t ns, char buf[FW_DURATION_TEXT_MAX]);

#endif /* FW_DURATION_H */
