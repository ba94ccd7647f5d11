// SPDX-License-Identifier: GPL-2.0
/* Rule set -> map entries for one set. Pure: no kernel, no I/O. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "compile_classes.h"
#include "prefix.h"
#include "ruleset.h"

bool fw_addr_is_v4_mapped(const uint8_t addr[16])
{
	static const uint8_t prefix[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(addr, prefix, sizeof(prefix));
}

void fw_addr_from_ipv4(uint8_t addr[16], const void *ipv4)
{
	memset(addr, 0, 10);
	addr[10] = 0xff;
	addr[11] = 0xff;
	memcpy(&addr[12], ipv4, 4);
}

bool fw_rule_same_match(const struct fw_rule *a, const struct fw_rule *b)
{
	return a->has_src == b->has_src && a->port == b->port && a->proto == b->proto &&
	       a->tcp_flags == b->tcp_flags && a->match_tag == b->match_tag &&
	       (!a->has_src || (fw_rule_src_len(a) == fw_rule_src_len(b) &&
				!memcmp(a->src, b->src, sizeof(a->src))));
}

/* Refs hold the rule's index in the set until fw_compiled_set_ids() turns it into its id. */
static void fw_ref_set_first(struct fw_rule_ref *slot, const struct fw_rule *r,
			     const struct fw_rule *first)
{
	if (slot->action != FW_ACTION_NONE)
		return; /* a tie: the rule listed first decides */
	slot->id = r - first;
	slot->action = fw_rule_ref_action(r);
}

/* Source-less rules, first as written: ports[p] for (any, p, s), ports[0] for (any, any, s). */
static int fw_compile_sourceless(const struct fw_ruleset *rs, const struct fw_rule *r,
				 struct fw_port_value *ports)
{
	struct fw_port_range one;
	const struct fw_port_range *ranges;
	size_t n = fw_rule_ports(rs, r, &ranges, &one);
	uint8_t proto = fw_rule_match_proto(r);

	if (!n && proto == FW_PROTO_ANY)
		return -EINVAL; /* would match everything */
	if (!n)
		fw_ref_set_first(&ports[0].by_proto[proto], r, rs->rules);
	for (size_t i = 0; i < n; i++)
		for (uint32_t port = ranges[i].first; port <= ranges[i].last && port; port++)
			fw_ref_set_first(&ports[port].by_proto[proto], r, rs->rules);
	return 0;
}

static struct fw_rule_ref fw_ref_first(struct fw_rule_ref a, struct fw_rule_ref b)
{
	return a.action != FW_ACTION_NONE ? a : b;
}

static bool fw_proto_has_ports(unsigned int proto)
{
	return proto == FW_PROTO_TCP || proto == FW_PROTO_UDP || proto == FW_PROTO_TCP_SYN;
}

/* The rule a packet of protocol p meets among one slot's: a SYN's tcp rule when no syn rule. */
static struct fw_rule_ref fw_ref_for(const struct fw_port_value *v, int p)
{
	if (p == FW_PROTO_TCP_SYN)
		return fw_ref_first(v->by_proto[FW_PROTO_TCP_SYN], v->by_proto[FW_PROTO_TCP]);
	return v->by_proto[p];
}

/* Precedence 5, 6 and 7 folded into one slot per (port, protocol), in place. */
static void fw_ports_resolve(struct fw_port_value *ports)
{
	struct fw_port_value by_proto_only;

	ports[0].by_proto[FW_PROTO_TCP_SYN] = fw_ref_for(&ports[0], FW_PROTO_TCP_SYN);
	by_proto_only = ports[0];
	for (uint32_t port = 1; port < FW_PORTS; port++) {
		struct fw_port_value *v = &ports[port], rules = *v;

		for (int p = FW_PROTO_TCP; p < FW_PROTO_COUNT; p++) {
			struct fw_rule_ref exact = fw_proto_has_ports(p) ? fw_ref_for(&rules, p)
									   : (struct fw_rule_ref){ 0 };
			struct fw_rule_ref any_proto = fw_proto_has_ports(p)
							       ? rules.by_proto[FW_PROTO_ANY]
							       : (struct fw_rule_ref){ 0 };

			v->by_proto[p] = fw_ref_first(fw_ref_first(exact, any_proto),
						      by_proto_only.by_proto[p]);
		}
		v->by_proto[FW_PROTO_ANY] = (struct fw_rule_ref){ 0 };
	}
}

static bool fw_rule_valid(const struct fw_ruleset *rs, const struct fw_rule *r)
{
	bool ported = r->port || r->ports_count;

	return r->proto < FW_RULE_PROTOS && r->action != FW_ACTION_NONE &&
	       (!ported || fw_proto_has_ports(r->proto) || r->proto == FW_PROTO_ANY) &&
	       (!r->tcp_flags || (r->proto == FW_PROTO_TCP && r->tcp_flags == FW_TCP_FLAGS_SYN)) &&
	       (!r->limit.interval || r->limit.burst) && (!r->set_ref || fw_rule_set(rs, r));
}

/* Whether p holds all of IPv4 (::ffff:0:0/96) without being an IPv4 prefix itself. */
static bool fw_prefix_holds_ipv4(const struct fw_prefix *p)
{
	static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff };
	struct fw_prefix all = { .len = 96 };

	memcpy(all.addr, mapped, sizeof(mapped));
	return p->len < 96 && fw_prefix_contains(p, all.addr);
}

static int fw_prefix6_entry_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct fw_prefix6_key));
}

static int fw_u32_desc(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x > y ? -1 : x < y;
}

/* A prefix class's index in fw_classes_N, handed out in the order prefixes need them. */
static uint32_t fw_class_slot(uint32_t *slots, size_t *used, uint32_t class_id)
{
	if (!slots[class_id])
		slots[class_id] = (uint32_t)(*used)++;
	return slots[class_id];
}

/*
 * Exact addresses into the source maps, IPv6 prefixes into fw_prefix6_N,
 * and slots in fw_classes_N for every class a prefix names (single
 * addresses carry their value inline): slots[class] and the IPv4 root's.
 */
static int fw_emit_nodes(const struct fw_classes *cl, struct fw_compiled *out, uint32_t *slots,
			 uint32_t *v4_root)
{
	struct { struct fw_prefix6_key key; uint32_t class_id; } *p6;
	bool seen[FW_PREFIX6_LENGTHS] = { 0 };
	size_t lengths = 0;

	p6 = calloc(cl->node_count + 1, sizeof(*p6));
	out->source4_keys = calloc(cl->node_count + 1, sizeof(*out->source4_keys));
	out->source4_values = calloc(cl->node_count + 1, sizeof(*out->source4_values));
	out->source6_keys = calloc(cl->node_count + 1, sizeof(*out->source6_keys));
	out->source6_values = calloc(cl->node_count + 1, sizeof(*out->source6_values));
	if (!p6 || !out->source4_keys || !out->source4_values || !out->source6_keys ||
	    !out->source6_values) {
		free(p6);
		return -ENOMEM;
	}
	*v4_root = 0;
	out->class_count = 1; /* slot 0: no class */
	for (size_t i = 0; i < cl->node_count; i++) {
		const struct fw_node *node = &cl->nodes[i];
		const struct fw_source_value *value = &cl->classes[node->class_id].value;
		const struct fw_prefix *p = &node->prefix;

		if (p->len == 128 && fw_addr_is_v4_mapped(p->addr)) {
			memcpy(&out->source4_keys[out->sources4], p->addr + 12, 4);
			out->source4_values[out->sources4++] = *value;
		} else if (p->len == 128) {
			memcpy(out->source6_keys[out->sources6], p->addr, 16);
			out->source6_values[out->sources6++] = *value;
		} else {
			fw_class_slot(slots, &out->class_count, node->class_id);
		}
		if (p->len < 128 && !fw_prefix_is_v4(p)) {
			p6[out->prefixes6].key.len = p->len;
			memcpy(p6[out->prefixes6].key.addr, p->addr, 16);
			p6[out->prefixes6++].class_id = slots[node->class_id];
			if (!seen[p->len]) {
				seen[p->len] = true;
				out->lengths6[lengths++] = p->len;
			}
			/* Nodes come parents first: the last one holding IPv4 is the deepest. */
			if (fw_prefix_holds_ipv4(p))
				*v4_root = slots[node->class_id];
		}
	}
	qsort(out->lengths6, lengths, sizeof(out->lengths6[0]), fw_u32_desc);
	qsort(p6, out->prefixes6, sizeof(*p6), fw_prefix6_entry_cmp);
	out->prefix6_keys = calloc(out->prefixes6 + 1, sizeof(*out->prefix6_keys));
	out->prefix6_values = calloc(out->prefixes6 + 1, sizeof(*out->prefix6_values));
	for (size_t i = 0; out->prefix6_keys && out->prefix6_values && i < out->prefixes6; i++) {
		out->prefix6_keys[i] = p6[i].key;
		out->prefix6_values[i] = p6[i].class_id;
	}
	free(p6);
	return out->prefix6_keys && out->prefix6_values ? 0 : -ENOMEM;
}

struct fw_port_entry {
	struct fw_port_rule_key key;
	struct fw_rule_ref ref;
};

/* The order the set cache compares in: class key, port, protocol. */
static int fw_port_entry_cmp(const void *a, const void *b)
{
	const struct fw_port_rule_key *x = &((const struct fw_port_entry *)a)->key;
	const struct fw_port_rule_key *y = &((const struct fw_port_entry *)b)->key;

	if (x->port_class != y->port_class)
		return x->port_class < y->port_class ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (int)x->proto - (int)y->proto;
}

/* The prefix classes' values by slot, and every class's own port rules, sorted. */
static int fw_emit_classes(const struct fw_classes *cl, const uint32_t *slots,
			   struct fw_compiled *out)
{
	struct fw_port_entry *entries = calloc(cl->ports_len + 1, sizeof(*entries));
	size_t n = 0;

	out->classes = calloc(out->class_count + 1, sizeof(*out->classes));
	out->port_rule_keys = calloc(cl->ports_len + 1, sizeof(*out->port_rule_keys));
	out->port_rule_values = calloc(cl->ports_len + 1, sizeof(*out->port_rule_values));
	if (!entries || !out->classes || !out->port_rule_keys || !out->port_rule_values) {
		free(entries);
		return -ENOMEM;
	}
	for (size_t c = 1; c < cl->class_count; c++) {
		const struct fw_class *cls = &cl->classes[c];

		if (slots[c])
			out->classes[slots[c]] = cls->value;
		for (uint32_t k = 0; cls->ports_own && k < cls->ports_count; k++) {
			const struct fw_class_port *port = &cl->ports[cls->ports_at + k];

			entries[n].key = (struct fw_port_rule_key){
				.port_class = cls->value.port_class, .port = port->port,
				.proto = port->proto
			};
			entries[n++].ref = port->ref;
		}
	}
	qsort(entries, n, sizeof(*entries), fw_port_entry_cmp);
	for (size_t i = 0; i < n; i++) {
		out->port_rule_keys[i] = entries[i].key;
		out->port_rule_values[i] = entries[i].ref;
	}
	out->port_rules = n;
	free(entries);
	if (out->class_count == 1)
		out->class_count = 0; /* no prefix: fw_classes_N stays unread */
	return 0;
}

int fw_compile(const struct fw_ruleset *rs, struct fw_compiled *out)
{
	struct fw_classes cl = { 0 };
	uint32_t v4_root = 0, *slots = NULL;
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->ports = calloc(FW_PORTS, sizeof(*out->ports));
	if (!out->ports)
		return -ENOMEM;
	for (size_t i = 0; i < rs->count && !err; i++) {
		const struct fw_rule *r = &rs->rules[i];

		if (!fw_rule_valid(rs, r))
			err = -EINVAL;
		else if (!r->has_src && !(err = fw_compile_sourceless(rs, r, out->ports)))
			out->sourceless++;
		out->tcp_syn += fw_rule_match_proto(r) == FW_PROTO_TCP_SYN;
	}
	if (!err) {
		fw_ports_resolve(out->ports);
		err = fw_classes_build(rs, &cl);
	}
	if (!err)
		err = (slots = calloc(cl.class_count + 1, sizeof(*slots))) ? 0 : -ENOMEM;
	if (!err)
		err = fw_emit_nodes(&cl, out, slots, &v4_root);
	if (!err)
		err = fw_emit_classes(&cl, slots, out);
	if (!err)
		err = fw_prefix4_build(&cl, slots, v4_root, &out->prefix4, &out->prefix4_entries);
	free(slots);
	fw_classes_free(&cl);
	if (err)
		fw_compiled_free(out);
	return err;
}

static void fw_refs_set_ids(struct fw_rule_ref *refs, size_t n, const struct fw_ruleset *rs)
{
	for (size_t i = 0; i < n; i++)
		if (refs[i].action != FW_ACTION_NONE)
			refs[i].id = rs->rules[refs[i].id].id;
}

void fw_compiled_set_ids(struct fw_compiled *c, const struct fw_ruleset *rs)
{
	const size_t slots = FW_PROTO_COUNT;

	for (size_t i = 0; i < c->sources4; i++)
		fw_refs_set_ids(c->source4_values[i].by_proto, slots, rs);
	for (size_t i = 0; i < c->sources6; i++)
		fw_refs_set_ids(c->source6_values[i].by_proto, slots, rs);
	for (size_t i = 0; i < c->class_count; i++)
		fw_refs_set_ids(c->classes[i].by_proto, slots, rs);
	fw_refs_set_ids(c->port_rule_values, c->port_rules, rs);
	for (size_t port = 0; port < FW_PORTS; port++)
		fw_refs_set_ids(c->ports[port].by_proto, slots, rs);
}

void fw_compiled_free(struct fw_compiled *c)
{
	free(c->source4_keys);
	free(c->source4_values);
	free(c->source6_keys);
	free(c->source6_values);
	free(c->port_rule_keys);
	free(c->port_rule_values);
	free(c->ports);
	free(c->classes);
	free(c->prefix4);
	free(c->prefix6_keys);
	free(c->prefix6_values);
	memset(c, 0, sizeof(*c));
}
