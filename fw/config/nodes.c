// SPDX-License-Identifier: GPL-2.0
/* Config parsing, part 1: libyaml events -> small node trees, and the diagnostics list. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "section.h"

/* The schema needs 3 levels; deeper input is rejected before it can exhaust the stack. */
#define CFG_MAX_DEPTH 16

void cfg_error(struct cfg_parser *p, int line, int col, const char *fmt, ...)
{
	struct cfg_diag *d;
	va_list ap;
	char *msg;
	int n;

	if (p->ndiags == p->diags_cap) {
		size_t cap = p->diags_cap ? p->diags_cap * 2 : 16;
		struct cfg_diag *grown = realloc(p->diags, cap * sizeof(*grown));

		if (!grown) {
			p->err = -ENOMEM;
			return;
		}
		p->diags = grown;
		p->diags_cap = cap;
	}
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		p->err = -ENOMEM;
		return;
	}
	d = &p->diags[p->ndiags];
	d->line = line;
	d->col = col;
	d->seq = p->ndiags++;
	d->msg = msg;
}

void cfg_ctx_error(struct cfg_parser *p, const struct cfg_ctx *ctx, int line, int col,
		   const char *fmt, ...)
{
	char label[CFG_CTX_MAX], *text;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		p->err = -ENOMEM;
		return;
	}
	cfg_ctx_label(ctx, label, sizeof(label));
	cfg_error(p, line, col, "%s%s%s", label, *label ? ": " : "", text);
	free(text);
}

/* Line and column (1-based, counted in characters as libyaml does) of a byte offset. */
static void cfg_offset_position(const struct cfg_parser *p, size_t offset, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < offset && i < p->len; i++) {
		unsigned char c = (unsigned char)p->text[i];

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

/* The offset of the first byte from i on that is not ASCII, or len. */
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

void cfg_check_utf8(struct cfg_parser *p)
{
	const unsigned char *s = (const unsigned char *)p->text;
	size_t i = 0;

	while ((i = cfg_skip_ascii(s, i, p->len)) < p->len) {
		size_t n = cfg_utf8_sequence_len(s + i, p->len - i);
		int line, col;

		if (n) {
			i += n;
			continue;
		}
		cfg_offset_position(p, i, &line, &col);
		cfg_error(p, line, col, "not valid UTF-8 (byte 0x%02x at offset %zu); save the file as UTF-8",
			  s[i], i);
		p->stopped = true;
		return;
	}
}

static void cfg_report_yaml_error(struct cfg_parser *p)
{
	const yaml_parser_t *y = &p->yaml;
	int line, col;

	switch (y->error) {
	case YAML_MEMORY_ERROR:
		p->err = -ENOMEM;
		return;
	case YAML_READER_ERROR:
		cfg_offset_position(p, y->problem_offset, &line, &col);
		cfg_error(p, line, col, "unreadable YAML: %s; the file must be UTF-8 text",
			  y->problem ? y->problem : "unknown problem");
		return;
	default:
		break;
	}
	line = (int)y->problem_mark.line + 1;
	col = (int)y->problem_mark.column + 1;
	if (y->context)
		cfg_error(p, line, col,
			  "YAML syntax error: %s (%s at line %d); check the indentation and quoting",
			  y->problem ? y->problem : "unknown problem", y->context,
			  (int)y->context_mark.line + 1);
	else
		cfg_error(p, line, col, "YAML syntax error: %s; check the indentation and quoting",
			  y->problem ? y->problem : "unknown problem");
}

/* ---- events ----------------------------------------------------------------- */

int cfg_next_event(struct cfg_parser *p, yaml_event_t *ev)
{
	if (p->stopped || p->err)
		return -1;
	if (p->fast) {
		if (!cfg_fast_next(p, ev))
			return 0;
		p->stopped = true; /* unwinds like a syntax error, then libyaml starts over */
		return -1;
	}
	if (yaml_parser_parse(&p->yaml, ev))
		return 0;
	cfg_report_yaml_error(p);
	p->stopped = true;
	return -1;
}

void cfg_event_delete(struct cfg_parser *p, yaml_event_t *ev)
{
	if (!p->fast)
		yaml_event_delete(ev);
}

void cfg_check_props(struct cfg_parser *p, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;
	int line = (int)ev->start_mark.line + 1;
	int col = (int)ev->start_mark.column + 1;

	if (ev->type == YAML_SCALAR_EVENT) {
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
	} else if (ev->type == YAML_SEQUENCE_START_EVENT) {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	} else if (ev->type == YAML_MAPPING_START_EVENT) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	}
	if (anchor)
		cfg_error(p, line, col,
			  "YAML anchors (&%s) are not supported; write each value out in full",
			  (const char *)anchor);
	if (tag)
		cfg_error(p, line, col, "YAML tags (%s) are not supported; remove the tag",
			  (const char *)tag);
}

#define CFG_ARENA_BLOCK 65536

static struct cfg_arena_block *cfg_arena_block_new(size_t size)
{
	struct cfg_arena_block *b = malloc(sizeof(*b) + size);

	if (b)
		b->size = size;
	return b;
}

static void cfg_arena_use(struct cfg_arena *a, struct cfg_arena_block *b)
{
	a->free = (char *)(b + 1);
	a->end = a->free + b->size;
}

/* size bytes aligned for a node or its fields, or NULL. */
static void *cfg_arena_alloc(struct cfg_arena *a, size_t size)
{
	const size_t align = _Alignof(struct cfg_node);
	struct cfg_arena_block *b;
	void *mem;

	size = (size + align - 1) & ~(align - 1);
	if ((size_t)(a->end - a->free) < size) {
		b = cfg_arena_block_new(size > CFG_ARENA_BLOCK ? size : CFG_ARENA_BLOCK);
		if (!b)
			return NULL;
		b->next = a->blocks;
		a->blocks = b;
		cfg_arena_use(a, b);
	}
	mem = a->free;
	a->free += size;
	return mem;
}

/* Frees everything allocated, keeping the oldest block for the next tree. */
static void cfg_arena_rewind(struct cfg_arena *a)
{
	struct cfg_arena_block *b = a->blocks;

	if (!b)
		return;
	while (b->next) {
		struct cfg_arena_block *next = b->next;

		free(b);
		b = next;
	}
	a->blocks = b;
	cfg_arena_use(a, b);
}

void cfg_arena_destroy(struct cfg_arena *a)
{
	cfg_arena_rewind(a);
	free(a->blocks);
	memset(a, 0, sizeof(*a));
}

static void *cfg_node_alloc(struct cfg_parser *p, size_t size)
{
	void *mem = cfg_arena_alloc(&p->nodes, size);

	if (!mem)
		p->err = -ENOMEM;
	return mem;
}

static struct cfg_node *cfg_node_new(struct cfg_parser *p, enum cfg_kind kind,
				     const yaml_event_t *ev)
{
	struct cfg_node *n = cfg_node_alloc(p, sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	return n;
}

static int cfg_node_add(struct cfg_parser *p, struct cfg_node *parent, struct cfg_node *kid)
{
	struct cfg_node **grown;

	/* Grows at powers of two, so the capacity is implied by nkids. */
	if (!(parent->nkids & (parent->nkids - 1))) {
		grown = cfg_node_alloc(p, (parent->nkids ? parent->nkids * 2 : 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		if (parent->nkids)
			memcpy(grown, parent->kids, parent->nkids * sizeof(*grown));
		parent->kids = grown;
	}
	parent->kids[parent->nkids++] = kid;
	return 0;
}

static struct cfg_node *cfg_read_scalar(struct cfg_parser *p, const yaml_event_t *ev)
{
	struct cfg_node *n = cfg_node_new(p, CFG_SCALAR, ev);
	size_t len = ev->data.scalar.length;

	if (!n)
		return NULL;
	n->text = cfg_node_alloc(p, len + 1);
	if (!n->text)
		return NULL;
	memcpy(n->text, ev->data.scalar.value, len);
	n->text[len] = '\0';
	n->len = len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag;
	/* The fast lane takes no NUL. */
	if (!p->fast && memchr(n->text, '\0', len)) {
		cfg_error(p, n->line, n->col, "text contains a NUL character (\\0); remove it");
		n->kind = CFG_BROKEN;
	}
	return n;
}

/* Consumes the events of a collection's content up to and including its end. */
static int cfg_skip_collection(struct cfg_parser *p)
{
	size_t open = 1;
	yaml_event_t ev;

	while (open) {
		if (cfg_next_event(p, &ev))
			return -1;
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
			open++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			open--;
		cfg_event_delete(p, &ev);
	}
	return 0;
}

static struct cfg_node *cfg_read_at(struct cfg_parser *p, yaml_event_t *ev, int depth);

static struct cfg_node *cfg_read_collection(struct cfg_parser *p, yaml_event_t *ev, int depth)
{
	enum cfg_kind kind = ev->type == YAML_MAPPING_START_EVENT ? CFG_MAPPING : CFG_SEQUENCE;
	yaml_event_type_t end = kind == CFG_MAPPING ? YAML_MAPPING_END_EVENT
						    : YAML_SEQUENCE_END_EVENT;
	struct cfg_node *n = cfg_node_new(p, kind, ev);
	yaml_event_t kid_ev;

	if (!n)
		return NULL;
	if (depth >= CFG_MAX_DEPTH) {
		cfg_error(p, n->line, n->col, "nested deeper than %d levels; the schema needs 3",
			  CFG_MAX_DEPTH);
		n->kind = CFG_BROKEN;
		return cfg_skip_collection(p) ? NULL : n;
	}
	for (;;) {
		struct cfg_node *kid;

		if (cfg_next_event(p, &kid_ev))
			break;
		if (kid_ev.type == end) {
			cfg_event_delete(p, &kid_ev);
			return n;
		}
		kid = cfg_read_at(p, &kid_ev, depth + 1);
		if (!kid || cfg_node_add(p, n, kid))
			break;
	}
	return NULL;
}

static struct cfg_node *cfg_read_at(struct cfg_parser *p, yaml_event_t *ev, int depth)
{
	struct cfg_node *n = NULL;

	cfg_check_props(p, ev);
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = cfg_read_scalar(p, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n = cfg_read_collection(p, ev, depth);
		break;
	case YAML_ALIAS_EVENT:
		n = cfg_node_new(p, CFG_BROKEN, ev);
		if (n)
			cfg_error(p, n->line, n->col,
				  "YAML aliases (*%s) are not supported; write each value out in full",
				  (const char *)ev->data.alias.anchor);
		break;
	default:
		/* libyaml only starts a node with one of the events above. */
		p->err = -EPROTO;
		break;
	}
	cfg_event_delete(p, ev);
	return n;
}

struct cfg_node *cfg_read_node(struct cfg_parser *p, yaml_event_t *ev)
{
	return cfg_read_at(p, ev, 0);
}

void cfg_nodes_free(struct cfg_parser *p)
{
	cfg_arena_rewind(&p->nodes);
}

static int cfg_diag_cmp(const void *a, const void *b)
{
	const struct cfg_diag *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* In file order, like a compiler, whatever order the checks found them in. */
void cfg_print_diags(struct cfg_parser *p, FILE *diag)
{
	size_t i;

	if (!p->ndiags)
		return;
	qsort(p->diags, p->ndiags, sizeof(*p->diags), cfg_diag_cmp);
	if (!diag)
		return;
	for (i = 0; i < p->ndiags; i++)
		fprintf(diag, "%s:%d:%d: %s\n", p->name, p->diags[i].line, p->diags[i].col,
			p->diags[i].msg);
	fflush(diag);
}

void cfg_diags_free(struct cfg_parser *p)
{
	size_t i;

	for (i = 0; i < p->ndiags; i++)
		free(p->diags[i].msg);
	free(p->diags);
	p->diags = NULL;
	p->ndiags = 0;
	p->diags_cap = 0;
}
