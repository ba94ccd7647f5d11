/* SPDX-License-Identifier: GPL-2.0 */
/* What the config fuzz harnesses assert about fw_config_parse_with()'s outcome. */
#ifndef CONFIG_CHECK_H
#define CONFIG_CHECK_H

#include <stdio.h>
#include "config.h"

/* Diagnostics captured in memory. */
struct fuzz_diag {
	FILE *f;
	char *text;
	size_t len;
};

void fuzz_diag_open(struct fuzz_diag *d);
/* Closes the stream; d->text and d->len stay until fuzz_diag_free(). */
void fuzz_diag_close(struct fuzz_diag *d);
void fuzz_diag_free(struct fuzz_diag *d);

/*
 * Aborts, naming the broken invariant, unless err and cfg are a sane outcome
 * of parsing len bytes called name: 0 with a valid config and warnings at
 * most, or -EINVAL (with an error)/-ENOMEM with an empty config; every
 * diagnostic is one printable "NAME:LINE:COL: message" line, its position
 * inside the text. List files are not read (skip_list_files).
 */
void fuzz_check_outcome(const char *name, size_t len, int err, const struct fw_config *cfg,
			const struct fuzz_diag *d);

/* The options every config harness parses with: no list file is opened. */
extern const struct fw_config_options fuzz_config_options;

/* Prints what went wrong and aborts, so libFuzzer saves the input. */
__attribute__((noreturn, format(printf, 1, 2)))
void fuzz_fail(const char *fmt, ...);

#endif /* CONFIG_CHECK_H */
