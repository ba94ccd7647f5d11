/* SPDX-License-Identifier: GPL-2.0 */
/*
 * List files (DESIGN §1b): one address or prefix per line, "#" and ";" start
 * a comment, so Spamhaus DROP and FireHOL .netset files load as they are.
 */
#ifndef FW_SETS_H
#define FW_SETS_H

#include <stddef.h>
#include <stdint.h>
#include "prefix.h"
#include "ruleset.h"

/* Problems reported one by one; past these, one more line says how many were left out. */
#define FW_SET_ERRORS_SHOWN 20

/* Where a problem is, 1-based in the list file, and what it is: one printable line. */
typedef void fw_set_report_fn(void *ctx, uint32_t line, uint32_t col, const char *msg);

/*
 * Appends the elements of a list file's text to set (its elements, count, v4
 * and v6; set->elements must be NULL or hold set->count elements from
 * malloc). Problems go to report, at most FW_SET_ERRORS_SHOWN and then one
 * counting the rest. Returns how many problems the text has (0: all read),
 * or -ENOMEM.
 */
long fw_set_parse(const char *text, size_t len, struct fw_set *set, fw_set_report_fn *report,
		  void *ctx);

/* fw_set_parse() of the file at path; -errno when it cannot be read, -EINVAL if not a regular file. */
long fw_set_read_file(const char *path, struct fw_set *set, fw_set_report_fn *report,
		      void *ctx);

/* Appends p, written at line:col, to set, whose elements have room for it. */
void fw_set_add(struct fw_set *set, const struct fw_prefix *p, uint32_t line, uint32_t col);

#define FW_PREFIX_PROBLEM_MAX 192

/*
 * Why text (len bytes) is not an address or prefix, given fw_prefix_parse()'s
 * err and out; what reads the text adds the advice that fits where it is.
 * "198.18.0.1/15 has host bits set; did you mean 198.18.0.0/15?".
 */
const char *fw_prefix_problem(enum fw_prefix_error err, const char *text, size_t len,
			      const struct fw_prefix *out, char buf[FW_PREFIX_PROBLEM_MAX]);

#endif /* FW_SETS_H */
