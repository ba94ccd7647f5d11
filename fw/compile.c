// SPDX-License-Identifier: GPL-2.0
/* Rule set -> map entries for one set. Pure: no kernel, no I/O. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
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

static int fw_rule_cmp_match(const void *a, const void *b)
{
	const struct fw_rule *x = *(const struct fw_rule *const *)a;
	const struct fw_rule *y = *(const struct fw_rule *const *)b;
	int c = memcmp(x->src, y->src, sizeof(x->src));

	if (c)
		return c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (int)x->proto - (int)y->proto;
}

bool fw_rule_same_match(const struct fw_rule *a, const struct fw_rule *b)
{
	return a->has_src == b->has_src && a->port == b->port && a->proto == b->proto &&
	       a->match_tag == b->match_tag &&
	       (!a->has_src || (fw_rule_src_len(a) == fw_rule_src_len(b) &&
				!memcmp(a->src, b->src, sizeof(a->src))));
}

/* Refs hold the rule's index in the set until fw_compiled_set_ids() turns it into its id. */
static int fw_ref_set(struct fw_rule_ref *slot, const struct fw_rule *r, const struct fw_rule *first)
{
	if (slot->action != FW_ACTION_NONE)
		return -EEXIST;
	slot->id = r - first;
	slot->action = r->action;
	return 0;
}

/* Source-less rules, first as written: ports[p] for (any, p, s), ports[0] for (any, any, s). */
static int fw_compile_sourceless(const struct fw_rule *r, const struct fw_rule *first,
				 struct fw_port_value *ports)
{
	if (!r->port && r->proto == FW_PROTO_ANY)
		return -EINVAL; /* would match everything */
	return fw_ref_set(&ports[r->port].by_proto[r->proto], r, first);
}

static struct fw_rule_ref fw_ref_first(struct fw_rule_ref a, struct fw_rule_ref b)
{
	return a.action != FW_ACTION_NONE ? a : b;
}

static bool fw_proto_has_ports(unsigned int proto)
{
	return proto == FW_PROTO_TCP || proto == FW_PROTO_UDP;
}

/* Precedence 5, 6 and 7 folded into one slot per (port, protocol), in place. */
static void fw_ports_resolve(struct fw_port_value *ports)
{
	struct fw_port_value by_proto_only = ports[0];

	for (uint32_t port = 1; port < FW_PORTS; port++) {
		struct fw_port_value *v = &ports[port];

		for (int p = FW_PROTO_TCP; p < FW_PROTO_COUNT; p++) {
			struct fw_rule_ref exact = fw_proto_has_ports(p) ? v->by_proto[p]
									   : (struct fw_rule_ref){ 0 };
			struct fw_rule_ref any_proto = fw_proto_has_ports(p)
							       ? v->by_proto[FW_PROTO_ANY]
							       : (struct fw_rule_ref){ 0 };

			v->by_proto[p] = fw_ref_first(fw_ref_first(exact, any_proto),
						      by_proto_only.by_proto[p]);
		}
		v->by_proto[FW_PROTO_ANY] = (struct fw_rule_ref){ 0 };
	}
}

/* A new source entry, in the IPv4 or the IPv6 map by the form of its address. */
static struct fw_source_value *fw_source_add(struct fw_compiled *out, const uint8_t addr[16])
{
	struct fw_source_value *value;

	if (fw_addr_is_v4_mapped(addr)) {
		memcpy(&out->source4_keys[out->sources4], addr + 12, 4);
		value = &out->source4_values[out->sources4++];
	} else {
		memcpy(out->source6_keys[out->sources6], addr, 16);
		value = &out->source6_values[out->sources6++];
	}
	memset(value, 0, sizeof(*value));
	return value;
}

/* Precedence 3 and 4 folded: by_proto[p] = (src, any, p), else (src, any, any). */
static void fw_source_resolve(struct fw_source_value *v)
{
	for (int p = FW_PROTO_TCP; p < FW_PROTO_COUNT; p++)
		v->by_proto[p] = fw_ref_first(v->by_proto[p], v->by_proto[FW_PROTO_ANY]);
	v->by_proto[FW_PROTO_ANY] = (struct fw_rule_ref){ 0 };
}

/* Precedence 1 and 2 folded: one entry for TCP and one for UDP of (src, port). */
static void fw_port_rules_add(struct fw_compiled *out, const uint8_t addr[16], uint16_t port,
			      const struct fw_rule_ref by_proto[FW_RULE_PROTOS])
{
	for (int p = FW_PROTO_TCP; p <= FW_PROTO_UDP; p++) {
		struct fw_rule_ref ref = fw_ref_first(by_proto[p], by_proto[FW_PROTO_ANY]);
		struct fw_port_rule_key *key = &out->port_rule_keys[out->port_rules];

		if (ref.action == FW_ACTION_NONE)
			continue;
		memset(key, 0, sizeof(*key));
		memcpy(key->addr, addr, sizeof(key->addr));
		key->port = port;
		key->proto = p;
		out->port_rule_values[out->port_rules++] = ref;
	}
}

/* sorted: the rules with a source, ordered by match, so each (source, port) is one run. */
static int fw_compile_sources(const struct fw_rule **sorted, size_t n, const struct fw_rule *first,
			      struct fw_compiled *out)
{
	struct fw_rule_ref port_refs[FW_RULE_PROTOS] = { { 0 } };
	struct fw_source_value *value = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct fw_rule *r = sorted[i];
		const struct fw_rule *next = i + 1 < n ? sorted[i + 1] : NULL;
		bool last_of_source = !next || memcmp(next->src, r->src, sizeof(r->src));
		int err;

		if (i && fw_rule_same_match(sorted[i - 1], r))
			return -EEXIST;
		if (!i || memcmp(sorted[i - 1]->src, r->src, sizeof(r->src)))
			value = fw_source_add(out, r->src);
		err = fw_ref_set(r->port ? &port_refs[r->proto] : &value->by_proto[r->proto], r, first);
		if (err)
			return err;
		if (r->port && (last_of_source || next->port != r->port)) {
			fw_port_rules_add(out, r->src, r->port, port_refs);
			memset(port_refs, 0, sizeof(port_refs));
			value->flags |= FW_SOURCE_HAS_PORT_RULES;
		}
		if (last_of_source)
			fw_source_resolve(value);
	}
	return 0;
}

int fw_compile(const struct fw_ruleset *rs, struct fw_compiled *out)
{
	size_t i, n = 0, slots = rs->count + 1;
	const struct fw_rule **sorted;
	int err = 0;

	memset(out, 0, sizeof(*out));
	sorted = calloc(slots, sizeof(*sorted));
	out->source4_keys = calloc(slots, sizeof(*out->source4_keys));
	out->source4_values = calloc(slots, sizeof(*out->source4_values));
	out->source6_keys = calloc(slots, sizeof(*out->source6_keys));
	out->source6_values = calloc(slots, sizeof(*out->source6_values));
	/* An (src, port, any) rule becomes a TCP and a UDP entry. */
	out->port_rule_keys = calloc(2 * slots, sizeof(*out->port_rule_keys));
	out->port_rule_values = calloc(2 * slots, sizeof(*out->port_rule_values));
	out->ports = calloc(FW_PORTS, sizeof(*out->ports));
	if (!sorted || !out->source4_keys || !out->source4_values || !out->source6_keys ||
	    !out->source6_values || !out->port_rule_keys || !out->port_rule_values || !out->ports) {
		err = -ENOMEM;
		goto cleanup;
	}

	for (i = 0; i < rs->count && !err; i++) {
		const struct fw_rule *r = &rs->rules[i];

		if (r->proto >= FW_RULE_PROTOS || r->action == FW_ACTION_NONE ||
		    (r->port && r->proto != FW_PROTO_ANY && r->proto != FW_PROTO_TCP &&
		     r->proto != FW_PROTO_UDP))
			err = -EINVAL;
		else if (r->has_src)
			sorted[n++] = r;
		else if (!(err = fw_compile_sourceless(r, rs->rules, out->ports)))
			out->sourceless++;
	}
	if (!err) {
		fw_ports_resolve(out->ports);
		qsort(sorted, n, sizeof(*sorted), fw_rule_cmp_match);
		err = fw_compile_sources(sorted, n, rs->rules, out);
	}

cleanup:
	free(sorted);
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
	memset(c, 0, sizeof(*c));
}
