// SPDX-License-Identifier: GPL-2.0
/*
 * Sources -> nodes -> classes. A class's value folds DESIGN §1b's chain:
 * its own rules (levels 1-4, the first listed winning a tie), then its
 * parent class's, so the datapath reads one value and one port rule.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "compile_classes.h"
#include "hashtab.h"
#include "prefix.h"

struct fw_pair {
	struct fw_prefix prefix;
	uint32_t rule;
};

/* Byte k of the sort key, least significant first: the rule, the length, then the address. */
static uint8_t fw_pair_digit(const struct fw_pair *p, unsigned int k)
{
	if (k < 4)
		return (uint8_t)(p->rule >> (8 * k));
	if (k == 4)
		return p->prefix.len;
	return p->prefix.addr[15 - (k - 5)];
}

#define FW_PAIR_DIGITS 21

/*
 * LSD radix sort by address, length, rule. A pass whose digit is the same
 * in every pair is skipped, so an IPv4 set costs five passes, not 21:
 * qsort was half of compiling a 1M-element set.
 */
static int fw_pairs_sort(struct fw_pair *pairs, size_t n)
{
	struct fw_pair *tmp = malloc((n + 1) * sizeof(*tmp)), *from = pairs, *to = tmp;
	size_t count[256];

	if (!tmp)
		return -ENOMEM;
	for (unsigned int k = 0; k < FW_PAIR_DIGITS; k++) {
		size_t at = 0;
		bool one_bucket = false;

		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[fw_pair_digit(&from[i], k)]++;
		for (int d = 0; d < 256; d++) {
			size_t c = count[d];

			one_bucket |= c == n;
			count[d] = at;
			at += c;
		}
		if (one_bucket)
			continue;
		for (size_t i = 0; i < n; i++)
			to[count[fw_pair_digit(&from[i], k)]++] = from[i];
		to = from;
		from = from == pairs ? tmp : pairs;
	}
	if (from != pairs)
		memcpy(pairs, from, n * sizeof(*pairs));
	free(tmp);
	return 0;
}

/* Every (prefix, rule) a rule names, sorted: a node is a run of one prefix. */
static int fw_pairs_collect(const struct fw_ruleset *rs, struct fw_pair **out, size_t *count)
{
	size_t n = 0, at = 0;
	struct fw_pair *pairs;

	for (size_t i = 0; i < rs->count; i++) {
		const struct fw_set *set = fw_rule_set(rs, &rs->rules[i]);

		n += set ? set->count : rs->rules[i].has_src;
	}
	pairs = malloc((n + 1) * sizeof(*pairs));
	if (!pairs)
		return -ENOMEM;
	for (size_t i = 0; i < rs->count; i++) {
		const struct fw_rule *r = &rs->rules[i];
		const struct fw_set *set = fw_rule_set(rs, r);

		if (set) {
			for (size_t e = 0; e < set->count; e++)
				pairs[at++] = (struct fw_pair){ set->elements[e].prefix, (uint32_t)i };
		} else if (r->has_src) {
			pairs[at].rule = (uint32_t)i;
			memcpy(pairs[at].prefix.addr, r->src, 16);
			pairs[at++].prefix.len = fw_rule_src_len(r);
		}
	}
	if (fw_pairs_sort(pairs, n)) {
		free(pairs);
		return -ENOMEM;
	}
	*out = pairs;
	*count = n;
	return 0;
}

/*
 * The packet protocols a port rule is kept for, in key order: a class's
 * scratch slot for port p and protocol fw_slot_protos[k] is p * FW_SLOTS + k.
 */
#define FW_SLOTS 3
static const uint8_t fw_slot_protos[FW_SLOTS] = { FW_PROTO_TCP, FW_PROTO_UDP, FW_PROTO_TCP_SYN };

/* Scratch for one class's port rules: the best rule per (port, protocol) and which were set. */
struct fw_port_scratch {
	struct fw_rule_ref *ref; /* FW_SLOTS * FW_PORTS */
	uint8_t *level;          /* 0 = unset, else the rank: 1 = (port, syn) ... 3 = (port, any) */
	uint32_t *touched;
	size_t touched_count;
};

struct fw_class_key {
	uint32_t parent;
	const uint32_t *rules;
	uint32_t count;
};

struct fw_builder {
	const struct fw_ruleset *rs;
	struct fw_classes *cl;
	struct fw_hashtab index;
	struct fw_hashtab port_ids; /* port_class values handed out */
	size_t max_classes;
	bool tcp_syn; /* some rule says tcp_flags: syn: SYNs get port rules of their own */
	struct fw_port_scratch scratch;
	size_t rules_cap, ports_cap;
};

static struct fw_rule_ref fw_ref_of(const struct fw_ruleset *rs, uint32_t rule)
{
	return (struct fw_rule_ref){ .id = rule, .action = fw_rule_ref_action(&rs->rules[rule]) };
}

/*
 * How well a rule of protocol rule_proto fits a packet of protocol packet:
 * 1 the protocol itself, 2 tcp for a SYN, then any; 0 = it does not match.
 */
static uint8_t fw_proto_rank(uint8_t rule_proto, uint8_t packet)
{
	if (rule_proto == packet)
		return 1;
	if (packet == FW_PROTO_TCP_SYN && rule_proto == FW_PROTO_TCP)
		return 2;
	return rule_proto == FW_PROTO_ANY ? 3 : 0;
}

static bool fw_ref_same(struct fw_rule_ref a, struct fw_rule_ref b)
{
	return a.action == b.action && (a.action == FW_ACTION_NONE || a.id == b.id);
}

static struct fw_rule_ref fw_ref_first(struct fw_rule_ref a, struct fw_rule_ref b)
{
	return a.action != FW_ACTION_NONE ? a : b;
}

static int fw_grow(void **array, size_t *cap, size_t need, size_t size)
{
	size_t cap2 = *cap ? *cap : 1024;
	void *p;

	if (need <= *cap)
		return 0;
	while (cap2 < need)
		cap2 *= 2;
	p = realloc(*array, cap2 * size);
	if (!p)
		return -ENOMEM;
	*array = p;
	*cap = cap2;
	return 0;
}

/* Levels 1 and 2 of the class's own rules into the scratch, first listed winning a tie. */
static void fw_own_port_rules(struct fw_builder *b, const struct fw_class_key *key)
{
	struct fw_port_scratch *s = &b->scratch;
	int slots = b->tcp_syn ? FW_SLOTS : FW_SLOTS - 1;

	for (uint32_t k = 0; k < key->count; k++) {
		const struct fw_rule *r = &b->rs->rules[key->rules[k]];
		uint8_t proto = fw_rule_match_proto(r);
		struct fw_port_range one;
		const struct fw_port_range *ranges;
		size_t n = fw_rule_ports(b->rs, r, &ranges, &one);

		for (size_t i = 0; i < n; i++) {
			for (uint32_t port = ranges[i].first; port <= ranges[i].last; port++) {
				for (int slot = 0; slot < slots; slot++) {
					uint32_t at = port * FW_SLOTS + (uint32_t)slot;
					uint8_t level = fw_proto_rank(proto, fw_slot_protos[slot]);

					if (!level || (s->level[at] && s->level[at] <= level))
						continue;
					if (!s->level[at])
						s->touched[s->touched_count++] = at;
					s->level[at] = level;
					s->ref[at] = fw_ref_of(b->rs, key->rules[k]);
				}
			}
		}
	}
}

static int fw_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int fw_port_push(struct fw_builder *b, uint16_t port, uint8_t proto, struct fw_rule_ref ref)
{
	struct fw_classes *cl = b->cl;

	if (fw_grow((void **)&cl->ports, &b->ports_cap, cl->ports_len + 1, sizeof(*cl->ports)))
		return -ENOMEM;
	cl->ports[cl->ports_len++] = (struct fw_class_port){ port, proto, ref };
	return 0;
}

static bool fw_port_class_taken(const void *ctx, uint32_t item, const void *key)
{
	(void)ctx;
	return item == *(const uint32_t *)key;
}

/*
 * The key of a class's port rules in fw_port_rules_N: a hash of its own
 * rules' names and its parent's key, so it stays the same from one reload
 * to the next and a sync rewrites only the port rules that changed. Taken
 * ones move on to the next free value.
 */
static int fw_port_class_take(struct fw_builder *b, const struct fw_class_key *key, uint32_t *out)
{
	uint32_t parent = b->cl->classes[key->parent].value.port_class, id = parent * 2654435761u;

	for (uint32_t k = 0; k < key->count; k++) {
		const char *name = b->rs->rules[key->rules[k]].name;

		id = id * 31 + fw_hash_bytes(name, strlen(name));
	}
	if (!b->port_ids.slots && fw_hashtab_init(&b->port_ids, b->max_classes))
		return -ENOMEM;
	/* 31 bits, never 0: the index numbers items up to UINT32_MAX - 1. */
	for (id &= 0x7fffffff; !id || fw_hashtab_find(&b->port_ids, id, fw_port_class_taken, NULL,
						       &id) >= 0;
	     id = (id + 1) & 0x7fffffff)
		;
	fw_hashtab_add(&b->port_ids, id, id);
	*out = id;
	return 0;
}

static int fw_slot_of(uint8_t proto)
{
	return proto == FW_PROTO_TCP ? 0 : proto == FW_PROTO_UDP ? 1 : 2;
}

/* One port's rules of a class, one per slot: NONE where no port rule decides. */
struct fw_port_refs {
	struct fw_rule_ref ref[FW_SLOTS];
};

/*
 * A SYN's port-level winner under the parent, from its entries: a TCP_SYN
 * entry that is the parent's by_proto says the port-less rule decides
 * there; without one, a SYN goes as the TCP entry does.
 */
static struct fw_rule_ref fw_parent_syn(const struct fw_port_refs *entries,
					const struct fw_class *parent)
{
	const struct fw_rule_ref *syn = &entries->ref[2];

	if (syn->action == FW_ACTION_NONE)
		return entries->ref[0];
	return fw_ref_same(*syn, parent->value.by_proto[FW_PROTO_TCP_SYN]) ? (struct fw_rule_ref){ 0 }
									  : *syn;
}

/*
 * The entries of one port: TCP and UDP where a port rule decides, TCP_SYN
 * only where a SYN would otherwise meet another rule than its own: the
 * datapath looks a SYN up as TCP_SYN, then as TCP, then in by_proto.
 */
static int fw_port_emit(struct fw_builder *b, const struct fw_class *c, uint16_t port,
			const struct fw_port_refs *own, const struct fw_port_refs *inherited,
			const bool own_portless[FW_PROTO_COUNT])
{
	const struct fw_class *parent = &b->cl->classes[c->parent];
	struct fw_port_refs winner;
	bool kept[FW_SLOTS] = { false };
	int err = 0;

	for (int k = 0; k < FW_SLOTS; k++) {
		uint8_t proto = fw_slot_protos[k];
		struct fw_rule_ref from_parent = k == 2 ? fw_parent_syn(inherited, parent)
							: inherited->ref[k];

		winner.ref[k] = own->ref[k].action != FW_ACTION_NONE ? own->ref[k]
				: own_portless[proto]		    ? (struct fw_rule_ref){ 0 }
								    : from_parent;
	}
	for (int k = 0; k < 2 && !err; k++) {
		struct fw_rule_ref fallback = c->value.by_proto[fw_slot_protos[k]];

		kept[k] = winner.ref[k].action != FW_ACTION_NONE &&
			  !fw_ref_same(winner.ref[k], fallback);
		if (kept[k])
			err = fw_port_push(b, port, fw_slot_protos[k], winner.ref[k]);
	}
	if (!err && b->tcp_syn) {
		struct fw_rule_ref by_proto = c->value.by_proto[FW_PROTO_TCP_SYN];
		struct fw_rule_ref want = fw_ref_first(winner.ref[2], by_proto);
		struct fw_rule_ref found = kept[0] ? winner.ref[0] : by_proto;

		if (!fw_ref_same(want, found))
			err = fw_port_push(b, port, FW_PROTO_TCP_SYN, want);
	}
	return err;
}

/*
 * The class's port rules: its own, then its parent's for the (port, proto)
 * its own don't name, unless an own port-less rule for that proto comes
 * first; port by port, since a SYN's entry depends on the TCP one.
 */
static int fw_class_ports(struct fw_builder *b, struct fw_class *c, const struct fw_class_key *key,
			  const bool own_portless[FW_PROTO_COUNT])
{
	struct fw_port_scratch *s = &b->scratch;
	const struct fw_class *parent = &b->cl->classes[key->parent];
	size_t i = 0, j = 0, n = parent->ports_count;
	int err = 0;

	fw_own_port_rules(b, key);
	if (!s->touched_count && !own_portless[FW_PROTO_TCP] && !own_portless[FW_PROTO_UDP] &&
	    !own_portless[FW_PROTO_TCP_SYN]) {
		/* Ported packets decide here as in the parent: share its port rules, don't copy them. */
		c->ports_at = parent->ports_at;
		c->ports_count = parent->ports_count;
		c->value.port_class = parent->value.port_class;
		return 0;
	}
	qsort(s->touched, s->touched_count, sizeof(*s->touched), fw_u32_cmp);
	c->ports_own = true;
	c->ports_at = (uint32_t)b->cl->ports_len;
	while (!err && (i < s->touched_count || j < n)) {
		uint32_t own_port = i < s->touched_count ? s->touched[i] / FW_SLOTS : UINT32_MAX;
		/* By index: a push may move the array. */
		uint32_t their_port = j < n ? b->cl->ports[parent->ports_at + j].port : UINT32_MAX;
		uint32_t port = own_port < their_port ? own_port : their_port;
		struct fw_port_refs own = { 0 }, inherited = { 0 };

		for (; i < s->touched_count && s->touched[i] / FW_SLOTS == port; i++)
			own.ref[s->touched[i] % FW_SLOTS] = s->ref[s->touched[i]];
		for (; j < n && b->cl->ports[parent->ports_at + j].port == port; j++) {
			const struct fw_class_port *entry = &b->cl->ports[parent->ports_at + j];

			inherited.ref[fw_slot_of(entry->proto)] = entry->ref;
		}
		err = fw_port_emit(b, c, (uint16_t)port, &own, &inherited, own_portless);
	}
	for (size_t k = 0; k < s->touched_count; k++)
		s->level[s->touched[k]] = 0;
	s->touched_count = 0;
	c->ports_count = (uint32_t)(b->cl->ports_len - c->ports_at);
	if (!err && c->ports_count)
		err = fw_port_class_take(b, key, &c->value.port_class);
	return err;
}

/* Levels 3 and 4 of the own rules, else the parent's: by_proto[p] for every packet protocol. */
static void fw_class_by_proto(struct fw_builder *b, struct fw_class *c,
			      const struct fw_class_key *key, bool own_portless[FW_PROTO_COUNT])
{
	struct fw_rule_ref exact[FW_PROTO_COUNT] = { { 0 } }, any = { 0 };
	const struct fw_class *parent = &b->cl->classes[key->parent];

	for (uint32_t k = 0; k < key->count; k++) {
		const struct fw_rule *r = &b->rs->rules[key->rules[k]];
		uint8_t proto = fw_rule_match_proto(r);
		struct fw_rule_ref *slot = proto == FW_PROTO_ANY ? &any : &exact[proto];

		if (r->port || r->ports_count || slot->action != FW_ACTION_NONE)
			continue;
		*slot = fw_ref_of(b->rs, key->rules[k]);
	}
	/* A SYN meets a syn rule first, then a tcp one. */
	exact[FW_PROTO_TCP_SYN] = fw_ref_first(exact[FW_PROTO_TCP_SYN], exact[FW_PROTO_TCP]);
	for (int p = FW_PROTO_TCP; p < FW_PROTO_COUNT; p++) {
		struct fw_rule_ref own = fw_ref_first(exact[p], any);

		own_portless[p] = own.action != FW_ACTION_NONE;
		c->value.by_proto[p] = own_portless[p] ? own : parent->value.by_proto[p];
	}
}

static bool fw_class_equal(const void *ctx, uint32_t item, const void *key)
{
	const struct fw_classes *cl = ctx;
	const struct fw_class *c = &cl->classes[item];
	const struct fw_class_key *k = key;

	return c->parent == k->parent && c->rules_count == k->count &&
	       !memcmp(cl->rules + c->rules_at, k->rules, k->count * sizeof(*k->rules));
}

static uint32_t fw_class_hash(const struct fw_class_key *k)
{
	return fw_hash_bytes(k->rules, k->count * sizeof(*k->rules)) ^ (k->parent * 2654435761u);
}

/* A rule that names its source itself, not through a set, is the own rule of one node only. */
static bool fw_class_key_unique(const struct fw_builder *b, const struct fw_class_key *key)
{
	for (uint32_t k = 0; k < key->count; k++)
		if (!b->rs->rules[key->rules[k]].set_ref)
			return true;
	return false;
}

/*
 * The class of (parent, own rules), made and resolved when new. Only keys
 * made of set rules can repeat, so only those are looked up: a million
 * single-address rules skip the index.
 */
static int fw_class_intern(struct fw_builder *b, const struct fw_class_key *key, uint32_t *id)
{
	struct fw_classes *cl = b->cl;
	bool unique = fw_class_key_unique(b, key);
	uint32_t hash = unique ? 0 : fw_class_hash(key);
	int64_t found = unique ? -1 : fw_hashtab_find(&b->index, hash, fw_class_equal, cl, key);
	bool own_portless[FW_PROTO_COUNT] = { 0 };
	struct fw_class *c;

	if (found >= 0) {
		*id = (uint32_t)found;
		return 0;
	}
	if (fw_grow((void **)&cl->rules, &b->rules_cap, cl->rules_len + key->count,
		    sizeof(*cl->rules)))
		return -ENOMEM;
	c = &cl->classes[cl->class_count];
	memset(c, 0, sizeof(*c));
	c->parent = key->parent;
	c->rules_at = (uint32_t)cl->rules_len;
	c->rules_count = key->count;
	memcpy(cl->rules + cl->rules_len, key->rules, key->count * sizeof(*key->rules));
	cl->rules_len += key->count;
	fw_class_by_proto(b, c, key, own_portless);
	*id = (uint32_t)cl->class_count;
	if (fw_class_ports(b, c, key, own_portless))
		return -ENOMEM;
	if (!unique)
		fw_hashtab_add(&b->index, hash, *id);
	cl->class_count++;
	return 0;
}

static int fw_builder_init(struct fw_builder *b, const struct fw_ruleset *rs,
			   struct fw_classes *cl, size_t nodes)
{
	memset(b, 0, sizeof(*b));
	b->rs = rs;
	b->cl = cl;
	cl->classes = calloc(nodes + 1, sizeof(*cl->classes));
	cl->nodes = calloc(nodes + 1, sizeof(*cl->nodes));
	for (size_t i = 0; i < rs->count && !b->tcp_syn; i++)
		b->tcp_syn = fw_rule_match_proto(&rs->rules[i]) == FW_PROTO_TCP_SYN;
	b->scratch.ref = calloc(FW_SLOTS * FW_PORTS, sizeof(*b->scratch.ref));
	b->scratch.level = calloc(FW_SLOTS * FW_PORTS, 1);
	b->scratch.touched = calloc(FW_SLOTS * FW_PORTS, sizeof(*b->scratch.touched));
	if (!cl->classes || !cl->nodes || !b->scratch.ref || !b->scratch.level ||
	    !b->scratch.touched)
		return -ENOMEM;
	cl->class_count = 1; /* id 0: no class */
	b->max_classes = nodes + 1;
	return fw_hashtab_init(&b->index, nodes + 1);
}

static void fw_builder_free(struct fw_builder *b)
{
	fw_hashtab_free(&b->index);
	fw_hashtab_free(&b->port_ids);
	free(b->scratch.ref);
	free(b->scratch.level);
	free(b->scratch.touched);
}

/* Walks the sorted pairs: a run of one prefix is a node; a stack of open prefixes gives its parent. */
static int fw_nodes_build(struct fw_builder *b, const struct fw_pair *pairs, size_t n)
{
	struct fw_classes *cl = b->cl;
	uint32_t *rules = malloc((n + 1) * sizeof(*rules));
	size_t stack[130], depth = 0;
	int err = rules ? 0 : -ENOMEM;

	for (size_t i = 0; i < n && !err;) {
		struct fw_class_key key = { .rules = rules };
		const struct fw_prefix *p = &pairs[i].prefix;
		struct fw_node *node = &cl->nodes[cl->node_count];

		for (; i < n && !memcmp(&pairs[i].prefix, p, sizeof(*p)); i++)
			if (!key.count || rules[key.count - 1] != pairs[i].rule)
				rules[key.count++] = pairs[i].rule;
		while (depth && !fw_prefix_contains(&cl->nodes[stack[depth - 1]].prefix, p->addr))
			depth--;
		key.parent = depth ? cl->nodes[stack[depth - 1]].class_id : 0;
		node->prefix = *p;
		err = fw_class_intern(b, &key, &node->class_id);
		stack[depth++] = cl->node_count++;
	}
	free(rules);
	return err;
}

int fw_classes_build(const struct fw_ruleset *rs, struct fw_classes *out)
{
	struct fw_pair *pairs = NULL;
	struct fw_builder b;
	size_t n = 0;
	int err;

	memset(out, 0, sizeof(*out));
	err = fw_pairs_collect(rs, &pairs, &n);
	if (!err)
		err = fw_builder_init(&b, rs, out, n);
	if (!err)
		err = fw_nodes_build(&b, pairs, n);
	if (pairs)
		fw_builder_free(&b);
	free(pairs);
	if (err)
		fw_classes_free(out);
	return err;
}

void fw_classes_free(struct fw_classes *c)
{
	free(c->nodes);
	free(c->classes);
	free(c->rules);
	free(c->ports);
	memset(c, 0, sizeof(*c));
}
