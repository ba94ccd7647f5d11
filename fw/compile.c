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

static bool fw_rule_same_match(const struct fw_rule *a, const struct fw_rule *b)
{
	return a->has_src == b->has_src && a->port == b->port && a->proto == b->proto &&
	       (!a->has_src || !memcmp(a->src, b->src, sizeof(a->src)));
}

static int fw_ref_set(struct fw_rule_ref *slot, const struct fw_rule *r)
{
	if (slot->action != FW_ACTION_NONE)
		return -EEXIST;
	slot->id = r->id;
	slot->action = r->action;
	return 0;
}

/* Source-less rules go straight into the port array; port 0 holds (any, any, proto). */
static int fw_compile_sourceless(const struct fw_rule *r, struct fw_port_value *ports)
{
	if (!r->port && r->proto == FW_PROTO_ANY)
		return -EINVAL; /* would match everything */
	return fw_ref_set(&ports[r->port].by_proto[r->proto], r);
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

static void fw_port_rule_add(struct fw_compiled *out, const struct fw_rule *r)
{
	struct fw_port_rule_key *key = &out->port_rule_keys[out->port_rules];

	memset(key, 0, sizeof(*key));
	memcpy(key->addr, r->src, sizeof(key->addr));
	key->port = r->port;
	key->proto = r->proto;
	out->port_rule_values[out->port_rules++] =
		(struct fw_rule_ref){ .id = r->id, .action = r->action };
}

/* sorted: the rules with a source, ordered by match, so each source is one run. */
static int fw_compile_sources(const struct fw_rule **sorted, size_t n, struct fw_compiled *out)
{
	struct fw_source_value *value = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct fw_rule *r = sorted[i];
		int err;

		if (i && fw_rule_same_match(sorted[i - 1], r))
			return -EEXIST;
		if (!i || memcmp(sorted[i - 1]->src, r->src, sizeof(r->src)))
			value = fw_source_add(out, r->src);
		if (r->port) {
			fw_port_rule_add(out, r);
			value->flags |= FW_SOURCE_HAS_PORT_RULES;
			continue;
		}
		err = fw_ref_set(&value->by_proto[r->proto], r);
		if (err)
			return err;
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
	out->port_rule_keys = calloc(slots, sizeof(*out->port_rule_keys));
	out->port_rule_values = calloc(slots, sizeof(*out->port_rule_values));
	out->ports = calloc(FW_PORTS, sizeof(*out->ports));
	if (!sorted || !out->source4_keys || !out->source4_values || !out->source6_keys ||
	    !out->source6_values || !out->port_rule_keys || !out->port_rule_values || !out->ports) {
		err = -ENOMEM;
		goto cleanup;
	}

	for (i = 0; i < rs->count && !err; i++) {
		const struct fw_rule *r = &rs->rules[i];

		if (r->proto >= FW_PROTO_SLOTS || r->action == FW_ACTION_NONE ||
		    (r->port && r->proto != FW_PROTO_ANY && r->proto != FW_PROTO_TCP &&
		     r->proto != FW_PROTO_UDP))
			err = -EINVAL;
		else if (r->has_src)
			sorted[n++] = r;
		else
			err = fw_compile_sourceless(r, out->ports);
	}
	if (!err) {
		qsort(sorted, n, sizeof(*sorted), fw_rule_cmp_match);
		err = fw_compile_sources(sorted, n, out);
	}

cleanup:
	free(sorted);
	if (err)
		fw_compiled_free(out);
	return err;
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
