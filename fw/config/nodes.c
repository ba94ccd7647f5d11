// SPDX-License-Identifier: GPL-2.0
/* Config parsing: YAML events -> small node trees in an arena. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "nodes.h"

/* The schema needs 3 levels; deeper input is rejected before it can exhaust the stack. */
#define CFG_MAX_DEPTH 16

void cfg_check_props(struct cfg_diags *d, const yaml_event_t *ev)
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
		cfg_error(d, line, col,
			  "YAML anchors (&%s) are not supported; write each value out in full",
			  (const char *)anchor);
	if (tag)
		cfg_error(d, line, col, "YAML tags (%s) are not supported; remove the tag",
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

static void cfg_arena_destroy(struct cfg_arena *a)
{
	cfg_arena_rewind(a);
	free(a->blocks);
	memset(a, 0, sizeof(*a));
}

static void *cfg_node_alloc(struct cfg_nodes *nd, size_t size)
{
	void *mem = cfg_arena_alloc(&nd->arena, size);

	if (!mem)
		nd->reader->diags->err = -ENOMEM;
	return mem;
}

static struct cfg_node *cfg_node_new(struct cfg_nodes *nd, enum cfg_kind kind,
				     const yaml_event_t *ev)
{
	struct cfg_node *n = cfg_node_alloc(nd, sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	return n;
}

static int cfg_node_add(struct cfg_nodes *nd, struct cfg_node *parent, struct cfg_node *kid)
{
	struct cfg_node **grown;

	/* Grows at powers of two, so the capacity is implied by nkids. */
	if (!(parent->nkids & (parent->nkids - 1))) {
		grown = cfg_node_alloc(nd, (parent->nkids ? parent->nkids * 2 : 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		if (parent->nkids)
			memcpy(grown, parent->kids, parent->nkids * sizeof(*grown));
		parent->kids = grown;
	}
	parent->kids[parent->nkids++] = kid;
	return 0;
}

static struct cfg_node *cfg_read_scalar(struct cfg_nodes *nd, const yaml_event_t *ev)
{
	struct cfg_node *n = cfg_node_new(nd, CFG_SCALAR, ev);
	size_t len = ev->data.scalar.length;

	if (!n)
		return NULL;
	n->text = cfg_node_alloc(nd, len + 1);
	if (!n->text)
		return NULL;
	memcpy(n->text, ev->data.scalar.value, len);
	n->text[len] = '\0';
	n->len = len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag;
	/* The fast lane takes no NUL. */
	if (!nd->reader->fast && memchr(n->text, '\0', len)) {
		cfg_error(nd->reader->diags, n->line, n->col,
			  "text contains a NUL character (byte 0); remove it");
		n->kind = CFG_BROKEN;
	}
	return n;
}

/* Consumes the events of a collection's content up to and including its end. */
static int cfg_skip_collection(struct cfg_nodes *nd)
{
	size_t open = 1;
	yaml_event_t ev;

	while (open) {
		if (cfg_next_event(nd->reader, &ev))
			return -1;
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
			open++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			open--;
		cfg_event_delete(nd->reader, &ev);
	}
	return 0;
}

static struct cfg_node *cfg_read_at(struct cfg_nodes *nd, yaml_event_t *ev, int depth);

static struct cfg_node *cfg_read_collection(struct cfg_nodes *nd, yaml_event_t *ev, int depth)
{
	enum cfg_kind kind = ev->type == YAML_MAPPING_START_EVENT ? CFG_MAPPING : CFG_SEQUENCE;
	yaml_event_type_t end = kind == CFG_MAPPING ? YAML_MAPPING_END_EVENT
						    : YAML_SEQUENCE_END_EVENT;
	struct cfg_node *n = cfg_node_new(nd, kind, ev);
	yaml_event_t kid_ev;

	if (!n)
		return NULL;
	if (depth >= CFG_MAX_DEPTH) {
		cfg_error(nd->reader->diags, n->line, n->col, "nested deeper than %d levels; the schema needs 3",
			  CFG_MAX_DEPTH);
		n->kind = CFG_BROKEN;
		return cfg_skip_collection(nd) ? NULL : n;
	}
	for (;;) {
		struct cfg_node *kid;

		if (cfg_next_event(nd->reader, &kid_ev))
			break;
		if (kid_ev.type == end) {
			cfg_event_delete(nd->reader, &kid_ev);
			return n;
		}
		kid = cfg_read_at(nd, &kid_ev, depth + 1);
		if (!kid || cfg_node_add(nd, n, kid))
			break;
	}
	return NULL;
}

static struct cfg_node *cfg_read_at(struct cfg_nodes *nd, yaml_event_t *ev, int depth)
{
	struct cfg_node *n = NULL;

	cfg_check_props(nd->reader->diags, ev);
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = cfg_read_scalar(nd, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n = cfg_read_collection(nd, ev, depth);
		break;
	case YAML_ALIAS_EVENT:
		n = cfg_node_new(nd, CFG_BROKEN, ev);
		if (n)
			cfg_error(nd->reader->diags, n->line, n->col,
				  "YAML aliases (*%s) are not supported; write each value out in full",
				  (const char *)ev->data.alias.anchor);
		break;
	default:
		/* libyaml only starts a node with one of the events above. */
		nd->reader->diags->err = -EPROTO;
		break;
	}
	cfg_event_delete(nd->reader, ev);
	return n;
}

struct cfg_node *cfg_read_node(struct cfg_nodes *nd, yaml_event_t *ev)
{
	return cfg_read_at(nd, ev, 0);
}

void cfg_nodes_free(struct cfg_nodes *nd)
{
	cfg_arena_rewind(&nd->arena);
}

void cfg_nodes_destroy(struct cfg_nodes *nd)
{
	cfg_arena_destroy(&nd->arena);
}
