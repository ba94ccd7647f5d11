// SPDX-License-Identifier: GPL-2.0
/* Config parsing: the settings section. */
#include "names.h"
#include "section.h"

enum cfg_setting_key {
	SK_DEFAULT_ACTION, SK_FRAGMENTS, SK_MAX_RULES, SK_MAX_BANS, SK_NEVER_BAN, SK_LOG_RATE,
	SK_LOG_BURST, SK_BAN_LOG, SK_LIMIT_LOG, SK_METRICS, SK_COUNT
};

static const char *const cfg_setting_keys[SK_COUNT] = {
	"default_action", "fragments", "max_rules", "max_bans", "never_ban", "log_rate",
	"log_burst", "ban_log", "limit_log", "metrics",
};

/* Per address family and kind of ban map (DESIGN §1b): 64M is gigabytes of kernel memory. */
#define CFG_MAX_BANS (1u << 26)

static const int cfg_default_action_order[] = { FW_ACTION_PASS, FW_ACTION_DROP };
static const struct cfg_words cfg_default_actions = {
	fw_action_names, cfg_default_action_order, CFG_COUNT(cfg_default_action_order)
};

static const int cfg_fragments_order[] = { FW_FRAGMENTS_INSPECT, FW_FRAGMENTS_DROP };
static const struct cfg_words cfg_fragment_policies = {
	fw_fragments_names, cfg_fragments_order, CFG_COUNT(cfg_fragments_order)
};

void cfg_read_settings(struct cfg_parser *p, const struct cfg_node *map)
{
	static const struct cfg_ctx ctx = { .section = "settings" };
	const struct cfg_node *values[SK_COUNT];
	struct fw_config *cfg = p->cfg;
	int word;

	if (map->kind != CFG_MAPPING) {
		cfg_error(&p->diags, map->line, map->col,
			  "settings must be a mapping of key: value, found %s", cfg_kind_name(map));
		return;
	}
	cfg_fields(&p->diags, map, &ctx, cfg_setting_keys, SK_COUNT, values);
	if (values[SK_DEFAULT_ACTION] &&
	    cfg_enum(&p->diags, values[SK_DEFAULT_ACTION], &ctx, "default_action",
		     &cfg_default_actions, &word))
		cfg->rules.default_action = (uint32_t)word;
	if (values[SK_FRAGMENTS] &&
	    cfg_enum(&p->diags, values[SK_FRAGMENTS], &ctx, "fragments", &cfg_fragment_policies,
		     &word))
		cfg->rules.fragments = (uint32_t)word;
	if (values[SK_MAX_RULES]) {
		p->capacity_set = true;
		p->capacity_ok = cfg_uint(&p->diags, values[SK_MAX_RULES], &ctx, "max_rules", 1,
					  CFG_MAX_RULES, &cfg->capacity);
	}
	if (values[SK_MAX_BANS])
		cfg_uint(&p->diags, values[SK_MAX_BANS], &ctx, "max_bans", 1, CFG_MAX_BANS,
			 &cfg->max_bans);
	if (values[SK_NEVER_BAN])
		cfg_read_never_ban(p, values[SK_NEVER_BAN]);
	cfg_read_log_settings(p, values[SK_LOG_RATE], values[SK_LOG_BURST], values[SK_BAN_LOG],
			      values[SK_LIMIT_LOG]);
	if (values[SK_METRICS])
		cfg_read_metrics(p, values[SK_METRICS]);
}

