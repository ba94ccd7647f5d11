// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "prom_text.h"

static bool fw_prom_room(struct fw_prom_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *data;

	if (b->err)
		return false;
	if (b->len + more <= b->cap)
		return true;
	while (cap < b->len + more)
		cap *= 2;
	data = realloc(b->data, cap);
	if (!data) {
		b->err = -ENOMEM;
		return false;
	}
	b->data = data;
	b->cap = cap;
	return true;
}

void fw_prom_put(struct fw_prom_buf *b, const char *s, size_t len)
{
	if (!len || !fw_prom_room(b, len))
		return;
	memcpy(b->data + b->len, s, len);
	b->len += len;
}

void fw_prom_str(struct fw_prom_buf *b, const char *s)
{
	fw_prom_put(b, s, strlen(s));
}

/* A hundred thousand rules make two hundred thousand samples: no printf for each. */
void fw_prom_u64(struct fw_prom_buf *b, uint64_t v)
{
	char digits[20];
	size_t n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fw_prom_put(b, digits + n, sizeof(digits) - n);
}

static bool fw_utf8_tail(const unsigned char *s, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return false;
	return true;
}

/* The length of the valid UTF-8 sequence at s (of left bytes), or 0 (RFC 3629, table 3-7). */
static size_t fw_utf8_len(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n || !fw_utf8_tail(s, n))
		return 0;
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

/* Plain ASCII, written as it is: what every rule name is. */
static bool fw_prom_plain(unsigned char c)
{
	return c < 0x80 && c != '\\' && c != '"' && c != '\n';
}

void fw_prom_label_value(struct fw_prom_buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t plain = i, n;

		while (plain < len && fw_prom_plain(u[plain]))
			plain++;
		fw_prom_put(b, s + i, plain - i);
		if ((i = plain) == len)
			break;
		n = fw_utf8_len(u + i, len - i);
		if (!n)
			fw_prom_put(b, "\xef\xbf\xbd", 3);
		else if (u[i] == '\\')
			fw_prom_put(b, "\\\\", 2);
		else if (u[i] == '"')
			fw_prom_put(b, "\\\"", 2);
		else if (u[i] == '\n')
			fw_prom_put(b, "\\n", 2);
		else
			fw_prom_put(b, s + i, n);
		i += n ? n : 1;
	}
}

void fw_prom_family(struct fw_prom_buf *b, const char *name, const char *type,
		    const char *help)
{
	fw_prom_str(b, "# HELP ");
	fw_prom_str(b, name);
	fw_prom_put(b, " ", 1);
	fw_prom_str(b, help);
	fw_prom_str(b, "\n# TYPE ");
	fw_prom_str(b, name);
	fw_prom_put(b, " ", 1);
	fw_prom_str(b, type);
	fw_prom_put(b, "\n", 1);
}

void fw_prom_sample(struct fw_prom_buf *b, const char *name, const char *label,
		    const char *value, size_t len, uint64_t v)
{
	fw_prom_str(b, name);
	if (label) {
		fw_prom_put(b, "{", 1);
		fw_prom_str(b, label);
		fw_prom_put(b, "=\"", 2);
		fw_prom_label_value(b, value, len);
		fw_prom_put(b, "\"}", 2);
	}
	fw_prom_put(b, " ", 1);
	fw_prom_u64(b, v);
	fw_prom_put(b, "\n", 1);
}

void fw_prom_reset(struct fw_prom_buf *b)
{
	b->len = 0;
}

void fw_prom_free(struct fw_prom_buf *b)
{
	free(b->data);
	*b = (struct fw_prom_buf){ 0 };
}
