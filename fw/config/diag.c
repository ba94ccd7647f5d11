// SPDX-License-Identifier: GPL-2.0
/* Config parsing: the diagnostics list, and the prefix naming where a value sits. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "text.h"

static struct cfg_diag *cfg_add(struct cfg_diags *d, int line, int col, char *msg)
{
	struct cfg_diag *item;

	if (d->count == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct cfg_diag *grown = realloc(d->items, cap * sizeof(*grown));

		if (!grown) {
			free(msg);
			d->err = -ENOMEM;
			return NULL;
		}
		d->items = grown;
		d->cap = cap;
	}
	item = &d->items[d->count];
	memset(item, 0, sizeof(*item));
	item->line = line;
	item->col = col;
	item->seq = d->count++;
	item->msg = msg;
	d->errors++;
	return item;
}

/* Whether msg prints as itself under fw_escape(). */
static bool cfg_plain_text(const char *msg)
{
	for (; *msg; msg++)
		if ((unsigned char)*msg < 0x20 || *msg == 0x7f || *msg == '\\')
			return false;
	return true;
}

char *cfg_escape_dup(const char *text)
{
	size_t len = strlen(text);
	char *out = malloc(FW_ESCAPED_SIZE(len));

	if (out)
		fw_escape(out, FW_ESCAPED_SIZE(len), text, len);
	return out;
}

/* msg made one printable line: the config's text may hold any byte but NUL. */
static char *cfg_escaped(char *msg)
{
	char *out;

	if (cfg_plain_text(msg))
		return msg;
	out = cfg_escape_dup(msg);
	free(msg);
	return out;
}

static struct cfg_diag *cfg_vadd(struct cfg_diags *d, int line, int col, const char *fmt,
			       va_list ap)
{
	char *msg;
	int n;

	n = vasprintf(&msg, fmt, ap);
	msg = n < 0 ? NULL : cfg_escaped(msg);
	if (!msg) {
		d->err = -ENOMEM;
		return NULL;
	}
	return cfg_add(d, line, col, msg);
}

void cfg_error(struct cfg_diags *d, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vadd(d, line, col, fmt, ap);
	va_end(ap);
}

void cfg_warning(struct cfg_diags *d, int line, int col, const char *fmt, ...)
{
	struct cfg_diag *item;
	va_list ap;

	va_start(ap, fmt);
	item = cfg_vadd(d, line, col, fmt, ap);
	va_end(ap);
	if (item) {
		item->warning = true;
		d->errors--;
	}
}

void cfg_file_error(struct cfg_diags *d, int line, int col, const char *file, uint32_t file_line,
		    uint32_t file_col, const char *msg)
{
	char *name = cfg_escape_dup(file), *text = cfg_escape_dup(msg);
	struct cfg_diag *item;

	if (!name || !text) {
		free(name);
		free(text);
		d->err = -ENOMEM;
		return;
	}
	item = cfg_add(d, line, col, text);
	if (!item) {
		free(name);
		return;
	}
	item->file = name;
	item->file_line = file_line;
	item->file_col = file_col;
}

const char *cfg_ctx_label(const struct cfg_ctx *ctx, char *buf, size_t size)
{
	if (!ctx->section)
		buf[0] = '\0';
	else if (ctx->name)
		snprintf(buf, size, "%s \"%s\"", ctx->section, ctx->name);
	else if (ctx->number)
		snprintf(buf, size, "%s #%zu", ctx->section, ctx->number);
	else
		snprintf(buf, size, "%s", ctx->section);
	return buf;
}

void cfg_ctx_error(struct cfg_diags *d, const struct cfg_ctx *ctx, int line, int col,
		   const char *fmt, ...)
{
	char label[CFG_CTX_MAX], *text;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		d->err = -ENOMEM;
		return;
	}
	cfg_ctx_label(ctx, label, sizeof(label));
	cfg_error(d, line, col, "%s%s%s", label, *label ? ": " : "", text);
	free(text);
}

int cfg_diags_add_unit(struct cfg_diags *d, const char *name, int base)
{
	struct cfg_unit *grown = realloc(d->units, (d->unit_count + 1) * sizeof(*grown));
	char *copy = grown ? strdup(name) : NULL, *shown = copy ? cfg_escape_dup(name) : NULL;

	if (grown)
		d->units = grown;
	if (!shown) {
		free(copy);
		d->err = -ENOMEM;
		return -ENOMEM;
	}
	d->units[d->unit_count++] = (struct cfg_unit){ .name = copy, .shown = shown, .base = base };
	return 0;
}

long cfg_unit_of(const struct cfg_diags *d, int line)
{
	size_t lo = 0, hi = d->unit_count;

	/* The last unit whose first line is at or before line. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->units[mid].base < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

int cfg_local_line(const struct cfg_diags *d, int line)
{
	long unit = d->unit_count ? cfg_unit_of(d, line) : -1;

	return unit < 0 ? line : line - d->units[unit].base;
}

const char *cfg_place_text(const struct cfg_diags *d, const char *config, int at, int line,
			   int col, char *buf, size_t size)
{
	long unit = d->unit_count ? cfg_unit_of(d, line) : -1;

	if (!d->unit_count || unit == cfg_unit_of(d, at))
		snprintf(buf, size, "line %d", cfg_local_line(d, line));
	else
		snprintf(buf, size, "%s:%d:%d", unit < 0 ? config : d->units[unit].name,
			 cfg_local_line(d, line), col);
	return buf;
}

static int cfg_diag_cmp(const void *a, const void *b)
{
	const struct cfg_diag *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* In file order, like a compiler, whatever order the checks found them in. */
void cfg_diags_print(struct cfg_diags *d, const char *name, FILE *out)
{
	char *shown;
	size_t i;

	if (!d->count)
		return;
	qsort(d->items, d->count, sizeof(*d->items), cfg_diag_cmp);
	if (!out)
		return;
	/* A file name is user text too: it must not break the FILE:LINE:COL: form. */
	shown = cfg_escape_dup(name);
	for (i = 0; i < d->count; i++) {
		const struct cfg_diag *item = &d->items[i];

		long unit = d->unit_count ? cfg_unit_of(d, item->line) : -1;

		if (item->file)
			fprintf(out, "%s:%u:%u: %s\n", item->file, item->file_line, item->file_col,
				item->msg);
		else
			fprintf(out, "%s:%d:%d: %s%s\n",
				unit >= 0 ? d->units[unit].shown : shown ? shown : "<config>",
				cfg_local_line(d, item->line), item->col,
				item->warning ? "warning: " : "", item->msg);
	}
	free(shown);
	fflush(out);
}

void cfg_diags_free(struct cfg_diags *d)
{
	size_t i;

	for (i = 0; i < d->count; i++) {
		free(d->items[i].msg);
		free(d->items[i].file);
	}
	free(d->items);
	d->items = NULL;
	for (i = 0; i < d->unit_count; i++) {
		free(d->units[i].name);
		free(d->units[i].shown);
	}
	free(d->units);
	d->units = NULL;
	d->unit_count = 0;
	d->count = 0;
	d->cap = 0;
	d->errors = 0;
}
