// SPDX-License-Identifier: GPL-2.0
/* Config parsing: YAML events from libyaml or the fast lane, and the errors of reading. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "reader.h"

/* Line and column (1-based, counted in characters as libyaml does) of a byte offset. */
static void cfg_offset_position(const struct cfg_reader *r, size_t offset, int *line, int *col)
{
	size_t i;

	*line = 1 + r->line_base;
	*col = 1;
	for (i = 0; i < offset && i < r->len; i++) {
		unsigned char c = (unsigned char)r->text[i];

		if (c == '\n') {
			(*line)++;
			*col = 1;
		} else if ((c & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

static size_t cfg_utf8_sequence_len(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	uint32_t cp, min;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		n = 2, cp = c & 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		n = 3, cp = c & 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		n = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void cfg_check_utf8(struct cfg_reader *r)
{
	const unsigned char *s = (const unsigned char *)r->text;
	size_t i = 0;

	while ((i = cfg_skip_ascii(s, i, r->len)) < r->len) {
		size_t n = cfg_utf8_sequence_len(s + i, r->len - i);
		int line, col;

		if (n) {
			i += n;
			continue;
		}
		cfg_offset_position(r, i, &line, &col);
		cfg_error(r->diags, line, col,
			  "not valid UTF-8 (byte 0x%02x at offset %zu); save the file as UTF-8", s[i],
			  i);
		r->stopped = true;
		return;
	}
}

static void cfg_report_yaml_error(struct cfg_reader *r)
{
	const yaml_parser_t *y = &r->yaml;
	int line, col;

	switch (y->error) {
	case YAML_MEMORY_ERROR:
		r->diags->err = -ENOMEM;
		return;
	case YAML_READER_ERROR:
		cfg_offset_position(r, y->problem_offset, &line, &col);
		cfg_error(r->diags, line, col, "unreadable YAML: %s; the file must be UTF-8 text",
			  y->problem ? y->problem : "unknown problem");
		return;
	default:
		break;
	}
	line = (int)y->problem_mark.line + 1 + r->line_base;
	col = (int)y->problem_mark.column + 1;
	if (y->context)
		cfg_error(r->diags, line, col,
			  "YAML syntax error: %s (%s at line %d); check the indentation and quoting",
			  y->problem ? y->problem : "unknown problem", y->context,
			  (int)y->context_mark.line + 1);
	else
		cfg_error(r->diags, line, col,
			  "YAML syntax error: %s; check the indentation and quoting",
			  y->problem ? y->problem : "unknown problem");
}

int cfg_reader_start(struct cfg_reader *r, const char *text, size_t len, bool fast,
		     struct cfg_diags *diags, int line_base)
{
	memset(r, 0, sizeof(*r));
	r->line_base = line_base;
	r->text = text;
	r->len = len;
	r->fast = fast;
	r->diags = diags;
	if (fast) {
		cfg_fast_start(&r->lane, text, len);
		r->lane.line = (size_t)line_base; /* its marks count from there, at no cost per event */
		return 0;
	}
	if (!yaml_parser_initialize(&r->yaml))
		return -ENOMEM;
	yaml_parser_set_encoding(&r->yaml, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&r->yaml, (const unsigned char *)text, len);
	cfg_check_utf8(r); /* the fast lane takes only ASCII */
	return 0;
}

void cfg_reader_end(struct cfg_reader *r)
{
	if (!r->fast)
		yaml_parser_delete(&r->yaml);
}

/*
 * libyaml's next event, its line moved past line_base; false after an error.
 * Not inlined: the fast lane's path through cfg_next_event() stays as short.
 */
static __attribute__((noinline)) bool cfg_yaml_next(struct cfg_reader *r, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&r->yaml, ev))
		return false;
	ev->start_mark.line += (size_t)r->line_base;
	return true;
}

int cfg_next_event(struct cfg_reader *r, yaml_event_t *ev)
{
	if (r->stopped || r->diags->err)
		return -1;
	if (r->fast) {
		if (!cfg_fast_next(&r->lane, ev))
			return 0;
		r->stopped = true; /* unwinds like a syntax error, then libyaml starts over */
		return -1;
	}
	if (cfg_yaml_next(r, ev))
		return 0;
	cfg_report_yaml_error(r);
	r->stopped = true;
	return -1;
}

void cfg_event_delete(const struct cfg_reader *r, yaml_event_t *ev)
{
	if (!r->fast)
		yaml_event_delete(ev);
}
