// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "shown.h"

char *shown_by(fw_show_fn *show, const struct fw_datapath *dp, bool json, size_t *len)
{
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, len ? len : &size);

	assert_non_null(out);
	assert_int_equal(show(out, dp, json), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}
