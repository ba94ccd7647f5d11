// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
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
		const char *piece = named;
		char hex[5], c1[7];
		size_t n, eaten = 1;

		if (!piece && (c < 0x20 || c == 0x7f)) {
			snprintf(hex, sizeof(hex), "\\x%02x", c);
			piece = hex;
		}
		/* U+0080-U+009F in UTF-8: C1 controls some terminals obey, like ESC [. */
		if (c == 0xc2 && i + 1 < len && ((unsigned char)in[i + 1] & 0xe0) == 0x80) {
			snprintf(c1, sizeof(c1), "\\u%04x", (unsigned char)in[i + 1]);
			piece = c1;
			eaten = 2;
		}
		n = piece ? strlen(piece) : 1;
		if (used + n >= size)
			break;
		if (piece) {
			for (size_t k = 0; k < n; k++)
				out[used++] = piece[k];
			i += eaten - 1;
		} else {
			out[used++] = (char)c;
		}
	}
	out[used] = '\0';
	return out;
}
