// SPDX-License-Identifier: GPL-2.0
#include "names.h"

const char *const fw_proto_names[FW_RULE_PROTOS] = {
	[FW_PROTO_ANY] = "any",   [FW_PROTO_TCP] = "tcp",       [FW_PROTO_UDP] = "udp",
	[FW_PROTO_ICMP] = "icmp", [FW_PROTO_ICMPV6] = "icmpv6",
};

const char *const fw_action_names[FW_ACTION_COUNT] = {
	[FW_ACTION_NONE] = "none",
	[FW_ACTION_PASS] = "pass",
	[FW_ACTION_DROP] = "drop",
};

const char *const fw_fragments_names[FW_FRAGMENTS_COUNT] = {
	[FW_FRAGMENTS_INSPECT] = "inspect",
	[FW_FRAGMENTS_DROP] = "drop",
};

const char *const fw_stat_names[FW_STAT_COUNT] = {
	[FW_STAT_PASS_RULE] = "pass_rule",
	[FW_STAT_PASS_DEFAULT] = "pass_default",
	[FW_STAT_DROP_RULE] = "drop_rule",
	[FW_STAT_DROP_DEFAULT] = "drop_default",
	[FW_STAT_DROP_FRAGMENT] = "drop_fragment",
	[FW_STAT_DROP_MALFORMED] = "drop_malformed",
	[FW_STAT_DROP_BAN] = "drop_ban",
	[FW_STAT_DROP_LIMIT] = "drop_limit",
	[FW_STAT_PASS_LINK] = "pass_link",
	[FW_STAT_PASS_NON_IP] = "pass_non_ip",
};

const char *fw_proto_name(unsigned int proto)
{
	return proto < FW_RULE_PROTOS ? fw_proto_names[proto] : "?";
}

const char *fw_action_name(unsigned int action)
{
	return action < FW_ACTION_COUNT ? fw_action_names[action] : "?";
}

const char *fw_stat_name(unsigned int stat)
{
	return stat < FW_STAT_COUNT ? fw_stat_names[stat] : "?";
}
