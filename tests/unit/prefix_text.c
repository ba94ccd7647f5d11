// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "prefix_text.h"

struct fw_prefix pfx(const char *text)
{
	struct fw_prefix p;

	if (fw_prefix_parse(text, strlen(text), &p) != FW_PREFIX_OK)
		fail_msg("bad prefix in the test: %s", text);
	return p;
}
