// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 prefixes -> the 16-8-8 trie of fw_prefix4_N (see fw/xdpfw.h).
 * Prefixes are painted shortest first, so a longer one overwrites the
 * range it narrows, and a block starts as a copy of the entry it refines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "compile_classes.h"
#include "prefix.h"

struct fw_trie {
	uint32_t *entries;
	size_t count;
	size_t cap;
};

struct fw_v4_prefix {
	uint32_t addr; /* host order */
	uint32_t class_id;
};

/* The block the entry at index points to, made from the entry's value if it points nowhere yet. */
static int fw_trie_block(struct fw_trie *t, size_t index, size_t *block_start)
{
	uint32_t value = t->entries[index];

	if (!(value & FW_PREFIX4_BLOCK)) {
		size_t block = (t->count - FW_PREFIX4_ROOT) / FW_PREFIX4_BLOCK_SIZE;

		if (t->count + FW_PREFIX4_BLOCK_SIZE > t->cap) {
			size_t cap = t->cap * 2;
			uint32_t *grown = realloc(t->entries, cap * sizeof(*grown));

			if (!grown)
				return -ENOMEM;
			t->entries = grown;
			t->cap = cap;
		}
		for (size_t i = 0; i < FW_PREFIX4_BLOCK_SIZE; i++)
			t->entries[t->count + i] = value;
		t->count += FW_PREFIX4_BLOCK_SIZE;
		value = FW_PREFIX4_BLOCK | (uint32_t)block;
		t->entries[index] = value;
	}
	*block_start = FW_PREFIX4_ROOT + (size_t)(value & ~FW_PREFIX4_BLOCK) * FW_PREFIX4_BLOCK_SIZE;
	return 0;
}

static void fw_trie_fill(struct fw_trie *t, size_t first, size_t n, uint32_t class_id)
{
	for (size_t i = 0; i < n; i++)
		t->entries[first + i] = class_id;
}

/* Paints one prefix of bits 0-31 (a /0 written as ::ffff:0:0/96 included). */
static int fw_trie_paint(struct fw_trie *t, uint32_t addr, unsigned int bits, uint32_t class_id)
{
	size_t l2, l3;
	int err;

	if (bits <= 16) {
		fw_trie_fill(t, addr >> 16, (size_t)1 << (16 - bits), class_id);
		return 0;
	}
	err = fw_trie_block(t, addr >> 16, &l2);
	if (err || bits <= 24) {
		if (!err)
			fw_trie_fill(t, l2 + ((addr >> 8) & 0xff), (size_t)1 << (24 - bits), class_id);
		return err;
	}
	err = fw_trie_block(t, l2 + ((addr >> 8) & 0xff), &l3);
	if (!err)
		fw_trie_fill(t, l3 + (addr & 0xff), (size_t)1 << (32 - bits), class_id);
	return err;
}

int fw_prefix4_build(const struct fw_classes *cl, const uint32_t *slots, uint32_t root,
		     uint32_t **entries, size_t *count)
{
	size_t by_bits[33] = { 0 }, n = 0;
	struct fw_v4_prefix *sorted;
	struct fw_trie t = { 0 };
	int err = 0;

	*entries = NULL;
	*count = 0;
	for (size_t i = 0; i < cl->node_count; i++) {
		const struct fw_prefix *p = &cl->nodes[i].prefix;

		if (fw_prefix_is_v4(p) && p->len < 128) {
			by_bits[p->len - 96 + 1]++;
			n++;
		}
	}
	if (!n && !root)
		return 0;
	for (int b = 1; b <= 32; b++)
		by_bits[b] += by_bits[b - 1]; /* by_bits[b]: where length b starts */
	sorted = malloc((n + 1) * sizeof(*sorted));
	t.cap = FW_PREFIX4_ROOT * 2;
	t.entries = malloc(t.cap * sizeof(*t.entries));
	if (!sorted || !t.entries) {
		free(sorted);
		free(t.entries);
		return -ENOMEM;
	}
	for (size_t i = 0; i < cl->node_count; i++) {
		const struct fw_node *node = &cl->nodes[i];
		const uint8_t *a = node->prefix.addr + 12;

		if (fw_prefix_is_v4(&node->prefix) && node->prefix.len < 128)
			sorted[by_bits[node->prefix.len - 96]++] = (struct fw_v4_prefix){
				(uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3],
				slots[node->class_id]
			};
	}
	t.count = FW_PREFIX4_ROOT;
	fw_trie_fill(&t, 0, FW_PREFIX4_ROOT, root);
	/* by_bits[b] now ends length b; sorted is shortest first. */
	for (size_t i = 0; i < n && !err; i++) {
		size_t bits = 0;

		while (by_bits[bits] <= i)
			bits++;
		err = fw_trie_paint(&t, sorted[i].addr, (unsigned int)bits, sorted[i].class_id);
	}
	free(sorted);
	if (err) {
		free(t.entries);
		return err;
	}
	*entries = t.entries;
	*count = t.count;
	return 0;
}
