// SPDX-License-Identifier: GPL-2.0
/* fw_escape(): user text printed as one safe line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "text.h"

static void expect_escaped(const char *in, size_t len, const char *want)
{
	char out[FW_ESCAPED_SIZE(64)];

	assert_string_equal(fw_escape(out, sizeof(out), in, len), want);
}

static void test_plain_text_is_kept(void **state)
{
	(void)state;
	expect_escaped("ssh-office", 10, "ssh-office");
	expect_escaped("caf\xc3\xa9", 5, "caf\xc3\xa9"); /* UTF-8 letters stay readable */
}

static void test_control_bytes_are_escaped(void **state)
{
	(void)state;
	expect_escaped("a\nt.yaml:9:9: forged", 20, "a\\nt.yaml:9:9: forged");
	expect_escaped("\r\t\x1b[31m", 7, "\\r\\t\\e[31m");
	expect_escaped("\x01\x7f", 2, "\\x01\\x7f");
	expect_escaped("a\0b", 3, "a\\x00b");
	expect_escaped("back\\slash", 10, "back\\\\slash");
}

static void test_c1_controls_are_escaped(void **state)
{
	(void)state;
	expect_escaped("x\xc2\x9b" "2J", 5, "x\\u009b2J"); /* CSI */
	expect_escaped("\xc2\xa0", 2, "\xc2\xa0");        /* U+00A0 is not a control */
	expect_escaped("\xc2", 1, "\xc2");                /* a lone lead byte at the end */
}

static void test_output_is_cut_whole(void **state)
{
	char out[5];

	(void)state;
	/* "abc\\n" needs 5 bytes + NUL: the escape is never split. */
	assert_string_equal(fw_escape(out, sizeof(out), "abc\n", 4), "abc");
	assert_string_equal(fw_escape(out, 1, "abc", 3), "");
	assert_ptr_equal(fw_escape(out, 0, "abc", 3), out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_is_kept),
		cmocka_unit_test(test_control_bytes_are_escaped),
		cmocka_unit_test(test_c1_controls_are_escaped),
		cmocka_unit_test(test_output_is_cut_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
