/* SPDX-License-Identifier: GPL-2.0 */
/* User text made safe to print: a config's names must not drive a terminal or forge lines. */
#ifndef FW_TEXT_H
#define FW_TEXT_H

#include <stddef.h>

/*
 * Writes in[0, len) to out as printable text: control bytes (below 0x20, and
 * 0x7f) become \n, \r, \t, \e or \xHH, UTF-8 C1 controls (U+0080 to
 * U+009F) become \u00HH, and a backslash becomes \\, so the result is one
 * line and reads back unambiguously. Other bytes 0x80 and up are kept
 * (UTF-8 names stay readable). Always NUL-terminates when size > 0,
 * cutting the text short if it does not fit; returns out.
 */
char *fw_escape(char *out, size_t size, const char *in, size_t len);

/* The room fw_escape() needs for len bytes of input, NUL included. */
#define FW_ESCAPED_SIZE(len) ((len) * 4 + 1)

#endif /* FW_TEXT_H */
