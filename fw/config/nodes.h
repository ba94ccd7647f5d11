/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The node layer: events become small node trees. Each rule, and each other
 * top-level section, becomes a tree that is validated and freed at once, so
 * a config with millions of rules never holds a whole document tree. Nodes
 * live in an arena that is rewound after each tree. Internal to fw/config/.
 */
#ifndef FW_CONFIG_NODES_H
#define FW_CONFIG_NODES_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "reader.h"

enum cfg_kind {
	CFG_SCALAR,
	CFG_SEQUENCE,
	CFG_MAPPING,
	CFG_BROKEN, /* an alias, or nesting too deep: already reported */
};

/* One YAML node with its 1-based position. */
struct cfg_node {
	enum cfg_kind kind;
	int line;
	int col;
	char *text;  /* scalar: NUL-terminated, no embedded NUL */
	size_t len;
	bool plain;  /* unquoted and untagged: may be a number, boolean or null */
	struct cfg_node **kids; /* sequence items, or mapping key, value, key, value, ... */
	size_t nkids;
};

/* Bump allocation for node trees: one block is kept, bigger needs get their own. */
struct cfg_arena_block {
	struct cfg_arena_block *next;
	size_t size; /* usable bytes after the header */
};

struct cfg_arena {
	struct cfg_arena_block *blocks; /* the newest first; the last one is kept on rewind */
	char *free;                     /* next free byte of blocks */
	char *end;
};

struct cfg_nodes {
	struct cfg_reader *reader;
	struct cfg_arena arena;
};

/* The tree starting at ev. Only one tree is alive at a time: cfg_nodes_free() ends it. */
struct cfg_node *cfg_read_node(struct cfg_nodes *n, yaml_event_t *ev);
void cfg_nodes_free(struct cfg_nodes *n);
void cfg_nodes_destroy(struct cfg_nodes *n);

/* Reports an anchor or a tag on the node ev starts: the schema has no use for them. */
void cfg_check_props(struct cfg_diags *d, const yaml_event_t *ev);

#endif /* FW_CONFIG_NODES_H */
