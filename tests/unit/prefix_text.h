/* SPDX-License-Identifier: GPL-2.0 */
/* Tests write addresses and prefixes as text. */
#ifndef TEST_PREFIX_TEXT_H
#define TEST_PREFIX_TEXT_H

#include "prefix.h"

/* The prefix text reads as; a test that writes a bad one fails. */
struct fw_prefix pfx(const char *text);

#endif
