// SPDX-License-Identifier: GPL-2.0
/* Config parsing, part 3: the rules, one at a time, then the checks across rules. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config_internal.h"

enum cfg_rule_key { RK_NAME, RK_SRC, RK_PORT, RK_PROTO, RK_ACTION, RK_COUNT };

static const char *const cfg_rule_keys[RK_COUNT] = { "name", "src", "port", "proto", "action" };

static const struct cfg_word cfg_protos[] = {
	{ "tcp", FW_PROTO_TCP },   { "udp", FW_PROTO_UDP }, { "icmp", FW_PROTO_ICMP },
	{ "icmpv6", FW_PROTO_ICMPV6 }, { "any", FW_PROTO_ANY },
};

static const struct cfg_word cfg_actions[] = {
	{ "drop", FW_ACTION_DROP },
	{ "pass", FW_ACTION_PASS },
};

#define CFG_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *cfg_proto_name(uint8_t proto)
{
	size_t i;

	for (i = 0; i < CFG_COUNT(cfg_protos); i++)
		if (cfg_protos[i].value == proto)
			return cfg_protos[i].word;
	return "?";
}

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
		p->err = -ENOMEM;
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

static void cfg_rule_label(const struct cfg_parser *p, size_t idx, char *buf, size_t size)
{
	if (p->meta[idx].name_ok)
		snprintf(buf, size, "rule \"%s\"", p->cfg->rules.rules[idx].name);
	else
		snprintf(buf, size, "rule #%zu", idx + 1);
}

static bool cfg_rule_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == ':' || c == '-';
}

static void cfg_rule_name(struct cfg_parser *p, size_t idx, const struct cfg_node *rule,
			  const struct cfg_node *name)
{
	struct cfg_rule_meta *meta = &p->meta[idx];
	char ctx[CFG_CTX_MAX];
	size_t i;

	snprintf(ctx, sizeof(ctx), "rule #%zu: ", idx + 1);
	if (!name) {
		cfg_error(p, rule->line, rule->col,
			  "rule #%zu has no name; add \"name: ...\" (letters, digits, _ . : -)",
			  idx + 1);
		return;
	}
	if (!cfg_text(p, name, ctx, "name"))
		return;
	if (!name->len) {
		cfg_error(p, name->line, name->col,
			  "%sname is empty; use 1-%d characters (letters, digits, _ . : -)", ctx,
			  FW_RULE_NAME_MAX - 1);
		return;
	}
	if (name->len >= FW_RULE_NAME_MAX) {
		cfg_error(p, name->line, name->col,
			  "%sname \"%s\" is %zu characters long; use at most %d", ctx, name->text,
			  name->len, FW_RULE_NAME_MAX - 1);
		return;
	}
	for (i = 0; i < name->len; i++) {
		if (!cfg_rule_name_char(name->text[i])) {
			cfg_error(p, name->line, name->col,
				  "%sname \"%s\" has invalid characters; use only letters, digits and _ . : -",
				  ctx, name->text);
			return;
		}
	}
	memcpy(p->cfg->rules.rules[idx].name, name->text, name->len + 1);
	meta->name_ok = true;
	meta->name_line = name->line;
	meta->name_col = name->col;
}

/* IPv4 is stored v4-mapped, so 198.18.0.1 and ::ffff:198.18.0.1 are one address. */
static bool cfg_rule_src(struct cfg_parser *p, struct fw_rule *r, const struct cfg_node *src,
			 const char *ctx)
{
	struct in6_addr v6;
	struct in_addr v4;

	if (!cfg_text(p, src, ctx, "src"))
		return false;
	if (strchr(src->text, '/')) {
		cfg_error(p, src->line, src->col,
			  "%ssrc \"%s\" is a prefix; prefixes are not supported, write one address per rule",
			  ctx, src->text);
		return false;
	}
	if (inet_pton(AF_INET, src->text, &v4) == 1) {
		fw_addr_from_ipv4(r->src, &v4);
	} else if (inet_pton(AF_INET6, src->text, &v6) == 1) {
		memcpy(r->src, &v6, sizeof(r->src));
	} else {
		cfg_error(p, src->line, src->col,
			  "%ssrc \"%s\" is not an IPv4 or IPv6 address; write one address, e.g. 198.18.0.1 or 2001:2::1",
			  ctx, src->text);
		return false;
	}
	r->has_src = true;
	return true;
}

static void cfg_rule_match(struct cfg_parser *p, size_t idx, const struct cfg_node **values,
			   const char *label, const char *ctx)
{
	struct fw_rule *r = &p->cfg->rules.rules[idx];
	bool ok = true;
	uint32_t port;
	int proto;

	if (values[RK_SRC])
		ok &= cfg_rule_src(p, r, values[RK_SRC], ctx);
	if (values[RK_PORT]) {
		if (cfg_uint(p, values[RK_PORT], ctx, "port", 1, 65535, &port))
			r->port = (uint16_t)port;
		else
			ok = false;
	}
	if (values[RK_PROTO]) {
		if (cfg_enum(p, values[RK_PROTO], ctx, "proto", cfg_protos, CFG_COUNT(cfg_protos),
			     &proto))
			r->proto = (uint8_t)proto;
		else
			ok = false;
	}
	if (!ok)
		return;
	if (r->port && r->proto != FW_PROTO_TCP && r->proto != FW_PROTO_UDP &&
	    r->proto != FW_PROTO_ANY) {
		cfg_error(p, values[RK_PORT]->line, values[RK_PORT]->col,
			  "%sport %u cannot be used with proto %s; only tcp, udp and any have ports: remove the port or change the proto",
			  ctx, r->port, cfg_proto_name(r->proto));
		return;
	}
	if (!r->has_src && !r->port && r->proto == FW_PROTO_ANY) {
		cfg_error(p, r->line, r->col,
			  "%s matches every packet (no src, port or proto); add a match, or use settings.default_action",
			  label);
		return;
	}
	p->meta[idx].match_ok = true;
}

static int cfg_add_rule(struct cfg_parser *p, const struct cfg_node *item)
{
	const struct cfg_node *values[RK_COUNT];
	char label[CFG_CTX_MAX], ctx[CFG_CTX_MAX + 2];
	struct fw_rule *r = cfg_new_rule(p, item);
	size_t idx = p->cfg->rules.count - 1;
	int action;

	if (!r)
		return -ENOMEM;
	if (item->kind != CFG_MAPPING) {
		if (item->kind != CFG_BROKEN)
			cfg_error(p, item->line, item->col,
				  "each rule must be a mapping like \"- name: ...\", found %s",
				  cfg_kind_name(item));
		return 0;
	}
	cfg_rule_name(p, idx, item, cfg_find(item, "name"));
	cfg_rule_label(p, idx, label, sizeof(label));
	snprintf(ctx, sizeof(ctx), "%s: ", label);
	cfg_fields(p, item, ctx, cfg_rule_keys, RK_COUNT, values);
	cfg_rule_match(p, idx, values, label, ctx);
	if (values[RK_ACTION] && cfg_enum(p, values[RK_ACTION], ctx, "action", cfg_actions,
					  CFG_COUNT(cfg_actions), &action))
		r->action = (uint8_t)action;
	return 0;
}

int cfg_read_rules(struct cfg_parser *p, yaml_event_t *start)
{
	yaml_event_t ev;

	cfg_check_props(p, start);
	yaml_event_delete(start);
	for (;;) {
		struct cfg_node *item;
		int err;

		if (cfg_next_event(p, &ev))
			return -1;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		item = cfg_read_node(p, &ev);
		if (!item)
			return -1;
		err = cfg_add_rule(p, item);
		cfg_node_free(item);
		if (err)
			return err;
	}
}

static void cfg_check_capacity(struct cfg_parser *p)
{
	const struct fw_ruleset *rs = &p->cfg->rules;
	uint32_t cap = p->cfg->capacity;
	const struct fw_rule *first_extra;

	if (!p->capacity_ok || rs->count <= cap)
		return;
	first_extra = &rs->rules[cap];
	if (rs->count > CFG_MAX_RULES)
		cfg_error(p, first_extra->line, first_extra->col,
			  "too many rules: %zu, but at most %u are supported; remove some",
			  rs->count, CFG_MAX_RULES);
	else if (p->capacity_set)
		cfg_error(p, first_extra->line, first_extra->col,
			  "too many rules: %zu, but settings.max_rules is %u; raise settings.max_rules to at least %zu",
			  rs->count, cap, rs->count);
	else
		cfg_error(p, first_extra->line, first_extra->col,
			  "too many rules: %zu, more than the default capacity of %u; raise settings.max_rules to at least %zu",
			  rs->count, cap, rs->count);
}

static int cfg_cmp_name(const void *a, const void *b)
{
	const struct fw_rule *x = *(const struct fw_rule *const *)a;
	const struct fw_rule *y = *(const struct fw_rule *const *)b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x < y ? -1 : x > y; /* file order among equals */
}

static int cfg_cmp_match(const void *a, const void *b)
{
	const struct fw_rule *x = *(const struct fw_rule *const *)a;
	const struct fw_rule *y = *(const struct fw_rule *const *)b;
	int c;

	if (x->has_src != y->has_src)
		return x->has_src ? 1 : -1;
	c = memcmp(x->src, y->src, sizeof(x->src));
	if (c)
		return c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return x < y ? -1 : x > y;
}

static bool cfg_same_match(const struct fw_rule *x, const struct fw_rule *y)
{
	return x->has_src == y->has_src && !memcmp(x->src, y->src, sizeof(x->src)) &&
	       x->port == y->port && x->proto == y->proto;
}

/* Each later rule in a group of equals is reported against the first. */
static void cfg_check_duplicate_names(struct cfg_parser *p, const struct fw_rule **sorted)
{
	const struct fw_rule *rules = p->cfg->rules.rules;
	size_t i, n = 0, first = 0;

	for (i = 0; i < p->cfg->rules.count; i++)
		if (p->meta[i].name_ok)
			sorted[n++] = &rules[i];
	qsort(sorted, n, sizeof(*sorted), cfg_cmp_name);
	for (i = 1; i < n; i++) {
		const struct cfg_rule_meta *dup = &p->meta[sorted[i] - rules];

		if (strcmp(sorted[first]->name, sorted[i]->name)) {
			first = i;
			continue;
		}
		cfg_error(p, dup->name_line, dup->name_col,
			  "rule name \"%s\" is already used by the rule at line %d; give each rule its own name",
			  sorted[i]->name, p->meta[sorted[first] - rules].name_line);
	}
}

static void cfg_check_duplicate_matches(struct cfg_parser *p, const struct fw_rule **sorted)
{
	const struct fw_rule *rules = p->cfg->rules.rules;
	char label[CFG_CTX_MAX], first_label[CFG_CTX_MAX];
	size_t i, n = 0, first = 0;

	for (i = 0; i < p->cfg->rules.count; i++)
		if (p->meta[i].match_ok)
			sorted[n++] = &rules[i];
	qsort(sorted, n, sizeof(*sorted), cfg_cmp_match);
	for (i = 1; i < n; i++) {
		if (!cfg_same_match(sorted[first], sorted[i])) {
			first = i;
			continue;
		}
		cfg_rule_label(p, (size_t)(sorted[i] - rules), label, sizeof(label));
		cfg_rule_label(p, (size_t)(sorted[first] - rules), first_label, sizeof(first_label));
		cfg_error(p, sorted[i]->line, sorted[i]->col,
			  "%s has the same match as %s at line %d; remove one of them", label,
			  first_label, sorted[first]->line);
	}
}

void cfg_check_rules(struct cfg_parser *p)
{
	const struct fw_rule **sorted;

	cfg_check_capacity(p);
	if (!p->cfg->rules.count)
		return;
	sorted = malloc(p->cfg->rules.count * sizeof(*sorted));
	if (!sorted) {
		p->err = -ENOMEM;
		return;
	}
	cfg_check_duplicate_names(p, sorted);
	cfg_check_duplicate_matches(p, sorted);
	free(sorted);
}
