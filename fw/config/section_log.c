// SPDX-License-Identifier: GPL-2.0
/*
 * Config parsing: the event settings (DESIGN §1b): log_rate and log_burst,
 * the host-wide bucket every event passes, and ban_log and limit_log;
 * then, once the rules are read, warnings for settings that log nothing.
 */
#include <stdio.h>
#include "log_policy.h"
#include "section.h"

static const struct cfg_ctx cfg_settings_ctx = { .section = "settings" };

static const struct cfg_rate_kind cfg_log_rate = {
	.key = "log_rate",
	.what = "events",
	.zero = "would let no event through; give at least 1/h, or send none by leaving log: true, ban_log and limit_log out",
	.top = "the most the event bucket counts (one event per ns); lower it",
	.example = "100/s",
};

static void cfg_place_of(struct cfg_place *place, const struct cfg_node *n)
{
	if (n)
		*place = (struct cfg_place){ n->line, n->col };
}

void cfg_read_log_settings(struct cfg_parser *p, const struct cfg_node *rate,
			   const struct cfg_node *burst, const struct cfg_node *bans,
			   const struct cfg_node *limits)
{
	const struct cfg_ctx *ctx = &cfg_settings_ctx;
	struct fw_log_policy *log = &p->cfg->rules.log;
	uint64_t interval = FW_DEFAULT_LOG_INTERVAL;
	uint32_t per_second = FW_DEFAULT_LOG_RATE, tokens;
	char rate_text[32];
	bool rate_ok = !rate || cfg_rate(&p->diags, rate, ctx, &cfg_log_rate, &interval,
					  &per_second);

	if (rate_ok) {
		log->interval = interval;
		log->burst = per_second; /* one second's worth, unless log_burst says */
		cfg_place_of(&p->log_rate, rate);
	}
	if (rate)
		snprintf(rate_text, sizeof(rate_text), "%s", rate->text);
	else
		snprintf(rate_text, sizeof(rate_text), "%u/s (the default)", FW_DEFAULT_LOG_RATE);
	if (burst && cfg_uint(&p->diags, burst, ctx, "log_burst", 1, CFG_BURST_MAX, &tokens) &&
	    rate_ok && cfg_burst_fits(&p->diags, ctx, "log_burst", burst, tokens, interval,
				      "log_rate", rate_text)) {
		log->burst = tokens;
		cfg_place_of(&p->log_burst, burst);
	}
	if (bans)
		cfg_bool(&p->diags, bans, ctx, "ban_log", &log->bans);
	if (limits && cfg_bool(&p->diags, limits, ctx, "limit_log", &log->limits))
		cfg_place_of(&p->limit_log, limits);
}

/* A bucket setting while nothing makes an event. */
static void cfg_warn_idle(struct cfg_parser *p, const struct cfg_place *place, const char *key)
{
	if (place->line)
		cfg_warning(&p->diags, place->line, place->col,
			    "settings: %s has no effect: no rule says log: true, and ban_log and limit_log are off; add log: true to a rule, or remove %s",
			    key, key);
}

void cfg_check_log(struct cfg_parser *p)
{
	const struct fw_ruleset *rs = &p->cfg->rules;
	bool rule_logs = false, limit = false;

	if (p->diags.errors)
		return; /* a rule in error may be the one that would log, or have the limit */
	for (size_t i = 0; i < rs->count; i++) {
		rule_logs |= rs->rules[i].log;
		limit |= rs->rules[i].limit.interval != 0;
	}
	if (rs->log.limits && !limit)
		cfg_warning(&p->diags, p->limit_log.line, p->limit_log.col,
			    "settings: limit_log is true, but no rule has a limit, so it logs nothing; give a rule limit: {rate: N/s}, or remove limit_log");
	if (rule_logs || rs->log.bans || rs->log.limits)
		return;
	cfg_warn_idle(p, &p->log_rate, "log_rate");
	cfg_warn_idle(p, &p->log_burst, "log_burst");
}
