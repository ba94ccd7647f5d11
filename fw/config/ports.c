// SPDX-License-Identifier: GPL-2.0
/* Config parsing: a rule's `port`, as a number, a range "A-B", or a list of those. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "section.h"

/* One port or range of a list, and its place in the list as written. */
struct cfg_port_item {
	struct fw_port_range range;
	const struct cfg_node *node;
	size_t written; /* index in the list */
};

#define CFG_RANGE_TEXT_MAX 12 /* "65535-65535" */

static const char *cfg_range_text(const struct fw_port_range *r, char buf[CFG_RANGE_TEXT_MAX])
{
	if (r->first == r->last)
		snprintf(buf, CFG_RANGE_TEXT_MAX, "%u", r->first);
	else
		snprintf(buf, CFG_RANGE_TEXT_MAX, "%u-%u", r->first, r->last);
	return buf;
}

const char *cfg_ports_text(const struct fw_ruleset *rs, const struct fw_rule *r, char *buf,
			   size_t size)
{
	const struct fw_port_range *ranges;
	struct fw_port_range one;
	size_t n = fw_rule_ports(rs, r, &ranges, &one), used = 0;
	char item[CFG_RANGE_TEXT_MAX];

	if (n <= 1) {
		snprintf(buf, size, "%s", n ? cfg_range_text(&ranges[0], item) : "any");
		return buf;
	}
	used = (size_t)snprintf(buf, size, "[");
	for (size_t i = 0; i < n; i++) {
		cfg_range_text(&ranges[i], item);
		/* Room for this item, ", ...]" and the NUL, else the list is cut here. */
		if (used + strlen(item) + 8 > size) {
			snprintf(buf + used, size - used, "...]");
			return buf;
		}
		used += (size_t)snprintf(buf + used, size - used, "%s%s", item, i + 1 < n ? ", " : "]");
	}
	return buf;
}

/* "8000-8099" as written: digits, a dash, digits (a leading "-" is a negative number). */
static bool cfg_port_is_range(const struct cfg_node *n)
{
	return cfg_is_text(n) && n->text[0] >= '0' && n->text[0] <= '9' && strchr(n->text, '-');
}

/* Up to six digits (more are out of range anyway) from s to end. */
static bool cfg_port_digits(const char *s, const char *end, uint32_t *out)
{
	uint32_t v = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v < 1000000)
			v = v * 10 + (uint32_t)(*s - '0');
	}
	*out = v;
	return true;
}

static bool cfg_port_range(struct cfg_parser *p, const struct cfg_node *n,
			   const struct cfg_ctx *ctx, struct fw_port_range *out)
{
	const char *dash = strchr(n->text, '-');
	uint32_t first, last;

	if (!cfg_port_digits(n->text, dash, &first) ||
	    !cfg_port_digits(dash + 1, n->text + n->len, &last)) {
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "port \"%s\" is neither a port number nor a range; write a number 1-65535 or a range like 8000-8099",
			      n->text);
		return false;
	}
	if (!first || !last || first > 65535 || last > 65535) {
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "port range %s is out of range; ports are 1-65535", n->text);
		return false;
	}
	if (first > last) {
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "port range %s is reversed; write %u-%u", n->text, last, first);
		return false;
	}
	out->first = (uint16_t)first;
	out->last = (uint16_t)last;
	return true;
}

static bool cfg_port_item(struct cfg_parser *p, const struct cfg_node *n,
			  const struct cfg_ctx *ctx, struct fw_port_range *out)
{
	uint32_t port;

	if (cfg_port_is_range(n))
		return cfg_port_range(p, n, ctx, out);
	if (!cfg_uint(&p->diags, n, ctx, "port", 1, 65535, &port))
		return false;
	out->first = out->last = (uint16_t)port;
	return true;
}

static int cfg_port_item_cmp(const void *a, const void *b)
{
	const struct cfg_port_item *x = a, *y = b;

	if (x->range.first != y->range.first)
		return x->range.first < y->range.first ? -1 : 1;
	return x->written < y->written ? -1 : x->written > y->written;
}

/* Appends the rule's ranges to the rule set's, sorted, so the order written does not matter. */
static bool cfg_store_ports(struct cfg_parser *p, struct fw_rule *r,
			    const struct cfg_port_item *items, size_t n)
{
	struct fw_ruleset *rs = &p->cfg->rules;

	if (rs->port_range_count + n > p->port_ranges_cap) {
		size_t cap = p->port_ranges_cap ? p->port_ranges_cap : 64;
		struct fw_port_range *grown;

		while (cap < rs->port_range_count + n)
			cap *= 2;
		grown = realloc(rs->port_ranges, cap * sizeof(*grown));
		if (!grown) {
			p->diags.err = -ENOMEM;
			return false;
		}
		rs->port_ranges = grown;
		p->port_ranges_cap = cap;
	}
	r->ports_at = (uint32_t)rs->port_range_count;
	r->ports_count = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		rs->port_ranges[rs->port_range_count++] = items[i].range;
	return true;
}

/* Each port once: an item inside another is reported where it is written, the later of the two. */
static bool cfg_ports_disjoint(struct cfg_parser *p, const struct cfg_port_item *sorted,
			       size_t n, const struct cfg_ctx *ctx)
{
	char a[CFG_RANGE_TEXT_MAX], b[CFG_RANGE_TEXT_MAX];
	size_t reach = 0; /* the item reaching furthest so far */
	bool ok = true;

	for (size_t i = 1; i < n; i++) {
		const struct cfg_port_item *x = &sorted[reach], *y = &sorted[i];

		if (y->range.first <= x->range.last) {
			const struct cfg_port_item *later = x->written > y->written ? x : y;
			const struct cfg_port_item *earlier = later == x ? y : x;

			if (!memcmp(&later->range, &earlier->range, sizeof(later->range)))
				cfg_ctx_error(&p->diags, ctx, later->node->line, later->node->col,
					      "port %s is in the list twice; name each port once",
					      cfg_range_text(&later->range, a));
			else
				cfg_ctx_error(&p->diags, ctx, later->node->line, later->node->col,
					      "port %s overlaps %s, named before it in the list; name each port once",
					      cfg_range_text(&later->range, a),
					      cfg_range_text(&earlier->range, b));
			ok = false;
		}
		if (y->range.last > x->range.last)
			reach = i;
	}
	return ok;
}

static bool cfg_rule_port_list(struct cfg_parser *p, struct fw_rule *r, const struct cfg_node *n,
			       const struct cfg_ctx *ctx)
{
	struct cfg_port_item *items;
	bool ok = true;

	if (!n->nkids) {
		cfg_ctx_error(&p->diags, ctx, n->line, n->col,
			      "port is an empty list; name at least one port or range, or remove the key");
		return false;
	}
	items = malloc(n->nkids * sizeof(*items));
	if (!items) {
		p->diags.err = -ENOMEM;
		return false;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		items[i].node = n->kids[i];
		items[i].written = i;
		ok &= cfg_port_item(p, n->kids[i], ctx, &items[i].range);
	}
	if (ok) {
		/* The lowest port, so a reordered list stays the same match. */
		qsort(items, n->nkids, sizeof(*items), cfg_port_item_cmp);
		r->port = items[0].range.first;
		ok = cfg_ports_disjoint(p, items, n->nkids, ctx) &&
		     cfg_store_ports(p, r, items, n->nkids);
	}
	free(items);
	return ok;
}

bool cfg_rule_ports(struct cfg_parser *p, struct fw_rule *r, const struct cfg_node *n,
		    const struct cfg_ctx *ctx)
{
	struct cfg_port_item one = { .node = n };

	if (n->kind == CFG_SEQUENCE)
		return cfg_rule_port_list(p, r, n, ctx);
	if (!cfg_port_item(p, n, ctx, &one.range))
		return false;
	r->port = one.range.first;
	/* A plain number keeps the form rules had before ranges. */
	return !cfg_port_is_range(n) || cfg_store_ports(p, r, &one, 1);
}
