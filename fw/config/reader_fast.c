// SPDX-License-Identifier: GPL-2.0
/*
 * Config parsing, the fast lane: a reader for the plain subset of YAML that
 * generated configs use (ASCII, LF, block mappings and lists, one-word plain
 * scalars, values quoted on one line without escapes, such as "@set",
 * comments), producing the very events libyaml would. libyaml alone
 * needs about 0.9 s just to emit the events of a 1M-rule file; this reads it
 * in a fraction of that. On anything outside the subset it gives up, and
 * libyaml reads the whole file again, so every error still comes from
 * libyaml. test_config checks that both readers agree.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "reader_fast.h"

/* Far below libyaml's limit of 1024 characters for a key. */
#define CFG_FAST_KEY_MAX 128

/* A scalar on a line: where its text is, and its quote. */
struct cfg_fast_item {
	size_t value;
	size_t len;
	char quote;
};

/* One line of the lane's subset: "KEY: VALUE", "- KEY: VALUE", or either without a value. */
struct cfg_fast_line {
	size_t start;     /* offset of the line's first byte */
	size_t next;      /* offset of the next line */
	size_t indent;    /* leading spaces */
	bool dash;        /* a list item starts with this key */
	size_t key;
	size_t key_len;
	size_t value;
	size_t value_len; /* 0: no value on this line */
	char quote;       /* the value's quote, '"' or '\'', or 0: plain */
	bool flow;        /* the value is a flow list: "[" at flow_open, "]" at flow_close */
	size_t flow_open;
	size_t flow_close;
	size_t items;
	struct cfg_fast_item item[CFG_FAST_FLOW_MAX];
};

enum cfg_fast_lex {
	CFG_LEX_END,   /* no more lines */
	CFG_LEX_SKIP,  /* blank, or only a comment */
	CFG_LEX_ENTRY, /* a key, maybe with a value */
	CFG_LEX_OTHER, /* anything else: the lane gives up */
};

enum cfg_fast_char {
	CFG_CHAR_KEY_START = 1,
	CFG_CHAR_KEY = 2,
	CFG_CHAR_VALUE_START = 4,
	CFG_CHAR_VALUE = 8,
};

static bool cfg_fast_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* None of the value starts can begin a YAML indicator, so libyaml reads a plain scalar. */
static void cfg_fast_init_chars(unsigned char *chars)
{
	int c;

	for (c = 0; c < 256; c++) {
		bool key_start = cfg_fast_alnum(c) || c == '_';
		bool key = key_start || c == '.' || c == '-';

		chars[c] = (unsigned char)((key_start ? CFG_CHAR_KEY_START : 0) |
					   (key ? CFG_CHAR_KEY : 0));
		if (key_start || c == '.' || c == '/' || c == '+')
			chars[c] |= CFG_CHAR_VALUE_START;
		/* After the first character, * and ? are text to YAML: include's globs. */
		if (key || c == ':' || c == '/' || c == '+' || c == '*' || c == '?')
			chars[c] |= CFG_CHAR_VALUE;
	}
}

static bool cfg_fast_is(const struct cfg_fast *f, char c, enum cfg_fast_char what)
{
	return f->chars[(unsigned char)c] & what;
}

static size_t cfg_fast_skip_spaces(const struct cfg_fast *f, size_t i)
{
	while (i < f->len && f->text[i] == ' ')
		i++;
	return i;
}

static bool cfg_fast_at_line_end(const struct cfg_fast *f, size_t i)
{
	return i == f->len || f->text[i] == '\n';
}

/*
 * The line ends at i, or after a comment starting at i: a comment of printable
 * ASCII, which libyaml skips whatever it says.
 */
static enum cfg_fast_lex cfg_fast_line_end(const struct cfg_fast *f, size_t i,
					   struct cfg_fast_line *l, enum cfg_fast_lex kind)
{
	if (i < f->len && f->text[i] == '#')
		for (; i < f->len && f->text[i] != '\n'; i++)
			if (f->text[i] < 0x20 || f->text[i] > 0x7e)
				return CFG_LEX_OTHER;
	if (!cfg_fast_at_line_end(f, i))
		return CFG_LEX_OTHER;
	l->next = i < f->len ? i + 1 : i;
	return kind;
}

/*
 * A scalar quoted on its line, printable ASCII and no escape: libyaml takes
 * its text as it is. The offset past its closing quote, or 0 when the lane
 * cannot read it; an empty one would read as no value here: libyaml's.
 */
static size_t cfg_fast_quoted(const struct cfg_fast *f, size_t i, struct cfg_fast_item *it)
{
	const char *t = f->text;
	char quote = t[i];

	it->quote = quote;
	it->value = ++i;
	while (i < f->len && t[i] != quote && t[i] >= 0x20 && t[i] <= 0x7e &&
	       !(quote == '"' && t[i] == '\\'))
		i++;
	if (i == f->len || t[i] != quote || i == it->value)
		return 0;
	it->len = i - it->value;
	return i + 1;
}

/* A value quoted on its line, as cfg_fast_quoted() reads it, and nothing glued on. */
static enum cfg_fast_lex cfg_fast_lex_quoted(const struct cfg_fast *f, size_t i,
					     struct cfg_fast_line *l)
{
	struct cfg_fast_item it;

	i = cfg_fast_quoted(f, i, &it);
	if (!i)
		return CFG_LEX_OTHER;
	l->quote = it.quote;
	l->value = it.value;
	l->value_len = it.len;
	/* '' inside single quotes is a quote; anything else glued on is not YAML we read. */
	if (!cfg_fast_at_line_end(f, i) && f->text[i] != ' ')
		return CFG_LEX_OTHER;
	return cfg_fast_line_end(f, cfg_fast_skip_spaces(f, i), l, CFG_LEX_ENTRY);
}

/* A plain item: no ':' (YAML versions read "a:b" in a flow differently), so no flow indicator. */
static size_t cfg_fast_flow_plain(const struct cfg_fast *f, size_t i, struct cfg_fast_item *it)
{
	if (!cfg_fast_is(f, f->text[i], CFG_CHAR_VALUE_START))
		return 0;
	it->quote = 0;
	it->value = i;
	while (i < f->len && f->text[i] != ':' && cfg_fast_is(f, f->text[i], CFG_CHAR_VALUE))
		i++;
	it->len = i - it->value;
	return i;
}

/*
 * "[a, 'b', \"c\"]" on one line, at most CFG_FAST_FLOW_MAX items, each as a
 * value would be; "[]" too. Anything else (a trailing comma, a nested list,
 * a multi-word item) is libyaml's.
 */
static enum cfg_fast_lex cfg_fast_lex_flow(const struct cfg_fast *f, size_t i,
					   struct cfg_fast_line *l)
{
	const char *t = f->text;

	l->flow = true;
	l->flow_open = i;
	l->items = 0;
	i = cfg_fast_skip_spaces(f, i + 1);
	while (i < f->len && t[i] != ']') {
		struct cfg_fast_item *it = &l->item[l->items];

		if (l->items == CFG_FAST_FLOW_MAX)
			return CFG_LEX_OTHER;
		i = t[i] == '"' || t[i] == '\'' ? cfg_fast_quoted(f, i, it)
						: cfg_fast_flow_plain(f, i, it);
		if (!i)
			return CFG_LEX_OTHER;
		l->items++;
		i = cfg_fast_skip_spaces(f, i);
		if (i < f->len && t[i] == ',') {
			i = cfg_fast_skip_spaces(f, i + 1);
			if (i < f->len && t[i] == ']')
				return CFG_LEX_OTHER;
		} else if (i == f->len || t[i] != ']') {
			return CFG_LEX_OTHER;
		}
	}
	if (i == f->len)
		return CFG_LEX_OTHER;
	l->flow_close = i++;
	if (!cfg_fast_at_line_end(f, i) && t[i] != ' ')
		return CFG_LEX_OTHER;
	return cfg_fast_line_end(f, cfg_fast_skip_spaces(f, i), l, CFG_LEX_ENTRY);
}

/* After the key's colon: nothing, a one-word value, and maybe a comment after a blank. */
static enum cfg_fast_lex cfg_fast_lex_value(const struct cfg_fast *f, size_t i,
					    struct cfg_fast_line *l)
{
	const char *t = f->text;

	l->value_len = 0;
	l->quote = 0;
	l->flow = false;
	if (cfg_fast_at_line_end(f, i))
		return cfg_fast_line_end(f, i, l, CFG_LEX_ENTRY);
	if (t[i] != ' ')
		return CFG_LEX_OTHER;
	i = cfg_fast_skip_spaces(f, i);
	if (cfg_fast_at_line_end(f, i) || t[i] == '#')
		return cfg_fast_line_end(f, i, l, CFG_LEX_ENTRY);
	if (t[i] == '"' || t[i] == '\'')
		return cfg_fast_lex_quoted(f, i, l);
	if (t[i] == '[')
		return cfg_fast_lex_flow(f, i, l);
	if (!cfg_fast_is(f, t[i], CFG_CHAR_VALUE_START))
		return CFG_LEX_OTHER;
	l->value = i;
	while (i < f->len && cfg_fast_is(f, t[i], CFG_CHAR_VALUE))
		i++;
	l->value_len = i - l->value;
	/* "a:" before a blank would be a key; a second word would join the value. */
	if (t[i - 1] == ':' || (!cfg_fast_at_line_end(f, i) && t[i] != ' '))
		return CFG_LEX_OTHER;
	return cfg_fast_line_end(f, cfg_fast_skip_spaces(f, i), l, CFG_LEX_ENTRY);
}

static enum cfg_fast_lex cfg_fast_lex(const struct cfg_fast *f, struct cfg_fast_line *l)
{
	const char *t = f->text;
	size_t i = f->pos;

	if (i >= f->len)
		return CFG_LEX_END;
	l->start = i;
	i = cfg_fast_skip_spaces(f, i);
	l->indent = i - l->start;
	if (cfg_fast_at_line_end(f, i) || t[i] == '#')
		return cfg_fast_line_end(f, i, l, CFG_LEX_SKIP);
	l->dash = t[i] == '-';
	if (l->dash) {
		if (i + 1 == f->len || t[i + 1] != ' ')
			return CFG_LEX_OTHER;
		i += 2;
	}
	if (i == f->len || !cfg_fast_is(f, t[i], CFG_CHAR_KEY_START))
		return CFG_LEX_OTHER;
	l->key = i;
	while (i < f->len && cfg_fast_is(f, t[i], CFG_CHAR_KEY))
		i++;
	l->key_len = i - l->key;
	if (l->key_len > CFG_FAST_KEY_MAX || i == f->len || t[i] != ':')
		return CFG_LEX_OTHER;
	return cfg_fast_lex_value(f, i + 1, l);
}

static struct cfg_fast_event *cfg_fast_push(struct cfg_fast *f, yaml_event_type_t type,
					    size_t line, size_t col)
{
	struct cfg_fast_event *ev = &f->queue[f->head + f->count++];

	ev->type = type;
	ev->line = line;
	ev->col = col;
	ev->flow = false;
	return ev;
}

/* A scalar at off, len bytes; a quoted one starts at its quote. */
static void cfg_fast_push_scalar(struct cfg_fast *f, const struct cfg_fast_line *l,
				 size_t off, size_t len, char quote)
{
	struct cfg_fast_event *ev =
		cfg_fast_push(f, YAML_SCALAR_EVENT, f->line, off - l->start - (quote != 0));

	ev->value = off;
	ev->len = len;
	ev->quote = quote;
}

static void cfg_fast_push_flow(struct cfg_fast *f, const struct cfg_fast_line *l)
{
	cfg_fast_push(f, YAML_SEQUENCE_START_EVENT, f->line, l->flow_open - l->start)->flow = true;
	for (size_t i = 0; i < l->items; i++)
		cfg_fast_push_scalar(f, l, l->item[i].value, l->item[i].len, l->item[i].quote);
	cfg_fast_push(f, YAML_SEQUENCE_END_EVENT, f->line, l->flow_close - l->start);
}

/* A block list or mapping whose dashes or keys sit at column indent of this line. */
static bool cfg_fast_open(struct cfg_fast *f, bool sequence, size_t indent)
{
	if (f->depth == CFG_FAST_DEPTH)
		return false;
	f->levels[f->depth].sequence = sequence;
	f->levels[f->depth++].indent = indent;
	cfg_fast_push(f, sequence ? YAML_SEQUENCE_START_EVENT : YAML_MAPPING_START_EVENT, f->line,
		      indent);
	return true;
}

/* Ends the collections indented deeper than a line at indent. */
static void cfg_fast_close_deeper(struct cfg_fast *f, size_t indent)
{
	while (f->depth && f->levels[f->depth - 1].indent > indent) {
		f->depth--;
		cfg_fast_push(f, f->levels[f->depth].sequence ? YAML_SEQUENCE_END_EVENT
							      : YAML_MAPPING_END_EVENT,
			      f->line, indent);
	}
}

/* Finds or opens the collection l belongs to; false when it has none in the subset. */
static bool cfg_fast_place(struct cfg_fast *f, const struct cfg_fast_line *l)
{
	if (!f->depth) {
		/* The first entry starts the document: a mapping at column 0. */
		if (l->indent || l->dash)
			return false;
		cfg_fast_push(f, YAML_STREAM_START_EVENT, f->line, 0);
		cfg_fast_push(f, YAML_DOCUMENT_START_EVENT, f->line, 0);
		return cfg_fast_open(f, false, 0);
	}
	if (f->value_due) {
		/* Not indented deeper, the key's value would be empty. */
		f->value_due = false;
		return l->indent > f->levels[f->depth - 1].indent &&
		       cfg_fast_open(f, l->dash, l->indent);
	}
	cfg_fast_close_deeper(f, l->indent);
	return f->levels[f->depth - 1].indent == l->indent;
}

static bool cfg_fast_entry(struct cfg_fast *f, const struct cfg_fast_line *l)
{
	if (!cfg_fast_place(f, l) || f->levels[f->depth - 1].sequence != l->dash)
		return false;
	if (l->dash && !cfg_fast_open(f, false, l->key - l->start))
		return false;
	cfg_fast_push_scalar(f, l, l->key, l->key_len, 0);
	if (l->flow)
		cfg_fast_push_flow(f, l);
	else if (l->value_len)
		cfg_fast_push_scalar(f, l, l->value, l->value_len, l->quote);
	else if (f->depth == 1 || (f->depth == 2 && !f->levels[1].sequence) ||
		 (f->depth == 3 && f->levels[1].sequence))
		/* A section, a set's mapping, or a mapping in a list item (a rule's limit:). */
		f->value_due = true;
	else
		return false;
	return true;
}

static bool cfg_fast_end(struct cfg_fast *f)
{
	/* An empty stream, or a last key without a value: libyaml's to read. */
	if (!f->depth || f->value_due)
		return false;
	cfg_fast_close_deeper(f, 0);
	f->depth--;
	cfg_fast_push(f, YAML_MAPPING_END_EVENT, f->line, 0);
	cfg_fast_push(f, YAML_DOCUMENT_END_EVENT, f->line, 0);
	cfg_fast_push(f, YAML_STREAM_END_EVENT, f->line, 0);
	f->ended = true;
	return true;
}

/* Events for the next line; false when the lane gives up. */
static bool cfg_fast_line(struct cfg_fast *f)
{
	struct cfg_fast_line l;

	switch (cfg_fast_lex(f, &l)) {
	case CFG_LEX_END:
		return cfg_fast_end(f);
	case CFG_LEX_SKIP:
		break;
	case CFG_LEX_ENTRY:
		if (!cfg_fast_entry(f, &l))
			return false;
		break;
	default:
		return false;
	}
	f->pos = l.next;
	f->line++;
	return true;
}

/* Reads lines until there are events to hand out; false when the lane gives up. */
static bool cfg_fast_fill(struct cfg_fast *f)
{
	f->head = 0;
	while (!f->count)
		if (f->ended || !cfg_fast_line(f))
			return false;
	return true;
}

/* The event as libyaml makes it; a scalar's value points into the text and is not owned. */
static void cfg_fast_event(const struct cfg_fast *f, const struct cfg_fast_event *e,
			   yaml_event_t *ev)
{
	const yaml_mark_t mark = { .line = e->line, .column = e->col };

	ev->type = e->type;
	ev->start_mark = mark;
	ev->end_mark = mark;
	memset(&ev->data, 0, sizeof(ev->data));
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		ev->data.scalar.value = (yaml_char_t *)(f->text + e->value);
		ev->data.scalar.length = e->len;
		ev->data.scalar.plain_implicit = !e->quote;
		ev->data.scalar.quoted_implicit = e->quote != 0;
		ev->data.scalar.style = e->quote == '"'	   ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
					: e->quote == '\'' ? YAML_SINGLE_QUOTED_SCALAR_STYLE
							   : YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_START_EVENT:
		ev->data.sequence_start.implicit = 1;
		ev->data.sequence_start.style = e->flow ? YAML_FLOW_SEQUENCE_STYLE
							: YAML_BLOCK_SEQUENCE_STYLE;
		break;
	case YAML_MAPPING_START_EVENT:
		ev->data.mapping_start.implicit = 1;
		ev->data.mapping_start.style = YAML_BLOCK_MAPPING_STYLE;
		break;
	default:
		break;
	}
}

int cfg_fast_next(struct cfg_fast *f, yaml_event_t *ev)
{
	if (!f->count && !cfg_fast_fill(f)) {
		f->gave_up = true;
		return -1;
	}
	cfg_fast_event(f, &f->queue[f->head++], ev);
	f->count--;
	return 0;
}

void cfg_fast_start(struct cfg_fast *f, const char *text, size_t len)
{
	memset(f, 0, sizeof(*f));
	f->text = text;
	f->len = len;
	cfg_fast_init_chars(f->chars);
}

size_t cfg_skip_ascii(const unsigned char *s, size_t i, size_t len)
{
	const uint64_t high_bits = 0x8080808080808080ull;
	uint64_t word;

	for (; i + sizeof(word) <= len; i += sizeof(word)) {
		memcpy(&word, s + i, sizeof(word));
		if (word & high_bits)
			break;
	}
	while (i < len && s[i] < 0x80)
		i++;
	return i;
}

bool cfg_fast_lane_fits(const char *text, size_t len)
{
	return cfg_skip_ascii((const unsigned char *)text, 0, len) == len;
}
