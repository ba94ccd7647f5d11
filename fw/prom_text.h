/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus text exposition format (version 0.0.4), written into a
 * buffer that grows: family headers, samples with one label at most, and
 * label values escaped so any name reads back as written.
 */
#ifndef FW_PROM_TEXT_H
#define FW_PROM_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define FW_PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct fw_prom_buf {
	char *data;
	size_t len;
	size_t cap;
	int err; /* -ENOMEM once something did not fit; what follows is not written */
};

void fw_prom_put(struct fw_prom_buf *b, const char *s, size_t len);
void fw_prom_str(struct fw_prom_buf *b, const char *s);
/* A string literal, its length known when compiled: a sample of every rule writes several. */
#define FW_PROM_LIT(b, lit) fw_prom_put((b), "" lit, sizeof(lit) - 1)
void fw_prom_u64(struct fw_prom_buf *b, uint64_t v);
/*
 * A label value as the format wants it: backslash, double quote and line
 * feed escaped, and a byte that is not part of valid UTF-8 (which would
 * fail the whole scrape) written as U+FFFD.
 */
void fw_prom_label_value(struct fw_prom_buf *b, const char *s, size_t len);
/* The # HELP and # TYPE lines of a family; help holds no backslash or newline. */
void fw_prom_family(struct fw_prom_buf *b, const char *name, const char *type,
		    const char *help);
/* name{label="value"} v: label NULL for none; value is len bytes. */
void fw_prom_sample(struct fw_prom_buf *b, const char *name, const char *label,
		    const char *value, size_t len, uint64_t v);
/* Empties b, keeping its memory. */
void fw_prom_reset(struct fw_prom_buf *b);
void fw_prom_free(struct fw_prom_buf *b);

#endif /* FW_PROM_TEXT_H */
