/* SPDX-License-Identifier: GPL-2.0 */
/* What a table or JSON printer of the maps (fw/show.h) prints, captured. */
#ifndef TEST_SHOWN_H
#define TEST_SHOWN_H

#include <stdbool.h>
#include <stdio.h>
#include "datapath.h"

typedef int fw_show_fn(FILE *out, const struct fw_datapath *dp, bool json);

/* What show() printed for dp, NUL-terminated; len may be NULL; the caller frees it. */
char *shown_by(fw_show_fn *show, const struct fw_datapath *dp, bool json, size_t *len);

#endif /* TEST_SHOWN_H */
