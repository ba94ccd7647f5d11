/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The datapath's rule lookup replayed from userspace over the maps in force,
 * with bpf_map_lookup_elem, step for step as bpf/xdpfw.bpf.c takes it: what
 * `xdpfw explain` reads when no config is given.
 */
#ifndef FW_LOOKUP_H
#define FW_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>
#include "classify.h"
#include "datapath.h"
#include "prefix.h"

/* How the maps decide for one packet. */
struct fw_lookup {
	enum fw_stat reason; /* the stat slot the datapath bumps */
	bool by_rule;        /* a rule decided: rule_id is its counter slot */
	uint32_t rule_id;
	uint32_t active;     /* the FW_PARAM_ACTIVE word the lookup read */
	uint8_t proto;       /* what the rules were asked for: TCP_SYN for a SYN while syn rules are */
	bool exact_source;   /* the source's own entry in fw_sources4/6_N was found */
	uint32_t class_id;   /* else the class of its longest prefix; 0 = none */
	uint64_t now;        /* the datapath's clock the bans and limits were read at */
	bool banned;         /* a live ban holds the source: reason is FW_STAT_DROP_BAN */
	struct fw_prefix ban_prefix; /* the address or prefix banned */
	struct fw_ban_value ban;
	bool limited;        /* the rule has a limit: reason is what the next packet meets now */
	struct fw_limit_value limit;
};

/*
 * Looks pkt (kind FW_FRAME_IP; src in the 16-byte form, IPv4 v4-mapped)
 * up in dp's maps: bans, then the rules, then a limit rule's bucket, as a
 * packet arriving now would meet them. Only reads them. Returns 0, or
 * -errno when a map cannot be read.
 */
int fw_lookup_packet(const struct fw_datapath *dp, const struct fw_frame_facts *pkt,
		     struct fw_lookup *out);

/*
 * The ban check alone, at out->now: sets out->banned, and then ban and
 * ban_prefix to the source's exact ban, else its longest prefix ban.
 */
int fw_lookup_ban(const struct fw_datapath *dp, const uint8_t src[16], struct fw_lookup *out);

#endif /* FW_LOOKUP_H */
