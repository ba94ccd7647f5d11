// SPDX-License-Identifier: GPL-2.0
/*
 * The list-file reader (fw/sets.c) on arbitrary bytes: no crash, leak or
 * undefined behaviour, and an outcome that accounts for every line. Each
 * element is a valid prefix that its own text, found again at its
 * LINE:COL, parses to; each problem is one printable line inside the text;
 * at most FW_SET_ERRORS_SHOWN are shown, then one counting the rest; and
 * while all are shown, every line holds an element, a problem, or nothing
 * but blanks and a comment.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "config_check.h"
#include "sets.h"

/* What the reader reported, in order. */
struct seen {
	size_t lines;       /* of the text */
	uint8_t *problem;   /* per line: a problem was reported there */
	size_t reports;
	uint32_t last_line; /* reports come in line order */
};

static void on_problem(void *ctx, uint32_t line, uint32_t col, const char *msg)
{
	struct seen *s = ctx;
	size_t len = strlen(msg);

	if (!line || line > s->lines || !col)
		fuzz_fail("problem at %u:%u, outside the %zu lines", line, col, s->lines);
	if (line < s->last_line)
		fuzz_fail("problem at line %u reported after line %u", line, s->last_line);
	if (!len || len > FW_PREFIX_PROBLEM_MAX + 96)
		fuzz_fail("problem message of %zu bytes", len);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)msg[i] < 0x20 || (unsigned char)msg[i] >= 0x7f)
			fuzz_fail("problem message holds byte 0x%02x: %s", (unsigned char)msg[i], msg);
	s->last_line = line;
	s->problem[line - 1] = 1;
	s->reports++;
}

/* The start of each line; lines[n] is one past the text. */
static size_t *line_starts(const char *text, size_t len, size_t *count)
{
	size_t n = 1, *starts;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	starts = malloc((n + 1) * sizeof(*starts));
	if (!starts)
		fuzz_fail("out of memory");
	starts[0] = 0;
	for (size_t i = 0, k = 1; i < len; i++)
		if (text[i] == '\n')
			starts[k++] = i + 1;
	starts[n] = len + 1;
	*count = n;
	return starts;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Only blanks, then maybe a comment: what a line without element or problem must be. */
static bool empty_line(const char *p, const char *end)
{
	while (p < end && blank(*p))
		p++;
	return p == end || *p == '#' || *p == ';';
}

static void check_element(const char *text, const size_t *starts, const struct seen *s,
			  const struct fw_set_element *e)
{
	const char *line, *end, *word, *stop;
	struct fw_prefix again, masked = e->prefix;

	if (!e->line || e->line > s->lines || !e->col)
		fuzz_fail("element at %u:%u, outside the %zu lines", e->line, e->col, s->lines);
	fw_prefix_mask(masked.addr, masked.len);
	if (!e->prefix.len || memcmp(masked.addr, e->prefix.addr, sizeof(masked.addr)) ||
	    (fw_prefix_is_v4(&e->prefix) && e->prefix.len == 96))
		fuzz_fail("element at line %u is not a valid prefix", e->line);
	line = text + starts[e->line - 1];
	end = text + starts[e->line] - 1;
	if (e->line == 1 && end - line >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
		line += 3;
	word = line + e->col - 1;
	if (word >= end)
		fuzz_fail("element at %u:%u is past its line's end", e->line, e->col);
	for (stop = word; stop < end && !blank(*stop) && *stop != '#' && *stop != ';'; stop++)
		;
	if (fw_prefix_parse(word, (size_t)(stop - word), &again) != FW_PREFIX_OK ||
	    memcmp(&again, &e->prefix, sizeof(again)))
		fuzz_fail("element at %u:%u is not what its text \"%.*s\" reads as", e->line, e->col,
			  (int)(stop - word), word);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct fw_set set = { 0 };
	struct seen s = { 0 };
	size_t *starts = line_starts(text, size, &s.lines);
	uint8_t *element_on;
	long ret;

	s.problem = calloc(s.lines, 1);
	element_on = calloc(s.lines, 1);
	if (!s.problem || !element_on)
		fuzz_fail("out of memory");
	ret = fw_set_parse(text, size, &set, on_problem, &s);
	if (ret == -ENOMEM)
		goto out;
	if (ret < 0)
		fuzz_fail("fw_set_parse returned %ld", ret);
	if (s.reports != (ret > FW_SET_ERRORS_SHOWN ? FW_SET_ERRORS_SHOWN + 1 : (size_t)ret))
		fuzz_fail("%ld problems, %zu reported", ret, s.reports);
	if (set.count != set.v4 + set.v6)
		fuzz_fail("%zu elements, %zu IPv4, %zu IPv6", set.count, set.v4, set.v6);
	for (size_t i = 0; i < set.count; i++) {
		check_element(text, starts, &s, &set.elements[i]);
		if (i && set.elements[i].line <= set.elements[i - 1].line)
			fuzz_fail("two elements on line %u, or out of order", set.elements[i].line);
		if (s.problem[set.elements[i].line - 1])
			fuzz_fail("line %u has both an element and a problem", set.elements[i].line);
		element_on[set.elements[i].line - 1] = 1;
	}
	for (size_t l = 0; ret <= FW_SET_ERRORS_SHOWN && l < s.lines; l++) {
		const char *line = text + starts[l], *end = text + starts[l + 1] - 1;

		if (!l && end - line >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
			line += 3;
		if (!element_on[l] && !s.problem[l] && !empty_line(line, end))
			fuzz_fail("line %zu is neither an element, a problem nor empty: %.*s", l + 1,
				  (int)(end - line), line);
	}
out:
	free(set.elements);
	free(s.problem);
	free(element_on);
	free(starts);
	return 0;
}
