// SPDX-License-Identifier: GPL-2.0
/* How many entries each per-set map gets: sized to the config, with headroom. */
#include <stdlib.h>
#include <string.h>
#include "datapath.h"
#include "prefix.h"

struct fw_room fw_room_for_capacity(uint32_t capacity)
{
	/*
	 * An (src, port, any) rule takes a TCP and a UDP entry; each source may
	 * be its own class; a prefix takes at most two trie blocks.
	 */
	return (struct fw_room){ capacity, capacity, 2 * capacity, capacity + 1,
				 FW_PREFIX4_ROOT + 2 * FW_PREFIX4_BLOCK_SIZE * capacity, capacity };
}

static uint32_t fw_room_entries(size_t needed, uint32_t have)
{
	uint64_t room = needed + needed / 4 + 1024;

	if (room > UINT32_MAX / 2)
		room = UINT32_MAX / 2;
	return room > have ? room : have;
}

static struct fw_room fw_room_with_headroom(struct fw_room needed, const struct fw_room *have)
{
	struct fw_room none = { 0 };

	if (!have)
		have = &none;
	return (struct fw_room){
		fw_room_entries(needed.sources4, have->sources4),
		fw_room_entries(needed.sources6, have->sources6),
		fw_room_entries(needed.port_rules, have->port_rules),
		fw_room_entries(needed.classes, have->classes),
		/* The trie: its root whole, and blocks with the same headroom. */
		needed.prefix4 ? FW_PREFIX4_ROOT + fw_room_entries(needed.prefix4 - FW_PREFIX4_ROOT,
								   have->prefix4 > FW_PREFIX4_ROOT
									   ? have->prefix4 - FW_PREFIX4_ROOT
									   : 0)
			       : have->prefix4,
		needed.prefixes6 ? fw_room_entries(needed.prefixes6, have->prefixes6)
				 : have->prefixes6,
	};
}

struct fw_room fw_room_for(const struct fw_compiled *c, const struct fw_room *have)
{
	return fw_room_with_headroom((struct fw_room){ c->sources4, c->sources6, c->port_rules,
						       c->class_count, c->prefix4_entries,
						       c->prefixes6 },
				     have);
}

/* Trie blocks a set of IPv4 prefixes may need, at most: see fw_prefix4_build(). */
struct fw_room_blocks {
	size_t past16; /* prefixes of /17-/31: a second-level block each, 65536 at most */
	size_t past24; /* /25-/31: a third-level block each */
	bool any;      /* the trie is needed at all */
};

/* An upper bound on what the prefix adds, except classes and port rules (guessed). */
static void fw_room_add_prefix(struct fw_room *most, struct fw_room_blocks *blocks,
			       const struct fw_prefix *p)
{
	bool v4 = fw_prefix_is_v4(p);

	if (p->len == 128) {
		if (v4)
			most->sources4++;
		else
			most->sources6++;
		return;
	}
	most->classes++;
	if (!v4) {
		most->prefixes6++;
		blocks->any |= p->len < 96; /* it may hold all of IPv4 */
		return;
	}
	blocks->any = true;
	blocks->past16 += p->len > 96 + 16;
	blocks->past24 += p->len > 96 + 24;
}

static void fw_room_add_blocks(struct fw_room *most, const struct fw_room_blocks *blocks)
{
	size_t second = blocks->past16 < 65536 ? blocks->past16 : 65536;
	uint64_t entries = FW_PREFIX4_ROOT +
			   (uint64_t)FW_PREFIX4_BLOCK_SIZE * (second + blocks->past24);

	if (blocks->any)
		most->prefix4 = entries > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)entries;
	/* Classes are few unless rules are: a guess, not a bound; a miss loads maps again. */
	if (most->classes > 65536)
		most->classes = 65536;
}

/* What one named set can add, counted once however many rules name it. */
static void fw_room_add_set(struct fw_room *most, struct fw_room_blocks *blocks,
			    const struct fw_set *set)
{
	for (size_t e = 0; e < set->count; e++)
		fw_room_add_prefix(most, blocks, &set->elements[e].prefix);
}

struct fw_room fw_room_for_rules(const struct fw_ruleset *rs, const struct fw_room *have)
{
	struct fw_room_blocks blocks = { 0 };
	struct fw_room most = { 0 };
	bool *counted = calloc(rs->set_count + 1, sizeof(*counted));

	for (size_t i = 0; i < rs->count; i++) {
		const struct fw_rule *r = &rs->rules[i];
		const struct fw_set *set = fw_rule_set(rs, r);
		struct fw_prefix p = { .len = fw_rule_src_len(r) };

		if (r->port && !r->ports_count)
			most.port_rules += r->proto == FW_PROTO_ANY ? 2 : 1;
		if (set && counted && !counted[r->set_ref - 1]) {
			counted[r->set_ref - 1] = true;
			fw_room_add_set(&most, &blocks, set);
		} else if (r->has_src && !set) {
			memcpy(p.addr, r->src, sizeof(p.addr));
			fw_room_add_prefix(&most, &blocks, &p);
		}
	}
	free(counted);
	fw_room_add_blocks(&most, &blocks);
	return fw_room_with_headroom(most, have);
}

bool fw_room_fits(const struct fw_room *room, const struct fw_compiled *c)
{
	return c->sources4 <= room->sources4 && c->sources6 <= room->sources6 &&
	       c->port_rules <= room->port_rules && c->class_count <= room->classes &&
	       c->prefix4_entries <= room->prefix4 && c->prefixes6 <= room->prefixes6;
}

