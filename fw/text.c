// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "text.h"

/* The escape for byte c, or NULL when it prints as itself. */
static const char *fw_escape_named(unsigned char c)
{
	switch (c) {
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case 0x1b:
		return "\\e";
	case '\\':
		return "\\\\";
	}
	return NULL;
}

char *fw_escape(char *out, size_t size, const char *in, size_t len)
{
	size_t used = 0;

	if (!size)
		return out;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		const char *named = fw_escape_named(c);
		char hex[5];
		const char *piece = named;
		size_t n;

		if (!piece && (c < 0x20 || c == 0x7f)) {
			snprintf(hex, sizeof(hex), "\\x%02x", c);
			piece = hex;
		}
		n = piece ? (piece[1] == 'x' ? 4 : 2) : 1;
		if (used + n >= size)
			break;
		if (piece) {
			for (size_t k = 0; k < n; k++)
				out[used++] = piece[k];
		} else {
			out[used++] = (char)c;
		}
	}
	out[used] = '\0';
	return out;
}
