// SPDX-License-Identifier: GPL-2.0
/* Config parsing, part 3: the rules, one at a time, then the checks across rules. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "section.h"

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

/* Mixes word into h; a multiply spreads every input bit over the high half. */
static uint64_t cfg_hash_word(uint64_t h, uint64_t word)
{
	h = (h ^ word) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 32);
}

/* Eight bytes at a time, the last word zero-padded. */
static uint32_t cfg_hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *b = data;
	uint64_t word;

	for (; len >= sizeof(word); b += sizeof(word), len -= sizeof(word)) {
		memcpy(&word, b, sizeof(word));
		h = cfg_hash_word(h, word);
	}
	word = 0;
	memcpy(&word, b, len);
	h = cfg_hash_word(h, word ^ len);
	return (uint32_t)(cfg_hash_word(h, 0) >> 32);
}

#define CFG_HASH_SEED 0xcbf29ce484222325ull

static uint32_t cfg_name_hash(const struct fw_rule *r)
{
	return cfg_hash_bytes(CFG_HASH_SEED, r->name, strlen(r->name));
}

/* Over the fields fw_rule_same_match() compares. */
static uint32_t cfg_match_hash(const struct fw_rule *r)
{
	unsigned char match[sizeof(r->src) + 4];

	memcpy(match, r->src, sizeof(r->src));
	match[sizeof(r->src)] = r->has_src;
	match[sizeof(r->src) + 1] = (unsigned char)(r->port >> 8);
	match[sizeof(r->src) + 2] = (unsigned char)r->port;
	match[sizeof(r->src) + 3] = r->proto;
	return cfg_hash_bytes(CFG_HASH_SEED, match, sizeof(match));
}

/* "rule \"ssh\"" once the rule has a valid name, else "rule #3". */
static struct cfg_ctx cfg_rule_ctx(const struct cfg_parser *p, size_t idx)
{
	struct cfg_ctx ctx = { .section = "rule", .number = idx + 1 };

	if (p->meta[idx].name_ok)
		ctx.name = p->cfg->rules.rules[idx].name;
	return ctx;
}

static const char *cfg_rule_label(const struct cfg_parser *p, size_t idx, char *buf,
				  size_t size)
{
	const struct cfg_ctx ctx = cfg_rule_ctx(p, idx);

	return cfg_ctx_label(&ctx, buf, size);
}

static bool cfg_rule_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == ':' || c == '-';
}

static void cfg_rule_name(struct cfg_parser *p, size_t idx, const struct cfg_node *rule,
			  const struct cfg_node *name)
{
	const struct cfg_ctx ctx = { .section = "rule", .number = idx + 1 };
	struct cfg_rule_meta *meta = &p->meta[idx];
	size_t i;

	if (!name) {
		cfg_error(p, rule->line, rule->col,
			  "rule #%zu has no name; add \"name: ...\" (letters, digits, _ . : -)",
			  idx + 1);
		return;
	}
	if (!cfg_text(p, name, &ctx, "name"))
		return;
	if (!name->len) {
		cfg_ctx_error(p, &ctx, name->line, name->col,
			      "name is empty; use 1-%d characters (letters, digits, _ . : -)",
			      FW_RULE_NAME_MAX - 1);
		return;
	}
	if (name->len >= FW_RULE_NAME_MAX) {
		cfg_ctx_error(p, &ctx, name->line, name->col,
			      "name \"%s\" is %zu characters long; use at most %d", name->text,
			      name->len, FW_RULE_NAME_MAX - 1);
		return;
	}
	for (i = 0; i < name->len; i++) {
		if (!cfg_rule_name_char(name->text[i])) {
			cfg_ctx_error(p, &ctx, name->line, name->col,
				      "name \"%s\" has invalid characters; use only letters, digits and _ . : -",
				      name->text);
			return;
		}
	}
	memcpy(p->cfg->rules.rules[idx].name, name->text, name->len + 1);
	meta->name_hash = cfg_name_hash(&p->cfg->rules.rules[idx]);
	meta->name_ok = true;
	meta->name_line = name->line;
	meta->name_col = name->col;
}

/* IPv4 is stored v4-mapped, so 198.18.0.1 and ::ffff:198.18.0.1 are one address. */
static bool cfg_rule_src(struct cfg_parser *p, struct fw_rule *r, const struct cfg_node *src,
			 const struct cfg_ctx *ctx)
{
	struct in6_addr v6;
	struct in_addr v4;

	if (!cfg_text(p, src, ctx, "src"))
		return false;
	if (strchr(src->text, '/')) {
		cfg_ctx_error(p, ctx, src->line, src->col,
			      "src \"%s\" is a prefix; prefixes are not supported, write one address per rule",
			      src->text);
		return false;
	}
	if (inet_pton(AF_INET, src->text, &v4) == 1) {
		fw_addr_from_ipv4(r->src, &v4);
	} else if (inet_pton(AF_INET6, src->text, &v6) == 1) {
		memcpy(r->src, &v6, sizeof(r->src));
	} else {
		cfg_ctx_error(p, ctx, src->line, src->col,
			      "src \"%s\" is not an IPv4 or IPv6 address; write one address, e.g. 198.18.0.1 or 2001:2::1",
			      src->text);
		return false;
	}
	r->has_src = true;
	return true;
}

static void cfg_rule_match(struct cfg_parser *p, size_t idx, const struct cfg_node **values,
			   const struct cfg_ctx *ctx)
{
	char label[CFG_CTX_MAX];
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
		cfg_ctx_error(p, ctx, values[RK_PORT]->line, values[RK_PORT]->col,
			      "port %u cannot be used with proto %s; only tcp, udp and any have ports: remove the port or change the proto",
			      r->port, cfg_proto_name(r->proto));
		return;
	}
	if (!r->has_src && !r->port && r->proto == FW_PROTO_ANY) {
		cfg_error(p, r->line, r->col,
			  "%s matches every packet (no src, port or proto); add a match, or use settings.default_action",
			  cfg_ctx_label(ctx, label, sizeof(label)));
		return;
	}
	p->meta[idx].match_hash = cfg_match_hash(r);
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
			cfg_error(p, item->line, item->col,
				  "each rule must be a mapping like \"- name: ...\", found %s",
				  cfg_kind_name(item));
		return 0;
	}
	cfg_rule_name(p, idx, item, cfg_find(item, "name"));
	ctx = cfg_rule_ctx(p, idx);
	cfg_fields(p, item, &ctx, cfg_rule_keys, RK_COUNT, values);
	cfg_rule_match(p, idx, values, &ctx);
	if (values[RK_ACTION] && cfg_enum(p, values[RK_ACTION], &ctx, "action", cfg_actions,
					  CFG_COUNT(cfg_actions), &action))
		r->action = (uint8_t)action;
	return 0;
}

int cfg_read_rules(struct cfg_parser *p, yaml_event_t *start)
{
	yaml_event_t ev;

	cfg_check_props(p, start);
	cfg_event_delete(p, start);
	for (;;) {
		struct cfg_node *item;
		int err;

		if (cfg_next_event(p, &ev))
			return -1;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			cfg_event_delete(p, &ev);
			return 0;
		}
		item = cfg_read_node(p, &ev);
		if (!item)
			return -1;
		err = cfg_add_rule(p, item);
		cfg_nodes_free(p);
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

/*
 * The duplicate checks: an open-addressing table of rule indexes, each slot
 * with its rule's hash, so most probes never touch the rules themselves.
 */
struct cfg_rule_slot {
	uint32_t hash;
	uint32_t rule; /* index + 1; 0: empty */
};

struct cfg_rule_table {
	struct cfg_rule_slot *slots;
	size_t mask;
};

typedef bool cfg_rule_equal_fn(const struct fw_rule *x, const struct fw_rule *y);

/* One of the duplicate checks: by name, or by match. */
struct cfg_duplicate_check {
	bool (*takes_part)(const struct cfg_rule_meta *meta);
	uint32_t (*hash)(const struct cfg_rule_meta *meta);
	cfg_rule_equal_fn *equal;
	void (*report)(struct cfg_parser *p, size_t idx, size_t first);
};

/* How many rules ahead the table slot is fetched into the cache. */
#define CFG_PREFETCH_AHEAD 8

/* Room for n rules at most half full; 0, -EOVERFLOW past what a slot can number, or -ENOMEM. */
static int cfg_rule_table_init(struct cfg_rule_table *t, size_t n)
{
	size_t size = 2;

	if (n >= UINT32_MAX)
		return -EOVERFLOW;
	while (size < 2 * n)
		size *= 2;
	t->slots = calloc(size, sizeof(*t->slots));
	if (!t->slots)
		return -ENOMEM;
	t->mask = size - 1;
	return 0;
}

static void cfg_rule_table_clear(struct cfg_rule_table *t)
{
	memset(t->slots, 0, (t->mask + 1) * sizeof(*t->slots));
}

/* The earliest rule equal to rules[idx], or rules[idx] itself once it was added as the first. */
static const struct fw_rule *cfg_rule_table_first(struct cfg_rule_table *t,
						 const struct fw_rule *rules, size_t idx,
						 uint32_t hash, cfg_rule_equal_fn *equal)
{
	size_t i;

	for (i = hash & t->mask; t->slots[i].rule; i = (i + 1) & t->mask) {
		const struct fw_rule *other = &rules[t->slots[i].rule - 1];

		if (t->slots[i].hash == hash && equal(other, &rules[idx]))
			return other;
	}
	t->slots[i].hash = hash;
	t->slots[i].rule = (uint32_t)(idx + 1);
	return &rules[idx];
}

/* Reports each later rule equal to an earlier one, with the first of them, in file order. */
static void cfg_find_duplicates(struct cfg_parser *p, struct cfg_rule_table *t,
				const struct cfg_duplicate_check *check)
{
	const struct fw_rule *rules = p->cfg->rules.rules;
	size_t i, count = p->cfg->rules.count;

	for (i = 0; i < count; i++) {
		const struct fw_rule *first;

		if (i + CFG_PREFETCH_AHEAD < count)
			__builtin_prefetch(
				&t->slots[check->hash(&p->meta[i + CFG_PREFETCH_AHEAD]) & t->mask]);
		if (!check->takes_part(&p->meta[i]))
			continue;
		first = cfg_rule_table_first(t, rules, i, check->hash(&p->meta[i]), check->equal);
		if (first != &rules[i])
			check->report(p, i, (size_t)(first - rules));
	}
}

static bool cfg_same_name(const struct fw_rule *x, const struct fw_rule *y)
{
	return !strcmp(x->name, y->name);
}

static void cfg_report_duplicate_name(struct cfg_parser *p, size_t idx, size_t first)
{
	cfg_error(p, p->meta[idx].name_line, p->meta[idx].name_col,
		  "rule name \"%s\" is already used by the rule at line %d; give each rule its own name",
		  p->cfg->rules.rules[idx].name, p->meta[first].name_line);
}

static void cfg_report_duplicate_match(struct cfg_parser *p, size_t idx, size_t first)
{
	const struct fw_rule *rules = p->cfg->rules.rules;
	char label[CFG_CTX_MAX], first_label[CFG_CTX_MAX];

	cfg_error(p, rules[idx].line, rules[idx].col,
		  "%s has the same match as %s at line %d; remove one of them",
		  cfg_rule_label(p, idx, label, sizeof(label)),
		  cfg_rule_label(p, first, first_label, sizeof(first_label)), rules[first].line);
}

static bool cfg_name_takes_part(const struct cfg_rule_meta *meta)
{
	return meta->name_ok;
}

static uint32_t cfg_name_hash_of(const struct cfg_rule_meta *meta)
{
	return meta->name_hash;
}

static bool cfg_match_takes_part(const struct cfg_rule_meta *meta)
{
	return meta->match_ok;
}

static uint32_t cfg_match_hash_of(const struct cfg_rule_meta *meta)
{
	return meta->match_hash;
}

void cfg_check_rules(struct cfg_parser *p)
{
	static const struct cfg_duplicate_check names = {
		cfg_name_takes_part, cfg_name_hash_of, cfg_same_name, cfg_report_duplicate_name,
	};
	static const struct cfg_duplicate_check matches = {
		cfg_match_takes_part, cfg_match_hash_of, fw_rule_same_match,
		cfg_report_duplicate_match,
	};
	struct cfg_rule_table table;
	int err;

	cfg_check_capacity(p);
	if (!p->cfg->rules.count)
		return;
	err = cfg_rule_table_init(&table, p->cfg->rules.count);
	if (err) {
		p->err = err;
		return;
	}
	cfg_find_duplicates(p, &table, &names);
	cfg_rule_table_clear(&table);
	cfg_find_duplicates(p, &table, &matches);
	free(table.slots);
}
