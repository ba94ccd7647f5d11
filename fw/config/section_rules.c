// SPDX-License-Identifier: GPL-2.0
/* Config parsing: the rules section, one rule at a time. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hashtab.h"
#include "names.h"
#include "section.h"
#include "sets.h"

enum cfg_rule_key {
	RK_NAME, RK_SRC, RK_PORT, RK_PROTO, RK_ACTION, RK_TCP_FLAGS, RK_LIMIT, RK_BAN_FOR, RK_LOG,
	RK_COUNT
};

static const char *const cfg_rule_keys[RK_COUNT] = {
	"name", "src", "port", "proto", "action", "tcp_flags", "limit", "ban_for", "log",
};

static const int cfg_proto_order[] = { FW_PROTO_TCP, FW_PROTO_UDP, FW_PROTO_ICMP,
					FW_PROTO_ICMPV6, FW_PROTO_ANY };
static const struct cfg_words cfg_protos = { fw_proto_names, cfg_proto_order,
					     CFG_COUNT(cfg_proto_order) };

static const char *const cfg_tcp_flags_names[] = { [FW_TCP_FLAGS_SYN] = "syn" };
static const int cfg_tcp_flags_order[] = { FW_TCP_FLAGS_SYN };
static const struct cfg_words cfg_tcp_flags = { cfg_tcp_flags_names, cfg_tcp_flags_order,
						CFG_COUNT(cfg_tcp_flags_order) };

static const int cfg_action_order[] = { FW_ACTION_DROP, FW_ACTION_PASS };
static const struct cfg_words cfg_actions = { fw_action_names, cfg_action_order,
					      CFG_COUNT(cfg_action_order) };

static int cfg_grow_rules(struct cfg_parser *p)
{
	struct fw_ruleset *rs = &p->cfg->rules;
	size_t cap = p->rules_cap ? p->rules_cap * 2 : 64;
	struct fw_rule *rules;
	struct cfg_rule_meta *meta;

	rules = realloc(rs->rules, cap * sizeof(*rules));
	if (!rules)
		return -ENOMEM;
	rs->rules = rules;
	meta = realloc(p->meta, cap * sizeof(*meta));
	if (!meta)
		return -ENOMEM;
	p->meta = meta;
	p->rules_cap = cap;
	return 0;
}

/* Appends a rule with its defaults: any source, any port, any proto, drop. */
static struct fw_rule *cfg_new_rule(struct cfg_parser *p, const struct cfg_node *item)
{
	struct fw_ruleset *rs = &p->cfg->rules;
	struct fw_rule *r;

	if (rs->count == p->rules_cap && cfg_grow_rules(p)) {
		p->diags.err = -ENOMEM;
		return NULL;
	}
	memset(&p->meta[rs->count], 0, sizeof(p->meta[0]));
	r = &rs->rules[rs->count++];
	memset(r, 0, sizeof(*r));
	r->proto = FW_PROTO_ANY;
	r->action = FW_ACTION_DROP;
	r->line = item->line;
	r->col = item->col;
	return r;
}

static uint32_t cfg_name_hash(const struct fw_rule *r)
{
	return fw_hash_bytes(r->name, strlen(r->name));
}

/* "rule \"ssh\"" once the rule has a valid name, else "rule #3". */
struct cfg_ctx cfg_rule_ctx(const struct cfg_parser *p, size_t idx)
{
	struct cfg_ctx ctx = { .section = "rule", .number = idx + 1 };

	if (p->meta[idx].name_ok)
		ctx.name = p->cfg->rules.rules[idx].name;
	return ctx;
}

static void cfg_rule_name(struct cfg_parser *p, size_t idx, const struct cfg_node *rule,
			  const struct cfg_node *name)
{
	const struct cfg_ctx ctx = { .section = "rule", .number = idx + 1 };
	struct cfg_rule_meta *meta = &p->meta[idx];

	if (!name) {
		cfg_error(&p->diags, rule->line, rule->col,
			  "rule #%zu has no name; add \"name: ...\" (letters, digits, _ . : -)",
			  idx + 1);
		return;
	}
	if (!cfg_name(&p->diags, name, &ctx, "name"))
		return;
	memcpy(p->cfg->rules.rules[idx].name, name->text, name->len + 1);
	meta->name_hash = cfg_name_hash(&p->cfg->rules.rules[idx]);
	meta->name_ok = true;
	meta->name_line = name->line;
	meta->name_col = name->col;
}

/* "@name": noted now, resolved once every set is known (sets: may come after rules:). */
static bool cfg_rule_set_ref(struct cfg_parser *p, size_t idx, const struct cfg_node *src,
			     const struct cfg_ctx *ctx)
{
	struct cfg_set_ref *ref;

	if (!cfg_name_valid(src->text + 1, src->len - 1)) {
		cfg_ctx_error(&p->diags, ctx, src->line, src->col,
			      "src \"%s\" is not a set name: write \"@\" and then the set's name (1-%d letters, digits, _ . : -)",
			      src->text, FW_RULE_NAME_MAX - 1);
		return false;
	}
	if (p->set_ref_count == p->set_refs_cap) {
		size_t cap = p->set_refs_cap ? p->set_refs_cap * 2 : 16;
		struct cfg_set_ref *grown = realloc(p->set_refs, cap * sizeof(*grown));

		if (!grown) {
			p->diags.err = -ENOMEM;
			return false;
		}
		p->set_refs = grown;
		p->set_refs_cap = cap;
	}
	ref = &p->set_refs[p->set_ref_count++];
	ref->rule = idx;
	ref->line = src->line;
	ref->col = src->col;
	memcpy(ref->name, src->text + 1, src->len);
	p->cfg->rules.rules[idx].has_src = true;
	return true;
}

/* An address, a prefix, or "@set"; IPv4 is stored v4-mapped, so 198.18.0.1 and ::ffff:198.18.0.1 are one. */
static bool cfg_rule_src(struct cfg_parser *p, size_t idx, const struct cfg_node *src,
			 const struct cfg_ctx *ctx)
{
	struct fw_rule *r = &p->cfg->rules.rules[idx];
	char problem[FW_PREFIX_PROBLEM_MAX];
	enum fw_prefix_error err;
	struct fw_prefix prefix;

	if (!cfg_text(&p->diags, src, ctx, "src"))
		return false;
	if (src->text[0] == '@')
		return cfg_rule_set_ref(p, idx, src, ctx);
	err = fw_prefix_parse(src->text, src->len, &prefix);
	if (err == FW_PREFIX_OK) {
		memcpy(r->src, prefix.addr, sizeof(r->src));
		r->src_len = prefix.len;
		r->has_src = true;
		return true;
	}
	if (err == FW_PREFIX_SYNTAX)
		cfg_ctx_error(&p->diags, ctx, src->line, src->col,
			      "src \"%s\" is not an IPv4 or IPv6 address, a prefix or \"@set\"; write e.g. 198.18.0.1, 198.18.0.0/15, 2001:2::/48 or \"@office\"",
			      src->text);
	else if (err == FW_PREFIX_ZERO_LEN)
		cfg_ctx_error(&p->diags, ctx, src->line, src->col, "src %s; leave src out instead",
			      fw_prefix_problem(err, src->text, src->len, &prefix, problem));
	else
		cfg_ctx_error(&p->diags, ctx, src->line, src->col, "src %s",
			      fw_prefix_problem(err, src->text, src->len, &prefix, problem));
	return false;
}

/* tcp_flags: part of the match, and only for TCP; false once reported. */
static bool cfg_rule_tcp_flags(struct cfg_parser *p, struct fw_rule *r, const struct cfg_node *n,
			       const struct cfg_node *proto, const struct cfg_ctx *ctx)
{
	int flags;

	if (!cfg_enum(&p->diags, n, ctx, "tcp_flags", &cfg_tcp_flags, &flags))
		return false;
	if (r->proto == FW_PROTO_TCP) {
		r->tcp_flags = (uint8_t)flags;
		return true;
	}
	if (proto)
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "tcp_flags %s needs proto tcp, not %s: TCP flags are only in TCP packets; write \"proto: tcp\"",
			      n->text, fw_proto_name(r->proto));
	else
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "tcp_flags %s needs proto tcp: TCP flags are only in TCP packets; add \"proto: tcp\"",
			      n->text);
	return false;
}

static void cfg_rule_match(struct cfg_parser *p, size_t idx, const struct cfg_node **values,
			   const struct cfg_ctx *ctx)
{
	char label[CFG_CTX_MAX], ports[CFG_PORTS_TEXT_MAX];
	struct fw_rule *r = &p->cfg->rules.rules[idx];
	bool ok = true;
	int proto;

	if (values[RK_SRC])
		ok &= cfg_rule_src(p, idx, values[RK_SRC], ctx);
	if (values[RK_PORT])
		ok &= cfg_rule_ports(p, r, values[RK_PORT], ctx);
	if (values[RK_PROTO]) {
		if (cfg_enum(&p->diags, values[RK_PROTO], ctx, "proto", &cfg_protos, &proto))
			r->proto = (uint8_t)proto;
		else
			ok = false;
	}
	if (ok && values[RK_TCP_FLAGS])
		ok = cfg_rule_tcp_flags(p, r, values[RK_TCP_FLAGS], values[RK_PROTO], ctx);
	if (!ok)
		return;
	if (r->port && r->proto != FW_PROTO_TCP && r->proto != FW_PROTO_UDP &&
	    r->proto != FW_PROTO_ANY) {
		cfg_ctx_error(&p->diags, ctx, values[RK_PORT]->line, values[RK_PORT]->col,
			      "port %s cannot be used with proto %s; only tcp, udp and any have ports: remove the port or change the proto",
			      cfg_ports_text(&p->cfg->rules, r, ports, sizeof(ports)),
			      fw_proto_name(r->proto));
		return;
	}
	if (!r->has_src && !r->port && r->proto == FW_PROTO_ANY) {
		cfg_error(&p->diags, r->line, r->col,
			  "%s matches every packet (no src, port or proto); add a match, or use settings.default_action",
			  cfg_ctx_label(ctx, label, sizeof(label)));
		return;
	}
	/* A rule on a set takes part in the checks once its set is known. */
	p->meta[idx].match_ok = true;
}

static int cfg_add_rule(struct cfg_parser *p, const struct cfg_node *item)
{
	const struct cfg_node *values[RK_COUNT];
	struct fw_rule *r = cfg_new_rule(p, item);
	size_t idx = p->cfg->rules.count - 1;
	struct cfg_ctx ctx;
	int action;

	if (!r)
		return -ENOMEM;
	if (item->kind != CFG_MAPPING) {
		if (item->kind != CFG_BROKEN)
			cfg_error(&p->diags, item->line, item->col,
				  "each rule must be a mapping like \"- name: ...\", found %s",
				  cfg_kind_name(item));
		return 0;
	}
	cfg_rule_name(p, idx, item, cfg_find(item, "name"));
	ctx = cfg_rule_ctx(p, idx);
	cfg_fields(&p->diags, item, &ctx, cfg_rule_keys, RK_COUNT, values);
	cfg_rule_match(p, idx, values, &ctx);
	if (values[RK_ACTION] && cfg_enum(&p->diags, values[RK_ACTION], &ctx, "action", &cfg_actions,
					  &action))
		r->action = (uint8_t)action;
	cfg_rule_limit(p, idx, values[RK_LIMIT], values[RK_BAN_FOR], values[RK_ACTION], &ctx);
	if (values[RK_LOG])
		cfg_bool(&p->diags, values[RK_LOG], &ctx, "log", &r->log);
	return 0;
}

int cfg_read_rules(struct cfg_parser *p, yaml_event_t *start)
{
	yaml_event_t ev;

	cfg_check_props(&p->diags, start);
	cfg_event_delete(&p->reader, start);
	for (;;) {
		struct cfg_node *item;
		int err;

		if (cfg_next_event(&p->reader, &ev))
			return -1;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			cfg_event_delete(&p->reader, &ev);
			return 0;
		}
		item = cfg_read_node(&p->nodes, &ev);
		if (!item)
			return -1;
		err = cfg_add_rule(p, item);
		cfg_nodes_free(&p->nodes);
		if (err)
			return err;
	}
}
