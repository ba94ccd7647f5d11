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
#define CFG_PLACE_MAX 512 /* "line 12", or "conf.d/20-web.yaml:12:9" (cut short if longer) */

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
	int line;   /* in the config or a file it includes (struct cfg_unit): where it sorts */
	int col;
	size_t seq; /* report order, to keep the sort stable */
	char *msg;  /* one line: control characters escaped */
	char *file; /* NULL: the message is about the config; else the list file it is in */
	uint32_t file_line;
	uint32_t file_col;
	bool warning; /* printed as "warning: ...", and the config stays valid */
};

/*
 * A file the config includes: its lines follow the config's (and the files
 * included before it) in one numbering, so messages sort in reading order
 * with no field to say which file they are in. Line base + 1 is its line 1.
 */
struct cfg_unit {
	char *name;  /* the config's folder joined with the match */
	char *shown; /* name made one printable line, for the FILE: of its messages */
	int base;
};

struct cfg_diags {
	struct cfg_diag *items;
	size_t count;
	size_t cap;
	size_t errors; /* of count, those that are not warnings */
	int err; /* -ENOMEM once an allocation failed: the parse stops */
	struct cfg_unit *units; /* the included files, by base; none: every line is the config's */
	size_t unit_count;
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
/* Starts the lines of the included file name at base + 1; 0 or -ENOMEM (also in d->err). */
int cfg_diags_add_unit(struct cfg_diags *d, const char *name, int base);
/* Which included file line is in (an index in d->units), or -1 for the config. */
long cfg_unit_of(const struct cfg_diags *d, int line);
/* line as its own file numbers it. */
int cfg_local_line(const struct cfg_diags *d, int line);
/*
 * Where line:col is, said from a message at line at: "line 12" in the same
 * file, else "FILE:12:9" (FILE the config's name when the config holds it).
 */
const char *cfg_place_text(const struct cfg_diags *d, const char *config, int at, int line,
			   int col, char *buf, size_t size);
/* A copy of text made one printable line by fw_escape(), or NULL; the caller frees it. */
char *cfg_escape_dup(const char *text);
const char *cfg_ctx_label(const struct cfg_ctx *ctx, char *buf, size_t size);

/*
 * Prints each as "NAME:LINE:COL: message" (or "NAME:LINE:COL: warning:
 * message") in file order, a list file's messages under its own name where
 * the config names it, an included file's under its name; out may be NULL.
 */
void cfg_diags_print(struct cfg_diags *d, const char *name, FILE *out);
void cfg_diags_free(struct cfg_diags *d);

#endif /* FW_CONFIG_DIAG_H */
