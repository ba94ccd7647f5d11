// SPDX-License-Identifier: GPL-2.0
/*
 * Config parsing: a rule's `limit: {rate, burst, per}` and `ban_for`
 * (DESIGN §1b), turned into the token bucket's units: ns per packet and
 * packets of burst.
 */
#include <stdio.h>
#include "duration.h"
#include "section.h"

/* 1 ns per packet: the finest interval the bucket counts. */
#define CFG_RATE_MAX_PER_SEC 1000000000ull
/* burst * interval, the bucket's window, stays far from the datapath's signed 64-bit clock math. */
#define CFG_WINDOW_MAX (1ull << 62)
#define CFG_BAN_FOR_MIN FW_NS_PER_SEC
#define CFG_BAN_FOR_MAX (365ull * 86400 * FW_NS_PER_SEC)

enum cfg_limit_key { LK_RATE, LK_BURST, LK_PER, LK_COUNT };

static const char *const cfg_limit_keys[LK_COUNT] = { "rate", "burst", "per" };

enum cfg_per { CFG_PER_SOURCE, CFG_PER_RULE };

static const char *const cfg_per_names[] = { [CFG_PER_SOURCE] = "source", [CFG_PER_RULE] = "rule" };
static const int cfg_per_order[] = { CFG_PER_SOURCE, CFG_PER_RULE };
static const struct cfg_words cfg_pers = { cfg_per_names, cfg_per_order, CFG_COUNT(cfg_per_order) };

/* The units a rate may be counted in: N/s, N/m, N/h. */
struct cfg_rate_unit {
	char name;
	uint32_t seconds;
};

static const struct cfg_rate_unit cfg_rate_units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 } };

static const struct cfg_rate_kind cfg_limit_rate = {
	.key = "rate",
	.what = "packets",
	.zero = "would drop every packet; give a rate of at least 1, or drop them all with a rule without limit",
	.top = "the most a limit counts (one packet per ns); lower it, or remove the limit",
	.example = "20/s",
};

/* The tokens a rate names and the seconds it counts them over; false once reported. */
static bool cfg_rate_parts(struct cfg_diags *d, const struct cfg_node *n,
			   const struct cfg_ctx *ctx, const struct cfg_rate_kind *kind,
			   uint64_t *packets, uint32_t *seconds)
{
	const char *s = n->text;
	uint64_t count = 0;
	size_t i;

	if (!cfg_text(d, n, ctx, kind->key))
		return false;
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		if (count <= CFG_RATE_MAX_PER_SEC * 3600)
			count = count * 10 + (uint64_t)(s[i] - '0');
	if (i && !s[i]) {
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s %s has no unit; write %s/s (per second), %s/m (per minute) or %s/h (per hour)",
			      kind->key, s, s, s, s);
		return false;
	}
	*seconds = 0;
	if (i && s[i] == '/' && s[i + 1] && !s[i + 2])
		for (size_t u = 0; u < CFG_COUNT(cfg_rate_units); u++)
			if (s[i + 1] == cfg_rate_units[u].name)
				*seconds = cfg_rate_units[u].seconds;
	if (!*seconds) {
		cfg_ctx_error(d, ctx, n->line, n->col,
			      "%s \"%s\" is not a rate; write %s per second, minute or hour as N/s, N/m or N/h, e.g. %s",
			      kind->key, s, kind->what, kind->example);
		return false;
	}
	if (!count) {
		cfg_ctx_error(d, ctx, n->line, n->col, "%s %s %s", kind->key, s, kind->zero);
		return false;
	}
	if (count > CFG_RATE_MAX_PER_SEC * *seconds) {
		cfg_ctx_error(d, ctx, n->line, n->col, "%s %s is more than %llu/s, %s", kind->key, s,
			      CFG_RATE_MAX_PER_SEC, kind->top);
		return false;
	}
	*packets = count;
	return true;
}

bool cfg_rate(struct cfg_diags *d, const struct cfg_node *n, const struct cfg_ctx *ctx,
	      const struct cfg_rate_kind *kind, uint64_t *interval, uint32_t *per_second)
{
	uint64_t count;
	uint32_t seconds;

	if (!cfg_rate_parts(d, n, ctx, kind, &count, &seconds))
		return false;
	*interval = (seconds * FW_NS_PER_SEC + count - 1) / count;
	/* Rounded up: a rate below one a second still lets one through at once. */
	*per_second = (uint32_t)((count + seconds - 1) / seconds);
	return true;
}

bool cfg_burst_fits(struct cfg_diags *d, const struct cfg_ctx *ctx, const char *key,
		    const struct cfg_node *burst, uint32_t tokens, uint64_t interval,
		    const char *rate_key, const char *rate)
{
	if (tokens <= CFG_WINDOW_MAX / interval)
		return true;
	cfg_ctx_error(d, ctx, burst->line, burst->col,
		      "%s %u at %s %s takes more than a century to refill; lower the %s", key,
		      tokens, rate_key, rate, key);
	return false;
}

/* limit: the mapping; false once reported. */
static bool cfg_limit_fields(struct cfg_parser *p, struct fw_rule_limit *out,
			     const struct cfg_node *map, const struct cfg_ctx *rule_ctx, size_t idx)
{
	const struct cfg_ctx ctx = { .section = "limit of rule", .name = rule_ctx->name,
				     .number = idx + 1 };
	const struct cfg_node *values[LK_COUNT];
	uint32_t per_second = 0;
	size_t known = 0;
	bool ok;
	int per;

	if (map->kind != CFG_MAPPING) {
		if (map->kind != CFG_BROKEN)
			cfg_ctx_error(&p->diags, rule_ctx, map->line, map->col,
				      "limit must be a mapping like {rate: 20/s, burst: 40, per: source}, found %s",
				      cfg_kind_name(map));
		return false;
	}
	cfg_fields(&p->diags, map, &ctx, cfg_limit_keys, LK_COUNT, values);
	for (size_t k = 0; k < LK_COUNT; k++)
		known += values[k] != NULL;
	/* Unless a key was reported unknown or repeated: likely a typo of rate. */
	if (!values[LK_RATE] && 2 * known == map->nkids)
		cfg_ctx_error(&p->diags, rule_ctx, map->line, map->col,
			      "limit has no rate; add rate: N/s (or N/m, N/h), e.g. {rate: 20/s}");
	ok = values[LK_RATE] && cfg_rate(&p->diags, values[LK_RATE], &ctx, &cfg_limit_rate,
					 &out->interval, &per_second);
	if (values[LK_BURST])
		ok &= cfg_uint(&p->diags, values[LK_BURST], &ctx, "burst", 1, CFG_BURST_MAX,
			       &out->burst);
	out->per_source = true;
	if (values[LK_PER]) {
		if (cfg_enum(&p->diags, values[LK_PER], &ctx, "per", &cfg_pers, &per))
			out->per_source = per == CFG_PER_SOURCE;
		else
			ok = false;
	}
	if (!ok)
		return false;
	/* The default: one second's worth of packets. */
	if (!values[LK_BURST])
		out->burst = per_second;
	return !values[LK_BURST] ||
	       cfg_burst_fits(&p->diags, &ctx, "burst", values[LK_BURST], out->burst,
			      out->interval, "rate", values[LK_RATE]->text);
}

void cfg_rule_limit(struct cfg_parser *p, size_t idx, const struct cfg_node *limit,
		    const struct cfg_node *ban_for, const struct cfg_node *action,
		    const struct cfg_ctx *ctx)
{
	struct fw_rule *r = &p->cfg->rules.rules[idx];
	struct fw_rule_limit parsed = { 0 };
	bool ok;

	if (!limit) {
		if (ban_for)
			cfg_ctx_error(&p->diags, ctx, ban_for->line, ban_for->col,
				      "ban_for needs a limit: a source is banned when it goes over the rule's limit; add limit: {rate: N/s}, or remove ban_for");
		return;
	}
	ok = cfg_limit_fields(p, &parsed, limit, ctx, idx);
	if (ban_for)
		ok &= cfg_duration(&p->diags, ban_for, ctx, "ban_for", CFG_BAN_FOR_MIN,
				   CFG_BAN_FOR_MAX, &parsed.ban_for);
	if (action && r->action == FW_ACTION_PASS) {
		cfg_ctx_error(&p->diags, ctx, action->line, action->col,
			      "action pass does not go with a limit: a limit rule passes what is within its rate and drops the excess; remove \"action: pass\"");
		ok = false;
	}
	if (ok)
		r->limit = parsed;
}
