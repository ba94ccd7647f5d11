// SPDX-License-Identifier: GPL-2.0
/*
 * The reference classifier: DESIGN §1 in plain C, one rule at a time.
 * Slow on purpose; it is the oracle the datapath is checked against.
 */
#include <string.h>
#include "classify.h"
#include "ruleset.h"

enum { FW_NO_MATCH = 0 };

/*
 * The rule's precedence level for this packet, 1 (most specific) to 7, or
 * FW_NO_MATCH. Every level fixes src, port and proto to the packet's or to
 * "any", so at most one valid rule matches per level.
 */
static int fw_rule_level(const struct fw_rule *r, const struct fw_frame_facts *pkt)
{
	bool named_src = r->has_src, named_port = r->port != 0;
	bool named_proto = r->proto != FW_PROTO_ANY;

	if (!named_src && !named_port && !named_proto)
		return FW_NO_MATCH; /* matches everything: never a valid rule */
	if (named_src && memcmp(r->src, pkt->src, sizeof(r->src)))
		return FW_NO_MATCH;
	/* Only TCP and UDP carry a port, so `any` with a port means TCP or UDP. */
	if (named_port && r->port != pkt->dport)
		return FW_NO_MATCH;
	if (named_proto && r->proto != pkt->proto)
		return FW_NO_MATCH;
	return 1 + (named_src ? 0 : 4) + (named_port ? 0 : 2) + (named_proto ? 0 : 1);
}

/* Index of the most specific matching rule, or -1. */
static long fw_best_rule(const struct fw_ruleset *rs, const struct fw_frame_facts *pkt)
{
	long best = -1;
	int best_level = 0;

	for (size_t i = 0; i < rs->count; i++) {
		int level = fw_rule_level(&rs->rules[i], pkt);

		if (level != FW_NO_MATCH && (best < 0 || level < best_level)) {
			best = (long)i;
			best_level = level;
		}
	}
	return best;
}

static struct fw_verdict fw_verdict_of(enum fw_stat reason, long rule)
{
	return (struct fw_verdict){ .reason = reason, .rule = rule };
}

static enum fw_stat fw_rule_reason(const struct fw_rule *r)
{
	return r->action == FW_ACTION_DROP ? FW_STAT_DROP_RULE : FW_STAT_PASS_RULE;
}

static enum fw_stat fw_default_reason(const struct fw_ruleset *rs)
{
	return rs->default_action == FW_ACTION_DROP ? FW_STAT_DROP_DEFAULT : FW_STAT_PASS_DEFAULT;
}

struct fw_verdict fw_classify(const struct fw_ruleset *rs, const uint8_t *frame, size_t len)
{
	struct fw_frame_facts pkt = fw_frame_read(frame, len);
	long rule;

	switch (pkt.kind) {
	case FW_FRAME_MALFORMED:
		return fw_verdict_of(FW_STAT_DROP_MALFORMED, -1);
	case FW_FRAME_LINK:
		return fw_verdict_of(FW_STAT_PASS_LINK, -1);
	case FW_FRAME_NON_IP:
		return fw_verdict_of(FW_STAT_PASS_NON_IP, -1);
	case FW_FRAME_IP:
		break;
	}

	if (pkt.fragment && rs->fragments == FW_FRAGMENTS_DROP)
		return fw_verdict_of(FW_STAT_DROP_FRAGMENT, -1);
	rule = fw_best_rule(rs, &pkt);
	if (rule < 0)
		return fw_verdict_of(fw_default_reason(rs), -1);
	return fw_verdict_of(fw_rule_reason(&rs->rules[rule]), rule);
}
