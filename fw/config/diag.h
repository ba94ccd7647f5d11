/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The config parser's lowest layer: the list of diagnostics every other
 * layer reports into, printed at the end in file order. Internal to fw/config/.
 */
#ifndef FW_CONFIG_DIAG_H
#define FW_CONFIG_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CFG_CTX_MAX 96 /* room for 'rule "<63 chars>": ' */

/*
 * Where a value sits, for the prefix of a message: "settings: ",
 * "rule \"ssh\": ", "interface #2: ", or nothing at the top level. Only
 * formatted when an error is reported.
 */
struct cfg_ctx {
	const char *section; /* "settings", "rule", "interface"; NULL: the top level */
	const char *name;    /* the item's valid name, or NULL to use its number */
	size_t number;       /* 1-based place of a list item; 0: not a list item */
};

struct cfg_diag {
	int line;   /* in the config: where the message sorts */
	int col;
	size_t seq; /* report order, to keep the sort stable */
	char *msg;  /* one line: control characters escaped */
	char *file; /* NULL: the message is about the config; else the list file it is in */
	uint32_t file_line;
	uint32_t file_col;
	bool warning; /* printed as "warning: ...", and the config stays valid */
};

struct cfg_diags {
	struct cfg_diag *items;
	size_t count;
	size_t cap;
	size_t errors; /* of count, those that are not warnings */
	int err; /* -ENOMEM once an allocation failed: the parse stops */
};

/*
 * Adds a message at line:col. Messages quote the config, so the text is
 * escaped as a whole (fw_escape()): the format's own text must hold no
 * control character or backslash.
 */
void cfg_error(struct cfg_diags *d, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same, with the message after ctx's prefix. */
void cfg_ctx_error(struct cfg_diags *d, const struct cfg_ctx *ctx, int line, int col,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A warning at line:col: reported like an error, but the config stays valid. */
void cfg_warning(struct cfg_diags *d, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * An error in the list file file, at file_line:file_col there; it sorts
 * with the config's messages at line:col, where the config names the file.
 */
void cfg_file_error(struct cfg_diags *d, int line, int col, const char *file, uint32_t file_line,
		    uint32_t file_col, const char *msg);
/* A copy of text made one printable line by fw_escape(), or NULL; the caller frees it. */
char *cfg_escape_dup(const char *text);
const char *cfg_ctx_label(const struct cfg_ctx *ctx, char *buf, size_t size);

/*
 * Prints each as "NAME:LINE:COL: message" (or "NAME:LINE:COL: warning:
 * message") in file order, a list file's messages under its own name where
 * the config names it; out may be NULL.
 */
void cfg_diags_print(struct cfg_diags *d, const char *name, FILE *out);
void cfg_diags_free(struct cfg_diags *d);

#endif /* FW_CONFIG_DIAG_H */
