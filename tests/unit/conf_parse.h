/* SPDX-License-Identifier: GPL-2.0 */
/* Config tests: a parse with its messages captured, and the messages checked. */
#ifndef TEST_CONF_PARSE_H
#define TEST_CONF_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"

struct parsed {
	int rc;
	struct fw_config cfg;
	char *diag;
	size_t diag_len;
	bool fast; /* the fast lane produced the result */
};

/* Parses len bytes of text as the config name with reader; cfg is filled with junk first. */
void conf_parse(const char *name, const char *text, size_t len, enum fw_config_reader reader,
		struct parsed *res);
void parsed_free(struct parsed *res);

/* Compares the fields a test cares about in what two readers made of one text. */
typedef void conf_same_fn(const struct fw_config *a, const struct fw_config *b);

/*
 * Parses text as name with both readers, which must agree on the result
 * and every message, and, by same, on the config; res holds the auto
 * reader's (the fast lane's, or its fallback's).
 */
void conf_parse_both(const char *name, const char *text, conf_same_fn *same, struct parsed *res);
/* The same for a valid config: parsed with no message at all. */
void conf_parse_valid(const char *name, const char *text, conf_same_fn *same, struct parsed *res);

size_t count_lines(const char *s);

/* The index-th line of s (0-based), copied into buf without its newline. */
const char *nth_line(const char *s, size_t index, char *buf, size_t size);

/* A message a test expects: where it is, and words it holds. */
struct want {
	const char *where;  /* "LINE:COL" */
	const char *phrase; /* must appear in the message */
};

/*
 * The first n lines of diag are "NAME:want[i].where: ..." holding
 * want[i].phrase; with exact, the first is that phrase and nothing else.
 * what names the case in a failure.
 */
void assert_messages(const char *what, const char *diag, const char *name,
		     const struct want *want, size_t n, bool exact);

#endif /* TEST_CONF_PARSE_H */
